#!/usr/bin/env bash
# Which renderer draws the configs of QuickChart's documentation
# (tests/quickchart-docs: every Chart.js config in typpo/quickchart-docs's
# pages, as the docs write it, with the page it came from) and of the
# gallery (tests/gallery): each is POSTed to a gateway and its
# X-Chartgate-Renderer counted; the configs sent to Chart.js are listed.
#
# usage: benches/native-share.sh     BIN=path to use another binary.
# prints: `<set>: N native, M chartjs, E refused of T` and the Chart.js list
source "$(dirname "$0")/lib.sh"
need jq jq; need curl curl
BIN=$(release_bin)
start_gateway "$BIN"
share() {
  local set=$1; shift
  local native=0 chartjs=0 refused=0 total=0 list=""
  for f in "$@"; do
    body=$(jq -c '{chart: .chart, version: (.version // "2"), width: (.width // 500), height: (.height // 300)}' "$f")
    read -r code renderer < <(curl -s -D - -o /dev/null -H 'content-type: application/json' --data "$body" "http://$GW/chart" \
      | tr -d '\r' | awk 'NR==1{s=$2} tolower($1)=="x-chartgate-renderer:"{r=$2} END{print s, r}')
    total=$((total + 1))
    case "$code $renderer" in
      "200 native") native=$((native + 1)) ;;
      "200 chartjs")
        chartjs=$((chartjs + 1))
        list+="  $(basename "$f")"$'\n' ;;
      *) refused=$((refused + 1)); list+="  $(basename "$f"): refused ($code)"$'\n' ;;
    esac
  done
  echo "$set: $native native, $chartjs chartjs, $refused refused of $total"
  printf '%s' "$list"
}
share "QuickChart's documentation" "$ROOT"/tests/quickchart-docs/*.json
share "gallery" "$ROOT"/tests/gallery/*.json
