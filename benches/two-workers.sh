#!/usr/bin/env bash
# Distinct renders on one core against two: the reference chart (1000-point
# line, 800x400) with a fresh title per request, so every request is a
# render, loaded by wrk with 8 connections against a gateway with
# render.workers = 1 and then 2, in turns (1 2 1 2 ...). The bar: two
# workers give at least 1.8x one worker's renders per second.
#
# usage: benches/two-workers.sh [ROUNDS] [SECONDS]   (default 3 rounds of 5 s)
#        BIN=path to use another binary.
# prints: `renders: 1 worker N/s, 2 workers M/s, ratio R (median of ROUNDS rounds)`
source "$(dirname "$0")/lib.sh"
need wrk wrk
ROUNDS=${1:-3}; SECS=${2:-5}
BIN=$(release_bin)
P=$(reference_path)
start_gateway "$BIN" CHARTGATE_RENDER__WORKERS=1; ONE=$GW
start_gateway "$BIN" CHARTGATE_RENDER__WORKERS=2; TWO=$GW
ones=(); twos=(); ratios=()
for _ in $(seq "$ROUNDS"); do
  a=$(wrk_rps -t1 -c8 -d"${SECS}s" -s "$(storm_lua "$P")" "http://$ONE")
  b=$(wrk_rps -t1 -c8 -d"${SECS}s" -s "$(storm_lua "$P")" "http://$TWO")
  ones+=("$a"); twos+=("$b"); ratios+=("$(ratio "$b" "$a")")
done
echo "renders: 1 worker $(printf '%s\n' "${ones[@]}" | median)/s, 2 workers $(printf '%s\n' "${twos[@]}" | median)/s, ratio $(printf '%s\n' "${ratios[@]}" | median) (median of $ROUNDS rounds; $(nproc) cores)"
