#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for FUZZ_SECONDS each (default 30, CI's bounded
# run); seeds and every saved crash in fuzz/regressions/ are replayed first. Needs
# cargo-fuzz (.ci/install.sh installs it) and a C++ compiler (libFuzzer).
#
#   scripts/fuzz.sh                        # all targets, 30 s each
#   FUZZ_SECONDS=600 scripts/fuzz.sh site  # one target, longer, by hand
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZ_SECONDS="${FUZZ_SECONDS:-30}"
# target:max_len (bytes): room for the seeds, small enough to stay fast.
ALL=(front_matter:16384 markdown:8192 site:8192 value_maths:4096)
targets=()
if [ $# -eq 0 ]; then
  targets=("${ALL[@]}")
else
  for want in "$@"; do
    found=""
    for spec in "${ALL[@]}"; do [ "${spec%%:*}" = "$want" ] && found=$spec; done
    [ -n "$found" ] || { echo "unknown fuzz target: $want (have: ${ALL[*]%%:*})" >&2; exit 2; }
    targets+=("$found")
  done
fi

# cargo-fuzz passes nightly-only flags (-Z, sancov passes); a stable toolchain takes them
# with RUSTC_BOOTSTRAP=1. No sanitizer: the workspace forbids unsafe code, and without
# ASan the build is faster and the targets run twice as many inputs. Debug assertions
# on, so an integer overflow is a crash.
export RUSTC_BOOTSTRAP=1
flags=(--sanitizer none --debug-assertions)
echo "== fuzz: build"
cargo fuzz build "${flags[@]}"
for spec in "${targets[@]}"; do
  t="${spec%%:*}" max_len="${spec#*:}"
  echo "== fuzz: $t for ${FUZZ_SECONDS}s"
  mkdir -p "fuzz/corpus/$t" "fuzz/regressions/$t"
  # The first folder receives new inputs; seeds and regressions are only read.
  set +e
  cargo fuzz run "${flags[@]}" "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" "fuzz/regressions/$t" -- \
    -max_total_time="$FUZZ_SECONDS" -max_len="$max_len" -timeout=30 -rss_limit_mb=2048 \
    -print_final_stats=1 2>&1 |
    grep -E 'INITED|DONE|stat::number_of_executed_units|panicked|ERROR|SUMMARY|artifacts/'
  status="${PIPESTATUS[0]}"
  set -e
  if [ "$status" != 0 ]; then
    echo "fuzz target $t failed (exit $status): the input is in fuzz/artifacts/$t/; see fuzz/README.md" >&2
    exit 1
  fi
done
