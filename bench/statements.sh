#!/usr/bin/env bash
# What PostgreSQL carries per hot-path request: statements and commits, counted by the server itself
# (pg_stat_statements, pg_stat_database) on a PostgreSQL cluster of its own (initdb in a temp dir, a free port;
# the machine's shared server is not touched), including the background work each request causes (the job that
# processes a webhook or sends a mail). Idle background work (pollers, health checks, leases) is measured first
# and subtracted by elapsed time. Not a throughput figure: wrk runs with 2 connections for WRK_DURATION.
#
#   bench/statements.sh                 # prints one line per path and the statements behind it
#
# Environment: WRK_DURATION (3s), SETTLE (4: seconds to let jobs finish after each phase), BENCH_JAR.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${WRK_DURATION:-3s}
SETTLE=${SETTLE:-4}
JAR=${BENCH_JAR:-target/switchboard.jar}
KEY=sk_bench_statements_admin_0123456789abcdef01
WRITE_KEY=wk_bench_statements_0123456789
SECRET=whsec_bench_statements_0123456789abcdef012345
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
[ -f "$JAR" ] || mvn -q -B package -DskipTests
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

work=$(mktemp -d); chmod 755 "$work"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  as_pg "$BIN/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] && chown postgres "$work"
pgport=$(free_port)
as_pg "$BIN/initdb" -D "$work/pg" -U postgres -A trust --no-sync >/dev/null
as_pg sh -c "cat >> '$work/pg/postgresql.conf'" <<EOF
listen_addresses = '127.0.0.1'
port = $pgport
unix_socket_directories = '$work/pg'
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
EOF
as_pg "$BIN/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w start >/dev/null
sql() { "$BIN/psql" -X -qAt -h 127.0.0.1 -p "$pgport" -U postgres -d postgres -c "$1"; }
sql "CREATE EXTENSION pg_stat_statements" >/dev/null

port=$(free_port); base="http://127.0.0.1:$port"
env -i PATH="$PATH" HOME="$HOME" PORT="$port" SWITCHBOARD_DATA_DIR="$work/data" \
  DATABASE_URL="postgresql://postgres@127.0.0.1:$pgport/postgres" SWITCHBOARD_PUBLIC_URL="$base" \
  SWITCHBOARD_ADMIN_API_KEY="$KEY" STRIPE_WEBHOOK_SECRET="$SECRET" ANALYTICS_KEY="$WRITE_KEY" \
  SWITCHBOARD_API_RATE_LIMIT=100000000/s SWITCHBOARD_REFRESH_RATE_LIMIT=100000000/s ANALYTICS_RATE_LIMIT=100000000/s \
  SWITCHBOARD_SIGN_IN_RATE_LIMIT=100000/s STORAGE_RATE_LIMIT=100000000/s EMAIL_RATE_LIMIT=1000000/s \
  java -jar "$JAR" > "$work/out.log" 2>&1 &
pid=$!
until curl -sf "$base/actuator/health/readiness" >/dev/null; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/out.log"; exit 1; }
  sleep 0.1
done
echo "uptime: $(uptime)"

mkdir -p "$work/tokens" "$work/events"
curl -sf -H 'Content-Type: application/json' -d '{"email":"count@example.com","password":"count password 1"}' \
  "$base/api/auth/register" >/dev/null
for i in $(seq 1 4); do
  curl -sf -H 'Content-Type: application/json' -d '{"email":"count@example.com","password":"count password 1"}' \
    "$base/api/auth/login" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["refreshToken"]); print(d["accessToken"], file=sys.stderr)' \
    >> "$work/tokens/tokens-1.txt" 2> "$work/access.txt"
done
: > "$work/tokens/access-1.txt"
access=$(tail -1 "$work/access.txt")
python3 bench/lib/stripe-events.py "$SECRET" 20000 1 "$work/events"

reset() { sql "SELECT pg_stat_statements_reset(); SELECT pg_stat_reset();" >/dev/null; }
# Statements and commits since the last reset, without this script's own queries.
counts() {
  sleep 1.2  # backends report commit counts to pg_stat_database at most once a second
  sql "SELECT (SELECT coalesce(sum(calls),0) FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat%'
                 AND query NOT IN ('BEGIN','COMMIT','ROLLBACK') AND query NOT ILIKE 'SET %' AND query NOT ILIKE 'SHOW %'),
              (SELECT xact_commit FROM pg_stat_database WHERE datname = 'postgres')"
}
top() {
  sql "SELECT calls, left(regexp_replace(query, '\s+', ' ', 'g'), 110) FROM pg_stat_statements
       WHERE query NOT ILIKE '%pg_stat%' AND query NOT IN ('BEGIN','COMMIT','ROLLBACK') AND query NOT ILIKE 'SET %'
       AND query NOT ILIKE 'SHOW %' ORDER BY calls DESC LIMIT 8"
}

# Idle background work per second, to subtract.
reset; t0=$(date +%s.%N); sleep 10; c=$(counts); t1=$(date +%s.%N)
idle_stmts=$(echo "$c" | cut -d'|' -f1); idle_commits=$(echo "$c" | cut -d'|' -f2)
idle_secs=$(echo "$t1 - $t0" | bc -l)
printf 'idle: %.1f statements/s, %.1f commits/s (pollers, health checks, leases)\n' \
  "$(echo "$idle_stmts / $idle_secs" | bc -l)" "$(echo "$idle_commits / $idle_secs" | bc -l)"

measure() { # name wrk-args...
  local name=$1; shift
  reset; local t0; t0=$(date +%s.%N)
  local out; out=$(wrk -t1 -c2 -d"$DURATION" "$@")
  sleep "$SETTLE"
  local c t1; c=$(counts); t1=$(date +%s.%N)
  local n; n=$(echo "$out" | awk '/requests in/ {print $1}')
  local non2xx; non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}'); non2xx=${non2xx:-0}
  local secs; secs=$(echo "$t1 - $t0" | bc -l)
  local s; s=$(echo "$c" | cut -d'|' -f1); local k; k=$(echo "$c" | cut -d'|' -f2)
  printf '%-8s %6d requests (non-2xx %s): %5.1f statements and %4.1f commits per request, background work included\n' \
    "$name" "$n" "$non2xx" "$(echo "($s - $idle_stmts * $secs / $idle_secs) / $n" | bc -l)" \
    "$(echo "($k - $idle_commits * $secs / $idle_secs) / $n" | bc -l)"
  top | awk -F'|' -v n="$n" '{printf "           %6.2f  %s\n", $1 / n, $2}'
}

measure ping "$base/api/ping"
measure me -H "Authorization: Bearer $access" "$base/api/auth/me"
measure refresh -s bench/lib/refresh.lua "$base" -- "$work/tokens"
measure webhook -s bench/lib/webhook.lua "$base" -- "$work/events"
BENCH_KEY=$KEY BENCH_BODY='{"filename":"photo.png","contentType":"image/png","size":65536}' \
  measure presign -s bench/lib/post.lua "$base/api/files/presign"
BENCH_KEY=$KEY BENCH_BODY='{"template":"welcome","to":"ann@example.com","variables":{"name":"Ann","verifyUrl":"https://app.example.com/verify"}}' \
  measure email -s bench/lib/post.lua "$base/api/email/send"
measure track -s bench/analytics-ingest.lua "$base" -- track "$WRITE_KEY"
measure batch100 -s bench/analytics-ingest.lua "$base" -- batch "$WRITE_KEY"
# Bytes on disk per row (table, TOAST and indexes) of the tables the hot paths fill, after the phases above.
for t in analytics_events jobs payment_events email_messages email_message_history files refresh_tokens; do
  sql "SELECT '$t', count(*), CASE WHEN count(*) > 0 THEN pg_total_relation_size('$t') / count(*) END FROM $t" |
    awk -F'|' '{printf "%-22s %7d rows, %6s bytes per row with indexes\n", $1, $2, $3}'
done
echo "uptime: $(uptime)"
