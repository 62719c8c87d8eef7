#!/usr/bin/env bash
# Switchboard side by side with Keycloak, the identity server teams would otherwise run, on the same cores in one run:
# Keycloak (keycloak-quarkus-dist from Maven Central, dev mode, on Java 25) and the packaged jar on Java 25 and on
# Java 17, all three started at once and measured alternately with wrk, endpoint by endpoint:
#
#   ping     the cheapest endpoint: Keycloak's management GET /health/live, our GET /api/ping
#   refresh  refresh-token rotation chains (bench/lib/refresh.lua): every request a token no one has used
#   me_new   userinfo / GET /api/auth/me with an access token never presented before (bench/lib/me-new.lua)
#   me       the same, one token repeated
#
# Besides req/s and latency it reads each server's CPU time (user + system, /proc/<pid>/stat) around every phase:
# CPU per request depends less on what else runs on the machine than req/s does.
#
#   bench/keycloak.sh [OUT.json]        # default bench/results/keycloak-<commit>-<time>.json
#
# Keycloak's realm: ES256 access tokens (an ecdsa-generated P-256 key, the realm's default signature algorithm),
# refresh-token rotation (revoke refresh token, max reuse 0), 15-minute access tokens like ours, a public client
# `bench` allowing direct grants. Its refresh chains start from sessions without the `openid` scope, so a refresh
# signs what ours signs (an access and a refresh token, no ID token); the never-seen tokens for userinfo come from a
# second set of chains with `openid` (userinfo requires it), measured as refresh_oidc. Both servers keep their own
# defaults otherwise (Keycloak's dev-file H2 database, ours the H2 file database; our jar with the README's -Xmx512m).
#
# Environment: KEYCLOAK_VERSION (26.4.5), BENCH_CACHE (~/.cache/switchboard-bench: the distribution, outside git),
# BENCH_JAVA25 / BENCH_JAVA17 (found under /usr/lib/jvm), BENCH_SERVERS ("keycloak sb25 sb17"), BENCH_ENDPOINTS
# ("ping refresh me_new me"), BENCH_ROUNDS (2, after a warm-up round), WRK_DURATION (4s), WRK_WARMUP (3s),
# WRK_CONNECTIONS (32), WRK_THREADS (2), BENCH_JAR, BENCH_JAVA_OPTS (-Xmx512m, for our jar).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-}
KC_VERSION=${KEYCLOAK_VERSION:-26.4.5}
CACHE=${BENCH_CACHE:-$HOME/.cache/switchboard-bench}
JAVA25=${BENCH_JAVA25:-$(ls /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)}
JAVA17=${BENCH_JAVA17:-$(ls /usr/lib/jvm/*17*/bin/java 2>/dev/null | head -1)}
SERVERS=${BENCH_SERVERS:-keycloak sb25 sb17}
ENDPOINTS=${BENCH_ENDPOINTS:-ping refresh me_new me}
ROUNDS=${BENCH_ROUNDS:-2}
DURATION=${WRK_DURATION:-4s}
WARMUP=${WRK_WARMUP:-3s}
CONNECTIONS=${WRK_CONNECTIONS:-32}
THREADS=${WRK_THREADS:-2}
export BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx512m}
[ -x "$JAVA25" ] || { echo "no Java 25 under /usr/lib/jvm; set BENCH_JAVA25"; exit 1; }
[ -x "$JAVA17" ] || { echo "no Java 17 under /usr/lib/jvm; set BENCH_JAVA17"; exit 1; }

need() { command -v "$1" >/dev/null || { echo "installing $2"; (apt-get install -y -qq "$2" || { apt-get update -qq && apt-get install -y -qq "$2"; }) >/dev/null; }; }
need wrk wrk; need jq jq; need ss iproute2
[ -f "${BENCH_JAR:-target/switchboard.jar}" ] || mvn -q -B package -DskipTests
. bench/lib/switchboard.sh

# The distribution, once, from Maven Central through Maven (so its settings and mirrors apply).
KC_HOME=$CACHE/keycloak-$KC_VERSION
if [ ! -x "$KC_HOME/bin/kc.sh" ]; then
  mkdir -p "$CACHE"
  echo "fetching org.keycloak:keycloak-quarkus-dist:$KC_VERSION into $CACHE"
  mvn -q -B dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:tar.gz" \
    -DoutputDirectory="$CACHE" -Dmdep.overWriteIfNewer=true
  tar -xzf "$CACHE/keycloak-quarkus-dist-$KC_VERSION.tar.gz" -C "$CACHE"
  rm -f "$CACHE/keycloak-quarkus-dist-$KC_VERSION.tar.gz"
fi

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
raw="$work/raw"; mkdir -p "$raw"
uptime_start=$(uptime)
echo "uptime: $uptime_start"
sessions=$(( (CONNECTIONS + THREADS - 1) / THREADS * THREADS * 2 ))

# --- Keycloak ---------------------------------------------------------------------------------------------------
kc_start() {
  kport=$(free_port); kmgmt=$(free_port); kbase="http://127.0.0.1:$kport"; realm="$kbase/realms/bench"
  rm -rf "$KC_HOME/data"  # a fresh dev database
  local t0; t0=$(date +%s%3N)
  env -i PATH="$PATH" HOME="$HOME" JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$JAVA25")")")" \
    KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
    "$KC_HOME/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port="$kport" --http-management-port="$kmgmt" \
    --health-enabled=true > "$work/keycloak.log" 2>&1 &
  pids+=($!)
  local launcher=$!
  until curl -sf "http://127.0.0.1:$kmgmt/health/ready" >/dev/null; do
    kill -0 "$launcher" 2>/dev/null || { tail -50 "$work/keycloak.log"; exit 1; }
    sleep 0.2
  done
  kc_pid=$(listener_pid "$kport"); pids+=("$kc_pid")
  echo "keycloak $KC_VERSION ready in $(( $(date +%s%3N) - t0 )) ms (pid $kc_pid), RSS $(rss_mib "$kc_pid") MiB"
  local admin users
  admin=$(curl -sf -d grant_type=password -d client_id=admin-cli -d username=admin -d password=admin \
    "$kbase/realms/master/protocol/openid-connect/token" | jq -r .access_token)
  users=$(for u in $(seq 1 16); do
    jq -n --arg u "$u" '{username: ("bench" + $u), email: ("bench" + $u + "@example.com"), emailVerified: true,
      firstName: "Bench", lastName: ("User " + $u), enabled: true,
      credentials: [{type: "password", value: ("bench password " + $u), temporary: false}]}'
  done | jq -s .)
  jq -n --argjson users "$users" '{id: "bench", realm: "bench", enabled: true, sslRequired: "none",
    defaultSignatureAlgorithm: "ES256", revokeRefreshToken: true, refreshTokenMaxReuse: 0, accessTokenLifespan: 900,
    clients: [{clientId: "bench", enabled: true, publicClient: true, directAccessGrantsEnabled: true,
               standardFlowEnabled: false}],
    users: $users}' \
    | curl -sf -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' -d @- "$kbase/admin/realms"
  curl -sf -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d '{"name":"ecdsa-p256","providerId":"ecdsa-generated","providerType":"org.keycloak.keys.KeyProvider",
         "parentId":"bench","config":{"priority":["200"],"ecdsaEllipticCurveKey":["P-256"]}}' \
    "$kbase/admin/realms/bench/components"
  # Check the realm is what the comparison claims: ES256 access tokens, and a used refresh token refused.
  local first second alg
  first=$(kc_login 1 openid)
  alg=$(jq -r .access_token <<<"$first" | python3 -c 'import base64, json, sys
h = sys.stdin.read().split(".")[0]; print(json.loads(base64.urlsafe_b64decode(h + "=" * (-len(h) % 4)))["alg"])')
  [ "$alg" = ES256 ] || { echo "Keycloak signs access tokens with '$alg', not ES256"; exit 1; }
  second=$(curl -sf -d grant_type=refresh_token -d client_id=bench -d "refresh_token=$(jq -r .refresh_token <<<"$first")" \
    "$realm/protocol/openid-connect/token")
  [ -n "$second" ] || { echo "Keycloak refused the first refresh"; exit 1; }
  if curl -sf -o /dev/null -d grant_type=refresh_token -d client_id=bench \
    -d "refresh_token=$(jq -r .refresh_token <<<"$first")" "$realm/protocol/openid-connect/token"; then
    echo "Keycloak accepted a used refresh token: rotation is off"; exit 1
  fi
  kc_access=$(kc_login 2 openid | jq -r .access_token)
  kc_sessions_for "$work/keycloak" ""      # refresh: sessions without openid (no ID token per refresh)
  kc_sessions_for "$work/keycloak" openid  # userinfo needs openid: the never-seen tokens come from these chains
  echo "keycloak realm: ES256, refresh tokens rotate, $(( sessions * (ROUNDS + 1) * 2 )) sessions"
}
kc_login() { # user [scope]
  curl -sf -d grant_type=password -d client_id=bench -d "username=bench$1" -d "password=bench password $1" \
    ${2:+-d scope=$2} "$realm/protocol/openid-connect/token"
}
kc_sessions_for() { # dir scope
  local r d
  for r in $(seq 0 "$ROUNDS"); do
    d="$1/${2:-plain}$r"; mkdir -p "$d"
    seq 1 "$sessions" | awk '{print ($1 - 1) % 16 + 1}' \
      | xargs -P 4 -I{} curl -s -d grant_type=password -d client_id=bench -d username=bench{} \
          -d "password=bench password {}" ${2:+-d scope=$2} "$realm/protocol/openid-connect/token" \
      | jq -r '.refresh_token // empty' > "$d/all.txt"
    [ "$(wc -l < "$d/all.txt")" -eq "$sessions" ] || { echo "Keycloak sign-in failed"; exit 1; }
    split_tokens "$d" "$THREADS"
  done
}

# --- Switchboard ------------------------------------------------------------------------------------------------
declare -A sb_pid sb_base sb_access
sb_up() { # name java
  local port dir=$work/$1
  port=$(free_port)
  sb_start "$dir" "$port" "$2"
  sb_pid[$1]=$SB_PID; pids+=("$SB_PID"); sb_base[$1]="http://127.0.0.1:$port"
  echo "$1 ($("$2" -version 2>&1 | head -1)) ready in $SB_READY_MS ms, RSS $(rss_mib "$SB_PID") MiB"
  sb_access[$1]=$(sb_sessions "${sb_base[$1]}" "$dir" "$ROUNDS" "$CONNECTIONS" "$THREADS")
}

for s in $SERVERS; do
  case $s in
    keycloak) kc_start ;;
    sb25) sb_up sb25 "$JAVA25" ;;
    sb17) sb_up sb17 "$JAVA17" ;;
    *) echo "unknown server $s"; exit 1 ;;
  esac
done
sleep 3
for s in $SERVERS; do
  p=$([ "$s" = keycloak ] && echo "$kc_pid" || echo "${sb_pid[$s]}")
  echo "$s idle_rss_mib $(rss_mib "$p")" >> "$raw/rss.txt"
done

measure() { # server name round pid [wrk args...]: wrk's output and the server's CPU time over the phase
  local s=$1 name=$2 r=$3 pid=$4 c0 c1 d=$DURATION; shift 4
  [ "$r" = 0 ] && d=$WARMUP
  c0=$(cpu_ms "$pid")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$d" --timeout 30s --latency "$@" > "$raw/$s.$name.$r.txt" 2>&1 || true
  c1=$(cpu_ms "$pid")
  echo "server_cpu_ms $((c1 - c0))" >> "$raw/$s.$name.$r.txt"
}
# The repeated token of `me`: the newest one this round's refresh phase minted (access tokens live 15 minutes, and a
# loaded machine can take longer than that to get here), else the one from setting up.
fresh() { local t; t=$(tail -1 "$1/access-1.txt" 2>/dev/null || true); echo "${t:-$2}"; }
phase() { # server endpoint round
  local s=$1 e=$2 r=$3
  if [ "$s" = keycloak ]; then
    local token=/realms/bench/protocol/openid-connect/token userinfo=/realms/bench/protocol/openid-connect/userinfo
    case $e in
      ping) measure "$s" ping "$r" "$kc_pid" "http://127.0.0.1:$kmgmt/health/live" ;;
      refresh) measure "$s" refresh "$r" "$kc_pid" -s bench/lib/refresh.lua "$kbase" -- "$work/keycloak/plain$r" "$token" bench ;;
      me_new)
        measure "$s" refresh_oidc "$r" "$kc_pid" -s bench/lib/refresh.lua "$kbase" -- "$work/keycloak/openid$r" "$token" bench
        measure "$s" me_new "$r" "$kc_pid" -s bench/lib/me-new.lua "$kbase" -- "$work/keycloak/openid$r" "$userinfo" ;;
      me) measure "$s" me "$r" "$kc_pid" -H "Authorization: Bearer $(fresh "$work/keycloak/openid$r" "$kc_access")" "$kbase$userinfo" ;;
    esac
  else
    local b=${sb_base[$s]} p=${sb_pid[$s]}
    case $e in
      ping) measure "$s" ping "$r" "$p" "$b/api/ping" ;;
      refresh) measure "$s" refresh "$r" "$p" -s bench/lib/refresh.lua "$b" -- "$work/$s/round$r" ;;
      me_new) measure "$s" me_new "$r" "$p" -s bench/lib/me-new.lua "$b" -- "$work/$s/round$r" ;;
      me) measure "$s" me "$r" "$p" -H "Authorization: Bearer $(fresh "$work/$s/round$r" "${sb_access[$s]}")" "$b/api/auth/me" ;;
    esac
  fi
}
# Round 0 warms every JIT and is not reported. Within a round each endpoint is measured on every server in turn, so
# the servers of one comparison are seconds apart. Our me_new spends the tokens its refresh phase just minted.
for r in $(seq 0 "$ROUNDS"); do
  for e in $ENDPOINTS; do
    for s in $SERVERS; do phase "$s" "$e" "$r"; done
  done
  echo "round $r done ($(uptime | sed 's/.*load/load/'))"
done
for s in $SERVERS; do
  p=$([ "$s" = keycloak ] && echo "$kc_pid" || echo "${sb_pid[$s]}")
  echo "$s rss_after_mib $(rss_mib "$p")" >> "$raw/rss.txt"
done

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo +dirty)
mkdir -p bench/results
OUT=${OUT:-bench/results/keycloak-$commit-$(date -u +%Y%m%dT%H%M%S).json}
python3 - "$raw" "$OUT" "$commit" "$uptime_start" "$(uptime)" "$KC_VERSION" "$DURATION" "$CONNECTIONS" "$THREADS" "$ROUNDS" <<'PY'
import glob, json, os, re, statistics, sys
raw, out, commit, up0, up1, kc, duration, conns, threads, rounds = sys.argv[1:11]
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}
def ms(v):
    m = re.match(r"([\d.]+)(\w+)", v); return float(m.group(1)) * UNITS[m.group(2)]
runs = {}
for path in glob.glob(os.path.join(raw, "*.txt")):
    parts = os.path.basename(path)[:-4].split(".")
    if len(parts) != 3 or parts[2] == "0":
        continue
    text = open(path).read()
    rps = re.search(r"New-token requests/sec:\s+([\d.]+)", text) or re.search(r"Requests/sec:\s+([\d.]+)", text)
    total = re.search(r"(\d+) requests in", text)
    lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", text, re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    cpu = int(re.search(r"server_cpu_ms (\d+)", text).group(1))
    n = int(total.group(1)) if total else 0
    runs.setdefault(parts[0], {}).setdefault(parts[1], []).append({
        "rps": float(rps.group(1)) if rps else 0.0, "requests": n, "cpu_us_per_request": 1000.0 * cpu / n if n else None,
        "p50_ms": ms(lat["50"]) if "50" in lat else None, "p99_ms": ms(lat["99"]) if "99" in lat else None,
        "non2xx": int(non2xx.group(1)) if non2xx else 0})
rss = {}
for line in open(os.path.join(raw, "rss.txt")):
    s, k, v = line.split(); rss.setdefault(s, {})[k] = int(v)
med = lambda xs: statistics.median(xs) if xs else None
result = {"commit": commit, "keycloak": kc, "uptime_start": up0.strip(), "uptime_end": up1.strip(),
          "wrk": {"duration": duration, "connections": int(conns), "threads": int(threads), "rounds": int(rounds)},
          "cores": os.cpu_count(), "servers": {}}
for s, names in runs.items():
    result["servers"][s] = {"rss": rss.get(s, {})}
    for name, rs in names.items():
        result["servers"][s][name] = {
            "rps": med([r["rps"] for r in rs]), "runs": [r["rps"] for r in rs],
            "p50_ms": med([r["p50_ms"] for r in rs if r["p50_ms"] is not None]),
            "p99_ms": med([r["p99_ms"] for r in rs if r["p99_ms"] is not None]),
            "cpu_us_per_request": med([r["cpu_us_per_request"] for r in rs if r["cpu_us_per_request"] is not None]),
            "non2xx": sum(r["non2xx"] for r in rs)}
S = result["servers"]
print(f"\nKeycloak {kc} vs Switchboard {commit}; wrk -t{threads} -c{conns} -d{duration} x {rounds} rounds, {os.cpu_count()} cores")
print(f"uptime at start: {up0.strip()}\nuptime at end:   {up1.strip()}\n")
order = ["keycloak", "sb25", "sb17"]
servers = [s for s in order if s in S]
print(f"{'path':<13}{'server':<10}{'req/s':>9}{'p50 ms':>8}{'p99 ms':>8}{'CPU us/req':>11}{'non-2xx':>8}")
for name in ["ping", "refresh", "refresh_oidc", "me_new", "me"]:
    for s in servers:
        p = S[s].get(name)
        if p:
            f = lambda v, fmt: fmt % v if v is not None else "-"
            print(f"{name:<13}{s:<10}{p['rps']:>9.0f}{f(p['p50_ms'], '%.2f'):>8}{f(p['p99_ms'], '%.1f'):>8}"
                  f"{f(p['cpu_us_per_request'], '%.1f'):>11}{p['non2xx']:>8}")
for s in servers:
    print(f"{'RSS':<13}{s:<10} idle {S[s]['rss'].get('idle_rss_mib')} MiB, after the runs {S[s]['rss'].get('rss_after_mib')} MiB")
if "keycloak" in S:
    k = S["keycloak"]; result["ratios"] = {}
    print("\nSwitchboard / Keycloak (medians; targets: refresh and me_new >= 2.0x the req/s, ping CPU per request <= 1.5x)")
    for s in servers[1:]:
        r = {}
        for name in ["refresh", "me_new", "me", "ping"]:
            if name in S[s] and name in k and k[name]["rps"]:
                r[name + "_rps"] = S[s][name]["rps"] / k[name]["rps"]
            if name in S[s] and name in k and k[name]["cpu_us_per_request"]:
                r[name + "_cpu_per_request"] = S[s][name]["cpu_us_per_request"] / k[name]["cpu_us_per_request"]
        result["ratios"][s] = r
        print(f"  {s}: " + ", ".join(f"{n} {v:.2f}x" for n, v in r.items()))
os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
json.dump(result, open(out, "w"), indent=1, sort_keys=True)
print(f"\nwritten: {out}")
PY
