#!/usr/bin/env python3
"""An HTTP receiver for the webhook benchmark: answers 200 to every POST, and for every event
records how long after the event's time it arrived. Stops when it has seen EXPECT events (or
after TIMEOUT seconds without a new one) and prints one JSON line: events, unique events,
POSTs, latency p50/p99/max in ms.
usage: webhook-receiver.py PORT EXPECT [TIMEOUT]"""
import json, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, expect = int(sys.argv[1]), int(sys.argv[2])
timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 60.0
lock = threading.Lock()
latencies, ids, posts = [], set(), [0]
last = [time.time()]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        now_ms = time.time() * 1000
        events = json.loads(body)
        with lock:
            posts[0] += 1
            for e in events:
                if e["id"] not in ids:
                    ids.add(e["id"])
                    latencies.append(now_ms - e["time_ms"])
            last[0] = time.time()
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
print("ready", flush=True, file=sys.stderr)
while True:
    time.sleep(0.05)
    with lock:
        if len(ids) >= expect or time.time() - last[0] > timeout:
            break
server.shutdown()
lat = sorted(latencies)
q = lambda p: round(lat[min(len(lat) - 1, int(p * len(lat)))]) if lat else None
print(json.dumps({"events": len(latencies), "unique": len(ids), "posts": posts[0],
                  "latency_ms_p50": q(0.50), "latency_ms_p99": q(0.99),
                  "latency_ms_max": round(lat[-1]) if lat else None}))
