#!/usr/bin/env bash
# Measures the email pipeline of the packaged jar on this machine, everything in one run so ratios compare like
# with like: (a) SMTP pacing, a bulk of 1,000 to GreenMail at EMAIL_RATE_LIMIT (target: the arrivals' rate equals the
# limit within 3 %, no duplicates, one Message-ID per message); (b) our per-message overhead with the outbox provider
# and a limit that never binds, a bulk of 10,000. Each figure is the median of RUNS runs, a fresh jar and data dir
# per run. Usage: bench/email.sh [RUNS] [RATE] [BULK] (defaults 3, 100/s, 10000). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
RATE=${2:-100/s}
BULK=${3:-10000}

[ -f target/switchboard.jar ] || mvn -q -B package -DskipTests
mvn -q -B test-compile
mvn -q -B exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.switchboard.bench.EmailBench \
  -Dexec.args="$RUNS $RATE $BULK" -Dexec.cleanupDaemonThreads=false
