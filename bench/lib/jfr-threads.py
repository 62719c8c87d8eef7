#!/usr/bin/env python3
"""Share of JFR execution samples by thread kind, from `jfr print --events jdk.ExecutionSample` on stdin."""
import collections, re, sys

kinds = [("request threads (Tomcat)", r"^http-nio-"), ("job worker loop (claims, leases)", r"^job-worker-"),
         ("job threads (handlers)", r"^job-"), ("H2 store writer / serialization", r"^(H2|MVStore)")]
counts = collections.Counter(); total = 0
for name in re.findall(r'sampledThread = "([^"]+)"', sys.stdin.read()):
    total += 1
    counts[next((k for k, p in kinds if re.search(p, name)), "other")] += 1
for k, v in counts.most_common():
    print(f"{k:<44}{100.0 * v / max(total, 1):6.1f} %")
