#!/usr/bin/env bash
# Verified Stripe webhook ingest against GET /api/ping, on H2 and PostgreSQL: now a slice of bench/all.sh (wrk with
# pre-signed events, every request a new event id). The in-process Java client this replaced saturated at ~650 req/s
# and measured itself. Usage: bench/payments.sh [OUT.json]
exec env BENCH_ENDPOINTS=webhook "$(dirname "$0")/all.sh" "$@"
