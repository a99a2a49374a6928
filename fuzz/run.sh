#!/usr/bin/env bash
# Runs chartgate's fuzz targets one after another (2-core friendly).
#
# usage: fuzz/run.sh [SECONDS] [TARGET...]
#        SECONDS per target (default 600); targets default to all four:
#        literal query normalize render
# Needs cargo-fuzz (`cargo install cargo-fuzz`); the stable toolchain runs it
# with RUSTC_BOOTSTRAP=1. Builds with optimizations, debug assertions and
# overflow checks (-O -a) under AddressSanitizer. New inputs go to
# fuzz/corpus/TARGET (git-ignored); fuzz/seeds/TARGET is read as well; crashes
# land in fuzz/artifacts/TARGET and the script exits non-zero.
set -euo pipefail
cd "$(dirname "$0")"
export RUSTC_BOOTSTRAP=1
secs=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(literal query normalize render)
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
cargo fuzz build -O -a
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  echo "== fuzz $t for ${secs}s"
  cargo fuzz run -O -a "$t" "corpus/$t" "seeds/$t" -- \
    -dict=chartjs.dict -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 2>&1 | grep -E '^(Done|stat::number_of_executed_units|INFO: seed corpus)|panicked|SUMMARY|artifact' || true
  if ls "artifacts/$t"/crash-* "artifacts/$t"/timeout-* "artifacts/$t"/oom-* >/dev/null 2>&1; then
    echo "!! $t found crashes: fuzz/artifacts/$t/" >&2
    exit 1
  fi
done
