#!/usr/bin/env bash
# Fetches the JavaScript libraries the Chart.js renderer embeds from the npm
# registry, checks each tarball against its pinned integrity hash (npm's
# sha512), and writes the file the binary includes. The files are committed,
# so a build needs no network; this script is how they were made and how to
# check or update them (`src/script/vendor/MANIFEST` pins each one, and
# `tests/vendor.rs` checks the committed file against its sha256 there).
#
# usage: scripts/vendor-js.sh          (refetch and verify every entry)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
grep -v '^#' src/script/vendor/MANIFEST | while read -r name version path out integrity sha256; do
  [ -n "$name" ] || continue
  url="https://registry.npmjs.org/$name/-/${name##*/}-$version.tgz"
  curl -sfL -o "$work/pkg.tgz" "$url"
  got="sha512-$(openssl dgst -sha512 -binary "$work/pkg.tgz" | base64 -w0)"
  [ "$got" = "$integrity" ] || { echo "$name@$version: integrity $got, pinned $integrity" >&2; exit 1; }
  rm -rf "$work/package"; tar xzf "$work/pkg.tgz" -C "$work"
  cp "$work/package/$path" "src/script/vendor/$out"
  file_sha=$(sha256sum "src/script/vendor/$out" | cut -d' ' -f1)
  [ "$file_sha" = "$sha256" ] || { echo "$out: sha256 $file_sha, pinned $sha256" >&2; exit 1; }
  echo "$name@$version -> src/script/vendor/$out (verified)"
done
