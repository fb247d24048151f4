// The release builds of our wasm modules (the drop-in's and the widget's): cargo for wasm32-unknown-unknown, with the standard library
// compiled with the crate (`-Zbuild-std`), panics that abort at once
// (`-Cpanic=immediate-abort`) and no source locations (`-Zlocation-detail=none`).
//
// The standard library rustup ships is built for speed and with the panic machinery every
// panic goes through: the message formatted by core::fmt, its file and line, the panic hook.
// None of that reaches anyone here: a panic in wasm32-unknown-unknown writes to no console
// and aborts the instance whatever it formatted. Built with the crate, std is optimized with
// it (LTO; std's own code at opt-level 3, see below) and an abort is one `unreachable`; what
// still asks for its caller's location (`#[track_caller]`, RefCell's borrow checks) gets none,
// so no file name is left in the module (and the module does not depend on where the
// toolchain is installed). Drop-in 59.3 -> 54.0 kB gzip, widget first load 82.7 -> 68.1,
// widget part 119.2 -> 113.7, markdown part 73.6 -> 66.3 (measured on 2026-11-28).
// (`-Zfmt-debug=none` changed nothing: no Debug formatting is left.) std's
// `optimize_for_size` feature (smaller sorts, number formatting and float parsing) is for the
// widget's build only: its first load -0.7 kB gzip; the drop-in's module grows with it.
//
// These are unstable cargo and rustc flags, enabled on the stable toolchain with
// RUSTC_BOOTSTRAP=1 (as the Linux kernel builds its Rust), for these builds only: the native
// builds and every test build use the toolchain as it is. They need the toolchain's
// `rust-src` component (scripts/setup.sh adds it) and the standard library's own crates
// (setup fetches them). A toolchain that renames a flag fails here, loudly; the size guard
// (tests/node/sizes.test.mjs) catches one that silently stops applying it.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Runs `cargo <command> --release --target wasm32-unknown-unknown --lib <args>` as described
 * above and returns the path of the module it built; `rustcArgs`, if any, go to rustc for the
 * crate itself (`cargo rustc … -- <rustcArgs>`); `stdFeatures`, if any, are features of the
 * standard library built with it. */
export function cargoWasm(command, args, { cwd, rustcArgs = [], stdFeatures = [] }) {
  const rustflags = [process.env.CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS, '-Zunstable-options',
    '-Cpanic=immediate-abort', '-Zlocation-detail=none'].filter(Boolean).join(' ');
  // The standard library's own code (what is not generic: generic code is compiled where it
  // is used, in our profile) at opt-level 3: smaller here than at "z" (drop-in -0.4 kB gzip,
  // widget -0.3 kB over its three parts) or "s", and faster. Every dependency at 3 instead:
  // markdown part +10.8 kB; the Leptos and wasm-bindgen crates too: widget +2.4 kB.
  const std = ['core', 'alloc', 'std'].flatMap((c) => ['--config', `profile.release.package.${c}.opt-level=3`]);
  const features = stdFeatures.length ? [`-Zbuild-std-features=${stdFeatures.join(',')}`] : [];
  execFileSync('cargo', [command, '--release', '--target', 'wasm32-unknown-unknown', '--lib', ...args,
    '-Zbuild-std=std,panic_abort', ...features, ...std, ...(rustcArgs.length ? ['--', ...rustcArgs] : [])], {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, RUSTC_BOOTSTRAP: '1', CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS: rustflags },
  });
  return path.join(cwd, 'target', 'wasm32-unknown-unknown', 'release', 'captivate_chat.wasm');
}
