# Shared by the hardening bench scripts (soak.sh, hits-under-storm.sh, shed.sh):
# start and stop only the processes they started, wait for ports, build chart URLs.
# Everything runs against 127.0.0.1 and stops by itself.
set -euo pipefail
BENCHES=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCHES/.." && pwd)
PIDS=()
LOGDIR=$(mktemp -d)
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

need() { command -v "$1" >/dev/null 2>&1 || { echo "missing $1: apt-get install -y $2" >&2; exit 2; }; }

# The release binary, built when missing (or BIN=path to use another).
release_bin() {
  local bin=${BIN:-$ROOT/target/release/chartgate}
  if [ -z "${BIN:-}" ]; then
    (cd "$ROOT" && cargo build --release --quiet --bin chartgate)
  fi
  echo "$bin"
}

# start_gateway BINARY [ENV=VALUE...]: starts it on a free port; sets GW_PID and GW.
start_gateway() {
  local bin=$1; shift
  local out="$LOGDIR/listen.$RANDOM"
  : >"$out"
  env "$@" "$bin" --listen 127.0.0.1:0 >"$out" 2>"$LOGDIR/gateway.log" &
  GW_PID=$!; PIDS+=("$GW_PID")
  for _ in $(seq 200); do
    GW=$(sed -n 's|^chartgate listening on http://||p' "$out")
    [ -n "$GW" ] && return 0
    sleep 0.1
  done
  echo "chartgate did not start; log:" >&2; cat "$LOGDIR/gateway.log" >&2; exit 1
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# reference_path [k=v...]: the shared reference chart (1000-point line, 800x400) as a GET path.
reference_path() {
  python3 - "$BENCHES/reference-chart.json" "$@" <<'PY'
import json, sys, urllib.parse
cfg = json.dumps(json.load(open(sys.argv[1])), separators=(",", ":"))
q = {"c": cfg, "w": 800, "h": 400, "devicePixelRatio": 1, "f": "png"}
for pair in sys.argv[2:]:
    k, v = pair.split("=", 1); q[k] = v
print("/chart?" + urllib.parse.urlencode(q))
PY
}

# storm_lua PATH [TITLE]: a wrk script that sends PATH with a fresh title per
# request (TITLE, a Lua pattern, "Reference%+chart" unless given -> "Storm
# <tag> <n>"), so every request is a miss. The tag is new on every call
# (wrk's Lua random numbers are not seeded): make a new script for every wrk
# run.
storm_lua() {
  local lua; lua=$(mktemp --suffix=.lua)
  cat >"$lua" <<LUA
local n = 0
local path = [[$1]]
local a, b = path:find("${2:-Reference%+chart}", 1, false)
local tag = "$$-$RANDOM-$(date +%s%N)"
request = function()
  n = n + 1
  return wrk.format("GET", path:sub(1, a - 1) .. "Storm+" .. tag .. "+" .. n .. path:sub(b + 1))
end
LUA
  echo "$lua"
}

wrk_rps() { wrk "$@" | awk '/Requests\/sec/ {print $2}'; }

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# ratio A B [DIGITS]: A / B with DIGITS decimals (3 unless given).
ratio() { python3 -c "print(f'{$1/$2:.${3:-3}f}')"; }
