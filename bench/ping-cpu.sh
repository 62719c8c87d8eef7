#!/usr/bin/env bash
# Server CPU per no-op request (GET /api/ping) of two jars, both running at once and measured alternately, so a
# change to the filter chain can be judged on a loaded machine: CPU time per request (/proc/<pid>/stat) moves much
# less with the neighbours' load than req/s does.
#
#   bench/ping-cpu.sh BEFORE.jar AFTER.jar [ROUNDS]      # default 3 rounds of 5 s each, after a 15 s warm-up
#
# BENCH_JAVA picks the JVM (default java), BENCH_JAVA_OPTS the flags (default -Xmx512m).
set -euo pipefail
cd "$(dirname "$0")/.."
A=$(realpath "$1"); B=$(realpath "$2"); ROUNDS=${3:-3}
JAVA=${BENCH_JAVA:-java}
export BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx512m}
. bench/lib/switchboard.sh
work=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
echo "uptime: $(uptime)"
declare -A pid port
for j in A B; do
  port[$j]=$(free_port)
  BENCH_JAR=$([ $j = A ] && echo "$A" || echo "$B") sb_start "$work/$j" "${port[$j]}" "$JAVA"
  pid[$j]=$SB_PID; pids+=("$SB_PID")
done
for j in A B; do wrk -t2 -c32 -d15s "http://127.0.0.1:${port[$j]}/api/ping" >/dev/null; done
for r in $(seq 1 "$ROUNDS"); do
  for j in A B; do
    c0=$(cpu_ms "${pid[$j]}")
    out=$(wrk -t2 -c32 -d5s "http://127.0.0.1:${port[$j]}/api/ping")
    c1=$(cpu_ms "${pid[$j]}")
    n=$(awk '/requests in/ {print $1}' <<<"$out")
    awk -v j=$j -v c=$((c1 - c0)) -v n="$n" '/Requests\/sec/ {printf "%s %.0f req/s %.1f us CPU/request\n", j, $2, c * 1000 / n}' <<<"$out"
  done
done | tee "$work/out.txt"
for j in A B; do
  awk -v j=$j '$1 == j {print $4}' "$work/out.txt" | sort -n | awk -v j=$j '{a[NR]=$1} END {printf "%s median %.1f us CPU/request\n", j, a[int((NR+1)/2)]}'
done
echo "uptime: $(uptime)"
