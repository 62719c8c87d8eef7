#!/usr/bin/env python3
"""CPU per request by component for one measured phase (bench/profile.sh writes the inputs).

    budget.py WORKDIR PATH DB

WORKDIR holds: threads-0.txt / threads-1.txt (per-thread CPU of the server before and after the phase: "tid ticks"),
names.txt (`jcmd PID Thread.print` after the phase: tid -> Java thread name), pg-0.txt / pg-1.txt (PostgreSQL
processes serving the server's connections and PostgreSQL's own background processes, "kind ticks"; absent on H2),
stat-0.txt / stat-1.txt (/proc/stat's cpu line), phase.txt (wall seconds, requests, requests counted per request,
wrk's output of the phase and of the ping phases, group-size count and sum before and after), samples.txt (`jfr print --events
jdk.ExecutionSample` of a JFR recording of the same path right after the phase).

The thread CPU comes from the unrecorded phase (no JFR overhead); the request threads' CPU is split by the JFR
samples of those threads in the recorded phase. Prints a table and one line "BUDGET path db total=... comp=..." that
bench/budget.sh reads.
"""
import collections, os, re, sys

work, path, db = sys.argv[1], sys.argv[2], sys.argv[3]
HZ = os.sysconf("SC_CLK_TCK")


def ticks(name, col=1):
    """Column col of a "key value..." file, summed per key (threads-*.txt: 1 CPU ticks, 2 ns on a CPU, 3 ns runnable)."""
    out = {}
    with open(os.path.join(work, name)) as f:
        for line in f:
            parts = line.split()
            if len(parts) > col:
                out[parts[0]] = out.get(parts[0], 0) + int(parts[col])
    return out


def little_latency_ms(name, connections=32):
    """Mean time a request is outstanding, from wrk's count and duration (Little's law over its closed loop of
    connections: a connection sends its next request when the answer arrives)."""
    m = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)\b", open(os.path.join(work, name)).read())
    secs = float(m.group(2)) * {"ms": 0.001, "s": 1, "m": 60}[m.group(3)]
    return connections * secs * 1e3 / int(m.group(1))


# Thread kinds, by Java thread name (the kernel's comm is cut at 15 characters: "http-nio-34567-" is both an
# exec thread and the poller).
KINDS = [("request threads (Tomcat exec)", r"^http-nio-.*-exec-"), ("Tomcat poller / acceptor", r"^http-nio-"),
         ("job worker loop (claims)", r"^job-worker-"), ("job threads (handlers)", r"^job-"),
         ("H2 background writer", r"^(H2|MVStore)"), ("GC", r"^(GC Thread|G1 |VM Thread|VM Periodic)"),
         ("JIT compilers", r"^C[12] CompilerThre"), ("Hikari housekeeping", r"^HikariPool")]
names = {}
with open(os.path.join(work, "names.txt")) as f:
    for m in re.finditer(r'^"([^"]+)".*?nid=(0x[0-9a-f]+|\d+)', f.read(), re.M):
        nid = m.group(2)
        names[str(int(nid, 16) if nid.startswith("0x") else int(nid))] = m.group(1)
t0, t1 = ticks("threads-0.txt"), ticks("threads-1.txt")
phase = dict(line.split(None, 1) for line in open(os.path.join(work, "phase.txt")).read().splitlines())
wall, n, per = float(phase["wall"]), int(phase["requests"]), int(phase.get("per", "1"))
units = n * per
us = lambda t: t * 1e6 / HZ / max(units, 1)
kind_ticks = collections.Counter()
for tid, v in t1.items():
    d = v - t0.get(tid, 0)
    if d > 0:
        name = names.get(tid, "exited")
        kind_ticks[next((k for k, p in KINDS if re.search(p, name)), "other: " + re.sub(r"[-#]?\d+$", "", name))] += d
# The small "other: x" lines folded into one.
folded = collections.Counter()
for k, v in kind_ticks.items():
    folded[k if not k.startswith("other: ") or us(v) >= 2 else "other threads"] += v
kind_ticks = folded
ended = int(open(os.path.join(work, "ended.txt")).read().split()[1])
if ended > 0:
    kind_ticks["threads that ended during the phase"] += ended
total_ticks = sum(kind_ticks.values())

# Request threads' samples by component: the first rule (in this order) that any frame of the stack matches.
RULES = [
    ("commit (store write / WAL flush)", r"DurableCommits\.awaitStoreWrite|TransactionManager\.(processCommit|doCommit)$|(JdbcConnection|PgConnection|ProxyConnection)\.commit$|FileChannelImpl\.force|FileDispatcherImpl\.force"),
    ("crypto (HMAC, ES256, SHA-256)", r"^(com\.amazon\.corretto|sun\.security\.|javax\.crypto\.|com\.nimbusds\.jose\.crypto|java\.security\.|dev\.switchboard\.platform\.crypto\.)"),
    ("SQL, pool, DB engine (in process)", r"^(org\.h2\.|org\.postgresql\.|com\.zaxxer\.|org\.springframework\.jdbc\.|org\.springframework\.transaction\.)|\.Jdbc\w+Store\."),
    ("group-commit queue and hand-off", r"\.GroupCommit\.|LockSupport\.(un)?park"),
    ("body read + JSON", r"^(tools\.jackson|com\.fasterxml|com\.nimbusds\.jose\.shaded\.gson|com\.google\.gson)|RequestBytes\.|CachedBodyRequest\.|CoyoteInputStream\.|InputBuffer\.read|MessageConverters"),
]


def rest(frames):
    at = next((i for i, f in enumerate(frames) if "springframework.web.servlet.DispatcherServlet" in f), None)
    if at is not None and any(f.startswith("dev.switchboard") for f in frames[:at]):
        return "route and service code (ours, the rest)"
    return "shared stack (Tomcat, filters, MVC, answer)"


comp = collections.Counter(); nreq = 0; nall = 0
txt = open(os.path.join(work, "samples.txt")).read()
for b in txt.split("jdk.ExecutionSample")[1:]:
    nall += 1
    m = re.search(r'sampledThread = "([^"]+)"', b)
    if not m or not re.search(r"^http-nio-.*-exec-", m.group(1)):
        continue
    nreq += 1
    frames = re.findall(r"^\s+([\w.$<>]+)\(", b, re.M)
    for name, p in RULES:
        if any(re.search(p, f) for f in frames):
            comp[name] += 1
            break
    else:
        comp[rest(frames)] += 1

req_us = us(kind_ticks.get("request threads (Tomcat exec)", 0))
# With the system ticks per thread (a fifth column), the request threads' kernel time (socket and file writes, wake-ups
# of parked threads and of the poller) is a component of its own and the JFR samples (Java code only) split the user
# time. Native code in user mode (the native crypto provider's signatures) is in the user time but not in JFR's Java
# samples: what it costs is spread over the other components.
sys_us = 0.0
if len(open(os.path.join(work, "threads-1.txt")).readline().split()) >= 5:
    s0, s1 = ticks("threads-0.txt", 4), ticks("threads-1.txt", 4)
    sys_us = us(sum(s1[t] - s0.get(t, 0) for t in s1 if re.search(r"^http-nio-.*-exec-", names.get(t, ""))))
unit = "event" if per > 1 else "request"
print(f"--- CPU per {unit} by component ({path}, {db}; {units} {unit}s in {wall:.1f} s, {units / wall:.0f}/s) ---")
rows = []
if sys_us:
    rows.append(("  request threads: kernel (socket and file writes, wake-ups)", sys_us))
for name in [r[0] for r in RULES] + ["route and service code (ours, the rest)", "shared stack (Tomcat, filters, MVC, answer)"]:
    if comp[name]:
        rows.append((f"  request threads: {name}", (req_us - sys_us) * comp[name] / max(nreq, 1)))
for k, v in kind_ticks.most_common():
    if k != "request threads (Tomcat exec)":
        rows.append((k, us(v)))
pg_total = 0.0
if os.path.exists(os.path.join(work, "pg-0.txt")):
    p0, p1 = ticks("pg-0.txt"), ticks("pg-1.txt")
    for k in sorted(p1):
        d = p1[k] - p0.get(k, 0)
        rows.append((f"PostgreSQL: {k.replace('_', ' ')}", us(d)))
        pg_total += us(d)
print(f"{'request threads (all)':<62}{req_us:8.1f} us   ({nreq} JFR samples of {nall})")
for name, v in rows:
    print(f"{name:<62}{v:8.1f} us")
server = us(total_ticks)
print(f"{'server process total':<62}{server:8.1f} us")
pings = [float(x) for x in phase.get("ping_us", "0 0").split()]
ping = sum(pings) / len(pings)
print(f"{'GET /api/ping on the same JVM, before / after the phase':<62}{pings[0]:8.1f} / {pings[1]:.1f} us")
if pg_total:
    print(f"{'server + PostgreSQL':<62}{server + pg_total:8.1f} us")

# Wall clock vs CPU: cores the process used, the machine's idle share, and what 32 connections' latency would be if
# the server only queued for CPU.
s0 = [int(x) for x in open(os.path.join(work, "stat-0.txt")).read().split()[1:]]
s1 = [int(x) for x in open(os.path.join(work, "stat-1.txt")).read().split()[1:]]
ds = [b - a for a, b in zip(s0, s1)]
idle = (ds[3] + ds[4]) / max(sum(ds), 1)
cores = total_ticks / HZ / wall
print(f"--- wall clock vs CPU ---")
print(f"server used {cores:.2f} cores; machine idle {100 * idle:.0f} % (iowait incl.)")
# Where a request's wall time goes: on a CPU and runnable without one (the request threads' schedstat, per request),
# and the rest (parked: the group commit's wait, the store write or WAL flush, locks; and the client and the network,
# which ping pays too). Ping's split on the same JVM is the reference for the rest.
REQ = r"^http-nio-.*-exec-"
def sched_split(latency_ms):
    run0, run1, wait0, wait1 = ticks("threads-0.txt", 2), ticks("threads-1.txt", 2), ticks("threads-0.txt", 3), ticks("threads-1.txt", 3)
    req = [tid for tid in run1 if re.search(REQ, names.get(tid, ""))]
    on = sum(run1[t] - run0.get(t, 0) for t in req) / 1e3 / max(n, 1)
    runnable = sum(wait1[t] - wait0.get(t, 0) for t in req) / 1e3 / max(n, 1)
    return on, runnable, latency_ms * 1e3 - on - runnable
if os.path.exists(os.path.join(work, "ping-before.txt")) and len(open(os.path.join(work, "threads-1.txt")).readline().split()) >= 4:
    lat = little_latency_ms("measure.txt")
    on, runnable, rest = sched_split(lat)
    pl = [little_latency_ms(f"ping-{w}.txt") for w in ("before", "after")]
    print(f"a request's mean latency {lat * 1e3:.0f} us: on a CPU {on:.0f}, runnable waiting for a CPU {runnable:.0f}, "
          f"neither (parked, or the client and network) {rest:.0f}; ping's mean latency on this JVM "
          f"{pl[0] * 1e3:.0f} / {pl[1] * 1e3:.0f} us")
    parts_wait = f"lat_us={lat * 1e3:.0f} oncpu_us={on:.0f} runnable_us={runnable:.0f} parked_us={rest:.0f} ping_lat_us={sum(pl) / 2 * 1e3:.0f}"
else:
    parts_wait = ""
if "groups" in phase:
    g = phase["groups"].split()
    cnt, tot = float(g[2]) - float(g[0]), float(g[3]) - float(g[1])
    if cnt > 0:
        print(f"group commits: {cnt:.0f} groups, {tot / cnt:.1f} requests a group, {cnt / max(units, 1):.3f} commits per {unit}")
parts = " ".join(f"{re.sub(r'[^a-z0-9]+', '_', name.lower()).strip('_')}={v:.1f}" for name, v in rows)
print(f"BUDGET path={path} db={db} total={server:.1f} pg={pg_total:.1f} ping={ping:.1f} request={req_us:.1f} rate={units / wall:.0f} "
      f"cores={cores:.2f} idle={100 * idle:.0f} {parts_wait} {parts}")
