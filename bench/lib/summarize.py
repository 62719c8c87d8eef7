#!/usr/bin/env python3
"""Reads the wrk outputs bench/all.sh saved (<db>.<name>.<round>.txt), prints one table and writes the JSON.
Usage: summarize.py RAW_DIR OUT.json COMMIT UPTIME_START UPTIME_END JAVA DURATION CONNECTIONS THREADS ROUNDS CRYPTO"""
import glob, json, os, re, statistics, sys

raw, out, commit, up0, up1, java, duration, conns, threads, rounds, crypto = sys.argv[1:12]
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}

def parse(path):
    text = open(path).read()
    # me-new.lua stops when its new tokens run out and prints its own rate over the time they lasted.
    rps = re.search(r"New-token requests/sec:\s+([\d.]+)", text) or re.search(r"Requests/sec:\s+([\d.]+)", text)
    lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", text, re.M))
    def ms(v):
        m = re.match(r"([\d.]+)(\w+)", v)
        return float(m.group(1)) * UNITS[m.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errs = re.search(r"Socket errors: (.*)", text)
    total = re.search(r"(\d+) requests in", text)
    return {"rps": float(rps.group(1)) if rps else 0.0, "p50_ms": ms(lat["50"]) if "50" in lat else None,
            "p99_ms": ms(lat["99"]) if "99" in lat else None, "requests": int(total.group(1)) if total else 0,
            "non2xx": int(non2xx.group(1)) if non2xx else 0, "socket_errors": errs.group(1) if errs else "",
            "warnings": [l for l in text.splitlines() if l.startswith("WARNING")]}

runs = {}
for path in glob.glob(os.path.join(raw, "*.txt")):
    parts = os.path.basename(path)[:-4].split(".")
    if len(parts) != 3 or parts[2] == "0":
        continue  # start files and the warm-up round
    db, name, rnd = parts
    runs.setdefault(db, {}).setdefault(name, {})[int(rnd)] = parse(path)

result = {"commit": commit, "uptime_start": up0.strip(), "uptime_end": up1.strip(), "java": java, "crypto": crypto.strip(),
          "wrk": {"duration": duration, "connections": int(conns), "threads": int(threads), "rounds": int(rounds)},
          "cores": os.cpu_count(), "databases": {}}
for db, names in sorted(runs.items()):
    start = {}
    sp = os.path.join(raw, db + ".start.txt")
    if os.path.exists(sp):
        t = open(sp).read()
        m = re.search(r"ready in (\d+) ms", t); start["ready_ms"] = int(m.group(1)) if m else None
        for k in ("idle_rss_mib", "rss_after_mib"):
            m = re.search(k + r" (\d+)", t); start[k] = int(m.group(1)) if m else None
    paths = {"start": start}
    pings = {}
    for name, by_round in names.items():
        if name.startswith("ping_before_"):
            pings[name[len("ping_before_"):]] = by_round
    all_ping = [r["rps"] for br in pings.values() for r in br.values()]
    paths["ping"] = {"rps": statistics.median(all_ping) if all_ping else 0,
                     "p50_ms": statistics.median([r["p50_ms"] for br in pings.values() for r in br.values() if r["p50_ms"] is not None] or [0]),
                     "p99_ms": statistics.median([r["p99_ms"] for br in pings.values() for r in br.values() if r["p99_ms"] is not None] or [0]),
                     "ratio": 1.0, "runs": all_ping, "non2xx": sum(r["non2xx"] for br in pings.values() for r in br.values())}
    for name, by_round in names.items():
        if name.startswith("ping_before_"):
            continue
        ratios = [by_round[r]["rps"] / pings[name][r]["rps"] for r in by_round if name in pings and r in pings[name] and pings[name][r]["rps"]]
        rs = [v["rps"] for v in by_round.values()]
        paths[name] = {"rps": statistics.median(rs), "p50_ms": statistics.median([v["p50_ms"] or 0 for v in by_round.values()]),
                       "p99_ms": statistics.median([v["p99_ms"] or 0 for v in by_round.values()]),
                       "ratio": statistics.median(ratios) if ratios else None, "ratios": ratios, "runs": rs,
                       "non2xx": sum(v["non2xx"] for v in by_round.values()),
                       "warnings": sorted({w for v in by_round.values() for w in v["warnings"]})}
    result["databases"][db] = paths

os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
json.dump(result, open(out, "w"), indent=1, sort_keys=True)

ORDER = ["ping", "me", "me_new", "refresh", "webhook", "presign", "email"]
print(f"\ncommit {commit}, {java}, {crypto.strip()}, wrk -t{threads} -c{conns} -d{duration} x {rounds} rounds, {os.cpu_count()} cores")
print(f"uptime at start: {up0.strip()}\nuptime at end:   {up1.strip()}\n")
print(f"{'database':<11}{'path':<12}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>8}{'non-2xx':>9}")
for db, paths in result["databases"].items():
    for name in ORDER + sorted(set(paths) - set(ORDER) - {"start"}):
        if name not in paths:
            continue
        p = paths[name]
        ratio = f"{p['ratio']:.3f}" if p.get("ratio") is not None else "-"
        print(f"{db:<11}{name:<12}{p['rps']:>10.0f}{p['p50_ms']:>9.2f}{p['p99_ms']:>9.2f}{ratio:>8}{p['non2xx']:>9}"
              + ("  " + "; ".join(p.get("warnings", [])) if p.get("warnings") else ""))
    s = paths["start"]
    print(f"{db:<11}start: ready {s.get('ready_ms')} ms, idle RSS {s.get('idle_rss_mib')} MiB, RSS after load {s.get('rss_after_mib')} MiB")
print(f"\nwritten: {out}")
