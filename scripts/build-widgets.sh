#!/usr/bin/env bash
# Builds the wasm widgets (crates/wasm-widgets) into the bundle the generator embeds:
#   themes/default/static/widgets/vmo_widgets_bg.wasm   the module (bound, optimised)
#   themes/default/static/widgets/vmo_widgets.js        wasm-bindgen's ES-module glue
#   themes/default/static/widgets/BUILD-INFO.txt        the toolchain that built them, the
#                                                       inputs' hash and the two files' hashes
# The hand-written widget scripts and CSS live beside them and are not touched.
#
# Usage: scripts/build-widgets.sh [--route auto|rustup|debian|canonical] [--out DIR]
#                                 [--check | --verify | --print-inputs]
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
#              It refuses to build while the inputs in the working tree differ from the
#              index: the recorded input hash is over the tracked (staged) files.
# VMO_WIDGETS_TARGET_DIR overrides the cargo target folder (e.g. a clean one to check
# reproducibility from scratch).
#
# --verify  the committed bundle is the one BUILD-INFO.txt describes: the sha256 of
#           vmo_widgets_bg.wasm and vmo_widgets.js are the recorded ones, the route is
#           the canonical one, the wasm-bindgen version is Cargo.lock's. Needs no tools.
# --check   --verify, then: the input hash (over the files `git ls-files` tracks, as
#           staged) is the recorded one (not stale), the working tree's inputs are the
#           staged ones, and, when this machine has the compiler that built the bundle,
#           a fresh canonical build gives the same bytes (reproducible). With another
#           compiler the bytes cannot be rebuilt: it says so, and appends that note to
#           the file $VMO_TEST_NOTES when set (scripts/test.sh prints it in its summary).
# --print-inputs  prints the input hash and exits.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
route=auto
out=themes/default/static/widgets
mode=build
while [ $# -gt 0 ]; do
  case "$1" in
    --route) route=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --check) mode=check; route=canonical; shift ;;
    --verify) mode=verify; shift ;;
    --print-inputs) mode=print-inputs; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ "$route" = canonical ] && route=debian
# The route of the committed bundle.
CANONICAL=debian
info=$out/BUILD-INFO.txt
field() { sed -n "s/^$1: //p" "$info" 2>/dev/null | head -n 1; }
# The wasm-bindgen crate's version in Cargo.lock (the CLI must be exactly it).
want=$(awk '$0=="name = \"wasm-bindgen\"" {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)

# 1. The committed bundle is the one BUILD-INFO.txt describes, on every machine: its two
# files have the recorded hashes, and it was built by the canonical route with the
# locked wasm-bindgen. Needs no tools, so it can never be skipped for lack of them.
verify_committed() {
  local bad=0 f recorded actual
  if [ ! -f "$info" ]; then
    echo "BROKEN: $info is missing" >&2
    return 1
  fi
  for f in rustc wasm-opt inputs; do
    if [ -z "$(field "$f")" ]; then
      echo "BROKEN: $info records no '$f:'" >&2
      bad=1
    fi
  done
  if [ "$(field route)" != "$CANONICAL" ]; then
    echo "WRONG ROUTE: $info says the bundle was built by route '$(field route)'; the committed bundle must be built by the canonical route ($CANONICAL)" >&2
    bad=1
  fi
  if [ "$(field wasm-bindgen)" != "$want" ]; then
    echo "WRONG wasm-bindgen: $info records '$(field wasm-bindgen)', Cargo.lock has $want" >&2
    bad=1
  fi
  for f in vmo_widgets_bg.wasm vmo_widgets.js; do
    recorded=$(field "sha256 $f")
    actual=$(sha256sum < "$out/$f" 2>/dev/null | cut -d' ' -f1 || true)
    [ -f "$out/$f" ] || actual="(missing)"
    if [ -z "$recorded" ] || [ "$recorded" != "$actual" ]; then
      echo "HASH MISMATCH: $out/$f is not the file $info describes" >&2
      echo "  recorded: ${recorded:-none}" >&2
      echo "  actual:   $actual" >&2
      bad=1
    fi
  done
  if [ "$bad" = 1 ]; then
    echo "Rebuild with: scripts/build-widgets.sh --route canonical, and commit the bundle." >&2
    return 1
  fi
  echo "The committed widget bundle is the one $info describes (hashes, route $CANONICAL, wasm-bindgen $want)."
}
if [ "$mode" = verify ]; then
  verify_committed
  exit
fi
if [ "$mode" = check ]; then
  verify_committed || exit 1
fi

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

# What the bundle is built from: the manifests and lock file, this script, wasm-opt's
# version, and the sources of the crates compiled into the module (not their tests,
# examples, benches or Markdown). Only files git tracks count, with their staged content
# (the index), so the hash is what a clean checkout of the commit gives, whatever else
# lies in the working tree; `inputs_unstaged` reports a working tree that differs.
INPUT_PATHS=(Cargo.toml Cargo.lock scripts/build-widgets.sh crates/core crates/charts crates/explain crates/wasm-widgets)
is_input() {
  case "$1" in
    */tests/* | */examples/* | */benches/* | */target/* | *.md) return 1 ;;
  esac
}
inputs_hash() {
  git -C "$ROOT" ls-files --stage -z -- "${INPUT_PATHS[@]}" | {
    # ls-files lists paths in byte order (LC_ALL=C sort), one entry per stage.
    while IFS= read -r -d '' entry; do
      meta=${entry%%$'\t'*} path=${entry#*$'\t'}
      read -r _mode blob stage <<< "$meta"
      is_input "$path" || continue
      if [ "$stage" != 0 ]; then
        echo "unmerged input: $path" >&2
        exit 1
      fi
      printf '%s  %s\n' "$(git -C "$ROOT" cat-file blob "$blob" | sha256sum | cut -d' ' -f1)" "$path"
    done
    "$WASM_OPT" --version
  } | sha256sum | cut -d' ' -f1
}
# Inputs whose working-tree state is not the index's (modified, deleted or untracked).
inputs_unstaged() {
  {
    git -C "$ROOT" diff --name-only -- "${INPUT_PATHS[@]}"
    git -C "$ROOT" ls-files --others --exclude-standard -- "${INPUT_PATHS[@]}"
  } | while IFS= read -r path; do
    if is_input "$path"; then echo "$path"; fi
  done | LC_ALL=C sort -u
}
inputs=$(inputs_hash)
if [ "$mode" = print-inputs ]; then
  echo "$inputs"
  exit 0
fi
unstaged=$(inputs_unstaged)
if [ "$mode" = check ]; then
  # 2. Stale: the tracked sources changed since the committed bundle was built.
  committed_inputs=$(field inputs)
  if [ "$committed_inputs" != "$inputs" ]; then
    echo "STALE: the widget sources changed since the committed bundle was built" >&2
    echo "  committed inputs: ${committed_inputs:-none recorded}" >&2
    echo "  current inputs:   $inputs (tracked files, as staged)" >&2
    echo "Rebuild with: scripts/build-widgets.sh --route canonical, and commit the bundle." >&2
    exit 1
  fi
  # The rebuild compiles the working tree, the hash is over the index: they must agree.
  if [ -n "$unstaged" ]; then
    echo "CANNOT CHECK: these widget inputs in the working tree are not as staged (the input hash is over the index):" >&2
    sed 's/^/  /' <<< "$unstaged" >&2
    echo "Stage (git add) or stash them, then check again." >&2
    exit 1
  fi
  # 3. Reproducible: only meaningful with the compiler that built the committed bundle;
  # Debian may have moved rustc-web on since (security updates). Then say so, without
  # building: there are no bytes to compare with.
  committed_rustc=$(field rustc)
  machine_rustc=$(/usr/bin/rustc --version 2>/dev/null || echo "no /usr/bin/rustc")
  if [ "$committed_rustc" != "$machine_rustc" ]; then
    echo "The committed widget bundle is up to date (its tracked inputs are unchanged)."
    note="widget bundle: bytes not rebuilt: committed with $committed_rustc, this machine has $machine_rustc"
    echo "NOTE: $note"
    if [ -n "${VMO_TEST_NOTES:-}" ]; then echo "$note" >> "$VMO_TEST_NOTES"; fi
    exit 0
  fi
elif [ -n "$unstaged" ]; then
  if [ "$route" = "$CANONICAL" ]; then
    echo "REFUSED: these widget inputs in the working tree are not as staged, and the canonical build records the hash of the index:" >&2
    sed 's/^/  /' <<< "$unstaged" >&2
    echo "Stage (git add) or stash them first." >&2
    exit 1
  fi
  echo "note: building unstaged changes ($(tr '\n' ' ' <<< "$unstaged")); the recorded input hash is of the index" >&2
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

if [ "$mode" = check ]; then
  for f in vmo_widgets_bg.wasm vmo_widgets.js; do
    if ! cmp -s "$tmp/$f" "$out/$f"; then
      echo "NOT REPRODUCIBLE: $out/$f differs from a fresh build with the same inputs and compiler ($rustc_version)" >&2
      exit 1
    fi
  done
  echo "The committed widget bundle is up to date, and rebuilding it gave the same bytes."
else
  mkdir -p "$out"
  cp "$tmp/vmo_widgets_bg.wasm" "$tmp/vmo_widgets.js" "$tmp/BUILD-INFO.txt" "$out/"
  echo "wrote $out/{vmo_widgets_bg.wasm,vmo_widgets.js,BUILD-INFO.txt}"
fi
