#!/usr/bin/env bash
# Every check the project has, in order. This is the README's "run all the tests" command
# and what CI runs (.ci/run, after .ci/install.sh has installed the tools; run that first
# on a fresh machine). Every step runs, even after one fails; the last line sums them
# up, `N passed, N failed` (and the exit status is non-zero when one failed).
#
#   lint        cargo fmt --check; clippy -D warnings
#   rust        cargo test --workspace (unit, property, fixtures, CLI, hostile corpus,
#               atomic output, determinism, widget baseline)
#   fuzz-tests  the fuzz crate (fuzz/, its own workspace) on the stable toolchain: fmt,
#               clippy -D warnings, and its tests (the HTML oracle's self-test, every seed
#               and saved crash replayed through the target bodies)
#   gates       tests/gates/run.sh: the checks of this command cannot be switched off (the
#               widget bundle's hashes and route, the input hash over tracked files, CI
#               refusing overrides)
#   widgets     the committed wasm is what its sources build (and the same bytes again
#               with the same compiler; where they cannot be rebuilt, the summary says so)
#   browser     the sample site in headless Chromium: widgets driven and their numbers
#               checked, hostile site inert, axe-core; then the in-browser benchmark and
#               bundle size (reported, not asserted)
#   html        the Nu Html Checker on every page of three sites
#   fuzz        every cargo-fuzz target for FUZZ_SECONDS (default 30)
#
# For quick local runs only: SKIP="fuzz html" skips steps by name, FUZZ_SECONDS changes
# the fuzzing time. With CI set (.ci/run sets it), both are refused, as are the browser
# tests' prebuilt-site overrides SITE_DIR_SAMPLE and SITE_DIR_HOSTILE (this command always
# builds the sites it tests and ignores them elsewhere). VMO_BLESS is always refused: it
# rewrites expectations (`VMO_BLESS=1 cargo test --test fixtures`), it checks nothing.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
STEPS=(lint rust fuzz-tests gates widgets browser html fuzz)

refuse() {
  echo "scripts/test.sh: refused: $1" >&2
  exit 2
}
[ -z "${VMO_BLESS+set}" ] ||
  refuse "VMO_BLESS is set: blessing rewrites expectations, run it as its own cargo test"
case "${CI:-}" in "" | 0 | false) in_ci=0 ;; *) in_ci=1 ;; esac
if [ "$in_ci" = 1 ]; then
  for v in SKIP FUZZ_SECONDS SITE_DIR_SAMPLE SITE_DIR_HOSTILE; do
    [ -z "${!v+set}" ] || refuse "CI is set, and so is $v (CI runs every check in full on the sites it builds)"
  done
fi
for v in SITE_DIR_SAMPLE SITE_DIR_HOSTILE; do
  if [ -n "${!v+set}" ]; then
    echo "note: ignoring $v: the browser tests run on sites built from this tree"
    unset "$v"
  fi
done
SKIP=" ${SKIP:-} "
for s in $SKIP; do
  [[ " ${STEPS[*]} " == *" $s "* ]] || refuse "SKIP names an unknown step: $s (steps: ${STEPS[*]})"
done

start=$SECONDS
# Steps append one-line notes here (e.g. the widget bundle's bytes not rebuilt).
VMO_TEST_NOTES=$(mktemp)
export VMO_TEST_NOTES
trap 'rm -f "$VMO_TEST_NOTES"' EXIT
passed=0 failed=0 skipped=() summary=()

# run NAME TITLE FUNCTION: runs FUNCTION in a subshell that stops at its first failure.
run() {
  local name=$1 title=$2 fn=$3 t0=$SECONDS rc line
  echo
  echo "==== $name: $title (at $((SECONDS - start)) s)"
  if [[ "$SKIP" == *" $name "* ]]; then
    echo "(skipped: SKIP contains $name)"
    skipped+=("$name")
    summary+=("$(printf '%-11s skipped' "$name")")
    return
  fi
  : > "$VMO_TEST_NOTES"
  (
    set -euo pipefail
    "$fn"
  )
  rc=$?
  if [ "$rc" = 0 ]; then
    passed=$((passed + 1))
    line=$(printf '%-11s passed  %5d s' "$name" $((SECONDS - t0)))
  else
    failed=$((failed + 1))
    line=$(printf '%-11s FAILED  %5d s  (exit %d)' "$name" $((SECONDS - t0)) "$rc")
    echo "==== $name FAILED (exit $rc)" >&2
  fi
  while IFS= read -r note; do line+=$'\n'"            note: $note"; done < "$VMO_TEST_NOTES"
  summary+=("$line")
}

# node_modules as the lock file says (npm ci again when the lock file changed): wasm-opt
# for the widget bundle, playwright and axe for the browser tests.
browser_node_modules() {
  if ! cmp -s tests/browser/package-lock.json tests/browser/node_modules/.vmo-installed-lock; then
    npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
    cp tests/browser/package-lock.json tests/browser/node_modules/.vmo-installed-lock
  fi
}

step_lint() {
  cargo fmt --all --check
  cargo clippy --workspace --all-targets --locked -- -D warnings
}
step_rust() { cargo test --workspace --locked; }
# Not a workspace member (cargo-fuzz needs nightly flags to build the targets), but its
# library (the oracles) and the targets' code compile on stable; it keeps its own lock
# file, which --locked holds to the manifests. It shares the workspace's target folder,
# where almost all its dependencies are already built.
step_fuzz_tests() {
  export CARGO_TARGET_DIR="$ROOT/target"
  cargo fmt --manifest-path fuzz/Cargo.toml --check
  cargo clippy --manifest-path fuzz/Cargo.toml --all-targets --locked -- -D warnings
  cargo test --manifest-path fuzz/Cargo.toml --locked
}
step_gates() {
  browser_node_modules
  tests/gates/run.sh
}
step_widgets() {
  browser_node_modules
  scripts/build-widgets.sh --check
}
step_browser() {
  [ -x /usr/bin/chromium ] || { echo "chromium is missing: run .ci/install.sh" >&2; exit 1; }
  browser_node_modules
  local site="$ROOT/target/test-sites/sample"
  cargo run --quiet --release --locked -p vmo-generator -- build --out "$site"
  (cd tests/browser && SITE_DIR="$site" npm test)
  (cd tests/browser && SITE_DIR="$site" node bench.mjs)
}
step_html() { tests/html/check.sh; }
step_fuzz() { scripts/fuzz.sh; }

run lint "format and lints" step_lint
run rust "Rust tests" step_rust
run fuzz-tests "the fuzz crate's lints and tests" step_fuzz_tests
run gates "the checks cannot be switched off" step_gates
run widgets "widget bundle" step_widgets
run browser "browser tests" step_browser
run html "HTML validation" step_html
run fuzz "fuzzing" step_fuzz

echo
echo "==== summary ($((SECONDS - start)) s)"
printf '%s\n' "${summary[@]}"
tail=""
[ ${#skipped[@]} = 0 ] || tail=", ${#skipped[@]} skipped (${skipped[*]})"
echo "$passed passed, $failed failed$tail"
[ "$failed" = 0 ]
