#!/usr/bin/env bash
# Renders on a busy host: the median time of a fresh render of the reference
# chart (1000-point line) drawn big (2000x1500 at devicePixelRatio 2: about
# a tenth of a second, so the render, not the request, is what is timed)
# with the host quiet, and beside two
# CPU-bound processes that are not chartgate (`yes >/dev/null`, as a build or
# another container would be). Rounds alternate quiet / busy; medians are
# reported. Render threads that yield to every process on the host
# (SCHED_IDLE, high nice) stall here; the bar is busy <= ~2x quiet.
#
# usage: benches/render-beside-load.sh [ROUNDS] [RENDERS]   (default 3 rounds of 9 renders)
#        BIN=path to use another binary; extra CHARTGATE_* variables reach the gateway.
# prints: per round quiet and busy medians, then
#         `renders beside load: quiet N ms, busy M ms, ratio R (median of ROUNDS rounds)`
source "$(dirname "$0")/lib.sh"
ROUNDS=${1:-3}; RENDERS=${2:-9}
BIN=$(release_bin)
start_gateway "$BIN"
URL="http://$GW"
# One round: RENDERS distinct charts one after another; prints the median ms.
round() {
  python3 - "$URL" "$BENCHES/reference-chart.json" "$RENDERS" "$1" <<'PY'
import json, statistics, sys, time, urllib.request
url, ref, n, tag = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
chart = json.load(open(ref))
times = []
for i in range(n):
    chart["options"]["title"]["text"] = f"Beside load {tag} {time.time_ns()} {i}"
    body = json.dumps({"chart": chart, "width": 2000, "height": 1500, "devicePixelRatio": 2}).encode()
    t = time.perf_counter()
    r = urllib.request.urlopen(urllib.request.Request(url + "/chart", body, {"content-type": "application/json"}), timeout=60)
    r.read()
    assert r.headers["X-Cache"] == "miss", r.headers["X-Cache"]
    times.append((time.perf_counter() - t) * 1000)
print(f"{statistics.median(times):.1f}")
PY
}
round warmup >/dev/null
quiets=(); busies=(); ratios=()
for r in $(seq "$ROUNDS"); do
  quiet=$(round "q$r")
  yes >/dev/null & b1=$!; yes >/dev/null & b2=$!; PIDS+=("$b1" "$b2")
  busy=$(round "b$r")
  kill "$b1" "$b2"; wait "$b1" "$b2" 2>/dev/null || true
  ratio=$(ratio "$busy" "$quiet" 2)
  quiets+=("$quiet"); busies+=("$busy"); ratios+=("$ratio")
  echo "round $r: quiet $quiet ms, busy $busy ms (ratio $ratio)"
done
q=$(printf '%s\n' "${quiets[@]}" | median); b=$(printf '%s\n' "${busies[@]}" | median)
x=$(printf '%s\n' "${ratios[@]}" | median)
echo "renders beside load: quiet $q ms, busy $b ms, ratio $x (median of $ROUNDS rounds; 2 busy processes, $(nproc) cores)"
