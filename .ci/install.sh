#!/usr/bin/env bash
# Installs what a fresh machine of the project's kind (Debian 12, rustup stable with no
# wasm target, Node.js and npm, no browser) lacks for `scripts/test.sh`. Idempotent:
# skips whatever is already there. Called by .ci/run; fine to run by hand.
#
#   Debian:   chromium (browser tests), rustc-web cargo-web rust-web-src rust-web-llvm
#             lld-22 (the
#             canonical wasm build: scripts/build-widgets.sh), a JRE (vnu),
#             g++ (libFuzzer)
#   cargo:    wasm-bindgen-cli (the version in Cargo.lock), cargo-fuzz (pinned below)
#   npm:      tests/browser (playwright-core, binaryen's wasm-opt, axe-core),
#             tests/html (vnu-jar)
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION=0.13.2

echo "== install: rustup components"
rustup component list --installed 2>/dev/null | grep -qE '^clippy' || rustup component add clippy
rustup component list --installed 2>/dev/null | grep -qE '^rustfmt' || rustup component add rustfmt

echo "== install: Debian packages"
need=()
command -v chromium >/dev/null || need+=(chromium)
[ -x /usr/bin/rustc ] || need+=(rustc-web)
[ -x /usr/bin/cargo ] || need+=(cargo-web)
[ -d /usr/lib/rustlib/src/rust/library ] || need+=(rust-web-src)
# rust-lld, the wasm linker, is a link to lld-22 in rust-web-llvm (only recommended by
# rustc-web, so --no-install-recommends leaves it out).
[ -e /usr/bin/rust-lld ] || need+=(rust-web-llvm)
[ -x /usr/lib/llvm-22/bin/lld ] || need+=(lld-22)
command -v java >/dev/null || need+=(default-jre-headless)
command -v c++ >/dev/null || need+=(g++)
command -v node >/dev/null || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "installing: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
else
  echo "all present"
fi

echo "== install: wasm-bindgen CLI (the version in Cargo.lock)"
want=$(awk '$0=="name = \"wasm-bindgen\"" {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
  # Not --locked: the CLI's own lock file pins a webpki-roots the registry mirror lacks.
  cargo install wasm-bindgen-cli --version "$want"
fi

echo "== install: cargo-fuzz $CARGO_FUZZ_VERSION"
if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
  cargo install cargo-fuzz --locked --version "$CARGO_FUZZ_VERSION"
fi

echo "== install: npm packages"
npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
npm ci --prefix tests/html --no-audit --no-fund --loglevel=error
