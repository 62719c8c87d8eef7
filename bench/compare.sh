#!/usr/bin/env bash
# Compares two bench/all.sh results: the ratio to ping of each path (the figure that survives the machine's load),
# and req/s for reference. Usage: bench/compare.sh BEFORE.json AFTER.json
set -euo pipefail
python3 - "$1" "$2" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
print(f"A: {sys.argv[1]} ({a['commit']}, {a.get('crypto','')}; {a['uptime_start'].split('load')[-1].strip()})")
print(f"B: {sys.argv[2]} ({b['commit']}, {b.get('crypto','')}; {b['uptime_start'].split('load')[-1].strip()})\n")
print(f"{'database':<11}{'path':<9}{'ratio A':>9}{'ratio B':>9}{'B/A':>7}{'req/s A':>10}{'req/s B':>10}{'p99 A':>8}{'p99 B':>8}")
for db in sorted(set(a["databases"]) | set(b["databases"])):
    pa, pb = a["databases"].get(db, {}), b["databases"].get(db, {})
    for name in ["ping", "me", "me_new", "refresh", "webhook", "presign", "email"]:
        x, y = pa.get(name), pb.get(name)
        if not x and not y:
            continue
        f = lambda p, k, fmt: (fmt % p[k]) if p and p.get(k) is not None else "-"
        change = f"{y['ratio'] / x['ratio']:.2f}x" if x and y and x.get("ratio") and y.get("ratio") else "-"
        print(f"{db:<11}{name:<9}{f(x,'ratio','%.3f'):>9}{f(y,'ratio','%.3f'):>9}{change:>7}{f(x,'rps','%.0f'):>10}{f(y,'rps','%.0f'):>10}{f(x,'p99_ms','%.1f'):>8}{f(y,'p99_ms','%.1f'):>8}")
    for k in ["ready_ms", "idle_rss_mib", "rss_after_mib"]:
        print(f"{db:<11}{k:<14}{str(pa.get('start',{}).get(k,'-')):>8}{str(pb.get('start',{}).get(k,'-')):>9}")
PY
