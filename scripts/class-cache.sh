#!/usr/bin/env bash
# Faster start: unpacks the jar into Spring Boot's extracted layout and records, in one training run, the classes the
# application loads (and on Java 25 links) at start, in a cache the JVM maps at the next start instead of loading and
# verifying every class again. Run it once per build (at image build time in a container) with the JVM that runs the
# service; a cache made by another JVM or for another jar is ignored with a warning, never used wrongly.
#
#   scripts/class-cache.sh [JAR] [DIR]         # default target/switchboard.jar into target/app
#
# Then start from DIR with the line it prints (and SWITCHBOARD_DATA_DIR, or the data directory is DIR/data):
#   Java 25+:   cd target/app && java -XX:AOTCache=switchboard.aot -Dspring.aot.enabled=true -Xmx512m -jar switchboard.jar
#   Java 21-24: cd target/app && java -XX:SharedArchiveFile=switchboard.jsa -Dspring.aot.enabled=true -Xmx512m -jar switchboard.jar
# (-Dspring.aot.enabled=true when the jar holds Spring AOT's bean definitions, which mvn package writes; the training
# run uses them too, so the cache holds their classes.)
# (Java 17 is not offered: the dynamic archive dump crashes 17.0.15, see docs/BENCHMARKS.md.) The training run starts
# the application with a throwaway data directory and port. On Java 25 it runs until the application says it is ready
# (so the web server's start and what runs up to ready are in the cache too), answers one GET /api/ping when curl is
# there, and is then stopped (SIGTERM: the JVM writes the cache as it exits); on 21-24 it stops as soon as its context
# is up.
# JAVA picks the JVM (default: java on the PATH).
set -euo pipefail
JAR=$(realpath "${1:-target/switchboard.jar}")
DIR=${2:-$(dirname "$JAR")/app}
JAVA=${JAVA:-java}
[ -f "$JAR" ] || { echo "no $JAR: build it with mvn package -DskipTests"; exit 1; }
feature=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
name=$(basename "$JAR")
rm -rf "$DIR"
"$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$DIR" >/dev/null
train=$(mktemp -d)
trap 'rm -rf "$train"' EXIT
if [ "${feature%%.*}" -ge 25 ]; then
  # The training run compiles with C1 only: from a cache trained with both compilers, every start's C2 compiler spent
  # 2.5-3.6 s of CPU before ready beside the main thread, from this one 0.4-0.7 s (docs/BENCHMARKS.md). The service
  # itself runs with both compilers as always.
  cache=${name%.jar}.aot; record=(-XX:AOTCacheOutput="$cache" -XX:TieredStopAtLevel=1); use="-XX:AOTCache=$cache"
elif [ "${feature%%.*}" -ge 21 ]; then
  cache=${name%.jar}.jsa; record=(-XX:ArchiveClassesAtExit="$cache"); use="-XX:SharedArchiveFile=$cache"
else
  echo "Java $feature: no class cache (needs Java 21+; 25 for the AOT cache). $DIR holds the extracted jar."; exit 0
fi
# A jar built with Spring AOT's bean definitions (mvn package does) starts with them, in training as in service.
aot=()
if grep -qaE 'BOOT-INF/classes/[^ ]*__ApplicationContextInitializer\.class' "$JAR"; then aot=(-Dspring.aot.enabled=true); use="$use ${aot[*]}"; fi
if [ "${feature%%.*}" -ge 25 ]; then
  # Up to ready: the classes of Tomcat's start, of the started and ready events and the first health checks then come
  # from the cache as well (about 700 classes a start loaded from the jars before; 6 % less CPU to ready, docs/BENCHMARKS.md).
  (cd "$DIR" && exec env -i PATH="$PATH" HOME="$HOME" SWITCHBOARD_DATA_DIR="$train/data" PORT=0 \
    "$JAVA" "${record[@]}" "${aot[@]}" -Xmx512m -jar "$name" > "$train/training.log" 2>&1) &
  pid=$!
  for _ in $(seq 1 1800); do  # up to 180 s on a loaded machine
    grep -q 'Switchboard ready' "$train/training.log" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  port=$(sed -n 's/.*Switchboard ready in .* on port \([0-9]*\).*/\1/p' "$train/training.log" | head -1)
  [ -n "$port" ] && command -v curl >/dev/null && curl -s -o /dev/null "http://127.0.0.1:$port/api/ping" || true
  kill "$pid" 2>/dev/null || true
  wait "$pid" || true
else
  (cd "$DIR" && env -i PATH="$PATH" HOME="$HOME" SWITCHBOARD_DATA_DIR="$train/data" PORT=0 \
    "$JAVA" "${record[@]}" "${aot[@]}" -Xmx512m -Dspring.context.exit=onRefresh -jar "$name" > "$train/training.log" 2>&1) || true
fi
[ -s "$DIR/$cache" ] || { cat "$train/training.log"; echo "the training run made no $cache"; exit 1; }
echo "cache: $DIR/$cache ($(du -h "$DIR/$cache" | cut -f1)), for $("$JAVA" -version 2>&1 | head -1)"
echo "start: cd $DIR && $JAVA $use -Xmx512m -jar $name"
