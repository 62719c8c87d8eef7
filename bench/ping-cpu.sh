#!/usr/bin/env bash
# Server CPU per no-op request (GET /api/ping) of two jars, both running at once and measured alternately, so a
# change to the filter chain can be judged on a loaded machine: CPU time per request (/proc/<pid>/stat) moves much
# less with the neighbours' load than req/s does.
#
#   bench/ping-cpu.sh BEFORE.jar AFTER.jar [ROUNDS]      # default 3 rounds of 5 s each, after a 15 s warm-up
#
# BENCH_WARMUP sets the warm-up per jar in seconds (15): on a loaded machine the JIT needs longer, and CPU per request
# still falling from round to round says so.
#
# BENCH_JAVA picks the JVM (default java), BENCH_JAVA_OPTS the flags (default -Xmx512m). BENCH_JAVA_A / BENCH_JAVA_B give
# each side its own JVM (the same jar twice on Java 17 and 25 compares the JVMs).
# BENCH_PATH=webhook measures POST /api/webhooks/stripe the same way instead (every request a new event, pre-signed
# by bench/lib/stripe-events.py for each phase); with DATABASE_URL=postgresql://... each jar runs in a fresh schema.
# BENCH_PATH=track measures single POST /v1/track calls (bench/analytics-ingest.lua: every event its own messageId,
# so every one is inserted) the same way.
# BENCH_PATH=batch measures POST /v1/batch with 100 such events a request; the CPU figure is then per event.
# BENCH_PATH=presign measures POST /api/files/presign with an API key, the body bench/all.sh sends.
# DATABASE_POOL_SIZE_A / DATABASE_POOL_SIZE_B give each side its own pool size (the same jar twice compares two
# pool sizes: the groups a write lane keeps in flight on PostgreSQL follow it).
set -euo pipefail
cd "$(dirname "$0")/.."
A=$(realpath "$1"); B=$(realpath "$2"); ROUNDS=${3:-3}
JAVA=${BENCH_JAVA:-java}
export BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx512m}
. bench/lib/switchboard.sh
WHAT=${BENCH_PATH:-ping}
case $WHAT in ping|webhook|track|batch|presign) ;; *) echo "BENCH_PATH: ping, webhook, track, batch or presign" >&2; exit 2 ;; esac
PER=1; UNIT=request
[ "$WHAT" != batch ] || { PER=100; UNIT=event; }
export SB_SECRET=whsec_bench_all_0123456789abcdef0123456789 SB_ANALYTICS_KEY=wk_bench_0123456789abcdef
export SB_KEY=sk_bench_all_admin_key_0123456789abcdef0123 BENCH_KEY=sk_bench_all_admin_key_0123456789abcdef0123
export BENCH_BODY='{"filename":"photo.png","contentType":"image/png","size":65536}'
work=$(mktemp -d); pids=(); schemas=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  for s in "${schemas[@]}"; do PGOPTIONS=--client-min-messages=warning psql "$DATABASE_URL" -qc "drop schema $s cascade" >/dev/null; done
  rm -rf "$work"' EXIT
echo "uptime: $(uptime)"
declare -A pid port
for j in A B; do
  port[$j]=$(free_port); dburl=""
  if [ -n "${DATABASE_URL:-}" ]; then
    schemas+=("pingcpu_$(date +%s)_$RANDOM"); psql "$DATABASE_URL" -qc "create schema ${schemas[-1]}" >/dev/null
    dburl="$DATABASE_URL?currentSchema=${schemas[-1]}"
  fi
  pool_var=DATABASE_POOL_SIZE_$j
  java_var=BENCH_JAVA_$j
  DATABASE_POOL_SIZE=${!pool_var:-${DATABASE_POOL_SIZE:-}} BENCH_JAR=$([ $j = A ] && echo "$A" || echo "$B") \
    sb_start "$work/$j" "${port[$j]}" "${!java_var:-$JAVA}" "$dburl"
  echo "$j: $("${!java_var:-$JAVA}" -version 2>&1 | head -1), ready in $SB_READY_MS ms"
  pid[$j]=$SB_PID; pids+=("$SB_PID")
done
# wrk's arguments for one phase of SECONDS on jar J: the ping, or a fresh set of signed events.
phase() {
  local j=$1 secs=$2 base="http://127.0.0.1:${port[$1]}"
  if [ "$WHAT" = ping ]; then echo "$base/api/ping"; return; fi
  if [ "$WHAT" = track ] || [ "$WHAT" = batch ]; then
    echo "-s bench/analytics-ingest.lua $base -- $WHAT $SB_ANALYTICS_KEY"; return
  fi
  if [ "$WHAT" = presign ]; then echo "-s bench/lib/post.lua $base/api/files/presign"; return; fi
  local dir; dir=$(mktemp -d -p "$work"); python3 bench/lib/stripe-events.py "$SB_SECRET" $((10000 * secs)) 2 "$dir"
  echo "-s bench/lib/webhook.lua $base -- $dir"
}
WARMUP=${BENCH_WARMUP:-15}
for j in A B; do wrk -t2 -c32 -d"${WARMUP}s" $(phase $j "$WARMUP") >/dev/null; done
for r in $(seq 1 "$ROUNDS"); do
  for j in A B; do
    args=$(phase $j 5)
    c0=$(cpu_ms "${pid[$j]}")
    out=$(wrk -t2 -c32 -d5s $args)
    c1=$(cpu_ms "${pid[$j]}")
    n=$(awk '/requests in/ {print $1}' <<<"$out")
    ! grep -q 'Non-2xx' <<<"$out" || echo "$j $(grep 'Non-2xx' <<<"$out")" >&2
    awk -v j=$j -v c=$((c1 - c0)) -v n="$n" -v per=$PER -v unit=$UNIT \
      '/Requests\/sec/ {printf "%s %.0f req/s %.1f us CPU/%s\n", j, $2, c * 1000 / (n * per), unit}' <<<"$out"
  done
done | tee "$work/out.txt"
for j in A B; do
  awk -v j=$j '$1 == j {print $4}' "$work/out.txt" | sort -n | awk -v j=$j -v unit=$UNIT '{a[NR]=$1} END {printf "%s median %.1f us CPU/%s\n", j, a[int((NR+1)/2)], unit}'
done
echo "uptime: $(uptime)"
