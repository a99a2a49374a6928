#!/usr/bin/env bash
# Flat memory: sends distinct charts to the release binary for minutes and prints
# its RSS (VmRSS from /proc/PID/status) as it goes, with the memory tier bounded
# at cache.memory_bytes (32 MiB unless MEMORY_BYTES says otherwise).
#
# usage: benches/soak.sh [CHARTS] [CONNECTIONS]     (default 20000 charts, 4 connections)
#        BIN=path to use another binary; MEMORY_BYTES=n for another bound;
#        SCRIPTED=1 to send configs with code (the script sandbox; see soak_client.py)
# prints: a line per 1000 charts, then `soak: ...` and PASS/FAIL against the
#         targets: RSS under 128 MiB at the end, under 10% growth from the half to the end.
source "$(dirname "$0")/lib.sh"
CHARTS=${1:-20000}; CONNS=${2:-4}; MEM=${MEMORY_BYTES:-33554432}
BIN=$(release_bin)
start_gateway "$BIN" CHARTGATE_CACHE__MEMORY_BYTES="$MEM"
echo "chartgate $GW (pid $GW_PID), cache.memory_bytes=$MEM"
python3 "$BENCHES/soak_client.py" "$GW" "$GW_PID" "$CHARTS" "$CONNS" | tee "$LOGDIR/soak.txt"
python3 - "$LOGDIR/soak.txt" <<'PY'
import re, sys
rows = [l.split() for l in open(sys.argv[1]) if re.match(r"\s*\d+\s+\d", l)]
marks = {int(r[0]): float(r[1]) for r in rows if int(r[0]) > 0}
end = max(marks); half = max(k for k in marks if k <= end // 2)
growth = (marks[end] - marks[half]) / marks[half]
ok = marks[end] < 128 and growth < 0.10
print(f"{'PASS' if ok else 'FAIL'}: RSS {marks[end]:.1f} MiB at {end} charts (target < 128), "
      f"growth {100 * growth:+.1f}% from {half} to {end} (target < 10%)")
sys.exit(0 if ok else 1)
PY
