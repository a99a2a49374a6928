#!/usr/bin/env python3
"""Shedding driver: many connections send distinct charts (each one a render) as
fast as they are answered, for a while; latency is recorded per status, so the
time an `overloaded` 503 takes is measured apart from the renders that got in.

usage: shed_client.py HOST:PORT [SECONDS] [CONNECTIONS]   (default 10 s, 16 connections)
prints: counts by status, p50/p99/max latency of the 503s and of the 200s, and the
gateway's chartgate_render_rejected_total. Standard library only (asyncio)."""
import asyncio, json, os, sys, time, urllib.parse

addr = sys.argv[1]
secs = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
conns = int(sys.argv[3]) if len(sys.argv) > 3 else 16
host, port = addr.rsplit(":", 1)
here = os.path.dirname(os.path.abspath(__file__))
ref = json.load(open(os.path.join(here, "reference-chart.json")))
tag = f"{os.getpid()}-{int(time.time())}"
lat = {}


def path(i):
    cfg = dict(ref, options={"title": {"display": True, "text": f"shed {tag} {i}"}})
    q = {"c": json.dumps(cfg, separators=(",", ":")), "w": 800, "h": 400, "devicePixelRatio": 1}
    return "/chart?" + urllib.parse.urlencode(q)


async def exchange(reader, writer, target):
    writer.write(f"GET {target} HTTP/1.1\r\nHost: {addr}\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


# Requests are built before the clock starts: building a 10 KB URL in Python
# costs more than the gateway takes to shed it, and would make this client,
# not the gateway, the bottleneck being measured. A template with a number
# slot is cheap to fill.
TEMPLATE = path("SLOT").replace("SLOT", "{}")


async def client(c, deadline):
    reader, writer = await asyncio.open_connection(host, int(port))
    i = 0
    while time.monotonic() < deadline:
        target = TEMPLATE.format(f"{c}-{i}")
        i += 1
        t0 = time.perf_counter()
        status = await exchange(reader, writer, target)
        lat.setdefault(status, []).append(time.perf_counter() - t0)
    writer.close()


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))] * 1000


async def rejected():
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(f"GET /metrics HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n".encode())
    text = (await reader.read()).decode()
    writer.close()
    return next(int(float(l.split()[1])) for l in text.splitlines()
                if l.startswith("chartgate_render_rejected_total "))


async def main():
    before = await rejected()
    deadline = time.monotonic() + secs
    await asyncio.gather(*(client(c, deadline) for c in range(conns)))
    counted = await rejected() - before
    counts = {s: len(v) for s, v in sorted(lat.items())}
    print(f"{conns} connections for {secs:.0f} s: statuses {counts}; chartgate_render_rejected_total +{counted}")
    for s, xs in sorted(lat.items()):
        print(f"  {s}: p50 {pct(xs, .5):.2f} ms, p99 {pct(xs, .99):.2f} ms, max {max(xs) * 1000:.2f} ms ({len(xs)} responses)")
    shed = lat.get(503, [])
    if shed:
        print(f"shed: {len(shed)} x 503 overloaded, p99 {pct(shed, .99):.2f} ms "
              f"(rejected counter +{counted}); {len(lat.get(200, []))} rendered")
    else:
        print("shed: no 503s (the queue never filled: raise CONNECTIONS or lower render.queue)")


asyncio.run(main())
