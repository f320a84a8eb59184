#!/usr/bin/env bash
# Reads Spanwright's exports with their real consumers, as training code does: converts
# tests/consumers/workspace.spanwright.json into every format with `spanwright convert`
# (target/consumers/<format>/, the converter's notes in report.txt), then runs
# tests/consumers/test_consumers.py with the project's .venv (spaCy, datasets, PyLD,
# seqeval; made by scripts/setup.sh). Nothing is downloaded: HF_*_OFFLINE are set.
# Writes target/consumers.xml (JUnit), which scripts/test.sh counts.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

PY=${SPANWRIGHT_PYTHON:-.venv/bin/python}
[ -x "$PY" ] || die "no .venv: run scripts/setup.sh (make test does)"
out=target/consumers
rm -rf "$out" target/consumers.xml
mkdir -p "$out"
step "spanwright convert: the consumers' workspace into every format"
cargo build --quiet --bin spanwright || die "cargo build failed"
for format in spanwright jsonl doccano labelstudio brat w3c conll; do
  mkdir -p "$out/$format"
  target/debug/spanwright convert --to "$format" tests/consumers/workspace.spanwright.json -o "$out/$format" \
    2> "$out/$format/report.txt" || { cat "$out/$format/report.txt" >&2; die "spanwright convert --to $format failed"; }
done

step "the consumers read the exports (pytest, .venv)"
export SPANWRIGHT_BIN="$PWD/target/debug/spanwright" SPANWRIGHT_EXPORTS="$PWD/$out" HF_HOME="$PWD/target/hf-home" HF_DATASETS_OFFLINE=1 HF_HUB_OFFLINE=1 \
  PYTHONDONTWRITEBYTECODE=1 TOKENIZERS_PARALLELISM=false
"$PY" -m pytest tests/consumers -q -p no:cacheprovider --junitxml=target/consumers.xml
