#!/usr/bin/env bash
# Installs everything Spanwright needs to build, serve and test, on a fresh machine, without
# a terminal. Idempotent: every step checks first and costs well under a second when its tool
# is already there. Stops with the reason when something cannot be had.
#
#   wasm32 standard library  rustup target add and rust-src (tried first, with a timeout);
#                            otherwise Debian's rustc-web/cargo-web/rust-web-src/lld-22;
#                            std is rebuilt for the app when its sources are there (lib.sh)
#   trunk 0.21.14            cargo install --locked (newer trunk needs rustc >= 1.96.1)
#   wasm-bindgen-cli         exactly the wasm-bindgen version in Cargo.lock
#   node, npm                Debian, if missing
#   wasm-opt, Playwright     npm ci from the committed package-lock.json
#   chromium, chromedriver   Debian (test tools cannot download their own browser here)
#   python3 jsonschema       PyPI, for the export checks that read files as Python would
#   .venv                    PyPI: spaCy, datasets, PyLD, seqeval, pytest (the consumers of
#                            the exports, tests/consumers/requirements.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

TRUNK_VERSION=0.21.14
started=$(date +%s)

apt_updated=0
apt_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "need root or sudo to install Debian packages: $*"
    sudo="sudo -n"
  fi
  if [ "$apt_updated" -eq 0 ]; then
    step "apt-get update"
    $sudo apt-get update -qq || die "apt-get update failed; Debian's package mirror is needed for: $*"
    apt_updated=1
  fi
  step "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null \
    || die "apt-get could not install: $*"
}

# --- Rust for the host (native tests, cargo install) ---
if ! command -v cargo >/dev/null; then
  [ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
fi
command -v cargo >/dev/null || die "no cargo on PATH: install Rust (https://rustup.rs) and run this again"
ok "cargo: $(cargo --version)"

# --- Rust's standard library for wasm32 ---
if ! wasm_std_from_rustup && command -v rustup >/dev/null && [ "${SPANWRIGHT_DEBIAN_RUST:-0}" != 1 ]; then
  step "rustup target add wasm32-unknown-unknown (timeout 90 s)"
  timeout 90 rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true
fi
if wasm_std_from_rustup; then
  ok "wasm32 target: rustup"
  # std's sources let the app be built with a size-optimised std (scripts/lib.sh); the
  # build works without them, only larger. Checked on every run, the first one included.
  if ! std_src_from_rustup && command -v rustup >/dev/null; then
    step "rustup component add rust-src (timeout 90 s)"
    timeout 90 rustup component add rust-src >/dev/null 2>&1 || note "no rust-src: the wasm is built with rustup's prebuilt std, about 10 % larger"
  fi
  std_src_from_rustup && ok "rust-src: std is rebuilt for the app, optimised for size"
else
  note "rustup cannot provide the wasm32 standard library here; using Debian's Rust with build-std"
  if ! wasm_std_from_debian; then
    apt_install rustc-web cargo-web rust-web-src lld-22
  fi
  wasm_std_from_debian || die "Debian's rustc-web, rust-web-src and rust-lld did not appear after installing them"
  ok "wasm32 target: Debian rustc $(/usr/bin/rustc --version | cut -d' ' -f2) with build-std"
fi

# --- rustfmt and clippy, the lint gates of make test ---
if cargo fmt --version >/dev/null 2>&1 && cargo clippy --version >/dev/null 2>&1; then
  ok "rustfmt and clippy"
else
  command -v rustup >/dev/null || die "cargo fmt and cargo clippy are missing and there is no rustup to add them"
  step "rustup component add rustfmt clippy (timeout 120 s)"
  timeout 120 rustup component add rustfmt clippy >/dev/null 2>&1 || die "rustup could not add rustfmt and clippy"
fi

# --- trunk ---
if [ "$(trunk --version 2>/dev/null || true)" = "trunk $TRUNK_VERSION" ]; then
  ok "trunk $TRUNK_VERSION"
else
  step "cargo install trunk $TRUNK_VERSION (about 9 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked --quiet \
    || die "could not install trunk $TRUNK_VERSION from crates.io"
fi

# --- wasm-bindgen-cli at Cargo.lock's version ---
wbg=$(locked_version wasm-bindgen)
[ -n "$wbg" ] || die "Cargo.lock names no wasm-bindgen version"
if [ "$(wasm-bindgen --version 2>/dev/null || true)" = "wasm-bindgen $wbg" ]; then
  ok "wasm-bindgen $wbg"
else
  step "cargo install wasm-bindgen-cli $wbg (about 4 minutes)"
  # --locked fails on this registry mirror (a locked dependency is missing); try it, then without.
  cargo install wasm-bindgen-cli --version "$wbg" --locked --quiet 2>/dev/null \
    || cargo install wasm-bindgen-cli --version "$wbg" --quiet \
    || die "could not install wasm-bindgen-cli $wbg from crates.io"
fi
grep -q "wasm_bindgen = \"$wbg\"" Trunk.toml \
  || die "Trunk.toml pins a wasm-bindgen other than Cargo.lock's $wbg; update [tools] wasm_bindgen"

# --- python3 and jsonschema, for the test that reads exports as a training script would ---
command -v python3 >/dev/null || apt_install python3 python3-pip
if python3 -c "import jsonschema" 2>/dev/null; then
  ok "python3 jsonschema"
else
  step "pip install jsonschema"
  python3 -m pip install --quiet jsonschema==4.26.0 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages jsonschema==4.26.0 \
    || apt_install python3-jsonschema
fi

# --- the consumers of the exports, in a project-local virtual environment ---
# tests/consumers/ reads every export with spaCy, Hugging Face datasets, PyLD and seqeval,
# pinned in tests/consumers/requirements.txt; a copy of that file in .venv says it is done.
if cmp -s tests/consumers/requirements.txt .venv/requirements.txt 2>/dev/null && [ -x .venv/bin/python ]; then
  ok "python .venv (spaCy, datasets, PyLD, seqeval)"
else
  if [ ! -x .venv/bin/python ]; then
    step "python3 -m venv .venv"
    python3 -m venv .venv 2>/dev/null || { apt_install python3-venv && python3 -m venv .venv; } \
      || die "could not make a Python virtual environment in .venv"
  fi
  step "pip install -r tests/consumers/requirements.txt into .venv (about 2 minutes)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r tests/consumers/requirements.txt \
    || die "pip could not install tests/consumers/requirements.txt from PyPI"
  cp tests/consumers/requirements.txt .venv/requirements.txt
fi

# --- node and npm ---
if ! command -v npm >/dev/null; then
  apt_install nodejs npm
fi
ok "node $(node --version)"

# --- npm packages: wasm-opt (binaryen) and Playwright ---
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ node_modules/.package-lock.json -nt package-lock.json ] && [ -x node_modules/.bin/wasm-opt ]; then
  ok "npm packages"
else
  step "npm ci"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null || die "npm ci failed"
  touch node_modules/.package-lock.json
fi
ok "$(node_modules/.bin/wasm-opt --version)"

# --- crates, for builds with --offline (trunk passes it on to cargo) ---
# On the Debian route this also fetches the standard library's own dependencies for build-std.
step "cargo fetch (wasm32 build, native tests)"
( wasm_build_env && cargo fetch --target wasm32-unknown-unknown --quiet ) || die "cargo fetch failed: crates.io is needed once"
cargo fetch --quiet || die "cargo fetch failed: crates.io is needed once"

# --- Chromium for the end-to-end tests ---
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  ok "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
else
  apt_install chromium chromium-driver
  [ -x /usr/bin/chromium ] || die "Debian's chromium package did not provide /usr/bin/chromium"
fi

ok "setup complete in $(( $(date +%s) - started )) s"
