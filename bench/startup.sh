#!/usr/bin/env bash
# Cold start to ready, and memory: the plain jar against the extracted jar with the class cache of
# scripts/class-cache.sh (the AOT cache on Java 25, a CDS archive on 21-24), alternating, each started twice: on a
# new data directory (first start: every migration runs) and again on the same one (a restart). "Ready" is from
# launching java to the first 200 of /actuator/health/readiness; the JVM's own "Started ... (process running for)"
# is printed beside it, and the CPU the process used to get there (user + system, every thread: the steadier figure
# when the machine is loaded). Idle RSS 3 s after ready; RSS after load after 10 s of wrk on GET /api/ping and GET
# /api/auth/me (on the restart of the last run).
#
#   bench/startup.sh [RUNS]        # default 3
#
# BENCH_JAVA picks the JVM (a JDK: the cache is made by the same JVM), BENCH_JAVA_OPTS the flags for every start
# (default -Xmx512m, the README's), BENCH_JAR the jar; BENCH_CACHE_DIR an extracted jar with its cache already made
# by scripts/class-cache.sh (skips the training run).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
JAVA=${BENCH_JAVA:-java}
OPTS=${BENCH_JAVA_OPTS:--Xmx512m}
JAR=$(realpath "${BENCH_JAR:-target/switchboard.jar}")
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
. bench/lib/switchboard.sh
work=$(mktemp -d); pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
echo "uptime: $(uptime)"
echo "java: $("$JAVA" -version 2>&1 | head -1); flags: $OPTS; $(nproc) cores"
modes=(plain)
app=$work/app
if [ -n "${BENCH_CACHE_DIR:-}" ]; then  # made before by scripts/class-cache.sh for this jar and JVM
  app=$BENCH_CACHE_DIR; c=$(ls "$app"/*.aot "$app"/*.jsa 2>/dev/null | head -1 || true)
  case $c in *.aot) opt=AOTCache ;; *) opt=SharedArchiveFile ;; esac
  aot=""  # Spring AOT's bean definitions, as scripts/run.sh passes them when the jar holds them
  grep -qaE 'BOOT-INF/classes/[^ ]*__ApplicationContextInitializer\.class' "$JAR" && aot=" -Dspring.aot.enabled=true"
  echo "start: cd $app && $JAVA -XX:$opt=$(basename "$c")$aot $OPTS -jar $(basename "$JAR")" > "$work/cache.txt"
fi
if [ -n "${BENCH_CACHE_DIR:-}" ] || JAVA=$JAVA scripts/class-cache.sh "$JAR" "$app" > "$work/cache.txt" 2>&1; then
  cat "$work/cache.txt"
  use=$(sed -n 's/^start: .* \(-XX:[A-Za-z]*=[^ ]*\( -D[^ ]*\)*\) .*/\1/p' "$work/cache.txt")
  [ -n "$use" ] && modes+=(cache)
else
  echo "no class cache: $(tail -1 "$work/cache.txt")"
fi

start() { # mode data-dir [load]: one start to ready, its idle RSS, and (with load) RSS after load
  local mode=$1 data=$2 port t0 t dir=$PWD args=(-jar "$JAR")
  [ "$mode" = cache ] && { dir=$app; read -r -a args <<< "$use"; args+=(-jar "$(basename "$JAR")"); }
  port=$(free_port); t0=$(date +%s%3N)
  (cd "$dir" && exec env -i PATH="$PATH" HOME="$HOME" PORT="$port" SWITCHBOARD_DATA_DIR="$data" \
    SWITCHBOARD_API_RATE_LIMIT=100000000/s "$JAVA" $OPTS "${args[@]}" > "$work/$mode.log" 2>&1) &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/$mode.log"; exit 1; }
    sleep 0.05
  done
  t=$(( $(date +%s%3N) - t0 ))
  local cpu; cpu=$(cpu_ms "$pid")
  sleep 3
  local line="ready_ms $t cpu_ms $cpu ($(grep -o 'process running for [0-9.]*' "$work/$mode.log" | head -1)) idle_rss_mib $(rss_mib "$pid")"
  if [ -n "${3:-}" ]; then
    curl -sf -H 'Content-Type: application/json' -d '{"email":"rss@example.com","password":"rss bench password"}' \
      "http://127.0.0.1:$port/api/auth/register" > "$work/reg.json"
    wrk -t2 -c32 -d5s "http://127.0.0.1:$port/api/ping" >/dev/null
    wrk -t2 -c32 -d5s -H "Authorization: Bearer $(jq -r .accessToken "$work/reg.json")" \
      "http://127.0.0.1:$port/api/auth/me" >/dev/null
    line="$line rss_after_load_mib $(rss_mib "$pid")"
  fi
  echo "$line"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}
for i in $(seq 1 "$RUNS"); do
  for mode in "${modes[@]}"; do
    data="$work/data-$mode-$i"
    echo "$mode first start: $(start "$mode" "$data")"
    echo "$mode restart:     $(start "$mode" "$data" $([ "$i" = "$RUNS" ] && echo load))"
  done
done | tee "$work/results.txt"
python3 - "$work/results.txt" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    m = re.match(r"(\w+) (first start|restart):\s+ready_ms (\d+) cpu_ms (\d+).*idle_rss_mib (\d+)(?: rss_after_load_mib (\d+))?", line)
    if m:
        r = rows.setdefault((m.group(1), m.group(2)), {"ready": [], "cpu": [], "idle": [], "after": []})
        r["ready"].append(int(m.group(3))); r["cpu"].append(int(m.group(4))); r["idle"].append(int(m.group(5)))
        if m.group(6): r["after"].append(int(m.group(6)))
print("\nmedians:")
for (mode, kind), r in rows.items():
    after = f", RSS after load {r['after'][0]} MiB" if r["after"] else ""
    print(f"  {mode:<6} {kind:<12} ready {statistics.median(r['ready']):.0f} ms {r['ready']}, "
          f"CPU {statistics.median(r['cpu']) / 1000:.2f} s, idle RSS {statistics.median(r['idle']):.0f} MiB{after}")
PY
