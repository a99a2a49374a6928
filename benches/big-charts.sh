#!/usr/bin/env bash
# Issue 15's big charts over HTTP, each row beside matplotlib drawing the same
# points (benches/big_charts.py says how), in one run; medians of RENDERS
# distinct renders per row, one connection. In process, without HTTP and the
# big body's parse: `cargo bench --bench render -- big`.
#
# usage: benches/big-charts.sh [RENDERS]   (default 9; BIN=path to use another binary)
# needs: python3 with matplotlib (pip install matplotlib)
source "$(dirname "$0")/lib.sh"
python3 -c 'import matplotlib' 2>/dev/null || { echo "missing matplotlib: pip install matplotlib" >&2; exit 2; }
BIN=$(release_bin)
# 100,000 {x, y} points are 2.4 MB of JSON: past the default 1 MiB body limit.
start_gateway "$BIN" CHARTGATE_LIMITS__MAX_BODY_BYTES=8388608
python3 "$BENCHES/big_charts.py" "$GW" "${1:-9}"
