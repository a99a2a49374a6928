#!/usr/bin/env python3
"""Soak driver: sends N distinct charts to a running chartgate and prints its RSS as it goes.

usage: soak_client.py HOST:PORT PID [CHARTS] [CONNECTIONS] [EVERY]
       (defaults: 20000 charts, 4 keep-alive connections, a line every 1000 charts)

Every chart is distinct (its title carries a counter) and the kinds rotate: the
1000-point reference line at 800x400, a 12-bar chart at devicePixelRatio 2, an SVG
pie, a 50-point scatter, and a dashed line whose title, legend and tick fonts
take a new size (up to 300 px) and whose dash pattern changes (sub-pixel runs
among them) with every chart: what fills glyph caches and dash buffers. Each line: charts sent, VmRSS of PID (from
/proc/PID/status), what the memory tier says it holds, and the status counts.
The last line, `soak: ...`, is the summary (RSS at the half and at the end).
With SCRIPTED=1 in the environment configs hold code, for the script
sandbox: bar charts get a tick callback (called at render) and a gradient, pies
a datalabels formatter, scriptable label colors and patterns. One config in
four keeps its functions and nothing else (only compiled, never evaluated;
the other chart kinds among them are plain data); of the rest, every other
config is an IIFE evaluated whole, the others get a value computed in place
(cut out and evaluated alone).
Standard library only."""
import http.client, json, os, sys, threading, time, urllib.parse

addr, pid = sys.argv[1], int(sys.argv[2])
total = int(sys.argv[3]) if len(sys.argv) > 3 else 20000
conns = int(sys.argv[4]) if len(sys.argv) > 4 else 4
every = int(sys.argv[5]) if len(sys.argv) > 5 else 1000
host, port = addr.rsplit(":", 1)
here = os.path.dirname(os.path.abspath(__file__))
ref = json.load(open(os.path.join(here, "reference-chart.json")))
tag = f"{os.getpid()}-{int(time.time())}"
scripted = os.environ.get("SCRIPTED") == "1"


def chart_path(i):
    """The i-th distinct chart as a GET path."""
    title = f"soak {tag} {i}"
    kind = i % 5
    if kind == 0:
        cfg = json.loads(json.dumps(ref))
        cfg["options"]["title"]["text"] = title
        q = {"w": 800, "h": 400, "devicePixelRatio": 1}
    elif kind == 1:
        cfg = {"type": "bar", "data": {"labels": [f"m{k}" for k in range(12)],
               "datasets": [{"label": "a", "data": [(i * 7 + k * 13) % 97 for k in range(12)]},
                            {"label": "b", "data": [(i + k * 5) % 41 for k in range(12)]}]},
               "options": {"title": {"display": True, "text": title}}}
        q = {}
    elif kind == 2:
        cfg = {"type": "pie", "data": {"labels": ["a", "b", "c", "d"],
               "datasets": [{"data": [1 + i % 5, 2, 3, 4]}]},
               "options": {"title": {"display": True, "text": title}}}
        q = {"f": "svg"}
    elif kind == 4:
        size = 8 + (i * 37) % 293
        dash = [0.3 + (i % 7) * 0.1, 1e-3, 2 + i % 5] * (1 + i % 40)
        cfg = {"type": "line", "data": {"labels": [f"t{k}" for k in range(40)],
               "datasets": [{"label": f"dashed {i}", "borderDash": dash,
                             "data": [(k * i) % 37 for k in range(40)]}]},
               "options": {"title": {"display": True, "text": title, "fontSize": size},
                           "legend": {"labels": {"fontSize": size // 3 + 6}},
                           "scales": {"xAxes": [{"ticks": {"fontSize": 6 + i % 30}}]}}}
        q = {"w": 1200, "h": 900, "devicePixelRatio": 1}
    else:
        cfg = {"type": "scatter", "data": {"datasets": [{"label": "p",
               "data": [{"x": k, "y": (k * i) % 50} for k in range(50)]}]},
               "options": {"title": {"display": True, "text": title}}}
        q = {"w": 400, "h": 400, "devicePixelRatio": 1}
    # One config in four holds functions and nothing else: the path that
    # only compiles them (in a checking context kept per thread).
    functions_only = i % 4 == 3
    if scripted and kind == 1:
        cfg["options"]["scales"] = {"yAxes": [{"ticks": {"callback": "__CB__"}}]}
        if not functions_only:
            cfg["data"]["datasets"][0]["backgroundColor"] = "__GRAD__"
    if scripted and kind == 2:
        cfg["options"]["plugins"] = {"datalabels": {"formatter": "__FMT__", "color": "__COLOR__"}}
        if not functions_only:
            cfg["data"]["datasets"][0]["backgroundColor"] = "__PAT__"
    text = json.dumps(cfg, separators=(",", ":"))
    if scripted:
        text = text.replace('"__CB__"', f"(v) => '$' + v.toLocaleString() + '/{i % 97}'")
        text = text.replace('"__GRAD__"', f"getGradientFillHelper('vertical', ['#36a2eb', '#{i % 256:02x}36eb'])")
        text = text.replace('"__FMT__"', f"(v, ctx) => (v * 100 / ctx.dataset.data.reduce((a, b) => a + b, 0)).toFixed(1) + '% {i % 89}'")
        text = text.replace('"__COLOR__"', "(ctx) => ctx.dataIndex % 2 ? '#fff' : '#000'")
        text = text.replace('"__PAT__"', f"[pattern.draw('diagonal', '#1f77b4'), pattern.draw('dot', '#ff7f0e'), pattern.draw('square', '#2ca02c', '#fff', {8 + i % 20}), pattern.draw('zigzag', '#d62728')]")
        if functions_only:
            pass
        elif i % 2 == 0:
            text = f"(() => {{ const c = {text}; c.n = Math.sqrt({i}); return c; }})()"
        else:
            text = text[:-1] + f',"n":Math.random() * {i}}}'
    q["c"] = text
    return "/chart?" + urllib.parse.urlencode(q)


def rss_mib():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def metric(name):
    c = http.client.HTTPConnection(host, int(port), timeout=30)
    c.request("GET", "/metrics")
    text = c.getresponse().read().decode()
    c.close()
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return 0.0


lock = threading.Lock()
next_i, done, statuses, marks = 0, 0, {}, {}
cv = threading.Condition(lock)


def worker():
    global next_i, done
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    while True:
        with lock:
            if next_i >= total:
                break
            i = next_i
            next_i += 1
        conn.request("GET", chart_path(i))
        resp = conn.getresponse()
        resp.read()
        with cv:
            statuses[resp.status] = statuses.get(resp.status, 0) + 1
            done += 1
            cv.notify_all()
    conn.close()


threads = [threading.Thread(target=worker, daemon=True) for _ in range(conns)]
start = time.time()
print(f"charts  rss_MiB  cache_MiB  entries  statuses   (pid {pid}, {conns} connections)", flush=True)
print(f"{0:6d}  {rss_mib():7.1f}  {0:9.1f}  {0:7d}  {{}}", flush=True)
for t in threads:
    t.start()
mark = every
while mark <= total:
    with cv:
        cv.wait_for(lambda: done >= mark)
        st = dict(sorted(statuses.items()))
    rss = rss_mib()
    marks[mark] = rss
    held = metric("chartgate_memory_cache_bytes") / 2**20
    entries = int(metric("chartgate_memory_cache_entries"))
    print(f"{mark:6d}  {rss:7.1f}  {held:9.1f}  {entries:7d}  {st}  ({time.time() - start:.0f} s)", flush=True)
    mark += every
for t in threads:
    t.join()
half = (total // 2) // every * every
a, b = marks.get(half, 0.0), marks[max(marks)]
growth = 100 * (b - a) / a if a else 0.0
print(f"soak: {total} distinct charts in {time.time() - start:.0f} s; RSS {a:.1f} MiB at {half}, "
      f"{b:.1f} MiB at {max(marks)} ({growth:+.1f}%); statuses {dict(sorted(statuses.items()))}")
