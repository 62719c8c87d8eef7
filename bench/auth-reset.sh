#!/usr/bin/env bash
# Times POST /api/auth/password-reset for registered and for unknown addresses on the packaged jar: the answers must
# not differ in time, or the endpoint tells a stranger which addresses have accounts. ACCOUNTS registered addresses
# (default 40) get 5 requests each (the per-address limit is 5/h), interleaved at random with as many unknown ones on
# one keep-alive connection after 20 warm-up requests. Prints the medians, p90s and the difference of the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
ACCOUNTS=${ACCOUNTS:-40}
[ -f target/switchboard.jar ] || mvn -q -B package -DskipTests

dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
env -i PATH="$PATH" HOME="$HOME" PORT="$port" SWITCHBOARD_DATA_DIR="$dir/data" \
  SWITCHBOARD_API_RATE_LIMIT=100000000/s SWITCHBOARD_SIGN_IN_RATE_LIMIT=100000/s \
  java -jar target/switchboard.jar > "$dir/out.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
until curl -sf "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null; do
  kill -0 "$pid" 2>/dev/null || { cat "$dir/out.log"; exit 1; }
  sleep 0.1
done
python3 - "$port" "$ACCOUNTS" <<'PY'
import http.client, json, random, statistics, sys, time
port, accounts = int(sys.argv[1]), int(sys.argv[2])
c = http.client.HTTPConnection("127.0.0.1", port)
def post(path, body):
    t0 = time.perf_counter()
    c.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
    r = c.getresponse(); data = r.read()
    if r.status not in (202,):
        sys.exit(f"{path}: {r.status} {data[:200]!r}")
    return (time.perf_counter() - t0) * 1000
for a in range(accounts):
    post("/api/auth/register", {"email": f"reset{a}@example.com", "password": f"reset bench password {a}"})
for i in range(20):
    post("/api/auth/password-reset", {"email": f"warm{i}@example.com"})
known, unknown = [], []
for rnd in range(5):
    order = list(range(accounts)); random.shuffle(order)
    for a in order:
        pair = [(known, f"reset{a}@example.com"), (unknown, f"nobody{rnd}-{a}@example.com")]
        random.shuffle(pair)
        for into, email in pair:
            into.append(post("/api/auth/password-reset", {"email": email}))
def p90(xs): return sorted(xs)[int(0.9 * (len(xs) - 1))]
print(f"registered n={len(known)} median={statistics.median(known):.2f} ms p90={p90(known):.2f} ms")
print(f"unknown    n={len(unknown)} median={statistics.median(unknown):.2f} ms p90={p90(unknown):.2f} ms")
print(f"difference of medians: {statistics.median(known) - statistics.median(unknown):+.2f} ms")
PY
