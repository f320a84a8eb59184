# The README's commands. Every target runs the setup first; it takes seconds when the tools
# are already installed.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help

.PHONY: help setup serve dist test test-native test-e2e bench interop

help:
	@echo "make serve   set up, then run the app at http://127.0.0.1:8080 (trunk serve)"
	@echo "make test    set up, then run every test (native cargo tests and browser end-to-end tests)"
	@echo "make dist    set up, then build the static release in dist/ and print its sizes"
	@echo "make bench   set up, build the release, and compare it with @recogito/text-annotator in Chromium"
	@echo "make interop set up, then round-trip the exports through real Label Studio and doccano servers (slow)"

setup:
	@bash scripts/setup.sh

serve: setup
	@source scripts/lib.sh && wasm_build_env && trunk serve --offline

dist: setup
	@bash scripts/dist.sh

# Arguments for bench/run.mjs, e.g. make bench BENCH="--chars 50000 --spans 2000".
bench: setup
	@bash scripts/bench.sh $(BENCH)

test: setup
	@bash scripts/test.sh

# Not part of make test: installs Label Studio and doccano (about 1 GB, minutes) and runs
# their servers on 127.0.0.1. make interop WORKSPACE=path/to/file.spanwright.json for another.
interop: setup
	@bash scripts/interop.sh $(WORKSPACE)

# Parts of `make test`, for a quicker loop once setup has run.
test-native: setup
	@bash scripts/test.sh native

test-e2e:
	@bash scripts/test.sh e2e
