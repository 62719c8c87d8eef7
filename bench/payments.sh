#!/usr/bin/env bash
# Verified Stripe webhook ingest (signature check on the raw bytes + dedupe insert + job enqueue + commit + 200)
# against the same jar's no-op GET /api/ping, same client and concurrency, alternating phases, on H2 and on
# PostgreSQL (127.0.0.1:5432, a fresh database per run). Each figure is the median of RUNS runs, a fresh jar and data
# dir per run. Usage: bench/payments.sh [RUNS] [SECONDS_PER_PHASE] [CLIENTS] (defaults 3, 8, 16). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
SECONDS_PER_PHASE=${2:-8}
CLIENTS=${3:-16}

[ -f target/switchboard.jar ] || mvn -q -B package -DskipTests
mvn -q -B test-compile
mvn -q -B exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.switchboard.bench.PaymentWebhookBench \
  -Dexec.args="$RUNS $SECONDS_PER_PHASE $CLIENTS" -Dexec.cleanupDaemonThreads=false
