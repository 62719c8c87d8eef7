#!/usr/bin/env bash
# Measures the storage area of the packaged jar with the local provider, in one run so ratios compare like with
# like: (a) presigned upload URLs per second (POST /api/files/presign: auth, rate-limit rules, policy check, one row
# inserted, HMAC signing) against the no-op GET /api/ping, both with wrk; (b) latency of POST /api/files/{id}/complete
# (HEAD, ranged read, Tika sniff, row update) over COMPLETES sequential uploads of a 64 KiB PNG, p50 and p99.
# Each figure is the median of RUNS runs, a fresh jar and data dir per run.
# Usage: bench/storage.sh [RUNS] [COMPLETES] (defaults 3, 300). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
COMPLETES=${2:-300}
DURATION=${WRK_DURATION:-10s}
CONNECTIONS=${WRK_CONNECTIONS:-32}
KEY=sk_bench_storage_admin_key_0123456789abcdef

command -v wrk >/dev/null || { echo "installing wrk"; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[ -f target/switchboard.jar ] || mvn -q -B package -DskipTests

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }
pct() { sort -n | awk -v p="$1" '{a[NR]=$1} END {i=int((NR*p+99)/100); if (i<1) i=1; printf "%.1f\n", a[i]}'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/presign.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $KEY"
wrk.body = '{"filename":"photo.png","contentType":"image/png","size":65536}'
LUA
# A real PNG header followed by zeros: 64 KiB that Tika recognises as image/png.
python3 - "$work/upload.png" <<'PY'
import sys, struct, zlib
sig = b'\x89PNG\r\n\x1a\n'
ihdr = struct.pack('>IIBBBBB', 1, 1, 8, 6, 0, 0, 0)
chunk = lambda t, d: struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
data = sig + chunk(b'IHDR', ihdr)
open(sys.argv[1], 'wb').write(data + b'\0' * (65536 - len(data)))
PY

presign_rps=(); ping_rps=(); p50s=(); p99s=()
for i in $(seq 1 "$RUNS"); do
  dir="$work/run$i"; mkdir -p "$dir"
  port=$(free_port)
  env -i PATH="$PATH" HOME="$HOME" PORT="$port" SWITCHBOARD_DATA_DIR="$dir/data" \
    SWITCHBOARD_PUBLIC_URL="http://127.0.0.1:$port" SWITCHBOARD_ADMIN_API_KEY="$KEY" \
    SWITCHBOARD_API_RATE_LIMIT=100000000/s STORAGE_RATE_LIMIT=100000000/s \
    java -jar target/switchboard.jar > "$dir/out.log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$dir/out.log"; exit 1; }
    sleep 0.05
  done
  base="http://127.0.0.1:$port"
  # JIT warm-up of both endpoints, then alternate so neither always runs on a warmer JVM.
  wrk -t2 -c"$CONNECTIONS" -d5s -s "$work/presign.lua" "$base/api/files/presign" >/dev/null
  wrk -t2 -c"$CONNECTIONS" -d5s "$base/api/ping" >/dev/null
  for _ in 1 2; do
    presign_rps+=("$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s "$work/presign.lua" "$base/api/files/presign" | awk '/Requests\/sec/ {print $2}')")
    ping_rps+=("$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "$base/api/ping" | awk '/Requests\/sec/ {print $2}')")
  done

  : > "$dir/complete.ms"
  for n in $(seq 1 "$COMPLETES"); do
    presigned=$(curl -sf -X POST "$base/api/files/presign" -H "Authorization: Bearer $KEY" \
      -H 'Content-Type: application/json' -d '{"filename":"b.png","contentType":"image/png","size":65536}')
    id=$(printf '%s' "$presigned" | python3 -c 'import json,sys; print(json.load(sys.stdin)["fileId"])')
    url=$(printf '%s' "$presigned" | python3 -c 'import json,sys; print(json.load(sys.stdin)["uploadUrl"])')
    curl -sf -X PUT "$url" -H 'Content-Type: image/png' --data-binary "@$work/upload.png" >/dev/null
    t=$(curl -sf -o /dev/null -w '%{time_total}' -X POST "$base/api/files/$id/complete" -H "Authorization: Bearer $KEY")
    awk -v t="$t" 'BEGIN {printf "%.3f\n", t*1000}' >> "$dir/complete.ms"
  done
  # The first 10% are warm-up.
  tail -n +"$(( COMPLETES / 10 + 1 ))" "$dir/complete.ms" > "$dir/complete.warm"
  p50s+=("$(pct 50 < "$dir/complete.warm")")
  p99s+=("$(pct 99 < "$dir/complete.warm")")
  kill "$pid"; wait "$pid" 2>/dev/null || true
done

presign=$(printf '%s\n' "${presign_rps[@]}" | median)
ping=$(printf '%s\n' "${ping_rps[@]}" | median)
echo "runs: $RUNS, wrk: 2 threads, $CONNECTIONS connections, $DURATION, loopback, $(nproc) cores, local provider, H2"
echo "POST /api/files/presign (req/s):  median $presign   [${presign_rps[*]}]"
echo "GET /api/ping (req/s):            median $ping   [${ping_rps[*]}]"
awk -v a="$presign" -v b="$ping" 'BEGIN {printf "ratio presign : ping = %.2f\n", a/b}'
echo "complete latency p50 (ms):        median $(printf '%s\n' "${p50s[@]}" | median)   [${p50s[*]}]"
echo "complete latency p99 (ms):        median $(printf '%s\n' "${p99s[@]}" | median)   [${p99s[*]}]"
