#!/usr/bin/env python3
"""Issue 15's big charts, one row each, chartgate over HTTP beside matplotlib
drawing the same points (markers as given), in one run.

The charts are those of `cargo bench --bench render -- big` (benches/render.rs
`big`): a day of 4-second samples as a 20,000-point line with Chart.js's
default markers (radius 3) and with `pointRadius: 0`, the same line at
2000x1500 and devicePixelRatio 2, and a 100,000-point scatter with radius-2
markers; 800x400 unless said. Each chartgate request POSTs the whole chart
with a fresh dataset label, so every request is a miss and renders (its
time includes reading the big body); one connection, one request at a time.
matplotlib (Agg) draws the same points at the same pixel size, closing
each figure, as a FastAPI chart service would.

usage: big_charts.py HOST:PORT [RENDERS]   (default 9 renders per row; medians)
prints: `<chart>: chartgate M ms, matplotlib N ms, ratio R` per row"""
import http.client, io, json, math, statistics, sys, time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def wave(i):
    # Python's round() is banker's; Rust's f64::round (render.rs) rounds half away from zero.
    v = 50.0 + 30.0 * math.sin(i / 700.0) + 10.0 * math.sin(i / 37.0) + math.sin(i * 7.1) * 4.0
    return float(math.floor(abs(v) + 0.5)) * (1 if v >= 0 else -1)


LINE = [wave(i) for i in range(20_000)]
SCATTER = [((i * 7919 % 100_000) / 1000.0, wave(i)) for i in range(100_000)]


def line_chart(radius):
    ds = {"label": "requests", "data": LINE, "fill": False}
    if radius is not None:
        ds["pointRadius"] = radius
    return {"type": "line", "data": {"labels": list(range(20_000)), "datasets": [ds]}}


def scatter_chart():
    points = [{"x": x, "y": y} for x, y in SCATTER]
    return {"type": "scatter", "data": {"datasets": [{"label": "points", "pointRadius": 2, "data": points}]}}


# (row, chart, width, height, devicePixelRatio, matplotlib marker radius in px or None, scatter?)
ROWS = [
    ("20,000-point line, default markers", line_chart(None), 800, 400, 1, 3, False),
    ("20,000-point line, pointRadius 0", line_chart(0), 800, 400, 1, None, False),
    ("100,000-point scatter, radius 2", scatter_chart(), 800, 400, 1, 2, True),
    ("20,000-point line, 2000x1500 at dpr 2", line_chart(0), 2000, 1500, 2, None, False),
]


def chartgate_ms(conn, chart, w, h, dpr, n):
    body = json.dumps({"width": w, "height": h, "devicePixelRatio": dpr, "format": "png", "chart": chart})
    label = '"label": "' + chart["data"]["datasets"][0]["label"] + '"'
    assert label in body
    times = []
    for i in range(n + 1):  # the first warms the connection and the worker
        fresh = body.replace(label, label[:-1] + " " + str(time.time_ns()) + '"', 1).encode()
        t0 = time.perf_counter()
        conn.request("POST", "/chart", fresh, {"Content-Type": "application/json"})
        resp = conn.getresponse()
        png = resp.read()
        dt = time.perf_counter() - t0
        if resp.status != 200 or resp.getheader("X-Cache") not in ("miss", None):
            sys.exit(f"chartgate answered {resp.status} {resp.getheader('X-Cache')}: {png[:200]!r}")
        if i:
            times.append(dt * 1000)
    return statistics.median(times)


def matplotlib_ms(chart, w, h, dpr, radius, scatter, n):
    dpi = 100 * dpr
    if scatter:
        xs, ys = zip(*SCATTER)
    else:
        xs, ys = range(len(LINE)), LINE
    times = []
    for i in range(n + 1):
        t0 = time.perf_counter()
        fig = plt.figure(figsize=(w / 100, h / 100), dpi=dpi)
        try:
            if scatter:
                # s is the marker's area in points^2; radius px at 100 dpi.
                plt.scatter(xs, ys, s=(2 * radius * 0.72) ** 2, label=f"points {i}")
            elif radius:
                plt.plot(xs, ys, marker="o", markersize=2 * radius * 0.72, label=f"requests {i}")
            else:
                plt.plot(xs, ys, label=f"requests {i}")
            plt.legend(loc="upper left")
            buf = io.BytesIO()
            fig.savefig(buf, format="png")
        finally:
            plt.close(fig)
        if i:
            times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main():
    host = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 9
    conn = http.client.HTTPConnection(host, timeout=60)
    for name, chart, w, h, dpr, radius, scatter in ROWS:
        g = chartgate_ms(conn, chart, w, h, dpr, n)
        m = matplotlib_ms(chart, w, h, dpr, radius, scatter, n)
        print(f"{name}: chartgate {g:.1f} ms, matplotlib {m:.1f} ms, ratio {m / g:.1f}", flush=True)


main()
