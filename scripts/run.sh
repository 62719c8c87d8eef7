#!/usr/bin/env bash
# Starts the packaged jar the fastest way the JVM allows: from the extracted jar with its class cache
# (scripts/class-cache.sh: an AOT cache on Java 25, a CDS archive on 21-24), made again first when it is missing, older
# than the jar or made by another JVM (one training run, seconds), and with Spring AOT's bean definitions
# (-Dspring.aot.enabled=true) when the jar holds them. On Java 17, or when no cache can be made, it runs `java -jar` as
# before. The data stays in ./data (or SWITCHBOARD_DATA_DIR), as with `java -jar` from this directory.
#
#   mvn package -DskipTests && scripts/run.sh [ARGS]     # ARGS as for java -jar (keys, status, architecture)
#
# JAVA picks the JVM (default: java on the PATH); JAVA_OPTS the JVM flags (default -Xmx512m, the README's).
set -euo pipefail
JAVA=${JAVA:-java}
JAR=${JAR:-target/switchboard.jar}
DIR=$(dirname "$JAR")/app
read -r -a opts <<< "${JAVA_OPTS:--Xmx512m}"
# With Spring AOT's bean definitions in the jar (mvn package writes them), the cached starts use them.
aot=()
grep -qaE 'BOOT-INF/classes/[^ ]*__ApplicationContextInitializer\.class' "$JAR" 2>/dev/null && aot=(-Dspring.aot.enabled=true)
export SWITCHBOARD_DATA_DIR=${SWITCHBOARD_DATA_DIR:-$PWD/data}
[ -f "$JAR" ] || { echo "no $JAR: build it with mvn package -DskipTests" >&2; exit 1; }
name=$(basename "$JAR")
jvm=$("$JAVA" -version 2>&1)
feature=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
[ "${feature%%.*}" -ge 21 ] || exec "$JAVA" "${opts[@]}" -jar "$JAR" "$@"
cache() { ls "$DIR/${name%.jar}.aot" "$DIR/${name%.jar}.jsa" 2>/dev/null | head -1 || true; }
c=$(cache)
if [ -z "$c" ] || [ "$JAR" -nt "$c" ] || [ "$(cat "$DIR/jvm.txt" 2>/dev/null)" != "$jvm" ]; then
  echo "Making the class cache for $name (once per build and JVM)..." >&2
  if JAVA=$JAVA "$(dirname "$0")/class-cache.sh" "$JAR" "$DIR" >&2; then
    c=$(cache)
    [ -n "$c" ] && printf '%s' "$jvm" > "$DIR/jvm.txt"
  else
    echo "No class cache; starting the jar as it is." >&2
    c=""
  fi
fi
case $c in
  *.aot) cd "$DIR" && exec "$JAVA" -XX:AOTCache="$(basename "$c")" "${aot[@]}" "${opts[@]}" -jar "$name" "$@" ;;
  *.jsa) cd "$DIR" && exec "$JAVA" -XX:SharedArchiveFile="$(basename "$c")" "${aot[@]}" "${opts[@]}" -jar "$name" "$@" ;;
  *) exec "$JAVA" "${opts[@]}" -jar "$JAR" "$@" ;;
esac
