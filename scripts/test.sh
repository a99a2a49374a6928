#!/usr/bin/env bash
# The whole test suite, on a fresh Debian machine as on a developer's:
# installs what the tests need (redis-server, promtool, a Python venv with the
# quickchart-io client and the FastAPI origin of origin mode, Chromium and
# playwright-core), then runs formatting and
# lint checks, every cargo test, the Python client tests, the Chart.js
# renderer against real Chart.js and the dashboard test in a headless browser,
# all against the real binary.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v redis-server >/dev/null || need_apt+=(redis-server)
command -v promtool >/dev/null || need_apt+=(prometheus)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
# The dashboard test: Debian's Chromium driven by playwright-core from npm
# (playwright's own browser download cannot work here, and is not needed).
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v npm >/dev/null || need_apt+=(nodejs npm)
command -v docker-compose >/dev/null || need_apt+=(docker-compose)
# `fonts.dirs` is tested with a face no embedded font has (Noto Sans
# Ethiopic), from Debian's Noto package.
[ -f /usr/share/fonts/truetype/noto/NotoSansEthiopic-Regular.ttf ] || need_apt+=(fonts-noto-core)
# Color emoji are tested with Debian's Noto Color Emoji (CBDT bitmaps).
[ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || need_apt+=(fonts-noto-color-emoji)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  python3 -m venv .venv
fi
.venv/bin/pip install -q --disable-pip-version-check -r tests/clients/requirements.txt
# Origin mode's real origin (tests/origin*.rs, tests/openapi.rs): FastAPI,
# uvicorn and matplotlib, run from this venv.
.venv/bin/pip install -q --disable-pip-version-check -r examples/fastapi-origin/requirements.txt
if [ ! -d tests/dashboard/node_modules/playwright-core ]; then
  echo "== npm ci (playwright-core) in tests/dashboard"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix tests/dashboard --no-audit --no-fund --silent
fi
# The Chart.js renderer's oracle: the real Chart.js 2.9.4, 3.9.1 and 4.4.1
# with the plugins the renderer embeds, drawn in the same Chromium (checked
# by the package added last, so an older node_modules is brought up to date).
if [ ! -d tests/fidelity/node_modules/chartjs-chart-sankey ]; then
  echo "== npm ci (Chart.js 2.9.4, 3.9.1 and 4.4.1, their plugins, playwright-core) in tests/fidelity"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix tests/fidelity --no-audit --no-fund --silent --legacy-peer-deps
fi

echo "== docker-compose.yml (syntax; no engine runs here)"
docker-compose config -q

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --all-targets --quiet -- -D warnings

echo "== cargo test"
cargo build --quiet --bin chartgate
cargo test --all-targets

echo "== quickchart-io client against the binary"
GATEWAY_BIN="$PWD/target/debug/chartgate" .venv/bin/python -m pytest -q tests/clients

echo "== schemathesis against the binary (GET /openapi.json, check not_a_server_error)"
st_token=schemathesis-admin-token
st_out=$(mktemp)
CHARTGATE_ADMIN__TOKEN=$st_token target/debug/chartgate --listen 127.0.0.1:0 >"$st_out" 2>/dev/null &
st_pid=$!
st_addr=
for _ in $(seq 100); do
  st_addr=$(sed -n 's|^chartgate listening on http://||p' "$st_out")
  [ -n "$st_addr" ] && break
  sleep 0.1
done
st_rc=0
.venv/bin/schemathesis run "http://$st_addr/openapi.json" --checks not_a_server_error \
  -H "Authorization: Bearer $st_token" --max-examples 40 --max-time 90 \
  --generation-database none --no-color --warnings off || st_rc=$?
kill "$st_pid"
wait "$st_pid" || true
[ "$st_rc" -eq 0 ] || { echo "schemathesis failed ($st_rc)" >&2; exit "$st_rc"; }

if [ -n "${FUZZ_SMOKE_SECS:-}" ]; then
  echo "== fuzz smoke: each target for ${FUZZ_SMOKE_SECS}s"
  fuzz/run.sh "$FUZZ_SMOKE_SECS"
fi

echo "== the Chart.js renderer against Chart.js 2.9.4, 3.9.1 and 4.4.1 in headless Chromium"
(cd tests/fidelity && CHARTGATE_BIN="$PWD/../../target/debug/chartgate" node --test oracle.test.mjs)

echo "== /dashboard in headless Chromium against the binary"
(cd tests/dashboard && CHARTGATE_BIN="$PWD/../../target/debug/chartgate" node --test dashboard.test.mjs)
