// The release builds of our wasm modules (the drop-in's and the widget's): cargo for
// wasm32-unknown-unknown, with the standard library compiled with the crate (`-Zbuild-std`),
// panics that abort at once (`-Cpanic=immediate-abort`) and no source locations
// (`-Zlocation-detail=none`).
//
// The standard library rustup ships is built for speed and with the panic machinery every
// panic goes through: the message formatted by core::fmt, its file and line, the panic hook.
// None of that reaches anyone here: a panic in wasm32-unknown-unknown writes to no console
// and aborts the instance whatever it formatted. Built with the crate, std is optimized with
// it (LTO) and an abort is one `unreachable`; what still asks for its caller's location
// (`#[track_caller]`, RefCell's borrow checks) gets none, so no file name is left in the
// module (and the module does not depend on where the toolchain is installed). What it saves:
// docs/size.md, "Tricks".
//
// These are unstable cargo and rustc flags, enabled with RUSTC_BOOTSTRAP=1 on the compiler
// rust-toolchain.toml pins, for these builds only; why a pinned stable rather than a nightly,
// and how to upgrade: docs/size.md, "The toolchain". They need the toolchain's `rust-src`
// component and the standard library's own crates (scripts/setup.sh). A compiler that renames
// a flag fails here, loudly; the size guard (tests/node/sizes.test.mjs) catches one that
// silently stops applying it.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Runs `cargo <command> --release --target wasm32-unknown-unknown --lib <args>` as described
 * above and returns the path of the module it built; `rustcArgs`, if any, go to rustc for the
 * crate itself (`cargo rustc … -- <rustcArgs>`). */
export function cargoWasm(command, args, { cwd, rustcArgs = [] }) {
  const rustflags = [process.env.CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS, '-Zunstable-options',
    '-Cpanic=immediate-abort', '-Zlocation-detail=none'].filter(Boolean).join(' ');
  // The standard library's own code (what is not generic: generic code is compiled where it
  // is used, in our profile) at opt-level 3, as rustup ships it: smaller here than at "z" or
  // "s", and faster. (Every dependency at 3 would grow the modules.)
  const std = ['core', 'alloc', 'std'].flatMap((c) => ['--config', `profile.release.package.${c}.opt-level=3`]);
  execFileSync('cargo', [command, '--release', '--target', 'wasm32-unknown-unknown', '--lib', ...args,
    '-Zbuild-std=std,panic_abort', ...std, ...(rustcArgs.length ? ['--', ...rustcArgs] : [])], {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, RUSTC_BOOTSTRAP: '1', CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS: rustflags },
  });
  return path.join(cwd, 'target', 'wasm32-unknown-unknown', 'release', 'captivate_chat.wasm');
}
