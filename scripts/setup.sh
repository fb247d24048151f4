#!/usr/bin/env bash
# Installs what the build and the tests need, only what is missing: safe to run again.
# Tools: wasm32 target, rust-src (the release wasm builds compile std), Trunk 0.21.14, wasm-bindgen-cli 0.2.130 (with its test runner),
# wasm-split-cli 0.2.4 (splits the widget's wasm in two),
# Debian's chromium + chromium-driver, and the npm dev dependencies from package-lock.json
# (binaryen's wasm-opt, playwright-core, typescript, axe-core, the official package for
# differential tests); then every crate any build or test will need, for every target and
# feature, so that nothing that runs cargo offline (Trunk) meets a crate it never downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

say() { printf 'setup: %s\n' "$*"; }

# Tools go where the Makefile's PATH looks, whatever CARGO_HOME the crates use (CI uses an
# empty one of its own).
tools_root="${CARGO_INSTALL_ROOT:-$HOME/.cargo}"

# The toolchain rust-toolchain.toml pins, with its target and components (rustup installs
# what the file lists; a no-op once they are there).
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown \
  || ! rustup component list --installed | grep -q '^rust-src' \
  || ! rustup component list --installed | grep -q '^clippy' \
  || ! rustup component list --installed | grep -q '^rustfmt'; then
  say "installing the toolchain rust-toolchain.toml pins, with its target and components"
  rustup toolchain install
fi

if ! trunk --version 2>/dev/null | grep -q '0\.21\.14'; then
  say "installing trunk 0.21.14 (a few minutes, once)"
  cargo install trunk --version 0.21.14 --locked --root "$tools_root"
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q '0\.2\.130' \
  || ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli 0.2.130 (a few minutes, once)"
  # Not --locked: the lock file published with 0.2.130 pins webpki-roots 1.0.11, which the
  # registry no longer offers (cargo: "failed to select a version ... locked to 1.0.11"); the
  # version of the CLI itself is pinned, and it must match the crate's (Cargo.lock).
  cargo install wasm-bindgen-cli --version 0.2.130 --force --root "$tools_root"
fi

if ! cargo install --list --root "$tools_root" | grep -q '^wasm_split_cli_support v0\.2\.4:'; then
  say "installing wasm-split-cli 0.2.4 (about a minute, once)"
  cargo install wasm_split_cli_support --version 0.2.4 --features build-binary --locked --root "$tools_root"
fi

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  say "installing Debian's chromium and chromium-driver"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q chromium chromium-driver
fi

stamp=node_modules/.setup-lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "installing npm dev dependencies from package-lock.json"
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi

# Every target (native, wasm32) and feature (api, widget, demo), dev-dependencies included;
# a no-op once the crate cache has them.
say "fetching the crates of Cargo.lock (all targets and features; quick once cached)"
cargo fetch --locked
# ... and the standard library's own crates, which those release builds compile (its lock
# file comes with rust-src).
RUSTC_BOOTSTRAP=1 cargo fetch --locked --manifest-path "$(rustc --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"
