#!/usr/bin/env bash
# Trustworthy-build checks beyond `cargo test` (issue 5, parts 5 and 6), for a fresh
# machine of the project's kind (Debian 12, rustup stable): installs what it lacks, then
#
#   1. fuzz: builds the cargo-fuzz targets in fuzz/ and runs each for FUZZ_SECONDS
#      (seeds and every saved crash in fuzz/regressions/ are replayed first);
#   2. html: builds the sample, minimal and hostile sites with the release binary and runs
#      the Nu Html Checker (vnu-jar, pinned in tests/html/package.json) on every page.
#
# Bounded: about 11 minutes on 2 cores from a cold cache (cargo-fuzz install ~3 min, fuzz
# build ~3 min, 4 x 30 s of fuzzing, release build and vnu ~3 min).
#
#   .ci/checks.sh                          # both
#   .ci/checks.sh html                     # one of them
#   FUZZ_SECONDS=600 .ci/checks.sh fuzz    # a longer run by hand
set -euo pipefail
cd "$(dirname "$0")/.."

what="${1:-all}"
FUZZ_SECONDS="${FUZZ_SECONDS:-30}"
# target:max_len (bytes): room for the seeds, small enough to stay fast.
FUZZ_TARGETS=(front_matter:16384 markdown:8192 site:8192 value_maths:4096)
CARGO_FUZZ_VERSION=0.13.2

apt_install() {
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@"
}

run_fuzz() {
  echo "== fuzz: tools"
  command -v c++ >/dev/null || apt_install g++ # libfuzzer-sys compiles libFuzzer
  if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
    cargo install cargo-fuzz --locked --version "$CARGO_FUZZ_VERSION"
  fi
  # cargo-fuzz passes nightly-only flags (-Z, sancov passes); a stable toolchain takes
  # them with RUSTC_BOOTSTRAP=1. No sanitizer: the workspace forbids unsafe code, and
  # without ASan the build is faster and the targets run twice as many inputs. Debug
  # assertions on, so an integer overflow is a crash.
  export RUSTC_BOOTSTRAP=1
  local flags=(--sanitizer none --debug-assertions)
  echo "== fuzz: build"
  cargo fuzz build "${flags[@]}"
  for spec in "${FUZZ_TARGETS[@]}"; do
    local t="${spec%%:*}" max_len="${spec#*:}"
    echo "== fuzz: $t for ${FUZZ_SECONDS}s"
    mkdir -p "fuzz/corpus/$t" "fuzz/regressions/$t"
    # The first folder receives new inputs; seeds and regressions are only read.
    set +e
    cargo fuzz run "${flags[@]}" "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" "fuzz/regressions/$t" -- \
      -max_total_time="$FUZZ_SECONDS" -max_len="$max_len" -timeout=30 -rss_limit_mb=2048 \
      -print_final_stats=1 2>&1 |
      grep -E 'INITED|DONE|stat::number_of_executed_units|panicked|ERROR|SUMMARY|artifacts/'
    local status="${PIPESTATUS[0]}"
    set -e
    if [ "$status" != 0 ]; then
      echo "fuzz target $t failed (exit $status): the input is in fuzz/artifacts/$t/; see fuzz/README.md" >&2
      exit 1
    fi
  done
}

run_html() {
  echo "== html: tools"
  command -v java >/dev/null || apt_install default-jre-headless
  command -v npm >/dev/null || apt_install nodejs npm
  (cd tests/html && npm ci --no-audit --no-fund --loglevel=error)
  tests/html/check.sh
}

case "$what" in
  all) run_fuzz; run_html ;;
  fuzz) run_fuzz ;;
  html) run_html ;;
  *) echo "usage: $0 [all|fuzz|html]" >&2; exit 2 ;;
esac
