#!/usr/bin/env bash
# Complete OAuth sign-ins/s through the dev identity provider (login, consent form post, callback with the code
# exchange and userinfo calls, one-time code exchange for a session) against GET /api/ping in the same run, on the
# packaged jar with a fresh data dir per run. Usage: bench/oauth.sh [RUNS] [SECONDS] [THREADS] (defaults 3, 10, 8).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
SECONDS_EACH=${2:-10}
THREADS=${3:-8}

[ -f target/switchboard.jar ] || mvn -q -B package -DskipTests
mvn -o -q -B test-compile
mvn -o -q -B exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.switchboard.bench.OAuthBench \
  -Dexec.args="$RUNS $SECONDS_EACH $THREADS" -Dexec.cleanupDaemonThreads=false
