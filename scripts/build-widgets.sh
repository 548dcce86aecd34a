#!/usr/bin/env bash
# Builds the wasm widgets (crates/wasm-widgets) into the bundle the generator embeds:
#   themes/default/static/widgets/vmo_widgets_bg.wasm   the module (bound, optimised)
#   themes/default/static/widgets/vmo_widgets.js        wasm-bindgen's ES-module glue
#   themes/default/static/widgets/BUILD-INFO.txt        the toolchain that built them
# The hand-written widget scripts and CSS live beside them and are not touched.
#
# Usage: scripts/build-widgets.sh [--route auto|rustup|debian|canonical] [--out DIR] [--check]
#
# Routes (both need the wasm-bindgen CLI of the exact version in Cargo.lock, and
# tests/browser/node_modules/.bin/wasm-opt from `npm ci --prefix tests/browser`):
#   rustup     rustup's stable compiler with its wasm32-unknown-unknown target installed.
#   debian     Debian's rustc-web (/usr/bin/rustc, /usr/bin/cargo) building std from
#              rust-web-src with -Zbuild-std (RUSTC_BOOTSTRAP=1); needs lld-22.
#   auto       rustup when its wasm32 target is installed, else debian (the default:
#              fastest for trying changes).
#   canonical  = debian. The COMMITTED bundle is built this way, because it is the route
#              a fresh CI machine has (rustup cannot download targets there); the two
#              compilers do not give the same bytes. CI's staleness check uses it too.
# VMO_WIDGETS_TARGET_DIR overrides the cargo target folder (e.g. a clean one to check
# reproducibility from scratch).
# --check builds the canonical bundle into a temporary folder and fails when it differs
# from the committed one (the build is reproducible: same inputs, same bytes).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
route=auto
out=themes/default/static/widgets
check=0
while [ $# -gt 0 ]; do
  case "$1" in
    --route) route=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --check) check=1; route=canonical; shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ "$route" = canonical ] && route=debian
if [ "$route" = auto ]; then
  if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    route=rustup
  else
    route=debian
  fi
fi

# The wasm-bindgen CLI must be the crate's version exactly.
want=$(awk '$0=="name = \"wasm-bindgen\"" {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "wasm-bindgen CLI $want is needed (found: ${have:-none}):" >&2
  echo "  cargo install wasm-bindgen-cli --version $want" >&2
  exit 1
fi
WASM_OPT=$ROOT/tests/browser/node_modules/.bin/wasm-opt
if [ ! -x "$WASM_OPT" ]; then
  echo "wasm-opt is needed: npm ci --prefix tests/browser (npm package binaryen)" >&2
  exit 1
fi

# What the bundle is built from, hashed: the manifests and lock file, this script, wasm-opt's
# version, and the sources of the crates compiled into the module (not their tests, examples or
# benches). The staleness check compares this with the committed BUILD-INFO.txt, so it does
# not depend on which compiler the checking machine has.
inputs_hash() {
  (
    cd "$ROOT"
    {
      printf '%s\n' Cargo.toml Cargo.lock scripts/build-widgets.sh
      find crates/core crates/charts crates/explain crates/wasm-widgets -type f \
        -not -path '*/tests/*' -not -path '*/examples/*' -not -path '*/benches/*' \
        -not -path '*/target/*' -not -name '*.md'
    } | LC_ALL=C sort | {
      while read -r f; do
        printf '%s  %s\n' "$(sha256sum < "$f" | cut -d' ' -f1)" "$f"
      done
      "$WASM_OPT" --version
    } | sha256sum | cut -d' ' -f1
  )
}
inputs=$(inputs_hash)
if [ "$check" = 1 ]; then
  # 1. Stale: the sources changed since the committed bundle was built. Always enforced.
  committed_inputs=$(sed -n 's/^inputs: //p' "$out/BUILD-INFO.txt" 2>/dev/null || true)
  if [ "$committed_inputs" != "$inputs" ]; then
    echo "STALE: the widget sources changed since the committed bundle was built" >&2
    echo "  committed inputs: ${committed_inputs:-none recorded}" >&2
    echo "  current inputs:   $inputs" >&2
    echo "Rebuild with: scripts/build-widgets.sh --route canonical, and commit the bundle." >&2
    exit 1
  fi
fi

# A dedicated size profile, set for this build only (profiles cannot live in a member
# manifest): smallest code, one codegen unit, whole-program LTO, abort on panic (the
# panic hook still records the message first).
export CARGO_PROFILE_RELEASE_OPT_LEVEL=z
export CARGO_PROFILE_RELEASE_LTO=fat
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
export CARGO_PROFILE_RELEASE_PANIC=abort
export CARGO_PROFILE_RELEASE_DEBUG=false
export CARGO_PROFILE_RELEASE_INCREMENTAL=false
# No machine paths in the bytes (panic locations carry file names).
cargo_home=${CARGO_HOME:-$HOME/.cargo}
export RUSTFLAGS="--remap-path-prefix=$ROOT=/vmo --remap-path-prefix=$cargo_home=/cargo --remap-path-prefix=/usr/lib/rustlib/src/rust=/rustc-src"
export SOURCE_DATE_EPOCH=0
unset CARGO_BUILD_RUSTFLAGS CARGO_ENCODED_RUSTFLAGS

case "$route" in
  rustup)
    target_dir=${VMO_WIDGETS_TARGET_DIR:-$ROOT/target/wasm-rustup}
    rustc_version=$(rustc --version)
    cargo build --locked --release --target wasm32-unknown-unknown \
      --target-dir "$target_dir" -p vmo-wasm-widgets
    ;;
  debian)
    for f in /usr/bin/rustc /usr/bin/cargo /usr/lib/rustlib/src/rust/library /usr/bin/rust-lld; do
      [ -e "$f" ] || { echo "missing $f: apt-get install rustc-web cargo-web rust-web-src rust-web-llvm lld-22" >&2; exit 1; }
    done
    target_dir=${VMO_WIDGETS_TARGET_DIR:-$ROOT/target/wasm-debian}
    rustc_version=$(/usr/bin/rustc --version)
    # std built for size: its small sort and formatting routines instead of the fast,
    # large ones (the sort alone was 77 KB of the module). Results do not change: the
    # stable sorts stay stable, and the unstable ones sort integers only.
    RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 /usr/bin/cargo build --locked --release \
      --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort \
      -Zbuild-std-features=optimize_for_size \
      --target-dir "$target_dir" -p vmo-wasm-widgets
    ;;
  *) echo "unknown route: $route" >&2; exit 2 ;;
esac


raw=$target_dir/wasm32-unknown-unknown/release/vmo_widgets.wasm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
wasm-bindgen --target web --no-typescript --out-name vmo_widgets --out-dir "$tmp/bound" "$raw"
# The features rustc enables by default for wasm32-unknown-unknown; Chromium, Firefox
# and Safari support them all.
"$WASM_OPT" -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
  --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
  "$tmp/bound/vmo_widgets_bg.wasm" -o "$tmp/vmo_widgets_bg.wasm"
cp "$tmp/bound/vmo_widgets.js" "$tmp/vmo_widgets.js"
{
  echo "route: $route"
  echo "rustc: $rustc_version"
  echo "wasm-bindgen: $want"
  echo "wasm-opt: $("$WASM_OPT" --version)"
  echo "inputs: $inputs"
  echo "sha256 vmo_widgets_bg.wasm: $(sha256sum "$tmp/vmo_widgets_bg.wasm" | cut -d' ' -f1)"
  echo "sha256 vmo_widgets.js: $(sha256sum "$tmp/vmo_widgets.js" | cut -d' ' -f1)"
} > "$tmp/BUILD-INFO.txt"

size=$(stat -c %s "$tmp/vmo_widgets_bg.wasm")
gz=$(gzip -9n < "$tmp/vmo_widgets_bg.wasm" | wc -c)
echo "vmo_widgets_bg.wasm: $size bytes, $gz gzipped ($route route)"

if [ "$check" = 1 ]; then
  # 2. Reproducible: the same inputs and compiler give the same bytes. Byte equality is
  # only meaningful with the compiler that built the committed bundle; Debian may have
  # moved rustc-web on since (security updates), and then the fresh build is reported.
  committed_rustc=$(sed -n 's/^rustc: //p' "$out/BUILD-INFO.txt")
  if [ "$committed_rustc" = "$rustc_version" ]; then
    for f in vmo_widgets_bg.wasm vmo_widgets.js; do
      if ! cmp -s "$tmp/$f" "$out/$f"; then
        echo "NOT REPRODUCIBLE: $out/$f differs from a fresh build with the same inputs and compiler ($rustc_version)" >&2
        exit 1
      fi
    done
    echo "The committed widget bundle is up to date, and rebuilding it gave the same bytes."
  else
    echo "The committed widget bundle is up to date (its inputs are unchanged)."
    echo "NOTE: byte equality not checked: committed with rustc $committed_rustc, this machine has $rustc_version."
  fi
else
  mkdir -p "$out"
  cp "$tmp/vmo_widgets_bg.wasm" "$tmp/vmo_widgets.js" "$tmp/BUILD-INFO.txt" "$out/"
  echo "wrote $out/{vmo_widgets_bg.wasm,vmo_widgets.js,BUILD-INFO.txt}"
fi
