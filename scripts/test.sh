#!/usr/bin/env bash
# The whole test suite, on a fresh Debian machine as on a developer's:
# installs what the tests need (redis-server, promtool, a Python venv with the
# quickchart-io client, Chromium and playwright-core), then runs formatting and
# lint checks, every cargo test, the Python client tests and the dashboard test
# in a headless browser, both against the real binary.
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
if [ ! -d tests/dashboard/node_modules/playwright-core ]; then
  echo "== npm ci (playwright-core) in tests/dashboard"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix tests/dashboard --no-audit --no-fund --silent
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

echo "== /dashboard in headless Chromium against the binary"
(cd tests/dashboard && CHARTGATE_BIN="$PWD/../../target/debug/chartgate" node --test dashboard.test.mjs)
