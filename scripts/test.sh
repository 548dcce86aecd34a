#!/usr/bin/env bash
# Every check the project has, in order, stopping at the first failure. This is the
# README's "run all the tests" command and what CI runs (.ci/run, after .ci/install.sh
# has installed the tools; run that first on a fresh machine).
#
#   1. format and lints        cargo fmt --check; clippy -D warnings
#   2. Rust tests              cargo test --workspace (unit, property, fixtures, CLI,
#                              hostile corpus, atomic output, determinism, widget baseline)
#   3. widget bundle           the committed wasm is what its sources build (and the same
#                              bytes again with the same compiler)
#   4. browser tests           the sample site in headless Chromium: widgets driven and their
#                              numbers checked, hostile site inert, axe-core; then the
#                              in-browser benchmark and bundle size (reported, not asserted)
#   5. HTML validation         the Nu Html Checker on every page of three sites
#   6. fuzzing                 every cargo-fuzz target for FUZZ_SECONDS (default 30)
#
# SKIP="fuzz html" skips steps by name (lint rust widgets browser html fuzz) for quick
# local runs; CI skips nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SKIP=" ${SKIP:-} "
start=$SECONDS
step() {
  echo
  echo "==== $1 (at $((SECONDS - start)) s)"
}
skipped() { [[ "$SKIP" == *" $1 "* ]] && echo "(skipped: SKIP contains $1)"; }

step "1. format and lints"
if ! skipped lint; then
  cargo fmt --all --check
  cargo clippy --workspace --all-targets --locked -- -D warnings
fi

step "2. Rust tests"
skipped rust || cargo test --workspace --locked

step "3. widget bundle"
skipped widgets || scripts/build-widgets.sh --check

step "4. browser tests"
if ! skipped browser; then
  [ -x /usr/bin/chromium ] || { echo "chromium is missing: run .ci/install.sh" >&2; exit 1; }
  # node_modules as the lock file says (npm ci again when the lock file changed).
  if ! cmp -s tests/browser/package-lock.json tests/browser/node_modules/.vmo-installed-lock; then
    npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
    cp tests/browser/package-lock.json tests/browser/node_modules/.vmo-installed-lock
  fi
  site="$ROOT/target/test-sites/sample"
  cargo run --quiet --release --locked -p vmo-generator -- build --out "$site"
  (cd tests/browser && SITE_DIR="$site" npm test)
  (cd tests/browser && SITE_DIR="$site" node bench.mjs)
fi

step "5. HTML validation"
skipped html || tests/html/check.sh

step "6. fuzzing"
skipped fuzz || scripts/fuzz.sh

echo
echo "==== all checks passed in $((SECONDS - start)) s"
