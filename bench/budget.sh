#!/usr/bin/env bash
# The CPU budget of each path with a ratio target, in microseconds, in one sitting: runs bench/profile.sh for ping and
# each path (one JVM per path and database, one after the other) and prints, per path, the server's CPU per request
# by component (bench/lib/budget.py) beside ping's, and the CPU the target allows: ping's CPU / target ratio.
#
#   bench/budget.sh [SECONDS]                  # default 20 s per phase (one unrecorded, one under JFR)
#
# BENCH_BUDGET lists the runs as path:database (default below: every unmet target on H2, and on PostgreSQL where the
# target names it). Writes each run's full output and the table to bench/results/budget-<commit>-<time>/.
# BENCH_JAR, BENCH_JAVA, BENCH_WARMUP and BENCH_JFR_SAMPLING are passed on to bench/profile.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-20}
RUNS=${BENCH_BUDGET:-"ping:h2 webhook_dup:h2 webhook:h2 presign:h2 refresh:h2 track:h2 webhook_dup:postgresql webhook:postgresql presign:postgresql track:postgresql"}
PG_URL=${PG_URL:-postgresql://127.0.0.1:5432/test}
out=bench/results/budget-$(git rev-parse --short HEAD)-$(date -u +%Y%m%dT%H%M)
mkdir -p "$out"
for run in $RUNS; do
  path=${run%%:*}; db=${run#*:}
  echo "== $path on $db, $(date -u +%H:%M:%S), uptime: $(uptime | sed 's/.*load/load/')" | tee -a "$out/uptime.txt"
  if [ "$db" = postgresql ]; then
    DATABASE_URL=$PG_URL BENCH_JFR_OUT="$out/$path-$db.jfr" bench/profile.sh "$path" "$SECS" > "$out/$path-$db.txt" 2>&1 || true
  else
    env -u DATABASE_URL BENCH_JFR_OUT="$out/$path-$db.jfr" bench/profile.sh "$path" "$SECS" > "$out/$path-$db.txt" 2>&1 || true
  fi
  grep '^BUDGET' "$out/$path-$db.txt" || { tail -20 "$out/$path-$db.txt"; exit 1; }
done
echo "uptime at the end: $(uptime)" | tee -a "$out/uptime.txt"
# The table: per path, the total (server, and PostgreSQL's processes for this server's connections), the budget (ping's
# CPU / the target ratio) and the components in microseconds.
grep -h '^BUDGET' "$out"/*.txt | python3 bench/lib/budget-table.py | tee "$out/table.txt"
echo "written: $out"
