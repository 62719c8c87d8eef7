#!/usr/bin/env bash
# Several instances of the packaged jar behind nginx, as docs/deployment.md describes them: one PostgreSQL schema
# (the machine's, 127.0.0.1:5432/test), the machine's Redis, s3proxy as the S3 server (it checks signatures), and
# nginx round-robin in front with the configuration the tests use (src/test/resources/scaleout/nginx.conf).
#
#   bench/scaleout.sh restart   rolling restart under steady load: SIGTERM one instance, start it again, wait until
#                               it is ready, next; prints requests sent and failed, and jobs run against jobs expected
#   bench/scaleout.sh load      the mixed load (me, refresh, webhook, presign, email send, analytics batch) paced at
#                               RATE req/s for DURATION through nginx, three instances then one; p50, p99, errors
#   bench/scaleout.sh all       both (default)
#
# Environment: RATE (1000), DURATION (120s), CONNECTIONS (64), RESTART_RATE (300), JAVA_OPTS (-Xmx512m
# -XX:+UseSerialGC). Takes about 3 min for `restart` and 2 × (DURATION + 1 min) for `load` on 2 cores. Loopback only;
# everything it starts is stopped at the end, and its PostgreSQL schema is dropped.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-all}
RATE=${RATE:-1000}
DURATION=${DURATION:-120s}
CONNECTIONS=${CONNECTIONS:-64}
RESTART_RATE=${RESTART_RATE:-300}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -XX:+UseSerialGC}
THREADS=2
ADMIN_KEY=sk_bench_scaleout_admin_key_0123456789abcdef
WRITE_KEY=wk_bench_scaleout_0123456789
STRIPE_SECRET=whsec_bench_scaleout_0123456789abcdef
AUTH_SECRET=bench-scaleout-auth-key-secret-0123456789
S3_ACCESS=AKIABENCHSCALEOUT001
S3_SECRET=bench-scaleout-s3proxy-secret-key-value
S3PROXY_VERSION=2.7.0

apt_need() { command -v "$1" >/dev/null || { echo "installing $2"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }; }
apt_need wrk wrk
apt_need jq jq
apt_need psql postgresql-client
[ -x /usr/sbin/nginx ] || apt_need nginx nginx
[ -f target/switchboard.jar ] || mvn -q -B package -DskipTests
if [ ! -f target/s3proxy/s3proxy.jar ]; then
  mvn -q -B dependency:copy -Dartifact="org.gaul:s3proxy:$S3PROXY_VERSION:jar:jar-with-dependencies" -DoutputDirectory=target/s3proxy
  mv "target/s3proxy/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar" target/s3proxy/s3proxy.jar
fi

work=$(mktemp -d /tmp/scaleout.XXXXXX)
declare -A pids=() ports=()
other_pids=()
schema=""
psql_test() { psql -h 127.0.0.1 -U postgres -d test -Atqc "$1"; }
q() { psql -h 127.0.0.1 -U postgres -d test -Atqc "SET search_path TO $schema; $1" | tail -n 1; }
cleanup() {
  for pid in "${pids[@]}" "${other_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}" "${other_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -z "$schema" ] || psql_test "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# Its own copy of the jar: a rebuild of target/ while it runs must not change the instances it restarts.
cp target/switchboard.jar "$work/switchboard.jar"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

start_s3proxy() {
  s3port=$(free_port)
  mkdir -p "$work/s3/store/switchboard-bench"
  cat > "$work/s3/s3proxy.properties" <<EOF
s3proxy.endpoint=http://127.0.0.1:$s3port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS
s3proxy.credential=$S3_SECRET
jclouds.provider=filesystem
jclouds.filesystem.basedir=$work/s3/store
EOF
  java -Xmx256m -XX:TieredStopAtLevel=1 -jar target/s3proxy/s3proxy.jar --properties "$work/s3/s3proxy.properties" \
    > "$work/s3/output.log" 2>&1 &
  other_pids+=($!)
  wait_port "$s3port" || { cat "$work/s3/output.log"; exit 1; }
}

new_schema() {
  [ -z "$schema" ] || psql_test "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null
  schema="sb_bench_$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  psql_test "CREATE SCHEMA $schema" >/dev/null
}

start_instance() { # index
  local i=$1
  [ -n "${ports[$i]:-}" ] || ports[$i]=$(free_port)
  mkdir -p "$work/instance-$i"
  # shellcheck disable=SC2086
  env -i PATH="$PATH" HOME="$HOME" PORT="${ports[$i]}" SWITCHBOARD_DATA_DIR="$work/instance-$i/data" \
    DATABASE_URL="postgresql://postgres@127.0.0.1:5432/test?currentSchema=$schema" REDIS_URL=redis://127.0.0.1:6379 \
    SWITCHBOARD_PUBLIC_URL="http://127.0.0.1:$lbport" SWITCHBOARD_AUTH_KEY_SECRET="$AUTH_SECRET" \
    SWITCHBOARD_ADMIN_API_KEY="$ADMIN_KEY" ANALYTICS_KEY="$WRITE_KEY" STRIPE_WEBHOOK_SECRET="$STRIPE_SECRET" \
    STORAGE_PROVIDER=s3 S3_BUCKET=switchboard-bench S3_REGION=us-east-1 S3_ENDPOINT="http://127.0.0.1:$s3port" \
    AWS_ACCESS_KEY_ID="$S3_ACCESS" AWS_SECRET_ACCESS_KEY="$S3_SECRET" SWITCHBOARD_SHUTDOWN_GRACE=20s \
    SWITCHBOARD_API_RATE_LIMIT=100000000/s SWITCHBOARD_REFRESH_RATE_LIMIT=100000000/s \
    SWITCHBOARD_SIGN_IN_RATE_LIMIT=100000/s STORAGE_RATE_LIMIT=100000/s ANALYTICS_RATE_LIMIT=100000000/s \
    EMAIL_RATE_LIMIT=5000/s \
    java $JAVA_OPTS -jar "$work/switchboard.jar" >> "$work/instance-$i/output.log" 2>&1 &
  pids[$i]=$!
}

wait_ready() { # index
  local i=$1
  until curl -sf "http://127.0.0.1:${ports[$i]}/actuator/health/readiness" >/dev/null; do
    kill -0 "${pids[$i]}" 2>/dev/null || { tail -n 40 "$work/instance-$i/output.log"; exit 1; }
    sleep 0.1
  done
}

start_nginx() { # count
  local servers=""
  for i in $(seq 0 $(($1 - 1))); do
    servers+="    server 127.0.0.1:${ports[$i]} max_fails=1 fail_timeout=5s;"$'\n'
  done
  rm -rf "$work/nginx"; mkdir -p "$work/nginx"
  python3 - "$work/nginx" "$lbport" "$servers" <<'EOF'
import sys
prefix, port, servers = sys.argv[1], sys.argv[2], sys.argv[3].rstrip("\n")
text = open("src/test/resources/scaleout/nginx.conf").read()
open(prefix + "/nginx.conf", "w").write(
    text.replace("@PREFIX@", prefix).replace("@PORT@", port).replace("@SERVERS@", servers))
EOF
  /usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" > "$work/nginx/output.log" 2>&1 &
  nginx_pid=$!
  other_pids+=("$nginx_pid")
  wait_port "$lbport" || { cat "$work/nginx/output.log" "$work/nginx/error.log"; exit 1; }
}

stop_all() {
  for i in "${!pids[@]}"; do kill "${pids[$i]}" 2>/dev/null || true; wait "${pids[$i]}" 2>/dev/null || true; done
  pids=(); ports=()
  kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true
}

# Accounts (once per schema; 64, so two rounds of logins stay under the per-email limit of 10/min).
prepare_accounts() {
  for a in $(seq 1 64); do
    curl -sf -H 'Content-Type: application/json' -d "{\"email\":\"scale$a@example.com\",\"password\":\"scale password $a\"}" \
      "http://127.0.0.1:$lbport/api/auth/register" >/dev/null
  done
}

# What one wrk run of bench/lib/mixed.lua uses up: fresh refresh tokens (two per connection), an access token,
# signed events with new ids, the keys.
prepare_run() { # events-needed
  local base="http://127.0.0.1:$lbport" data="$work/data"
  rm -rf "$data"; mkdir -p "$data"
  : > "$data/all.txt"
  for n in $(seq 1 $((CONNECTIONS * 2))); do
    login_round=$((login_round + 1))
    a=$(( (login_round - 1) % 64 + 1 ))
    curl -sf -H 'Content-Type: application/json' -d "{\"email\":\"scale$a@example.com\",\"password\":\"scale password $a\"}" \
      "$base/api/auth/login" > "$data/login.json"
    jq -r .refreshToken "$data/login.json" >> "$data/all.txt"
  done
  for t in $(seq 1 "$THREADS"); do
    awk -v t="$t" -v n="$THREADS" '(NR - 1) % n == t - 1' "$data/all.txt" > "$data/tokens-$t.txt"
  done
  jq -r .accessToken "$data/login.json" > "$data/access.txt"
  echo "$ADMIN_KEY" > "$data/api-key.txt"
  echo "Basic $(printf '%s:' "$WRITE_KEY" | base64 -w0)" > "$data/write-key-basic.txt"
  python3 bench/lib/stripe-events.py "$STRIPE_SECRET" "$1" "$THREADS" "$data"
}
login_round=0

mix() { # rate duration -> wrk output
  local pace=$(( CONNECTIONS * 1000 / $1 ))
  PACE_MS=$pace wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --latency -s bench/lib/mixed.lua "http://127.0.0.1:$lbport" -- "$work/data"
}

seconds() { local d=$1; case $d in *m) echo $(( ${d%m} * 60 ));; *s) echo "${d%s}";; *) echo "$d";; esac; }

lbport=$(free_port)
echo "== bench/scaleout.sh $MODE, $(date -u +%FT%TZ), $(nproc) cores"
echo "uptime at start: $(uptime)"
start_s3proxy

if [ "$MODE" = restart ] || [ "$MODE" = all ]; then
  echo; echo "== rolling restart: 3 instances, mixed load paced at ~$RESTART_RATE req/s through nginx"
  new_schema
  for i in 0 1 2; do start_instance "$i"; done
  for i in 0 1 2; do wait_ready "$i"; done
  start_nginx 3
  prepare_accounts
  STRIPE_EVENTS_PER_SECOND=$(( RESTART_RATE / 6 / THREADS + 1 )) prepare_run 200000
  # wrk itself in the background (not a subshell running mix), so that SIGINT below reaches it and it prints its
  # summary. Events are signed ahead with timestamps spread over the run, so none is older than Stripe's 5-minute
  # tolerance when it is sent (restarts can take minutes on a busy machine).
  PACE_MS=$(( CONNECTIONS * 1000 / RESTART_RATE )) wrk -t"$THREADS" -c"$CONNECTIONS" -d15m --latency \
    -s bench/lib/mixed.lua "http://127.0.0.1:$lbport" -- "$work/data" > "$work/restart-wrk.txt" 2>&1 &
  wrk_pid=$!
  other_pids+=("$wrk_pid")
  sleep 10
  for i in 0 1 2; do
    t0=$(date +%s%N)
    kill -TERM "${pids[$i]}"
    wait "${pids[$i]}" 2>/dev/null || true
    t1=$(date +%s%N)
    start_instance "$i"
    wait_ready "$i"
    t2=$(date +%s%N)
    echo "instance $i: SIGTERM to exit $(( (t1 - t0) / 1000000 )) ms, start to ready $(( (t2 - t1) / 1000000 )) ms"
    sleep 5
  done
  sleep 5
  kill -INT "$wrk_pid"; wait "$wrk_pid" 2>/dev/null || true
  grep -E '^mix:|^non-2xx|Requests/sec|requests in|Socket errors|Non-2xx' "$work/restart-wrk.txt" || cat "$work/restart-wrk.txt"
  # Every accepted job must run: wait until the queue is empty (or 3 min).
  for _ in $(seq 1 180); do
    left=$(q "SELECT COUNT(*) FROM jobs WHERE status IN ('ready', 'running')")
    [ "$left" = 0 ] && break
    sleep 1
  done
  emails_accepted=$(awk '/^mix: emails accepted/ {print $4}' "$work/restart-wrk.txt" | tr -d ,)
  events_accepted=$(awk '/^mix: emails accepted/ {print $8}' "$work/restart-wrk.txt")
  echo "jobs left in the queue: $left; by type and status: $(q "SELECT string_agg(type || ' ' || status || ' ' || n, ', ') FROM (SELECT type, status, COUNT(*) n FROM jobs GROUP BY type, status ORDER BY 1, 2) x")"
  echo "emails: accepted (202 seen by wrk) $emails_accepted, stored $(q "SELECT COUNT(*) FROM email_messages"), sent $(q "SELECT COUNT(*) FROM email_messages WHERE status = 'sent'"), sent more than once $(q "SELECT COUNT(*) FROM (SELECT message_id FROM email_message_history WHERE status = 'sent' GROUP BY message_id HAVING COUNT(*) > 1) d")"
  echo "webhook events: accepted (200 seen by wrk) $events_accepted, stored $(q "SELECT COUNT(*) FROM payment_events"), processed $(q "SELECT COUNT(*) FROM payment_events WHERE status = 'ignored'"), processed more than once $(q "SELECT COUNT(*) FROM payment_events WHERE attempts > 1")"
  echo "analytics forward jobs: none configured (no destination); events stored $(q "SELECT COUNT(*) FROM analytics_events")"
  echo "nginx passive checks (connection refused, retried on the next instance): $(grep -c 'failed (111' "$work/nginx/error.log" || true)"
  stop_all
fi

if [ "$MODE" = load ] || [ "$MODE" = all ]; then
  secs=$(seconds "$DURATION")
  for count in 3 1; do
    echo; echo "== load: $count instance(s), mixed load paced at ~$RATE req/s, $CONNECTIONS connections, $DURATION"
    new_schema
    for i in $(seq 0 $((count - 1))); do start_instance "$i"; done
    for i in $(seq 0 $((count - 1))); do wait_ready "$i"; done
    start_nginx "$count"
    prepare_accounts
    prepare_run $(( RATE * 30 / 6 * 12 / 10 ))
    mix "$RATE" 20s > "$work/warmup-$count.txt" 2>&1   # JIT warm-up, not reported
    prepare_run $(( RATE * (secs + 10) / 6 * 12 / 10 ))
    echo "uptime: $(uptime)"
    mix "$RATE" "$DURATION" > "$work/load-$count.txt" 2>&1
    grep -E '^mix:|^non-2xx|Requests/sec|Socket errors|Non-2xx|WARNING' "$work/load-$count.txt"
    stop_all
  done
fi
echo; echo "uptime at end: $(uptime)"
