#!/usr/bin/env python3
"""The contrast to benches/soak.sh: the same load (the reference chart, each with its
own title, PNG into memory) drawn by matplotlib the way a chart service that forgets
plt.close() draws it. pyplot keeps every figure alive, so memory grows per chart.

usage: mpl_leak.py [CHARTS] [EVERY] [RSS_CAP_MIB]
       (defaults: 20000 charts, a line every 1000, stop early past 6144 MiB so the
       machine is not taken down)
prints: a line per EVERY charts with this process's RSS (VmRSS), then `matplotlib: ...`.
needs: pip install matplotlib (not needed by scripts/test.sh)"""
import io, json, os, sys, time, warnings
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

total = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
every = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
cap = float(sys.argv[3]) if len(sys.argv) > 3 else 6144.0
here = os.path.dirname(os.path.abspath(__file__))
cfg = json.load(open(os.path.join(here, "reference-chart.json")))
labels = cfg["data"]["labels"]
series = cfg["data"]["datasets"][0]
# pyplot warns once more than 20 figures are open: that warning is the leak.
warnings.filterwarnings("ignore", message="More than 20 figures")


def rss_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def render(i):
    """mpl_reference.py's drawing, minus plt.close(fig)."""
    fig = plt.figure(figsize=(8, 4), dpi=100)
    plt.plot(labels, series["data"], color=series["borderColor"], label=series["label"])
    plt.title(f"Reference chart {i}")
    plt.xlabel("minute")
    plt.ylabel("rpm")
    plt.legend(loc="upper left")
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return len(buf.getvalue())


marks, start = {}, time.time()
print(f"charts  rss_MiB   (matplotlib {matplotlib.__version__}, no plt.close)", flush=True)
print(f"{0:6d}  {rss_mib():7.1f}", flush=True)
n = 0
while n < total:
    render(n)
    n += 1
    if n % every == 0:
        marks[n] = rss_mib()
        print(f"{n:6d}  {marks[n]:7.1f}  ({time.time() - start:.0f} s)", flush=True)
        if marks[n] > cap:
            print(f"stopped at {n} charts: RSS over the {cap:.0f} MiB cap", flush=True)
            break
last = max(marks)
half = max((k for k in marks if k <= last // 2), default=None)
at_half = f"{marks[half]:.1f} MiB at {half}, " if half else ""
print(f"matplotlib: {n} charts in {time.time() - start:.0f} s; RSS {at_half}{marks[last]:.1f} MiB at {last} "
      f"({(marks[last] - marks.get(half, marks[last])) / max(last - (half or last), 1) * 1024:.0f} KiB per chart since the half)")
