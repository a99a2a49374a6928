#!/usr/bin/env bash
# Shedding: with a small render queue, distinct charts from many connections
# overflow it; the excess must get `503 overloaded` fast (target p99 under 10 ms),
# never wait in an unbounded queue, and be counted in /metrics.
#
# usage: benches/shed.sh [SECONDS] [CONNECTIONS] [QUEUE]   (default 10 s, 16 connections, render.queue 4)
#        BIN=path to use another binary
# prints: statuses and latency per status, `shed: N x 503 overloaded, p99 X ms ...`,
#         and PASS/FAIL against the 10 ms target.
source "$(dirname "$0")/lib.sh"
SECS=${1:-10}; CONNS=${2:-16}; QUEUE=${3:-4}
BIN=$(release_bin)
start_gateway "$BIN" CHARTGATE_RENDER__QUEUE="$QUEUE"
echo "chartgate $GW, render.queue=$QUEUE, render.workers=$(nproc) (cores)"
python3 "$BENCHES/shed_client.py" "$GW" "$SECS" "$CONNS" | tee "$LOGDIR/shed.txt"
p99=$(sed -n 's/^shed: .* p99 \([0-9.]*\) ms.*/\1/p' "$LOGDIR/shed.txt")
[ -n "$p99" ] || { echo "FAIL: nothing was shed"; exit 1; }
python3 -c "import sys; ok = $p99 < 10; print(('PASS' if ok else 'FAIL') + ': shed p99 $p99 ms, target < 10 ms'); sys.exit(0 if ok else 1)"
