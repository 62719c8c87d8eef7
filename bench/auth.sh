#!/usr/bin/env bash
# Measures sign-in on the packaged jar: POST /api/auth/refresh (a real rotation each time: token-with-session read,
# conditional update, insert, session touch, account read in one transaction, then the ES256 signature) and
# GET /api/auth/me (ES256 verification, the cached session check, one account read) against the no-op
# GET /api/ping, all in the same run so the ratios compare like with like. Each figure is the median of RUNS runs, a
# fresh jar and H2 data dir per run; wrk alternates the endpoints. Usage: bench/auth.sh [RUNS] (default 3);
# DATABASE_URL is passed through to measure on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
DURATION=${WRK_DURATION:-10s}
CONNECTIONS=${WRK_CONNECTIONS:-32}
THREADS=2

command -v wrk >/dev/null || { echo "installing wrk"; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v jq >/dev/null || { echo "installing jq"; apt-get update -qq && apt-get install -y -qq jq >/dev/null; }
[ -f target/switchboard.jar ] || mvn -q -B package -DskipTests

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rps() { awk '/Requests\/sec/ {print $2}'; }

ping=(); me=(); refresh=(); errors=()
for i in $(seq 1 "$RUNS"); do
  dir=$(mktemp -d)
  port=$(free_port)
  base="http://127.0.0.1:$port"
  # Limits that never bind, so the benchmark measures the server, not the 429s.
  env -i PATH="$PATH" HOME="$HOME" PORT="$port" SWITCHBOARD_DATA_DIR="$dir/data" ${DATABASE_URL:+DATABASE_URL="$DATABASE_URL"} \
    SWITCHBOARD_API_RATE_LIMIT=100000000/s SWITCHBOARD_REFRESH_RATE_LIMIT=100000000/s \
    SWITCHBOARD_SIGN_IN_RATE_LIMIT=100000/s java -jar target/switchboard.jar > "$dir/out.log" 2>&1 &
  pid=$!
  until curl -sf "$base/actuator/health/readiness" >/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$dir/out.log"; exit 1; }
    sleep 0.05
  done
  for a in $(seq 1 16); do
    curl -sf -H 'Content-Type: application/json' -d "{\"email\":\"bench$a@example.com\",\"password\":\"bench password $a\"}" \
      "$base/api/auth/register" >/dev/null
  done
  # Fresh sessions for each refresh round, two per connection (a round's in-flight answers are lost when wrk stops,
  # and a spare per connection covers an answer wrk gives up on): 16 accounts, so the logins stay under the
  # per-email limit of 10/min.
  sessions=$(( (CONNECTIONS + THREADS - 1) / THREADS * THREADS * 2 ))
  n=0
  for round in 1 2; do
    mkdir -p "$dir/round$round"
    : > "$dir/round$round/all.txt"
    for _ in $(seq 1 "$sessions"); do
      n=$((n + 1)); a=$(( (n - 1) % 16 + 1 ))
      curl -sf -H 'Content-Type: application/json' -d "{\"email\":\"bench$a@example.com\",\"password\":\"bench password $a\"}" \
        "$base/api/auth/login" > "$dir/login.json"
      jq -r .refreshToken "$dir/login.json" >> "$dir/round$round/all.txt"
    done
    for t in $(seq 1 "$THREADS"); do
      awk -v t="$t" -v n="$THREADS" '(NR - 1) % n == t - 1' "$dir/round$round/all.txt" > "$dir/round$round/tokens-$t.txt"
    done
  done
  access=$(jq -r .accessToken "$dir/login.json")
  # JIT warm-up of ping and me; refresh is warmed by the logins' code paths and measured from its first round.
  wrk -t"$THREADS" -c"$CONNECTIONS" --timeout 30s -d5s "$base/api/ping" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" --timeout 30s -d5s -H "Authorization: Bearer $access" "$base/api/auth/me" >/dev/null
  for round in 1 2; do
    ping+=("$(wrk -t"$THREADS" -c"$CONNECTIONS" --timeout 30s -d"$DURATION" "$base/api/ping" | rps)")
    me+=("$(wrk -t"$THREADS" -c"$CONNECTIONS" --timeout 30s -d"$DURATION" -H "Authorization: Bearer $access" "$base/api/auth/me" | rps)")
    out=$(AUTH_BENCH_DEBUG=${AUTH_BENCH_DEBUG:-} wrk -t"$THREADS" -c"$CONNECTIONS" --timeout 30s -d"$DURATION" -s bench/auth-refresh.lua "$base" -- "$dir/round$round")
    refresh+=("$(echo "$out" | rps)")
    errors+=("$(echo "$out" | awk '/Non-2xx/ {print $NF}' | grep . || echo 0)")
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
done

p=$(printf '%s\n' "${ping[@]}" | median)
m=$(printf '%s\n' "${me[@]}" | median)
r=$(printf '%s\n' "${refresh[@]}" | median)
db=${DATABASE_URL:+postgresql}
echo "runs: $RUNS, wrk: $THREADS threads, $CONNECTIONS connections, $DURATION, loopback, $(nproc) cores, database: ${db:-h2}"
echo "GET /api/ping (req/s):          median $p   [${ping[*]}]"
echo "GET /api/auth/me (req/s):       median $m   [${me[*]}]"
echo "POST /api/auth/refresh (req/s): median $r   [${refresh[*]}]   non-2xx: [${errors[*]}]"
awk -v a="$m" -v b="$p" 'BEGIN {printf "ratio me : ping = %.2f\n", a/b}'
awk -v a="$r" -v b="$p" 'BEGIN {printf "ratio refresh : ping = %.3f\n", a/b}'
