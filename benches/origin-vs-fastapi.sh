#!/usr/bin/env bash
# The service origin mode is for, alone and behind chartgate, in one run:
# examples/fastapi-origin (FastAPI + uvicorn + matplotlib, one render per
# request) under a dashboard's load — CHARTS distinct charts viewed VIEWS
# times each over 64 connections (benches/origin_load.py) — first called
# directly, then through a chartgate fronting it (a fresh origin process for
# each run). Prints each run's throughput and latency, and the origin's
# renders and RSS after it.
#
# usage: benches/origin-vs-fastapi.sh [GATEWAY_BINARY] [CHARTS] [VIEWS]
#        (default target/release/chartgate, 500 charts, 20 views; PYTHON= the
#        interpreter with examples/fastapi-origin/requirements.txt, default .venv/bin/python)
source "$(dirname "$0")/../../shared/bench/common.sh"
need curl curl
BIN=${1:-target/release/chartgate}; CHARTS=${2:-500}; VIEWS=${3:-20}; CONNS=${CONNS:-64}
PYTHON=${PYTHON:-.venv/bin/python}
HERE=$(cd "$(dirname "$0")" && pwd)

start_origin() { # PORT: a fresh origin; sets ORIGIN_PID
  "$PYTHON" -m uvicorn app:app --app-dir examples/fastapi-origin --port "$1" --log-level warning >"$LOGDIR/origin-$1.log" 2>&1 &
  ORIGIN_PID=$!; PIDS+=("$ORIGIN_PID")
  wait_http "http://127.0.0.1:$1/stats"
}
origin_line() { # PORT
  curl -s "http://127.0.0.1:$1/stats" | python3 -c '
import json, sys
s = json.load(sys.stdin)
print("origin: %d renders, %d open figures, RSS %.0f MiB" % (s["renders"], s["open_figures"], s["rss_kib"] / 1024))'
}

OP=$(free_port)
start_origin "$OP"
echo "== FastAPI alone ($CHARTS charts x $VIEWS views, $CONNS connections)"
python3 "$HERE/origin_load.py" "http://127.0.0.1:$OP" "$CHARTS" "$VIEWS" "$CONNS"
origin_line "$OP"
kill "$ORIGIN_PID"

OP=$(free_port); GP=$(free_port)
start_origin "$OP"
printf '[[origin]]\nname = "reports"\nurl = "http://127.0.0.1:%s"\n' "$OP" >"$LOGDIR/origin.toml"
"$BIN" --config "$LOGDIR/origin.toml" --listen "127.0.0.1:$GP" >"$LOGDIR/gateway.log" 2>&1 & PIDS+=($!)
GW_PID=$!
wait_http "http://127.0.0.1:$GP/healthz"
echo "== the same service behind chartgate (max_concurrency 4, queue 64: the defaults)"
python3 "$HERE/origin_load.py" "http://127.0.0.1:$GP/o/reports" "$CHARTS" "$VIEWS" "$CONNS"
origin_line "$OP"
echo "chartgate: RSS $(awk '/^VmRSS:/ {printf "%.0f", $2/1024}' "/proc/$GW_PID/status") MiB"
