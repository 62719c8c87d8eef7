#!/usr/bin/env python3
"""Writes COUNT Stripe events, each with a new id, signed with SECRET as Stripe signs them (Stripe-Signature:
t=<unix>,v1=<hex HMAC-SHA256 of "t.body">), split over THREADS files: one event per line, "<signature>\t<body>".
Usage: stripe-events.py SECRET COUNT THREADS OUT_DIR. With STRIPE_EVENTS_PER_SECOND set, event i of each file is
signed for now + i / that rate, so a long paced run still sends each within Stripe's 5-minute tolerance."""
import hashlib, hmac, os, sys, time

secret, count, threads, out = sys.argv[1].encode(), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
now = int(time.time())
per_second = float(os.environ.get("STRIPE_EVENTS_PER_SECOND", "0"))
run = os.urandom(4).hex()
files = [open(os.path.join(out, f"events-{t + 1}.txt"), "w") for t in range(threads)]
for i in range(count):
    at = now + int((i // threads) / per_second) if per_second > 0 else now
    body = ('{"id":"evt_bench_%s_%d","object":"event","api_version":"2025-09-30.clover","created":%d,'
            '"livemode":false,"type":"customer.updated","data":{"object":{"id":"cus_bench","object":"customer",'
            '"email":"bench@example.com"}}}' % (run, i, at))
    sig = hmac.new(secret, f"{at}.{body}".encode(), hashlib.sha256).hexdigest()
    files[i % threads].write(f"t={at},v1={sig}\t{body}\n")
for f in files:
    f.close()
