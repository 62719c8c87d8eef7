#!/usr/bin/env python3
"""bench/budget.sh's table from the "BUDGET ..." lines of bench/lib/budget.py on stdin: per path and database, its CPU
per request beside ping's on the same JVM (the mean of a ping phase before and one after), and the budget its ratio
target allows (ping's CPU / target), by component."""
import sys

# Ratio to ping in the same run that each path must reach (issue 15; issue 11 for track). webhook_dup has none: a
# verified duplicate writes no row, so its ratio bounds webhook's.
TARGETS = {"webhook:h2": 0.70, "webhook:postgresql": 0.50, "presign:h2": 0.50, "presign:postgresql": 0.50,
           "refresh:h2": 0.30, "refresh:postgresql": 0.30, "track:h2": 0.50, "track:postgresql": 0.50}
WAIT = ("lat_us", "oncpu_us", "runnable_us", "parked_us", "ping_lat_us")
SKIP = {"path", "db", "total", "pg", "ping", "request", "rate", "cores", "idle", *WAIT}
rows = [dict(kv.split("=", 1) for kv in line.split()[1:]) for line in sys.stdin if line.startswith("BUDGET")]
for r in rows:
    total = float(r["total"]) + float(r["pg"])
    p = float(r["ping"])  # GET /api/ping on the same JVM, around the path's phase
    t = TARGETS.get(r["path"] + ":" + r["db"])
    budget = f"{p / t:.0f} us" if p and t else "-"
    ratio = f"{p / total:.2f}" if p else "-"
    print(f"\n{r['path']} on {r['db']}: {total:.1f} us CPU a request (server {r['total']}, PostgreSQL {r['pg']}), "
          f"ping {p or 0:.1f} -> CPU ratio {ratio}; target {t or '-'} -> budget {budget}; "
          f"{r['rate']}/s unrecorded, {r['cores']} cores, machine idle {r['idle']} %")
    jit = float(r.get("jit_compilers", 0))
    print(f"  without the JIT compilers (still compiling on a loaded machine): {total - jit:.1f} us, CPU ratio "
          f"{p / (total - jit):.2f}" if p else "")
    if "lat_us" in r:
        print(f"  mean latency {r['lat_us']} us at 32 connections: on a CPU {r['oncpu_us']}, runnable without a CPU "
              f"{r['runnable_us']}, parked or in the client {r['parked_us']} (ping on this JVM: {r['ping_lat_us']} us)")
    for k, v in r.items():
        if k not in SKIP and float(v) >= 0.5:
            print(f"  {k.replace('_', ' '):<72}{float(v):8.1f}")
