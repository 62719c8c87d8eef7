#!/usr/bin/env bash
# One benchmark suite for the packaged jar: wrk (with Lua) measures each hot path alternately with the no-op
# GET /api/ping, on H2 and on PostgreSQL, and prints one table of req/s, p50/p99 and ratio to ping (the figure to
# compare: absolute numbers follow the machine's load). Writes the same as JSON for bench/compare.sh.
#
#   bench/all.sh [OUT.json]          # default bench/results/<commit>-<time>.json
#
# Environment: BENCH_DATABASES (default "h2 postgresql"), BENCH_ROUNDS (2), WRK_DURATION (5s), WRK_CONNECTIONS (32),
# WRK_THREADS (2), BENCH_LABEL (the commit; the jar's file name when BENCH_JAR is given), BENCH_JAR (target/switchboard.jar), BENCH_JAVA (java), BENCH_JAVA_OPTS (JVM flags),
# BENCH_PG_URL (postgresql://127.0.0.1:5432/test; a fresh schema per run), BENCH_ENDPOINTS (the paths below but ping,
# separated by spaces or commas; default all of them).
#
# Paths (each request distinct where it matters):
#   ping      GET /api/ping: all servlet filters, 204
#   me        GET /api/auth/me, the same access token every time (verified-token cache hit)
#   me_new    GET /api/auth/me, every token never presented before (full ES256 verification)
#   refresh   POST /api/auth/refresh chains: every request a real rotation (bench/lib/refresh.lua)
#   webhook   POST /api/webhooks/stripe, pre-signed events, every one a new event id (bench/lib/stripe-events.py)
#   presign   POST /api/files/presign with an API key (one files row, HMAC-signed URL)
#   email     POST /api/email/send, one welcome mail (row + job), the dev outbox sending in the background
# Not in the default run (name it in BENCH_ENDPOINTS):
#   webhook_dup  POST /api/webhooks/stripe, one pre-signed event per wrk thread sent again and again: after the first,
#                every request is a verified duplicate (200): the same request and group transaction, whose insert
#                finds the event stored, so no row is written and no job queued; it bounds what the webhook path
#                can reach
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-}
DATABASES=${BENCH_DATABASES:-h2 postgresql}
ROUNDS=${BENCH_ROUNDS:-2}
DURATION=${WRK_DURATION:-5s}
CONNECTIONS=${WRK_CONNECTIONS:-32}
THREADS=${WRK_THREADS:-2}
jar_given=${BENCH_JAR:+yes}
JAR=${BENCH_JAR:-target/switchboard.jar}
JAVA=${BENCH_JAVA:-java}
VALID_ENDPOINTS="me refresh me_new webhook presign email"  # me_new uses the tokens refresh collected
EXTRA_ENDPOINTS="webhook_dup"
# Spaces or commas between names ("webhook presign" or "webhook,presign"); a name not listed stops the run before
# anything starts, instead of a run that measures only ping.
ENDPOINTS=$(echo "${BENCH_ENDPOINTS:-$VALID_ENDPOINTS}" | tr ',' ' ' | xargs)
[ -n "$ENDPOINTS" ] || { echo "BENCH_ENDPOINTS is empty; valid paths: $VALID_ENDPOINTS" >&2; exit 2; }
for e in $ENDPOINTS; do
  case " $VALID_ENDPOINTS $EXTRA_ENDPOINTS " in
    *" $e "*) ;;
    *) echo "BENCH_ENDPOINTS: unknown path '$e'; valid paths: $VALID_ENDPOINTS $EXTRA_ENDPOINTS" \
         "(ping is measured before each of them)" >&2; exit 2 ;;
  esac
done
PG_URL=${BENCH_PG_URL:-postgresql://127.0.0.1:5432/test}
KEY=sk_bench_all_admin_key_0123456789abcdef0123
SECRET=whsec_bench_all_0123456789abcdef0123456789

need() { command -v "$1" >/dev/null || { echo "installing $2"; (apt-get install -y -qq "$2" || { apt-get update -qq && apt-get install -y -qq "$2"; }) >/dev/null; }; }
need wrk wrk; need jq jq; need psql postgresql-client
[ -f "$JAR" ] || mvn -q -B package -DskipTests
. bench/lib/switchboard.sh
export BENCH_JAR=$JAR
secs=${DURATION%s}

work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
raw="$work/raw"; mkdir -p "$raw"
uptime_start=$(uptime)

wrk_run() { # name round db [wrk args...]: saves wrk's output for the summary
  local name=$1 round=$2 db=$3; shift 3
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 30s --latency "$@" > "$raw/$db.$name.$round.txt" 2>&1 || true
}

for db in $DATABASES; do
  dir="$work/$db"; mkdir -p "$dir"
  port=$(free_port); base="http://127.0.0.1:$port"
  dburl=""
  if [ "$db" = postgresql ]; then
    schema="bench_$(date +%s)_$RANDOM"
    psql "$PG_URL" -qc "create schema $schema" >/dev/null
    dburl="$PG_URL?currentSchema=$schema"
  fi
  SB_KEY=$KEY SB_SECRET=$SECRET sb_start "$dir" "$port" "$JAVA" "$dburl"
  pid=$SB_PID
  echo "$db ready in $SB_READY_MS ms, RSS $(( $(ps -o rss= -p "$pid") / 1024 )) MiB" | tee "$raw/$db.start.txt"
  sleep 3; echo "idle_rss_mib $(( $(ps -o rss= -p "$pid") / 1024 ))" >> "$raw/$db.start.txt"

  access=$(sb_sessions "$base" "$dir" "$ROUNDS" "$CONNECTIONS" "$THREADS")
  # Pre-signed events: enough for 20,000 new events/s in every webhook phase, warm-up included (only when measured).
  case " $ENDPOINTS " in *" webhook "*)
    for round in $(seq 0 "$ROUNDS"); do
      mkdir -p "$dir/events$round"
      python3 bench/lib/stripe-events.py "$SECRET" $(( 20000 * secs )) "$THREADS" "$dir/events$round"
    done ;;
  esac
  case " $ENDPOINTS " in *" webhook_dup "*)
    for round in $(seq 0 "$ROUNDS"); do
      mkdir -p "$dir/same$round"
      python3 bench/lib/stripe-events.py "$SECRET" "$THREADS" "$THREADS" "$dir/same$round"
    done ;;
  esac

  phase() { # endpoint round
    local e=$1 r=$2
    case $e in
      ping) wrk_run ping "$r" "$db" "$base/api/ping" ;;
      me) wrk_run me "$r" "$db" -H "Authorization: Bearer $access" "$base/api/auth/me" ;;
      me_new) wrk_run me_new "$r" "$db" -s bench/lib/me-new.lua "$base" -- "$dir/round$r" ;;
      refresh) wrk_run refresh "$r" "$db" -s bench/lib/refresh.lua "$base" -- "$dir/round$r" ;;
      webhook) wrk_run webhook "$r" "$db" -s bench/lib/webhook.lua "$base" -- "$dir/events$r" ;;
      webhook_dup) wrk_run webhook_dup "$r" "$db" -s bench/lib/webhook.lua "$base" -- "$dir/same$r" same ;;
      presign) BENCH_KEY=$KEY BENCH_BODY='{"filename":"photo.png","contentType":"image/png","size":65536}' \
        wrk_run presign "$r" "$db" -s bench/lib/post.lua "$base/api/files/presign" ;;
      email) BENCH_KEY=$KEY BENCH_BODY='{"template":"welcome","to":"ann@example.com","variables":{"name":"Ann","verifyUrl":"https://app.example.com/verify"}}' \
        wrk_run email "$r" "$db" -s bench/lib/post.lua "$base/api/email/send" ;;
    esac
  }
  # Round 0 is the JIT warm-up (not reported); then ping before every endpoint, so each ratio is to the ping
  # measured just before it on the same JVM.
  for round in $(seq 0 "$ROUNDS"); do
    for e in $ENDPOINTS; do
      phase ping "$round.$e"; mv "$raw/$db.ping.$round.$e.txt" "$raw/$db.ping_before_$e.$round.txt"
      phase "$e" "$round"
    done
    echo "$db round $round done ($(uptime | sed 's/.*load/load/'))"
  done
  echo "rss_after_mib $(( $(ps -o rss= -p "$pid") / 1024 ))" >> "$raw/$db.start.txt"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  [ "$db" = postgresql ] && PGOPTIONS=--client-min-messages=warning psql "$PG_URL" -qc "drop schema $schema cascade" >/dev/null
done

commit=${BENCH_LABEL:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo +dirty)}
# A jar given by BENCH_JAR need not be the checkout's build: name it by its file, not by the checkout's commit.
if [ -z "${BENCH_LABEL:-}" ] && [ -n "$jar_given" ]; then
  commit=$(basename "$JAR" .jar)
fi
mkdir -p bench/results
OUT=${OUT:-bench/results/$commit-$(date -u +%Y%m%dT%H%M%S).json}
python3 bench/lib/summarize.py "$raw" "$OUT" "$commit" "$uptime_start" "$(uptime)" \
  "$("$JAVA" -version 2>&1 | head -1)" "$DURATION" "$CONNECTIONS" "$THREADS" "$ROUNDS" "$(grep -o 'Cryptography: .*' "$work"/*/out.log | head -1 | cut -d: -f2-)"
