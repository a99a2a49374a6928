#!/usr/bin/env bash
# What counting costs the cache-hit path: the same release binary twice, with
# analytics on and off (CHARTGATE_ANALYTICS__ENABLED=false), loaded by wrk in
# turns (on off, off on, ...) with the shared bench's reference chart and a
# Referer (so the per-source path is exercised too). Both gateways run the
# whole time; only the one under load does work.
#
# usage: benches/analytics-overhead.sh [GATEWAY_BINARY] [ROUNDS] [SECONDS]
#        (default target/release/chartgate, 5 rounds of 5 s, 64 connections)
# prints: analytics on N req/s, off M req/s, overhead P% (median of ROUNDS pairs)
source "$(dirname "$0")/../../shared/bench/common.sh"
need wrk wrk; need curl curl
BIN=${1:-target/release/chartgate}; ROUNDS=${2:-5}; SECS=${3:-5}; CONNS=${CONNS:-64}
REFERER="https://grafana.example/d/ops-overview?orgId=1&from=now-6h"
ON=$(free_port); OFF=$(free_port)
"$BIN" --listen "127.0.0.1:$ON" >"$LOGDIR/on.log" 2>&1 & PIDS+=($!)
CHARTGATE_ANALYTICS__ENABLED=false "$BIN" --listen "127.0.0.1:$OFF" >"$LOGDIR/off.log" 2>&1 & PIDS+=($!)
P=$(reference_path)
for port in "$ON" "$OFF"; do
  wait_http "http://127.0.0.1:$port/healthz"
  curl -sf -o /dev/null "http://127.0.0.1:$port$P"
  state=$(curl -sf -o /dev/null -D - "http://127.0.0.1:$port$P" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-cache" {print $2}')
  [ "$state" = "hit-memory" ] || { echo "port $port: second request was not a memory hit ($state)" >&2; exit 1; }
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$OFF/stats")" = 404 ] || { echo "analytics not off" >&2; exit 1; }
ons=(); offs=(); overheads=()
load() { wrk_rps -t1 -c"$CONNS" -d"${SECS}s" -H "Referer: $REFERER" "http://127.0.0.1:$1$P"; }
for round in $(seq "$ROUNDS"); do
  # Which runs first alternates, so an order effect cancels out.
  if [ $((round % 2)) = 1 ]; then a=$(load "$ON"); b=$(load "$OFF"); else b=$(load "$OFF"); a=$(load "$ON"); fi
  ons+=("$a"); offs+=("$b"); overheads+=("$(python3 -c "print(f'{100 * (1 - $a / $b):.2f}')")")
done
a=$(printf '%s\n' "${ons[@]}" | median); b=$(printf '%s\n' "${offs[@]}" | median)
o=$(printf '%s\n' "${overheads[@]}" | median)
counted=$(curl -s "http://127.0.0.1:$ON/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["totals"]["lookups"])')
echo "hit path: analytics on $a req/s, off $b req/s, overhead $o% (median of $ROUNDS pairs; per round on: ${ons[*]}; off: ${offs[*]}; $counted lookups counted, $CONNS connections)"
