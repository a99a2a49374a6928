#!/usr/bin/env bash
# Hits first: memory-hit throughput while distinct renders saturate every core,
# against the same throughput idle. Rounds alternate idle / storm so the ratio
# holds while the machine's speed drifts; medians are reported.
#
# usage: benches/hits-under-storm.sh [ROUNDS] [SECONDS]   (default 3 rounds of 5 s)
#        BIN=path to use another binary; HIT_CONNS (default 64), STORM_CONNS (default 8,
#        at most render.queue so the storm renders instead of being shed);
#        extra CHARTGATE_* variables in the environment reach the gateway.
# prints: per round idle and storm req/s, then
#         `hits under storm: idle N req/s, storm M req/s, ratio R (median of ROUNDS rounds)`
#         and PASS/FAIL against the 0.8 target.
source "$(dirname "$0")/lib.sh"
need wrk wrk; need curl curl
ROUNDS=${1:-3}; SECS=${2:-5}; HIT_CONNS=${HIT_CONNS:-64}; STORM_CONNS=${STORM_CONNS:-8}
BIN=$(release_bin)
start_gateway "$BIN"
URL="http://$GW"
P=$(reference_path)
curl -sf -o /dev/null "$URL$P"
state=$(curl -sf -o /dev/null -D - "$URL$P" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-cache" {print $2}')
[ "$state" = "hit-memory" ] || { echo "the warmed chart is not a memory hit (X-Cache: $state)" >&2; exit 1; }
renders() { curl -sf "$URL/metrics" | awk '/^chartgate_renders_total\{outcome="ok"\}/ {print $2}'; }
idles=(); storms=(); ratios=()
for r in $(seq "$ROUNDS"); do
  idle=$(wrk_rps -t1 -c"$HIT_CONNS" -d"${SECS}s" "$URL$P")
  before=$(renders)
  # The storm runs a second longer on each side of the measurement.
  wrk -t1 -c"$STORM_CONNS" -d"$((SECS + 2))s" --timeout 10s -s "$(storm_lua "$P")" "$URL/" >"$LOGDIR/storm.$r" 2>&1 &
  storm_pid=$!; PIDS+=("$storm_pid")
  sleep 1
  storm=$(wrk_rps -t1 -c"$HIT_CONNS" -d"${SECS}s" "$URL$P")
  wait "$storm_pid"
  rendered=$(( $(renders) - before ))
  ratio=$(ratio "$storm" "$idle")
  idles+=("$idle"); storms+=("$storm"); ratios+=("$ratio")
  echo "round $r: idle $idle req/s, storm $storm req/s (ratio $ratio; $rendered renders during the storm)"
done
i=$(printf '%s\n' "${idles[@]}" | median); s=$(printf '%s\n' "${storms[@]}" | median)
q=$(printf '%s\n' "${ratios[@]}" | median)
echo "hits under storm: idle $i req/s, storm $s req/s, ratio $q (median of $ROUNDS rounds; $HIT_CONNS hit connections, $STORM_CONNS storm connections, $(nproc) cores)"
python3 -c "import sys; ok = $q >= 0.8; print(('PASS' if ok else 'FAIL') + ': target ratio >= 0.8'); sys.exit(0 if ok else 1)"
