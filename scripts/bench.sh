#!/usr/bin/env bash
# Side-by-side build benchmark: our site and a Hugo site of the very same Markdown files
# (minimal templates), for synthetic portfolios of N initiatives
# (crates/generator/examples/synthetic.rs). Runs alternate (vmo, hugo, vmo, hugo, ...)
# so that both see the same machine; each figure is the best of the runs (wall time) or
# the largest (peak memory). Prints a Markdown table with the ratios to Hugo.
#
#   scripts/bench.sh                 # N = 1000 10000, 2 runs each
#   scripts/bench.sh 1000 10000 50000
#   RUNS=3 scripts/bench.sh 10000
#
# Then, for each N, the incremental rebuild (crates/generator/examples/rebuild.rs): a
# session builds the site, one initiative is edited (a narrative line, then a benefit)
# and each rebuild to updated output is timed.
#
# Needs Hugo (Debian's `hugo`, installed here when missing) and GNU time (/usr/bin/time).
# Never part of the test command: the figures are ratios for people, not limits.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-2}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000)

if ! command -v hugo >/dev/null; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends hugo
fi
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is missing: apt-get install time" >&2; exit 1; }

cargo build --quiet --release --locked -p vmo-generator --bin vmo --example synthetic --example rebuild
VMO="$ROOT/target/release/vmo"
SYNTH="$ROOT/target/release/examples/synthetic"
REBUILD="$ROOT/target/release/examples/rebuild"
WORK="$ROOT/target/bench"
rm -rf "$WORK"
mkdir -p "$WORK"

# A minimal Hugo theme: a page per initiative with its Markdown, a list, a home page.
hugo_site() {
  local site=$1 content=$2
  mkdir -p "$site/layouts/_default" "$site/content"
  cat >"$site/config.toml" <<'EOF'
baseURL = "/"
title = "Portfolio"
EOF
  cat >"$site/layouts/_default/baseof.html" <<'EOF'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><main>{{ block "main" . }}{{ end }}</main></body></html>
EOF
  cat >"$site/layouts/_default/single.html" <<'EOF'
{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p>{{ .Content }}{{ end }}
EOF
  cat >"$site/layouts/_default/list.html" <<'EOF'
{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
EOF
  cp "$site/layouts/_default/list.html" "$site/layouts/index.html"
  cp -r "$content/initiatives" "$site/content/initiatives"
}

# runs CMD..., appends "wall_seconds peak_kb" to FILE
measure() {
  local file=$1
  shift
  /usr/bin/time -f "%e %M" -o "$file.one" "$@" >/dev/null 2>"$file.err" || {
    cat "$file.err" >&2
    return 1
  }
  cat "$file.one" >>"$file"
}

best_wall() { sort -n "$1" | head -1 | cut -d' ' -f1; }
peak_mb() { awk '{ if ($2 > m) m = $2 } END { printf "%.0f", m / 1024 }' "$1"; }
size_mb() { du -sb "$1" | awk '{ printf "%.1f", $1 / 1048576 }'; }
largest() { find "$1" -type f -name '*.html' -printf '%s %P\n' | sort -n | tail -1 | awk '{ printf "%.2f MB (%s)", $1 / 1048576, $2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

rows=()
for n in "${SIZES[@]}"; do
  dir="$WORK/$n"
  "$SYNTH" "$n" "$dir/site" >/dev/null
  hugo_site "$dir/hugo" "$dir/site/content"
  : >"$dir/vmo.times"
  : >"$dir/hugo.times"
  for run in $(seq "$RUNS"); do
    rm -rf "$dir/out" "$dir/hugo/public" "$dir/hugo/resources"
    measure "$dir/vmo.times" "$VMO" build "$dir/site" --out "$dir/out"
    measure "$dir/hugo.times" hugo --quiet --source "$dir/hugo"
    echo "N=$n run $run: vmo $(tail -1 "$dir/vmo.times"), hugo $(tail -1 "$dir/hugo.times") (seconds, KB)" >&2
  done
  vw=$(best_wall "$dir/vmo.times")
  hw=$(best_wall "$dir/hugo.times")
  vm=$(peak_mb "$dir/vmo.times")
  hm=$(peak_mb "$dir/hugo.times")
  rm -rf "$dir/out"
  "$REBUILD" "$dir/site" "$dir/out" 2 | sed "s/^/N=$n /" >>"$WORK/rebuilds.txt"
  rows+=("| $n | ${vw} s | ${hw} s | $(ratio "$vw" "$hw")× | ${vm} MB | ${hm} MB | $(ratio "$vm" "$hm")× | $(size_mb "$dir/out") MB | $(size_mb "$dir/hugo/public") MB | $(largest "$dir/out") |")
done

echo
echo "vmo $("$VMO" --version 2>/dev/null | awk '{print $2}') vs $(hugo version | awk '{print $1, $2}'), $(nproc) cores, best of $RUNS alternating runs"
echo
echo "| initiatives | vmo wall | Hugo wall | ratio (≤ 0.5) | vmo peak | Hugo peak | ratio (≤ 0.5) | vmo output | Hugo output | vmo largest page (≤ 2 MB) |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "Incremental rebuilds (one initiative edited, to updated output; target ≤ 100 ms at 10,000):"
echo
sed 's/^/    /' "$WORK/rebuilds.txt"
