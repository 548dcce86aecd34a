#!/usr/bin/env bash
# The test command's own gates cannot be switched off: each case below breaks something
# (in a scratch copy, never in this tree) and requires the check that guards it to fail,
# or to say that it could not check. Run by scripts/test.sh (step "gates"); needs git,
# tests/browser/node_modules (wasm-opt's version is an input of the widget bundle) and the
# wasm-bindgen CLI of Cargo.lock's version, as the widget check does. About 10 s.
#
#   tests/gates/run.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
WIDGETS=themes/default/static/widgets
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmo-gates.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0 cases=0

# expect NAME STATUS PATTERN COMMAND...: COMMAND exits with STATUS ("0" or "fail") and
# prints a line matching PATTERN (grep -E, stdout and stderr).
expect() {
  local name=$1 want=$2 pattern=$3 rc=0
  shift 3
  cases=$((cases + 1))
  "$@" > "$tmp/out" 2>&1 || rc=$?
  local ok=1
  if [ "$want" = 0 ]; then [ "$rc" = 0 ] || ok=0; else [ "$rc" != 0 ] || ok=0; fi
  grep -Eq -- "$pattern" "$tmp/out" || ok=0
  if [ "$ok" = 1 ]; then
    echo "ok    $name"
  else
    failures=$((failures + 1))
    echo "FAIL  $name (exit $rc, wanted ${want/fail/non-zero} and /$pattern/):"
    sed 's/^/      | /' "$tmp/out" | tail -n 20
  fi
}

# A scratch copy of the widget bundle; `info KEY VALUE` rewrites one line of its
# BUILD-INFO.txt.
fresh_bundle() {
  rm -rf "$tmp/bundle"
  cp -r "$WIDGETS" "$tmp/bundle"
}
info() {
  sed -i "s|^$1: .*|$1: $2|" "$tmp/bundle/BUILD-INFO.txt"
}
flip_byte() { # flips the bits of the byte at offset $2 of file $1
  local byte
  byte=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
  printf "$(printf '\\%03o' $((255 - byte)))" |
    dd of="$1" bs=1 seek="$2" count=1 conv=notrunc status=none
}
verify() { scripts/build-widgets.sh --verify --out "$tmp/bundle"; }

echo "== the committed widget bundle is the one BUILD-INFO.txt describes"
fresh_bundle
expect "the committed bundle verifies" 0 "is the one .* describes" verify
flip_byte "$tmp/bundle/vmo_widgets_bg.wasm" 1000
expect "one byte of the wasm flipped" fail "HASH MISMATCH: .*vmo_widgets_bg.wasm" verify
fresh_bundle
echo "// appended" >> "$tmp/bundle/vmo_widgets.js"
expect "the JS glue edited" fail "HASH MISMATCH: .*vmo_widgets.js" verify
fresh_bundle
info route rustup
expect "the route is not the canonical one" fail "WRONG ROUTE" verify
fresh_bundle
sed -i '/^sha256 vmo_widgets_bg.wasm: /d' "$tmp/bundle/BUILD-INFO.txt"
expect "the wasm's hash not recorded" fail "HASH MISMATCH: .*vmo_widgets_bg.wasm" verify
fresh_bundle
info wasm-bindgen 0.0.1
expect "another wasm-bindgen recorded" fail "WRONG wasm-bindgen" verify
fresh_bundle
info route rustup
expect "--check verifies first (no build for a wrong route)" fail "WRONG ROUTE" \
  scripts/build-widgets.sh --check --out "$tmp/bundle"

echo "== the input hash is over the tracked files, as staged"
# A clone of this tree: its commit, then this tree's staged and unstaged changes on top
# (so the script under test is the one in the working tree).
git clone --quiet --shared --no-checkout "$ROOT" "$tmp/repo"
git -C "$tmp/repo" checkout --quiet "$(git rev-parse HEAD)"
git diff --binary HEAD | git -C "$tmp/repo" apply --index --allow-empty
ln -s "$ROOT/tests/browser/node_modules" "$tmp/repo/tests/browser/node_modules"
widgets() { "$tmp/repo/scripts/build-widgets.sh" "$@"; }
h0=$(widgets --print-inputs)
# A scratch bundle that records h0 (the clone's inputs) and an unknown compiler: --check
# then gets past its staleness test and, unable to compare bytes, must say so.
fresh_bundle
info inputs "$h0"
info rustc "rustc 0.0.0 (gates test)"
same_hash() { [ "$(widgets --print-inputs)" = "$h0" ] && echo "same input hash"; }
echo "stray" > "$tmp/repo/crates/core/src/untracked_stray.rs"
expect "an untracked file is not an input" 0 "same input hash" same_hash
expect "--check refuses untracked inputs" fail "CANNOT CHECK.*not as staged|untracked_stray" \
  widgets --check --out "$tmp/bundle"
rm "$tmp/repo/crates/core/src/untracked_stray.rs"
echo "// edited" >> "$tmp/repo/crates/core/src/lib.rs"
expect "an unstaged edit does not change the hash" 0 "same input hash" same_hash
expect "--check refuses unstaged inputs" fail "CANNOT CHECK" widgets --check --out "$tmp/bundle"
expect "the canonical build refuses unstaged inputs" fail "REFUSED" timeout 60 \
  "$tmp/repo/scripts/build-widgets.sh" --route canonical --out "$tmp/never-written"
git -C "$tmp/repo" add crates/core/src/lib.rs
expect "a staged edit makes the bundle stale" fail "STALE" widgets --check --out "$tmp/bundle"
git -C "$tmp/repo" reset --quiet --hard
git diff --binary HEAD | git -C "$tmp/repo" apply --index --allow-empty
: > "$tmp/notes"
expect "another compiler: up to date, bytes not rebuilt" 0 "NOTE: .*bytes not rebuilt" \
  env VMO_TEST_NOTES="$tmp/notes" "$tmp/repo/scripts/build-widgets.sh" --check --out "$tmp/bundle"
expect "... and the note reaches the summary file" 0 "bytes not rebuilt: committed with rustc 0.0.0" \
  cat "$tmp/notes"

echo "== the test command refuses overrides in CI, and blessing everywhere"
# Each is refused before any step runs (a regression would start the suite: the timeout
# ends it, and the case fails).
# Each case starts from an environment without any of them (this script may run under
# a local `SKIP=...`, or in CI).
refused() {
  timeout 60 env -u CI -u SKIP -u FUZZ_SECONDS -u SITE_DIR_SAMPLE -u SITE_DIR_HOSTILE \
    -u VMO_BLESS "$@" bash scripts/test.sh
}
expect "CI with SKIP" fail "refused: CI is set, and so is SKIP" refused CI=1 SKIP=browser
expect "CI with SKIP empty" fail "refused: CI is set, and so is SKIP" refused CI=true SKIP=
expect "CI with SITE_DIR_SAMPLE" fail "refused: .*SITE_DIR_SAMPLE" refused CI=1 SITE_DIR_SAMPLE=/tmp
expect "CI with SITE_DIR_HOSTILE" fail "refused: .*SITE_DIR_HOSTILE" refused CI=1 SITE_DIR_HOSTILE=/tmp
expect "CI with FUZZ_SECONDS" fail "refused: .*FUZZ_SECONDS" refused CI=1 FUZZ_SECONDS=1
expect "VMO_BLESS, not in CI" fail "refused: VMO_BLESS" refused VMO_BLESS=1
expect "VMO_BLESS empty" fail "refused: VMO_BLESS" refused VMO_BLESS=
expect "an unknown step in SKIP" fail "refused: SKIP names an unknown step" refused SKIP=brower
# .ci/run removes the overrides itself and sets CI, so the refusals above back it up.
ci_env() {
  grep -q 'env -u VMO_BLESS -u SKIP -u FUZZ_SECONDS -u SITE_DIR_SAMPLE -u SITE_DIR_HOSTILE CI=true bash scripts/test.sh' .ci/run &&
    echo ".ci/run clears the overrides"
}
expect ".ci/run runs the test command without overrides, as CI" 0 "clears the overrides" ci_env

echo
echo "gates: $((cases - failures)) of $cases cases passed"
[ "$failures" = 0 ]
