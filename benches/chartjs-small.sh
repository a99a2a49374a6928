#!/usr/bin/env bash
# The Chart.js renderer against Chart.js 2.9.4 on a Node canvas (what
# QuickChart runs) for the gallery's small charts (500x300 at QuickChart's
# default devicePixelRatio 2): each spec forced through the Chart.js
# renderer (`render.renderer = "chartjs"`), one connection, a fresh title
# per request so every request renders, beside chartjs_node.js drawing the
# same spec in process, in turns. Issue 12's bar: no slower than Node.
# CHARTJS_MAJOR=4: the same charts as Chart.js 4 configs (`v=4`, the title
# under `plugins`) against Chart.js 4.4.1 on Node (from tests/fidelity's
# packages: `npm ci --prefix tests/fidelity` first).
#
# usage: [CHARTJS_MAJOR=4] benches/chartjs-small.sh [SECONDS]   (default 5 s a side)
#        BIN=path to use another binary.
# prints: `SPEC: chartgate N renders/s, Chart.js on Node M renders/s, ratio R`
source "$(dirname "$0")/lib.sh"
need wrk wrk; need node nodejs
SECS=${1:-5}
BIN=$(release_bin)
NM=${XDG_CACHE_HOME:-$HOME/.cache}/chartgate-bench
if [ ! -d "$NM/node_modules/@napi-rs/canvas" ]; then
  mkdir -p "$NM" && cp "$ROOT/../shared/bench/package.json" "$NM/" \
    && npm install --prefix "$NM" --silent --no-audit --no-fund >/dev/null 2>&1
fi
MAJOR=${CHARTJS_MAJOR:-2}
NODE_PATHS="$NM/node_modules:$ROOT/tests/fidelity/node_modules"
start_gateway "$BIN" CHARTGATE_RENDER__RENDERER=chartjs
specs="01-bar 05-bar-grouped 06-line-tension 13-pie 14-doughnut 16-radar"
[ "$MAJOR" = 4 ] && specs="01-bar 04-bar-stacked 81-point-styling-v4 13-pie 14-doughnut"
for spec in $specs; do
  file="$ROOT/tests/gallery/$spec.json"
  # The spec as a GET path whose title wrk's script rewrites per request.
  path=$(python3 - "$file" "$MAJOR" <<'PY'
import json, sys, urllib.parse
spec, major = json.load(open(sys.argv[1])), sys.argv[2]
chart = spec["chart"]
options = chart.setdefault("options", {})
title = {"display": True, "text": "Bench chart"}
if major == "4":
    options.pop("title", None)
    options.setdefault("plugins", {})["title"] = title
else:
    options["title"] = title
q = {"c": json.dumps(chart, separators=(",", ":")), "w": spec["width"], "h": spec["height"], "v": major}
print("/chart?" + urllib.parse.urlencode(q))
PY
)
  lua=$(storm_lua "$path" "Bench%+chart")
  g=$(wrk_rps -t1 -c1 -d"${SECS}s" -s "$lua" "http://$GW")
  n=$(NODE_PATH="$NODE_PATHS" CHARTJS_MAJOR=$MAJOR node "$BENCHES/chartjs_node.js" "$file" "$SECS")
  echo "$spec (Chart.js $MAJOR): chartgate $g renders/s, Chart.js on Node $n renders/s, ratio $(ratio "$g" "$n" 2)"
done
