#!/usr/bin/env bash
# The Nu Html Checker (vnu-jar, pinned in package.json) on every page of the sample site,
# the minimal fixture and the hostile site, each built by the real binary into a
# temporary folder. Zero errors required (warnings are not errors).
#
#   tests/html/check.sh            # from anywhere; needs java, npm and cargo
#   KEEP=1 tests/html/check.sh     # keep the built sites and print where they are
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [ ! -f "$here/node_modules/vnu-jar/build/dist/vnu.jar" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
vnu="$here/node_modules/vnu-jar/build/dist/vnu.jar"

out="$(mktemp -d "${TMPDIR:-/tmp}/vmo-html.XXXXXX")"
if [ "${KEEP:-}" = 1 ]; then echo "sites kept in $out"; else trap 'rm -rf "$out"' EXIT; fi

cd "$root"
for site in sample:. minimal:tests/sites/minimal hostile:tests/sites/hostile; do
  name="${site%%:*}"
  dir="${site#*:}"
  if ! log="$(cargo run --quiet --release --locked -p vmo-generator -- build "$dir" --out "$out/$name" 2>&1)"; then
    echo "$log" >&2
    exit 1
  fi
  echo "built $name ($dir): $(find "$out/$name" -name '*.html' | wc -l) pages"
done

echo "== vnu $(java -jar "$vnu" --version) on every page"
if java -jar "$vnu" --errors-only --skip-non-html "$out/sample" "$out/minimal" "$out/hostile"; then
  echo "vnu: 0 errors"
else
  echo "vnu: errors above (file:line.col-line.col: message)" >&2
  exit 1
fi
