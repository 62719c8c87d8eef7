#!/usr/bin/env bash
# Analytics ingest throughput: POST /v1/batch (100 events a request) and single POST /v1/track, each next to
# GET /api/ping in the same run, on H2 and on PostgreSQL (a fresh schema in the machine's database at
# 127.0.0.1:5432, dropped afterwards). Every event has a unique messageId, so every one is inserted; the script
# reads the hourly counts afterwards and prints events stored against events sent.
# Usage: bench/analytics.sh [h2|postgresql|both] (default both). WRK_DURATION (10s), WRK_CONNECTIONS (32),
# BENCH_JAR (target/switchboard.jar).
set -euo pipefail
cd "$(dirname "$0")/.."
WHICH=${1:-both}
DURATION=${WRK_DURATION:-10s}
CONNECTIONS=${WRK_CONNECTIONS:-32}
KEY=wk_bench_0123456789abcdef
ADMIN=sk_bench_admin_0123456789abcdef0123

command -v wrk >/dev/null || { echo "installing wrk"; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
JAR=${BENCH_JAR:-target/switchboard.jar}
[ -f "$JAR" ] || mvn -q -B package -DskipTests

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rps() { awk '/Requests\/sec/ {print $2}'; }
# CPU seconds the server process has used (user + system), to report CPU per event: on a machine shared with
# other work, req/s says more about the neighbours than about Switchboard; CPU per event does not.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.3f\n", ($14 + $15) / hz}' "/proc/$1/stat"; }
measure() {  # measure NAME EVENTS_PER_REQUEST wrk-args...: prints req/s; leaves CPU µs per event in $dir/NAME.cpu
  local name=$1 per=$2; shift 2
  local c0 c1
  c0=$(cpu "$pid")
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "$@" > "$dir/$name.txt"
  sleep 1
  c1=$(cpu "$pid")
  awk -v c0="$c0" -v c1="$c1" -v per="$per" '/requests in/ {printf "%.1f\n", (c1 - c0) * 1e6 / ($1 * per)}' \
    "$dir/$name.txt" > "$dir/$name.cpu"
  rps < "$dir/$name.txt"
}

echo "$(date -u +%FT%TZ)  $(nproc) cores  uptime:$(uptime | sed 's/.*load average/ load average/')"
echo "wrk: 2 threads, $CONNECTIONS connections, $DURATION per figure, loopback"

bench() {
  local db=$1 dir port pid schema="" url=""
  dir=$(mktemp -d)
  port=$(free_port)
  if [ "$db" = postgresql ]; then
    schema="sb_bench_$(date +%s%N | tail -c 9)"
    psql -q -h 127.0.0.1 -U postgres -d test -c "CREATE SCHEMA $schema" >/dev/null
    url="postgresql://postgres@127.0.0.1:5432/test?currentSchema=$schema"
  fi
  env -i PATH="$PATH" HOME="$HOME" PORT="$port" SWITCHBOARD_DATA_DIR="$dir/data" ${url:+DATABASE_URL="$url"} \
    SWITCHBOARD_API_RATE_LIMIT=100000000/s ANALYTICS_RATE_LIMIT=100000000/s ANALYTICS_KEY="$KEY" \
    SWITCHBOARD_ADMIN_API_KEY="$ADMIN" java -jar "$JAR" > "$dir/out.log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$dir/out.log"; exit 1; }
    sleep 0.05
  done
  local base="http://127.0.0.1:$port"
  # JIT warm-up of every path measured.
  wrk -t2 -c"$CONNECTIONS" -d5s "$base/api/ping" >/dev/null
  wrk -t2 -c"$CONNECTIONS" -d5s -s bench/analytics-ingest.lua "$base" -- batch "$KEY" >/dev/null
  wrk -t2 -c"$CONNECTIONS" -d5s -s bench/analytics-ingest.lua "$base" -- track "$KEY" >/dev/null
  sleep 2  # let requests still in flight from the warm-up finish before the count is read
  local before ping batch track after
  before=$(curl -sf -H "Authorization: Bearer $ADMIN" "$base/api/analytics/events?event=feature_used&from=2026-12-04T00:00:00Z&to=$(date -u -d "+2 days" +%FT00:00:00Z)" \
    | python3 -c 'import json,sys; print(sum(s["total"] for s in json.load(sys.stdin)["series"]))')
  ping=$(measure ping 1 "$base/api/ping")
  batch=$(measure batch 100 -s bench/analytics-ingest.lua "$base" -- batch "$KEY")
  track=$(measure track 1 -s bench/analytics-ingest.lua "$base" -- track "$KEY")
  after=$(curl -sf -H "Authorization: Bearer $ADMIN" "$base/api/analytics/events?event=feature_used&from=2026-12-04T00:00:00Z&to=$(date -u -d "+2 days" +%FT00:00:00Z)" \
    | python3 -c 'import json,sys; print(sum(s["total"] for s in json.load(sys.stdin)["series"]))')
  local sent_batch sent_track
  sent_batch=$(awk '/requests in/ {print $1 * 100}' "$dir/batch.txt")
  sent_track=$(awk '/requests in/ {print $1}' "$dir/track.txt")
  grep -h "Non-2xx" "$dir/batch.txt" "$dir/track.txt" || true
  local cpu_ping cpu_batch cpu_track
  cpu_ping=$(cat "$dir/ping.cpu"); cpu_batch=$(cat "$dir/batch.cpu"); cpu_track=$(cat "$dir/track.cpu")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  [ -n "$schema" ] && psql -q -h 127.0.0.1 -U postgres -d test -c "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1
  rm -rf "$dir"
  echo "[$db] GET /api/ping:               $ping req/s"
  awk -v b="$batch" 'BEGIN {printf "[%s] POST /v1/batch (100 events):  %s req/s = %.0f events/s\n", "'"$db"'", b, b * 100}'
  awk -v t="$track" -v p="$ping" 'BEGIN {printf "[%s] POST /v1/track:               %s req/s = %.2f of ping\n", "'"$db"'", t, t / p}'
  echo "[$db] events sent in measured runs: $((sent_batch + sent_track)), stored (hourly counts): $((after - before))"
  echo "[$db] server CPU per request/event (µs): ping $cpu_ping, batch $cpu_batch per event, track $cpu_track"
  awk -v b="$cpu_batch" -v t="$cpu_track" -v p="$cpu_ping" 'BEGIN {printf "[%s] CPU-bound ceiling on 2 cores: batch %.0f events/s, track %.0f req/s, ping %.0f req/s\n", "'"$db"'", 2e6 / b, 2e6 / t, 2e6 / p}'
}

case "$WHICH" in
  h2) bench h2 ;;
  postgresql) bench postgresql ;;
  *) bench h2; bench postgresql ;;
esac
