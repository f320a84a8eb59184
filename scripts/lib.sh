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

# True when the rustup toolchain in use has the standard library's sources (rust-src).
std_src_from_rustup() {
  [ -d "$(rustc --print sysroot 2>/dev/null)/lib/rustlib/src/rust/library/std" ]
}

# Sets up the environment for building the wasm app. The standard library is rebuilt for
# the app whenever its sources are at hand (rustup's rust-src, or Debian's rust-web-src):
# that drops every panic message and unwinding path (-Cpanic=immediate-abort; a panic in
# the browser printed nothing anyway, as the app installs no panic hook) and picks std's
# size-optimised code, 10 % less wasm. Without the sources, rustup's prebuilt std is used
# as it is. These variables stay out of .cargo/config.toml because stable cargo rejects
# [unstable] there and native `cargo test` must not see them.
wasm_build_env() {
  [ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
  export PATH="$PWD/node_modules/.bin:$PATH"
  if wasm_std_from_rustup; then
    std_src_from_rustup || return 0
    # Kept apart from a build with rustup's prebuilt std, which has other flags.
    export CARGO_TARGET_DIR="$PWD/target/wasm-build-std"
  elif wasm_std_from_debian; then
    export PATH="/usr/bin:$PATH"
    export CARGO_TARGET_DIR="$PWD/target/debian-wasm"
  else
    return 0
  fi
  export RUSTC_BOOTSTRAP=1
  export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort"
}
