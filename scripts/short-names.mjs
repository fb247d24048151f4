// Short import and export names for a wasm module and its wasm-bindgen glue.
//
// wasm-bindgen names each import after its JS function plus a 16-hex-digit hash
// (`__wbg_setTimeout_319f67fe84316678`), under the module "./<name>_bg.js", and each export
// after its Rust path (`captivatechatapicore_createConversation`); both the wasm and the glue
// carry every name, and the hashes do not compress. Binaryen's
// --minify-imports-and-exports-and-modules renames them all to one or two characters and
// prints the mapping, which is applied here to the glue (its import object's keys and its
// `wasm.<export>` uses). Every name is checked: a glue that still names something the
// module no longer has fails the build instead of failing in a browser.
// Gzip: drop-in -2.0 kB, widget first load (the launcher: many imports) -4.8 kB, widget module
// -6.9 kB (the glue's import keys were half of its bytes), markdown module -0.3 kB.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Runs wasm-opt on `input` with `optArgs` plus the renaming, into `output`; returns `glue`
 * (the wasm-bindgen JS of that module, as text) rewritten to the new names. */
export function shortNames({ input, output, glue, optArgs = [], cwd }) {
  // Also without the producers and target-features sections (the toolchain's names and the
  // features it compiled for: nothing a browser reads), about 240 bytes a module.
  const printed = execFileSync('wasm-opt', [...optArgs, '--minify-imports-and-exports-and-modules',
    '--strip-producers', '--strip-target-features', input, '-o', output],
    { cwd, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
  const map = JSON.parse(printed.slice(printed.indexOf('{')));
  const module = new WebAssembly.Module(readFileSync(output));
  const imports = WebAssembly.Module.imports(module);
  const exports = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  const modules = [...new Set(imports.map((i) => i.module))];
  const oldModules = [...new Set(map.imports.map(([m]) => m))];
  if (modules.length !== 1 || oldModules.length !== 1) throw new Error(`short names: one import module expected, got ${oldModules} -> ${modules}`);
  const once = (text, pattern, to, what) => {
    let n = 0;
    const next = text.replace(pattern, (...m) => { n++; return to(...m); });
    if (n !== 1) throw new Error(`short names: ${what} found ${n} times in the glue`);
    return next;
  };
  let out = once(glue, new RegExp(`(["'])${escape(oldModules[0])}\\1(\\s*:)`, 'g'), (_, _q, colon) => `"${modules[0]}"${colon}`, `module ${oldModules[0]}`);
  for (const [, name, to] of map.imports) {
    out = once(out, new RegExp(`([{,\\s])${escape(name)}(\\s*:)`, 'g'), (_, before, colon) => `${before}"${to}"${colon}`, `import ${name}`);
  }
  const renamed = new Map(map.exports);
  out = out.replace(/\bwasm\.([A-Za-z_$][\w$]*)/g, (whole, name) => {
    const to = renamed.get(name);
    if (to === undefined) throw new Error(`short names: the glue uses wasm.${name}, which the module does not export`);
    return `wasm[${JSON.stringify(to)}]`;
  });
  for (const to of renamed.values()) if (!exports.has(to)) throw new Error(`short names: export ${to} missing`);
  return out;
}
