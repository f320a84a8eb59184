# Shared helpers for the scripts in this folder. Sourced, never run.

step() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
ok()   { printf '  ok  %s\n' "$*" >&2; }
note() { printf '  --  %s\n' "$*" >&2; }
die()  { printf '\nstopped: %s\n' "$*" >&2; exit 1; }

# The version of a crate as Cargo.lock records it.
locked_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

# True when the rustup toolchain in use has the wasm32 standard library.
# SPANWRIGHT_DEBIAN_RUST=1 pretends it has not, to exercise the Debian route.
wasm_std_from_rustup() {
  [ "${SPANWRIGHT_DEBIAN_RUST:-0}" = 1 ] && return 1
  command -v rustc >/dev/null || return 1
  local dir
  dir=$(rustc --print target-libdir --target wasm32-unknown-unknown 2>/dev/null) || return 1
  compgen -G "$dir/libstd-*.rlib" >/dev/null
}

# True when Debian's Rust and the standard library sources for build-std are installed.
wasm_std_from_debian() {
  [ -x /usr/bin/rustc ] && [ -x /usr/bin/cargo ] && [ -d /usr/lib/rustlib/src/rust/library ] \
    && { command -v rust-lld >/dev/null || [ -x /usr/bin/rust-lld ] || [ -x /usr/lib/llvm-22/bin/lld ]; }
}

# Sets up the environment for building the wasm app: nothing when rustup has the target,
# Debian's Rust with build-std otherwise. These variables stay out of .cargo/config.toml
# because stable cargo rejects [unstable] there and a laptop with rustup does not need them.
wasm_build_env() {
  [ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
  export PATH="$PWD/node_modules/.bin:$PATH"
  if ! wasm_std_from_rustup && wasm_std_from_debian; then
    export PATH="/usr/bin:$PATH"
    export RUSTC_BOOTSTRAP=1
    export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
    # build-std builds its own target dir state; keep it apart from the rustup build's.
    export CARGO_TARGET_DIR="$PWD/target/debian-wasm"
  fi
}
