#!/usr/bin/env bash
# Runs every test: native `cargo test` on the pure core, the exports read by their real
# consumers (scripts/consumers.sh), then the end-to-end tests in
# headless Debian Chromium against a fresh release build in dist/. Ends with one line,
# "tests: N passed, N failed", and exits non-zero when anything failed.
#   scripts/test.sh          everything
#   scripts/test.sh native   only cargo test
#   scripts/test.sh e2e      only the browser tests (builds dist/ first)
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
what=${1:-all}
passed=0 failed=0 broken=""
mkdir -p target

if [ "$what" != e2e ]; then
  # Gates: formatting, clippy natively and for the page's wasm32 build (dev-dependencies
  # such as proptest do not build for wasm32, so only the library and binaries there), and
  # missing_docs, which src/lib.rs denies so any build fails on an undocumented public item.
  # Each counts as one test.
  lint() {
    local name=$1; shift
    step "$name"
    if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); broken="$broken $name"; fi
  }
  lint "cargo fmt --check" cargo fmt --check
  lint "cargo clippy (native)" cargo clippy --quiet --all-targets -- -D warnings
  lint "cargo clippy (wasm32)" bash -c 'source scripts/lib.sh && wasm_build_env && cargo clippy --quiet --target wasm32-unknown-unknown --lib --bins -- -D warnings'
  step "cargo test (native)"
  [ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
  cargo test --color never 2>&1 | tee target/native-tests.log
  [ "${PIPESTATUS[0]}" -eq 0 ] || broken="$broken native"
  # The page's own module is built without the default json-paths feature (index.html).
  step "cargo test --no-default-features --lib (the core as the page builds it)"
  cargo test --color never --no-default-features --lib 2>&1 | tee -a target/native-tests.log
  [ "${PIPESTATUS[0]}" -eq 0 ] || broken="$broken native-no-default-features"
  # The exports read by their real consumers (spaCy, datasets, PyLD, seqeval) in .venv.
  bash scripts/consumers.sh || broken="$broken consumers"
  if [ -s target/consumers.xml ]; then
    read -r cp cf < <(python3 -c 'import xml.etree.ElementTree as E; r = E.parse("target/consumers.xml").getroot()
s = r if r.tag == "testsuite" else r.find("testsuite")
t, f, e, k = (int(s.get(a, 0)) for a in ("tests", "failures", "errors", "skipped"))
print(t - f - e - k, f + e)')
    passed=$((passed + cp)); failed=$((failed + cf))
  else
    broken="$broken consumers(no-report)"
  fi
  read -r p f < <(awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
                      END { print p + 0, f + 0 }' target/native-tests.log)
  passed=$((passed + p)); failed=$((failed + f))
fi

if [ "$what" != native ]; then
  if bash scripts/dist.sh; then
    step "playwright test (headless /usr/bin/chromium)"
    rm -f target/e2e.json
    export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
    node_modules/.bin/playwright test || broken="$broken e2e"
    if [ -s target/e2e.json ]; then
      read -r p f < <(node -e 'const s = require("./target/e2e.json").stats;
        console.log(s.expected + s.flaky, s.unexpected)')
      passed=$((passed + p)); failed=$((failed + f))
    else
      broken="$broken e2e(no-report)"
    fi
  else
    broken="$broken dist"
  fi
fi

[ -z "$broken" ] || echo "failing steps:$broken" >&2
echo "tests: $passed passed, $failed failed"
[ -z "$broken" ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
