#!/usr/bin/env bash
# Builds the static release in dist/ with trunk and prints the size of what a browser loads.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
wasm_build_env

step "trunk build --release --offline"
trunk build --release --offline >/tmp/spanwright-trunk.log 2>&1 || { cat /tmp/spanwright-trunk.log; die "trunk build failed"; }

size() { printf '%-34s %9s bytes raw %9s bytes gzip\n' "$1" "$(wc -c <"$2")" "$(gzip -9c "$2" | wc -c)"; }
echo "dist/ sizes:"
for f in dist/*.wasm dist/*.js dist/*.css dist/index.html; do
  [ -e "$f" ] && size "$(basename "$f")" "$f"
done
# What a browser loads to open the app; the formats worker comes on the first export or
# upload, and sw.js is the offline cache's own script.
start_files=$(ls dist/*.wasm dist/*.js dist/*.css dist/index.html | grep -v -e '/formats-worker' -e '/sw\.js$')
total_raw=$(cat $start_files | wc -c)
total_gz=0
for f in $start_files; do total_gz=$((total_gz + $(gzip -9c "$f" | wc -c))); done
printf '%-34s %9s bytes raw %9s bytes gzip\n' "loaded to open the app" "$total_raw" "$total_gz"
