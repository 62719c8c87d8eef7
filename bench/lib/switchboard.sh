# Shared by the benchmark scripts (source it): start the packaged jar with limits that never bind, and make the
# accounts and fresh sessions that refresh chains (bench/lib/refresh.lua) start from.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Server CPU time (user + system) of a process so far, in milliseconds, from /proc/<pid>/stat.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$1/stat"; }
rss_mib() { echo $(( $(ps -o rss= -p "$1") / 1024 )); }

# The process listening on a TCP port (a launcher script's java child, for one).
listener_pid() { ss -Htlnp "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }

# sb_start DIR PORT JAVA [DATABASE_URL]: starts $BENCH_JAR (default target/switchboard.jar) with $BENCH_JAVA_OPTS and
# waits for readiness. SWITCHBOARD_NATIVE_CRYPTO, SWITCHBOARD_JOB_THREADS, SWITCHBOARD_JOB_BATCH and DATABASE_POOL_SIZE
# are passed on when set. Sets SB_PID and SB_READY_MS; the log is DIR/out.log. Uses SB_KEY, SB_SECRET and
# SB_ANALYTICS_KEY (the analytics write key) when set.
sb_start() {
  local dir=$1 port=$2 java=$3 dburl=${4:-}
  local t0; t0=$(date +%s%3N)
  mkdir -p "$dir"
  # Limits that never bind, so the benchmark measures the server, not the 429s.
  env -i PATH="$PATH" HOME="$HOME" PORT="$port" SWITCHBOARD_DATA_DIR="$dir/data" ${dburl:+DATABASE_URL="$dburl"} \
    SWITCHBOARD_PUBLIC_URL="http://127.0.0.1:$port" ${SB_KEY:+SWITCHBOARD_ADMIN_API_KEY="$SB_KEY"} \
    ${SB_SECRET:+STRIPE_WEBHOOK_SECRET="$SB_SECRET"} ${SB_ANALYTICS_KEY:+ANALYTICS_KEY="$SB_ANALYTICS_KEY"} \
    ANALYTICS_RATE_LIMIT=100000000/s SWITCHBOARD_API_RATE_LIMIT=100000000/s SWITCHBOARD_REFRESH_RATE_LIMIT=100000000/s \
    SWITCHBOARD_SIGN_IN_RATE_LIMIT=100000/s STORAGE_RATE_LIMIT=100000000/s EMAIL_RATE_LIMIT=1000000/s \
    ${SWITCHBOARD_NATIVE_CRYPTO:+SWITCHBOARD_NATIVE_CRYPTO="$SWITCHBOARD_NATIVE_CRYPTO"} \
    ${SWITCHBOARD_JOB_THREADS:+SWITCHBOARD_JOB_THREADS="$SWITCHBOARD_JOB_THREADS"} \
    ${SWITCHBOARD_JOB_BATCH:+SWITCHBOARD_JOB_BATCH="$SWITCHBOARD_JOB_BATCH"} \
    ${DATABASE_POOL_SIZE:+DATABASE_POOL_SIZE="$DATABASE_POOL_SIZE"} \
    "$java" ${BENCH_JAVA_OPTS:-} -jar "${BENCH_JAR:-target/switchboard.jar}" > "$dir/out.log" 2>&1 &
  SB_PID=$!
  until curl -sf "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null; do
    kill -0 "$SB_PID" 2>/dev/null || { cat "$dir/out.log"; return 1; }
    sleep 0.05
  done
  SB_READY_MS=$(( $(date +%s%3N) - t0 ))
}

# sb_sessions BASE DIR ROUNDS CONNECTIONS THREADS: for each round 0..ROUNDS two fresh sessions per connection, split
# per wrk thread: DIR/round<r>/tokens-<t>.txt (refresh tokens) and an empty access-<t>.txt that refresh.lua fills.
# Enough accounts that no address signs in more than 8 times (the per-address limit is 10 a minute). Prints one
# access token (for the repeated-token `me`).
sb_sessions() {
  local base=$1 dir=$2 rounds=$3 connections=$4 threads=$5
  local a round sessions=$(( (connections + threads - 1) / threads * threads * 2 ))
  local accounts=$(( (sessions * (rounds + 1) + 7) / 8 ))
  for a in $(seq 1 "$accounts"); do
    curl -sf -H 'Content-Type: application/json' -d "{\"email\":\"bench$a@example.com\",\"password\":\"bench password $a\"}" \
      "$base/api/auth/register" >/dev/null
  done
  for round in $(seq 0 "$rounds"); do
    mkdir -p "$dir/round$round"
    # Two sign-ins at a time (bcrypt is the slow part of one).
    seq 1 "$sessions" | awk -v r="$round" -v s="$sessions" -v n="$accounts" '{print (r * s + $1 - 1) % n + 1}' \
      | xargs -P 2 -I{} curl -s -H 'Content-Type: application/json' \
          -d '{"email":"bench{}@example.com","password":"bench password {}"}' "$base/api/auth/login" \
      | jq -r '.refreshToken // empty' > "$dir/round$round/all.txt"
    [ "$(wc -l < "$dir/round$round/all.txt")" -eq "$sessions" ] || { echo "sign-in failed for round $round" >&2; return 1; }
    split_tokens "$dir/round$round" "$threads"
  done
  curl -sf -H 'Content-Type: application/json' -d '{"email":"bench1@example.com","password":"bench password 1"}' \
    "$base/api/auth/login" | jq -r .accessToken
}

# split_tokens DIR THREADS: DIR/all.txt dealt out to DIR/tokens-<t>.txt, one per wrk thread, and empty access files.
split_tokens() {
  local t
  for t in $(seq 1 "$2"); do
    awk -v t="$t" -v n="$2" '(NR - 1) % n == t - 1' "$1/all.txt" > "$1/tokens-$t.txt"
    : > "$1/access-$t.txt"
  done
}
