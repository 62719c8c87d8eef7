#!/usr/bin/env bash
# Cold start to ready and idle RSS, alternating the plain jar with the jar run from Spring Boot's extracted layout
# and a class data sharing (CDS) archive made by a training run. Usage: bench/startup.sh [RUNS] (default 3).
# BENCH_JAVA picks the JVM; BENCH_JAVA_OPTS adds flags to both (default -Xmx512m).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
JAVA=${BENCH_JAVA:-java}
OPTS=${BENCH_JAVA_OPTS:--Xmx512m}
JAR=${BENCH_JAR:-target/switchboard.jar}
work=$(mktemp -d); pid=""
name=$(basename "$JAR")
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
# The extracted layout and the training run, as Spring Boot documents for CDS: the context starts and exits at once.
"$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$work/app" >/dev/null
(cd "$work/app" && env -i PATH="$PATH" HOME="$HOME" SWITCHBOARD_DATA_DIR="$work/train" PORT=0 \
  "$JAVA" $OPTS -XX:ArchiveClassesAtExit=app.jsa -Dspring.context.exit=onRefresh -jar "$name" >/dev/null 2>&1) || true
[ -f "$work/app/app.jsa" ] || { echo "training run made no archive"; exit 1; }
start() { # label dir jvm-args...
  local label=$1 dir=$2; shift 2
  local port; port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local t0; t0=$(date +%s%3N)
  (cd "$dir" && env -i PATH="$PATH" HOME="$HOME" PORT="$port" SWITCHBOARD_DATA_DIR="$work/data-$label-$RANDOM" \
    "$JAVA" $OPTS "$@" > "$work/$label.log" 2>&1) &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null; do sleep 0.02; done
  local t=$(( $(date +%s%3N) - t0 ))
  sleep 3
  local jpid; jpid=$(pgrep -P "$pid" java || echo "$pid")
  echo "$label ready_ms $t idle_rss_mib $(( $(ps -o rss= -p "$jpid") / 1024 ))"
  kill "$jpid" 2>/dev/null; wait "$pid" 2>/dev/null || true; pid=""
}
echo "uptime: $(uptime)"
for i in $(seq 1 "$RUNS"); do
  start plain "$PWD" -jar "$(realpath "$JAR")"
  start cds "$work/app" -XX:SharedArchiveFile=app.jsa -jar "$name"
done
