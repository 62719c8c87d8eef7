#!/usr/bin/env bash
# Measures the packaged jar on this machine: cold start to ready, idle memory, and requests/s of the no-op
# endpoint (GET /api/ping) with wrk. Each figure is the median of RUNS runs; everything is printed in one run so
# ratios compare like with like. Usage: bench/run.sh [RUNS] (default 3). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
DURATION=${WRK_DURATION:-10s}
CONNECTIONS=${WRK_CONNECTIONS:-32}

command -v wrk >/dev/null || { echo "installing wrk"; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[ -f target/switchboard.jar ] || mvn -q -B package -DskipTests

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

starts=(); rss=(); rps=(); health_rps=()
for i in $(seq 1 "$RUNS"); do
  dir=$(mktemp -d)
  port=$(free_port)
  t0=$(date +%s%N)
  # A high API limit so the benchmark measures the server, not the per-client 429s.
  env -i PATH="$PATH" HOME="$HOME" PORT="$port" SWITCHBOARD_DATA_DIR="$dir/data" SWITCHBOARD_API_RATE_LIMIT=100000000/s \
    java -jar target/switchboard.jar > "$dir/out.log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$dir/out.log"; exit 1; }
    sleep 0.02
  done
  t1=$(date +%s%N)
  starts+=("$(( (t1 - t0) / 1000000 ))")
  sleep 5
  rss+=("$(( $(ps -o rss= -p "$pid") / 1024 ))")
  for path in /api/ping /api/health; do wrk -t2 -c"$CONNECTIONS" -d5s "http://127.0.0.1:$port$path" >/dev/null; done  # JIT warm-up
  # Alternate the endpoints so neither always runs on a warmer JVM.
  for _ in 1 2; do
    rps+=("$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "http://127.0.0.1:$port/api/ping" | awk '/Requests\/sec/ {print $2}')")
    health_rps+=("$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "http://127.0.0.1:$port/api/health" | awk '/Requests\/sec/ {print $2}')")
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
done

start_ms=$(printf '%s\n' "${starts[@]}" | median)
rss_mb=$(printf '%s\n' "${rss[@]}" | median)
ping=$(printf '%s\n' "${rps[@]}" | median)
health=$(printf '%s\n' "${health_rps[@]}" | median)
echo "runs: $RUNS, wrk: 2 threads, $CONNECTIONS connections, $DURATION, loopback, $(nproc) cores"
echo "cold start to ready (ms):     median $start_ms   [${starts[*]}]"
echo "idle RSS after 5 s (MiB):     median $rss_mb   [${rss[*]}]"
echo "GET /api/ping (req/s):        median $ping   [${rps[*]}]"
echo "GET /api/health (req/s):      median $health   [${health_rps[*]}]"
awk -v a="$health" -v b="$ping" 'BEGIN {printf "ratio /api/health : /api/ping = %.2f\n", a/b}'
