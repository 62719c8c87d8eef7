#!/usr/bin/env bash
# Webhook ingest with its processing counted: wrk sends new Stripe events for WRK_DURATION, then the script waits until
# the job worker has processed every accepted event, and reports events per second over the whole time (sent and
# processed) and the server's CPU per event, beside the CPU of a GET /api/ping. bench/all.sh measures only the
# request rate, which a worker that falls behind (work left for after the phase) makes look better than it is.
#
#   bench/webhook-sustained.sh [h2|postgresql]...      # default: both
#
# Environment: BENCH_JAR (target/switchboard.jar), BENCH_JAVA (java), WRK_DURATION (10s), WRK_CONNECTIONS (32),
# BENCH_PG_URL (postgresql://127.0.0.1:5432/test; a fresh schema per run), BENCH_DRAIN_MAX (180: seconds to wait for
# the worker after wrk stops).
set -euo pipefail
cd "$(dirname "$0")/.."
DATABASES=${*:-h2 postgresql}
DURATION=${WRK_DURATION:-10s}
CONNECTIONS=${WRK_CONNECTIONS:-32}
JAVA=${BENCH_JAVA:-java}
PG_URL=${BENCH_PG_URL:-postgresql://127.0.0.1:5432/test}
KEY=sk_bench_all_admin_key_0123456789abcdef0123
SECRET=whsec_bench_all_0123456789abcdef0123456789
. bench/lib/switchboard.sh
work=$(mktemp -d); pid=""; schema=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  [ -n "$schema" ] && PGOPTIONS=--client-min-messages=warning psql "$PG_URL" -qc "drop schema $schema cascade" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
secs=${DURATION%s}
echo "uptime: $(uptime)"

done_events() { # payments.event jobs done so far, from the metrics
  curl -sf -H "Authorization: Bearer $KEY" "$1/actuator/prometheus" |
    awk '/^switchboard_jobs_total\{/ && /outcome="done"/ && /type="payments.event"/ {n += $NF} END {printf "%d\n", n}'
}

groups() { # processing groups (commits) of payments.event jobs so far, from the metrics
  curl -sf -H "Authorization: Bearer $KEY" "$1/actuator/prometheus" |
    awk '/^switchboard_db_group_size_count\{/ && /lane="job payments.event"/ {n += $NF} END {printf "%d\n", n}'
}

for db in $DATABASES; do
  port=$(free_port); base="http://127.0.0.1:$port"; dburl=""
  if [ "$db" = postgresql ]; then
    schema="bench_$(date +%s)_$RANDOM"; psql "$PG_URL" -qc "create schema $schema" >/dev/null
    dburl="$PG_URL?currentSchema=$schema"
  fi
  SB_KEY=$KEY SB_SECRET=$SECRET sb_start "$work/$db" "$port" "$JAVA" "$dburl"; pid=$SB_PID
  for r in warm run; do mkdir -p "$work/$db/$r"; python3 bench/lib/stripe-events.py "$SECRET" $((20000 * secs)) 2 "$work/$db/$r"; done
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "$base/api/ping" >/dev/null
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s bench/lib/webhook.lua "$base" -- "$work/$db/warm" > "$work/warm.txt"
  warm=$(awk '/requests in/ {print $1}' "$work/warm.txt")
  for _ in $(seq 1 900); do [ "$(done_events "$base")" -ge "$warm" ] && break; sleep 0.2; done
  # ping: CPU per no-op request on this JVM, now
  p0=$(cpu_ms "$pid")
  ping=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "$base/api/ping")
  p1=$(cpu_ms "$pid")
  pings=$(echo "$ping" | awk '/requests in/ {print $1}')
  # webhook: sent, then processed
  d0=$(done_events "$base"); g0=$(groups "$base"); c0=$(cpu_ms "$pid"); t0=$(date +%s%3N)
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/lib/webhook.lua "$base" -- "$work/$db/run")
  t1=$(date +%s%3N); d1=$(done_events "$base"); g1=$(groups "$base")
  sent=$(echo "$out" | awk '/requests in/ {print $1}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}'); non2xx=${non2xx:-0}
  deadline=$(( $(date +%s) + ${BENCH_DRAIN_MAX:-180} ))
  until [ "$(done_events "$base")" -ge $((d0 + sent)) ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "$db: not all processed within ${BENCH_DRAIN_MAX:-180} s (the figures below count only the time waited)"; break; }
    sleep 0.05
  done
  t2=$(date +%s%3N); c2=$(cpu_ms "$pid"); d2=$(done_events "$base"); g2=$(groups "$base")
  python3 - "$db" "$pings" "$((p1 - p0))" "$secs" "$sent" "$non2xx" "$((t1 - t0))" "$((t2 - t0))" "$((c2 - c0))" \
    "$((d1 - d0))" "$((g1 - g0))" "$((d2 - d1))" "$((g2 - g1))" <<'PY'
import sys
db, pings, ping_cpu, secs, sent, non2xx, sent_ms, all_ms, cpu, d_send, g_send, d_drain, g_drain = sys.argv[1], *map(float, sys.argv[2:])
print(f"{db}: ping {pings / secs:,.0f} req/s at {ping_cpu * 1000 / pings:.0f} us CPU each; webhook {sent / sent_ms * 1000:,.0f} req/s "
      f"while sending ({sent:.0f} events, non-2xx {non2xx:.0f}), all processed after {all_ms / 1000:.1f} s: "
      f"{sent / all_ms * 1000:,.0f} events/s sustained, {cpu * 1000 / sent:.0f} us CPU per event "
      f"({cpu * 1000 / sent / (ping_cpu * 1000 / pings):.1f}x a ping)")
per = lambda d, g: f"{d / g:.1f}" if g else "-"
print(f"{db}: processed while sending {d_send:.0f} events in {g_send:.0f} groups ({per(d_send, g_send)} a group), "
      f"after {d_drain:.0f} in {g_drain:.0f} ({per(d_drain, g_drain)} a group)")
PY
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  if [ -n "$schema" ]; then PGOPTIONS=--client-min-messages=warning psql "$PG_URL" -qc "drop schema $schema cascade" >/dev/null; schema=""; fi
done
echo "uptime: $(uptime)"
