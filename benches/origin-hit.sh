#!/usr/bin/env bash
# Origin-mode hit throughput against the ceiling, in one run: a gateway
# fronting the FastAPI origin of examples/fastapi-origin answers one of its
# charts from memory (/o/reports/chart.png?…), and the same gateway answers
# a chart hit (a bar chart whose URL is as short as the origin's: the
# reference chart's 12 KB URL costs hyper more than the whole hit); a bare
# hyper server hands out the origin's PNG bytes with no work at all. wrk loads them in turns (A B C A B C …).
#
# usage: benches/origin-hit.sh [GATEWAY_BINARY] [ROUNDS] [SECONDS]
#        (default target/release/chartgate, 3 rounds of 5 s, 64 connections;
#        PYTHON= the interpreter with examples/fastapi-origin/requirements.txt,
#        default .venv/bin/python as scripts/test.sh makes it)
source "$(dirname "$0")/../../shared/bench/common.sh"
need wrk wrk; need curl curl
BIN=${1:-target/release/chartgate}; ROUNDS=${2:-3}; SECS=${3:-5}; CONNS=${CONNS:-64}
PYTHON=${PYTHON:-.venv/bin/python}
BASE=$(build_baseline)
OP=$(free_port); GP=$(free_port); BP=$(free_port); CP=$(free_port)
"$PYTHON" -m uvicorn app:app --app-dir examples/fastapi-origin --port "$OP" --log-level warning >"$LOGDIR/origin.log" 2>&1 & PIDS+=($!)
wait_http "http://127.0.0.1:$OP/stats"
printf '[[origin]]\nname = "reports"\nurl = "http://127.0.0.1:%s"\n' "$OP" >"$LOGDIR/origin.toml"
"$BIN" --config "$LOGDIR/origin.toml" --listen "127.0.0.1:$GP" >"$LOGDIR/gateway.log" 2>&1 & PIDS+=($!)
wait_http "http://127.0.0.1:$GP/healthz"
O="/o/reports/chart.png?kind=line&values=3,1,4,1,5,9,2,6&title=Revenue"
C="/chart?c=%7Btype%3A%27bar%27%2Cdata%3A%7Blabels%3A%5B1%2C2%2C3%5D%2Cdatasets%3A%5B%7Bdata%3A%5B3%2C1%2C4%5D%7D%5D%7D%7D"
body=$(mktemp); cbody=$(mktemp)
curl -sf -o "$body" "http://127.0.0.1:$GP$O"
curl -sf -o "$cbody" "http://127.0.0.1:$GP$C"
xcache() { curl -sf -o /dev/null -D - "http://127.0.0.1:$GP$1" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-cache" {print $2}'; }
[ "$(xcache "$O")" = "hit-memory" ] || { echo "origin chart: not a memory hit" >&2; exit 1; }
[ "$(xcache "$C")" = "hit-memory" ] || { echo "bar chart: not a memory hit" >&2; exit 1; }
"$BASE" "$body" "127.0.0.1:$BP" & PIDS+=($!)
wait_http "http://127.0.0.1:$BP/"
"$BASE" "$cbody" "127.0.0.1:$CP" & PIDS+=($!)
wait_http "http://127.0.0.1:$CP/"
ors=(); crs=(); oratio=(); cratio=()
for _ in $(seq "$ROUNDS"); do
  o=$(wrk_rps -t1 -c"$CONNS" -d"${SECS}s" "http://127.0.0.1:$GP$O")
  b=$(wrk_rps -t1 -c"$CONNS" -d"${SECS}s" "http://127.0.0.1:$BP$O")
  c=$(wrk_rps -t1 -c"$CONNS" -d"${SECS}s" "http://127.0.0.1:$GP$C")
  cb=$(wrk_rps -t1 -c"$CONNS" -d"${SECS}s" "http://127.0.0.1:$CP$C")
  ors+=("$o"); crs+=("$c")
  oratio+=("$(python3 -c "print(f'{$o/$b:.3f}')")"); cratio+=("$(python3 -c "print(f'{$c/$cb:.3f}')")")
done
med() { printf '%s\n' "$@" | median; }
echo "origin hit: $(med "${ors[@]}") req/s, $(med "${oratio[@]}") of bare hyper ($(stat -c %s "$body") byte PNG); chart hit: $(med "${crs[@]}") req/s, $(med "${cratio[@]}") of bare hyper ($(stat -c %s "$cbody") byte PNG) (medians of $ROUNDS rounds, $CONNS connections)"
