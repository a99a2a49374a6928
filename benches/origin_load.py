#!/usr/bin/env python3
"""Dashboard load on a chart service: CHARTS distinct charts, each viewed
VIEWS times (views interleaved: every chart once, then every chart again,
...), over CONNECTIONS keep-alive connections. Prints one line: requests,
seconds, requests/s, p50 and p99 latency in ms, and the status counts.

usage: origin_load.py BASE_URL [CHARTS] [VIEWS] [CONNECTIONS]
       BASE_URL e.g. http://127.0.0.1:8000 or http://127.0.0.1:8080/o/reports
       (defaults: 500 charts, 20 views, 64 connections)
Standard library only."""
import http.client, sys, threading, time, urllib.parse
from collections import Counter

base = urllib.parse.urlsplit(sys.argv[1])
charts = int(sys.argv[2]) if len(sys.argv) > 2 else 500
views = int(sys.argv[3]) if len(sys.argv) > 3 else 20
conns = int(sys.argv[4]) if len(sys.argv) > 4 else 64


def path(i):
    values = ",".join(str((i * 7 + k * 13) % 97) for k in range(12))
    kind = "line" if i % 2 else "bar"
    return f"{base.path}/chart.png?kind={kind}&values={values}&title=chart%20{i}"


order = [path(c) for _ in range(views) for c in range(charts)]
lock = threading.Lock()
latencies, statuses = [], Counter()
next_i = 0


def worker():
    global next_i
    conn = http.client.HTTPConnection(base.hostname, base.port, timeout=600)
    while True:
        with lock:
            if next_i >= len(order):
                return
            p = order[next_i]
            next_i += 1
        t = time.perf_counter()
        conn.request("GET", p)
        r = conn.getresponse()
        r.read()
        dt = time.perf_counter() - t
        with lock:
            latencies.append(dt)
            statuses[r.status] += 1


start = time.perf_counter()
threads = [threading.Thread(target=worker) for _ in range(conns)]
for t in threads:
    t.start()
for t in threads:
    t.join()
took = time.perf_counter() - start
latencies.sort()
q = lambda f: latencies[min(len(latencies) - 1, int(f * len(latencies)))] * 1000
print(f"{len(latencies)} requests in {took:.1f} s: {len(latencies) / took:.1f} req/s, "
      f"p50 {q(0.5):.1f} ms, p99 {q(0.99):.1f} ms, statuses {dict(statuses)}")
