#!/usr/bin/env bash
# Redis-hit throughput against memory-hit throughput, in one run: two
# gateways share a fresh redis-server; one keeps the reference chart in
# memory (memory hits), the other has its memory tier off
# (CHARTGATE_CACHE__MEMORY_BYTES=0), so every request is a Redis hit.
# wrk loads them in turns (A B A B ...), with --latency for the p99.
#
# usage: benches/redis-hit.sh [GATEWAY_BINARY] [ROUNDS] [SECONDS]
#        (default target/release/chartgate, 3 rounds of 5 s, 64 connections)
source "$(dirname "$0")/../../shared/bench/common.sh"
need wrk wrk; need curl curl; need redis-server redis-server
BIN=${1:-target/release/chartgate}; ROUNDS=${2:-3}; SECS=${3:-5}; CONNS=${CONNS:-64}
RP=$(free_port); MP=$(free_port); HP=$(free_port)
redis-server --port "$RP" --bind 127.0.0.1 --save "" --appendonly no --dir "$LOGDIR" >/dev/null 2>&1 & PIDS+=($!)
for _ in $(seq 100); do redis-cli -p "$RP" ping >/dev/null 2>&1 && break; sleep 0.05; done
export CHARTGATE_REDIS__URL="redis://127.0.0.1:$RP"
"$BIN" --listen "127.0.0.1:$MP" >"$LOGDIR/memory.log" 2>&1 & PIDS+=($!)
CHARTGATE_CACHE__MEMORY_BYTES=0 "$BIN" --listen "127.0.0.1:$HP" >"$LOGDIR/redis.log" 2>&1 & PIDS+=($!)
wait_http "http://127.0.0.1:$MP/healthz"; wait_http "http://127.0.0.1:$HP/healthz"
for port in $MP $HP; do
  for _ in $(seq 100); do curl -s "http://127.0.0.1:$port/readyz" | grep -q '"redis":"up"' && break; sleep 0.1; done
done
P=$(reference_path)
curl -sf -o /dev/null "http://127.0.0.1:$MP$P"; sleep 0.5
xcache() { curl -sf -o /dev/null -D - "http://127.0.0.1:$1$P" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-cache" {print $2}'; }
[ "$(xcache "$MP")" = "hit-memory" ] || { echo "memory gateway: not a memory hit" >&2; exit 1; }
xcache "$HP" >/dev/null
[ "$(xcache "$HP")" = "hit-redis" ] || { echo "redis gateway: not a redis hit" >&2; exit 1; }
p99() { awk '/ 99%/ {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; print v}'; }
ratios=(); mem=(); red=(); p99s=()
for _ in $(seq "$ROUNDS"); do
  m=$(wrk -t1 -c"$CONNS" -d"${SECS}s" "http://127.0.0.1:$MP$P" | awk '/Requests\/sec/ {print $2}')
  out=$(wrk -t1 -c"$CONNS" -d"${SECS}s" --latency "http://127.0.0.1:$HP$P")
  r=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  mem+=("$m"); red+=("$r"); p99s+=("$(echo "$out" | p99)")
  ratios+=("$(python3 -c "print(f'{$r/$m:.3f}')")")
done
echo "redis hit: $(printf '%s\n' "${red[@]}" | median) req/s, memory hit: $(printf '%s\n' "${mem[@]}" | median) req/s, ratio $(printf '%s\n' "${ratios[@]}" | median), redis-hit p99 $(printf '%s\n' "${p99s[@]}" | median) ms (median of $ROUNDS pairs; $CONNS connections)"
