#!/usr/bin/env bash
# `make bench`: builds the release app, then runs bench/run.mjs (arguments pass through).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/dist.sh
node bench/run.mjs "$@"
