#!/usr/bin/env bash
# What the CPU does per request on one path: runs the jar with Java Flight Recorder, drives the path with wrk as
# bench/all.sh does, and prints JFR's hot methods and the share of samples by area of the code.
#
#   bench/profile.sh ping|me|me_new|refresh|webhook|webhook_dup|presign|email|track|batch [SECONDS]   # H2; DATABASE_URL=postgresql://... for PostgreSQL
#
# Two phases of SECONDS after a warm-up of BENCH_WARMUP seconds (10): first one without JFR (between two phases of
# GET /api/ping on the same JVM, BENCH_PING_SECONDS each (10), whose CPU per request it is set beside), which gives the server's
# CPU per request from /proc by thread (request threads, job threads, GC, JIT, H2's writer; on PostgreSQL also the
# backends serving this server's connections and PostgreSQL's own writers), the machine's idle share and the group
# commits; then one with JFR, whose request-thread samples split the request threads' CPU by component
# (bench/lib/budget.py: commit, crypto, SQL, group-commit hand-off, body read + JSON, route code, shared stack).
#
# webhook_dup: POST /api/webhooks/stripe, one pre-signed event per wrk thread sent again and again (verified
# duplicates: no row written), as bench/all.sh's webhook_dup.
# me: GET /api/auth/me with one access token repeated (a verified-token cache hit, as bench/all.sh's me).
# me_new: GET /api/auth/me, every access token never presented before (full ES256 verification), as bench/all.sh's
# me_new: refresh chains (bench/lib/refresh.lua) mint the tokens first for BENCH_MINT_SECONDS (default 4 x SECONDS,
# not recorded), then bench/lib/me-new.lua spends them with the recording on; it stops when they run out, and the CPU
# figure is per answer counted by the script.
# track: single POST /v1/track calls (bench/analytics-ingest.lua), each event with its own messageId.
# batch: POST /v1/batch with 100 such events a request; the CPU figure is then per event.
# presign: POST /api/files/presign with an API key, as bench/all.sh sends it.
# email: POST /api/email/send with an API key, one welcome mail, as bench/all.sh sends it (the dev outbox sends the
# queued mails on the job threads meanwhile: "samples by thread" tells them from the requests).
# BENCH_JAVA picks the JVM that runs the jar (default java).
#
# BENCH_JFR_SAMPLING=max samples every 1 ms instead of JFR's 10 ms (more samples for short runs; more overhead).
#
# Needs a JDK 21+ `jfr` for `jfr view` (BENCH_JFR, default the Java 25 on the build machines).
set -euo pipefail
cd "$(dirname "$0")/.."
WHAT=${1:?ping, me, me_new, refresh, webhook, webhook_dup, presign, email, track or batch}
SECS=${2:-20}
JAR=${BENCH_JAR:-target/switchboard.jar}
JFR=${BENCH_JFR:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr}
JCMD=$(dirname "$(readlink -f "$(command -v "${BENCH_JAVA:-java}")")")/jcmd
SECRET=whsec_bench_all_0123456789abcdef0123456789
KEY=wk_bench_0123456789abcdef
ADMIN_KEY=sk_bench_all_admin_key_0123456789abcdef0123
work=$(mktemp -d); pid=""; schema=""
# PostgreSQL: a fresh schema per run (tables left by an earlier run would hold another run's signing keys).
if [ -n "${DATABASE_URL:-}" ]; then
  schema="profile_$(date +%s)_$RANDOM"
  psql "$DATABASE_URL" -qc "create schema $schema" >/dev/null
  DATABASE_URL="$DATABASE_URL?currentSchema=$schema"
fi
trap '[ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }; [ -n "$schema" ] && { sleep 1; PGOPTIONS=--client-min-messages=warning psql "${DATABASE_URL%%\?*}" -qc "drop schema $schema cascade" >/dev/null; }; rm -rf "$work" || true' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
env -i PATH="$PATH" HOME="$HOME" PORT="$port" SWITCHBOARD_DATA_DIR="$work/data" ${DATABASE_URL:+DATABASE_URL="$DATABASE_URL"} \
  STRIPE_WEBHOOK_SECRET="$SECRET" ANALYTICS_KEY="$KEY" SWITCHBOARD_ADMIN_API_KEY="$ADMIN_KEY" STORAGE_RATE_LIMIT=100000000/s \
  SWITCHBOARD_PUBLIC_URL="$base" EMAIL_RATE_LIMIT=1000000/s ANALYTICS_RATE_LIMIT=100000000/s SWITCHBOARD_API_RATE_LIMIT=100000000/s SWITCHBOARD_REFRESH_RATE_LIMIT=100000000/s \
  SWITCHBOARD_SIGN_IN_RATE_LIMIT=100000/s ${SWITCHBOARD_NATIVE_CRYPTO:+SWITCHBOARD_NATIVE_CRYPTO="$SWITCHBOARD_NATIVE_CRYPTO"} \
  ${SWITCHBOARD_JOB_THREADS:+SWITCHBOARD_JOB_THREADS="$SWITCHBOARD_JOB_THREADS"} ${SWITCHBOARD_JOB_BATCH:+SWITCHBOARD_JOB_BATCH="$SWITCHBOARD_JOB_BATCH"} \
  ${DATABASE_POOL_SIZE:+DATABASE_POOL_SIZE="$DATABASE_POOL_SIZE"} \
  "${BENCH_JAVA:-java}" -XX:FlightRecorderOptions:stackdepth=160 ${BENCH_JAVA_OPTS:-} -jar "$JAR" > "$work/out.log" 2>&1 &
pid=$!
until curl -sf "$base/actuator/health/readiness" >/dev/null; do kill -0 "$pid" || { cat "$work/out.log"; exit 1; }; sleep 0.1; done
# JFR's first start in a running JVM throws away most of its compiled code (~8,000-10,000 methods made not entrant
# within a second, Java 17): started first here, before the warm-up, the recorded phase below does not begin by
# compiling everything again.
"$JCMD" "$pid" JFR.start name=init >/dev/null && "$JCMD" "$pid" JFR.stop name=init >/dev/null
if [ "$WHAT" = refresh ] || [ "$WHAT" = me_new ]; then
  # 64 accounts, each signed in once per phase: four sign-ins an account stay under the fixed 10 a minute per email.
  for a in $(seq 1 64); do curl -sf -H 'Content-Type: application/json' -d "{\"email\":\"p$a@example.com\",\"password\":\"profile password $a\"}" "$base/api/auth/register" >/dev/null; done
  for r in warm rewarm measure run; do
    mkdir -p "$work/$r"; : > "$work/$r/all.txt"
    for a in $(seq 1 64); do
      curl -sf -H 'Content-Type: application/json' -d "{\"email\":\"p$a@example.com\",\"password\":\"profile password $a\"}" "$base/api/auth/login" | jq -r .refreshToken >> "$work/$r/all.txt"
    done
    for t in 1 2; do awk -v t=$t '(NR - 1) % 2 == t - 1' "$work/$r/all.txt" > "$work/$r/tokens-$t.txt"; : > "$work/$r/access-$t.txt"; done
  done
  warm=(-s bench/lib/refresh.lua "$base" -- "$work/warm"); run=(-s bench/lib/refresh.lua "$base" -- "$work/run")
  measure=(-s bench/lib/refresh.lua "$base" -- "$work/measure"); rewarm=(-s bench/lib/refresh.lua "$base" -- "$work/rewarm")
  if [ "$WHAT" = me_new ]; then
    # Mint the tokens first: the refresh chains of each set (not recorded), then me_new spends them.
    for r in warm rewarm measure run; do wrk -t2 -c32 -d"${BENCH_MINT_SECONDS:-$((4 * SECS))}s" -s bench/lib/refresh.lua "$base" -- "$work/$r" >/dev/null; done
    echo "new tokens minted: $(cat "$work"/run/access-*.txt | wc -l) for the recorded phase"
    warm=(-s bench/lib/me-new.lua "$base" -- "$work/warm"); run=(-s bench/lib/me-new.lua "$base" -- "$work/run")
    measure=(-s bench/lib/me-new.lua "$base" -- "$work/measure"); rewarm=(-s bench/lib/me-new.lua "$base" -- "$work/rewarm")
  fi
elif [ "$WHAT" = track ] || [ "$WHAT" = batch ]; then
  warm=(-s bench/analytics-ingest.lua "$base" -- "$WHAT" "$KEY"); run=("${warm[@]}")
elif [ "$WHAT" = presign ]; then
  export BENCH_KEY=$ADMIN_KEY BENCH_BODY='{"filename":"photo.png","contentType":"image/png","size":65536}'
  warm=(-s bench/lib/post.lua "$base/api/files/presign"); run=("${warm[@]}")
elif [ "$WHAT" = email ]; then
  export BENCH_KEY=$ADMIN_KEY BENCH_BODY='{"template":"welcome","to":"ann@example.com","variables":{"name":"Ann","verifyUrl":"https://app.example.com/verify"}}'
  warm=(-s bench/lib/post.lua "$base/api/email/send"); run=("${warm[@]}")
elif [ "$WHAT" = me ]; then
  curl -sf -H 'Content-Type: application/json' -d '{"email":"me@example.com","password":"profile password me"}' "$base/api/auth/register" >/dev/null
  access=$(curl -sf -H 'Content-Type: application/json' -d '{"email":"me@example.com","password":"profile password me"}' "$base/api/auth/login" | jq -r .accessToken)
  warm=(-H "Authorization: Bearer $access" "$base/api/auth/me"); run=("${warm[@]}")
elif [ "$WHAT" = ping ]; then
  warm=("$base/api/ping"); run=("$base/api/ping")
elif [ "$WHAT" = webhook_dup ]; then
  mkdir -p "$work/same"; python3 bench/lib/stripe-events.py "$SECRET" 2 2 "$work/same"
  warm=(-s bench/lib/webhook.lua "$base" -- "$work/same" same); run=("${warm[@]}")
else
  for r in warm rewarm measure run; do
    mkdir -p "$work/$r"; python3 bench/lib/stripe-events.py "$SECRET" $((20000 * (SECS > ${BENCH_WARMUP:-10} ? SECS : ${BENCH_WARMUP:-10}))) 2 "$work/$r"
  done
  warm=(-s bench/lib/webhook.lua "$base" -- "$work/warm"); run=(-s bench/lib/webhook.lua "$base" -- "$work/run")
  measure=(-s bench/lib/webhook.lua "$base" -- "$work/measure"); rewarm=(-s bench/lib/webhook.lua "$base" -- "$work/rewarm")
fi
[ -n "${measure+x}" ] || measure=("${run[@]}")
[ -n "${rewarm+x}" ] || rewarm=("${warm[@]}")
wrk -t2 -c32 -d"${BENCH_WARMUP:-10}s" "${warm[@]}" >/dev/null
# The unrecorded phase: CPU by thread from /proc (and PostgreSQL's processes serving this server), for budget.py.
# Per thread: CPU ticks (user + system), from schedstat the nanoseconds on a CPU and waiting in a run queue, then the
# system ticks alone.
threads() {
  for t in /proc/"$pid"/task/*; do
    echo "${t##*/} $(sed 's/.*) //' "$t/stat" 2>/dev/null | awk '{print $12 + $13}') $(cut -d' ' -f1,2 "$t/schedstat" 2>/dev/null) $(sed 's/.*) //' "$t/stat" 2>/dev/null | awk '{print $13}')"
  done | awk 'NF == 5'
}
pg_ports=""
[ -z "$schema" ] || pg_ports=" $(ss -Htnp "dport = :5432" | grep "pid=$pid," | awk '{n = split($4, a, ":"); printf "%s ", a[n]}')"
pg() { # kind ticks: the backends serving this server's connections, and PostgreSQL's own writers (shared by all clients)
  ps -u postgres -o pid=,args= | while read -r p args; do
    if [[ $args =~ 127\.0\.0\.1\(([0-9]+)\) ]]; then
      [[ $pg_ports == *" ${BASH_REMATCH[1]} "* ]] || continue
      k="backends_of_this_server's_connections"
    elif [[ $args =~ (checkpointer|background\ writer|walwriter|autovacuum) ]]; then
      k="${BASH_REMATCH[1]// /_}_(whole_server,_shared)"
    else continue; fi
    echo "$k $(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}')"
  done | awk 'NF == 2'
}
groups() { curl -sf "$base/actuator/prometheus" | awk '/^switchboard_db_group_size_count/ {c += $NF} /^switchboard_db_group_size_sum/ {s += $NF} END {print c + 0, s + 0}'; }
# Ping on the same JVM just before and just after the measured phase: the path's CPU is set beside these, so the
# ratio does not span minutes of a machine whose speed moves with its neighbours.
ping_us() { # its wrk output is kept in $work/ping-$1.txt
  local c0 c1 n
  c0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  n=$(wrk -t2 -c32 -d"${BENCH_PING_SECONDS:-10}s" "$base/api/ping" | tee "$work/ping-$1.txt" | awk '/requests in/ {print $1}')
  c1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  awk -v c=$((c1 - c0)) -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", c * 1e6 / hz / n}'
}
wrk -t2 -c32 -d5s "$base/api/ping" >/dev/null
ping_before=$(ping_us before)
# The path again before it is measured: code compiled while only pings ran is recompiled for the path's requests
# (a POST with a body), and that compilation would otherwise land in the measured phase.
wrk -t2 -c32 -d5s "${rewarm[@]}" >/dev/null
g0=$(groups); head -1 /proc/stat > "$work/stat-0.txt"; threads > "$work/threads-0.txt"; [ -z "$pg_ports" ] || pg > "$work/pg-0.txt"
p0=$(awk '{print $14 + $15}' "/proc/$pid/stat"); t0=$(date +%s%N)
wrk -t2 -c32 -d"${SECS}s" "${measure[@]}" > "$work/measure.txt"
t1=$(date +%s%N); p1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
threads > "$work/threads-1.txt"; head -1 /proc/stat > "$work/stat-1.txt"; [ -z "$pg_ports" ] || pg > "$work/pg-1.txt"; g1=$(groups)
"$JCMD" "$pid" Thread.print > "$work/names.txt"
ping_after=$(ping_us after)
# Threads that ended during the phase are in the process's total, not in any thread's.
echo "ended $(( (p1 - p0) - $(awk '{s += $2} END {print s}' "$work/threads-1.txt") + $(awk '{s += $2} END {print s}' "$work/threads-0.txt") ))" > "$work/ended.txt"
awk -v wall="$(( (t1 - t0) / 1000000 ))" -v g="$g0 $g1" '
  /requests in/ {n = $1} /^New-token requests/ {n = substr($4, 2)}
  /^ +Latency/ {l = $2; f = l ~ /us$/ ? 0.001 : l ~ /ms$/ ? 1 : 1000; sub(/[a-z]+$/, "", l); lat = l * f}
  END {printf "wall %.3f\nrequests %d\nlatency_ms %.2f\nconnections 32\ngroups %s\n", wall / 1000, n, lat, g}' "$work/measure.txt" > "$work/phase.txt"
echo "ping_us $ping_before $ping_after" >> "$work/phase.txt"
[ "$WHAT" != batch ] || echo "per 100" >> "$work/phase.txt"
grep -E "Requests/sec|Non-2xx" "$work/measure.txt" | sed 's/^/unrecorded phase: /'
cpu0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
"$JCMD" "$pid" JFR.start name=p settings=profile ${BENCH_JFR_SAMPLING:+method-profiling=$BENCH_JFR_SAMPLING} filename="$work/p.jfr" >/dev/null
wrk -t2 -c32 -d"${SECS}s" --latency "${run[@]}" | tee "$work/wrk.txt" | grep -E "Requests/sec|Non-2xx|50%|99%|New-token"
"$JCMD" "$pid" JFR.stop name=p >/dev/null
cpu1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
per=1; unit=request; [ "$WHAT" = batch ] && per=100 && unit=event
# me_new counts its own answers ("New-token requests/sec: X (N answers in ...)"): wrk's total includes a few sent
# with a spent token once a thread's new ones ran out.
awk -v c=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" -v per=$per -v unit=$unit '
  /requests in/ {n = $1} /^New-token requests/ {n = substr($4, 2)}
  END {printf "server CPU per %s: %.1f us (JFR on)\n", unit, c * 1e6 / hz / (n * per)}' "$work/wrk.txt"
echo "--- hot methods (top of stack) ---"
"$JFR" view --width 160 hot-methods "$work/p.jfr" | head -30
cp "$work/p.jfr" "${BENCH_JFR_OUT:-/tmp/profile-$WHAT.jfr}"
"$JFR" print --stack-depth 160 --events jdk.ExecutionSample "$work/p.jfr" > "$work/samples.txt"
python3 bench/lib/budget.py "$work" "$WHAT" "$([ -n "$schema" ] && echo postgresql || echo h2)"
echo "--- samples by thread (request threads, the job worker's claim loop, job threads, H2's own) ---"
"$JFR" print --stack-depth 64 --events jdk.ExecutionSample "$work/p.jfr" | python3 bench/lib/jfr-threads.py
echo "--- request threads only, by what the request is doing ---"
"$JFR" print --stack-depth 160 --events jdk.ExecutionSample "$work/p.jfr" | python3 bench/lib/jfr-request-areas.py
echo "--- samples by what the thread is doing (whole stack, first match in this order) ---"
"$JFR" print --stack-depth 64 --events jdk.ExecutionSample "$work/p.jfr" | python3 -c '
import re, sys, collections
areas = [("job worker (background processing)", r"dev\.switchboard\.platform\.jobs\.(JobWorker|JobRunner)"),
         ("store write after commit (H2 CHECKPOINT)", r"dev\.switchboard\.platform\.db\.DurableCommits\.awaitStoreWrite"),
         ("ES256 / HMAC / crypto", r"(nimbusds\.jose\.crypto|corretto|sun\.security\.ec|javax\.crypto\.Mac)"),
         ("SQL on H2", r"org\.h2\."), ("SQL on PostgreSQL (driver)", r"org\.postgresql"), ("Hikari pool", r"com\.zaxxer"),
         ("analytics store (ours, outside the driver)", r"dev\.switchboard\.analytics\.JdbcAnalyticsEventStore"),
         ("analytics ingest (ours)", r"dev\.switchboard\.analytics\.(AnalyticsIngest|TrackingMessages|IpTruncation|BotFilter|Campaigns|WriteKeys)"),
         ("JSON", r"(jackson|tools\.jackson|gson)"), ("servlet filters (ours)", r"dev\.switchboard\.platform\.(http|ratelimit|apikeys)"),
         ("metrics (Micrometer observation)", r"io\.micrometer"), ("logging", r"(ch\.qos\.logback|org\.slf4j)"),
         ("Tomcat / HTTP", r"org\.apache\.(tomcat|coyote|catalina)"), ("Spring MVC", r"org\.springframework")]
counts = collections.Counter(); total = 0
for block in sys.stdin.read().split("jdk.ExecutionSample")[1:]:
    total += 1
    frames = re.findall(r"^\s+([\w.$<>]+)\(", block, re.M)
    for name, pat in areas:
        if any(re.search(pat, f) for f in frames):
            counts[name] += 1; break
    else:
        counts["other (JDK)"] += 1
for k, v in counts.most_common():
    print(f"{k:<44}{100.0 * v / max(total, 1):6.1f} %")
print(f"samples: {total}")'
