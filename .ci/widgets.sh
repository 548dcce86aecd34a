#!/usr/bin/env bash
# CI for the wasm widgets, on a fresh Debian 12 machine with rustup stable (no wasm
# target, no browser). Installs what it needs, then:
#   1. rebuilds the widget bundle by the canonical route (Debian rustc-web + build-std)
#      and fails if the committed bundle differs (stale or not reproducible);
#   2. builds the sample site;
#   3. runs the browser tests (headless Chromium, playwright-core) and the benchmark.
# Meant to be called from .ci/run:  bash .ci/widgets.sh
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== widgets: system packages"
if ! command -v chromium >/dev/null || [ ! -x /usr/bin/rustc ] || ! command -v rust-lld >/dev/null \
   || [ ! -d /usr/lib/rustlib/src/rust/library ] || ! command -v node >/dev/null; then
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends \
    rustc-web cargo-web rust-web-src lld-22 chromium nodejs npm
fi

echo "== widgets: wasm-bindgen CLI (the version in Cargo.lock)"
want=$(awk '$0=="name = \"wasm-bindgen\"" {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
  # Not --locked: the CLI's own lock file pins a webpki-roots the registry mirror lacks.
  cargo install wasm-bindgen-cli --version "$want"
fi

echo "== widgets: npm packages (playwright-core, binaryen's wasm-opt)"
npm ci --prefix tests/browser --no-audit --no-fund

echo "== widgets: the committed bundle is what the sources build"
scripts/build-widgets.sh --check

echo "== widgets: native tests"
cargo test --locked -p vmo-wasm-widgets

echo "== widgets: sample site"
cargo run --locked --release -p vmo-generator -- build

echo "== widgets: browser tests"
(cd tests/browser && node --test --test-concurrency=1 widgets.test.mjs)

echo "== widgets: benchmark and bundle size"
(cd tests/browser && node bench.mjs)
