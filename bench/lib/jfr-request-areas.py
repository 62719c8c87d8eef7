#!/usr/bin/env python3
"""Where the request threads spend their CPU on a write path, from `jfr print --stack-depth 160 --events
jdk.ExecutionSample` on stdin: each sample goes to the first area (leaf-most first) that a frame of its stack matches."""
import re,collections,sys
txt=sys.stdin.read()
blocks=txt.split('jdk.ExecutionSample')[1:]
# leaf-most first: the first area any frame of the stack matches
areas=[("store write (H2 CHECKPOINT) after the group's commit", r"DurableCommits.awaitStoreWrite"),
("group commit: SQL (event + job inserts) and commit", r"GroupCommit.writeGroupNow"),
("group commit: lane hand-off", r"GroupCommit"),
("Stripe signature (HMAC) + envelope JSON parse", r"StripeWebhookVerifier"),("customer id (second JSON parse)", r"customerOf"),("ids", r"platform.ids.Ids"),
("presign: key, policy, URL signing", r"storage\.(FileService|local|s3|UploadPolicy|FileNames)"),
("JSON response", r"writeWithMessageConverters"),("request body read (+ JSON bind)", r"readWithMessageConverters|RequestResponseBodyMethodProcessor.resolveArgument"),
("metrics (Micrometer)", r"micrometer"),]
# A sample inside DispatcherServlet that no area above took: the route's own code when a frame of ours sits above the
# dispatcher (leaf side), else what Spring itself does (handler lookup, argument and return value handling), named by
# the leaf-most frame that is not the JDK's.
def dispatch(frames):
    at=next((i for i,f in enumerate(frames) if 'springframework.web.servlet.DispatcherServlet' in f),None)
    if at is None: return None
    inside=frames[:at]
    ours=[f for f in inside if f.startswith('dev.switchboard')]
    if ours: return 'route code (ours): %s' % ours[0].split('.')[-2]
    lib=next((f for f in inside if not f.startswith(('java.','jdk.','sun.'))),None)
    if lib is None: return 'Spring MVC dispatch: JDK code'
    if lib.startswith('org.springframework'): return 'Spring MVC dispatch: Spring (%s)' % lib.split('.')[-2]
    if lib.startswith(('tools.jackson','com.fasterxml')): return 'Spring MVC dispatch: JSON'
    return 'Spring MVC dispatch: %s' % '.'.join(lib.split('.')[:3])
c=collections.Counter(); n=0
for b in blocks:
    if 'http-nio' not in b[:600]: continue
    n+=1
    frames=re.findall(r'^\s+([\w.$<>]+)\(', b, re.M)
    for name,p in areas:
        if any(re.search(p,f) for f in frames): c[name]+=1; break
    else:
        d=dispatch(frames)
        if d: c[d]+=1; continue
        ours=[f for f in frames if f.startswith('dev.switchboard')]
        if ours: c['servlet filters (own code of: %s)' % ours[0].split('.')[-2]]+=1
        elif any('org.apache' in f for f in frames): c['Tomcat (HTTP parsing, socket I/O)']+=1
        else: c['other']+=1
print("request-thread samples:", n)
for k,v in c.most_common(30): print(f"  {k:60} {100*v/n:5.1f} %")
