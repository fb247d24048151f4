// Short import and export names for a wasm module and its wasm-bindgen glue, and no export
// the glue does not use.
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
//
// Classes named by `dropClasses` are taken out of the glue (Leptos links server_fn, whose
// wasm-streams exports three stream classes nothing here uses), and every export the glue
// then does not use is dropped from the module before wasm-opt, which removes the code
// only they reached.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Parser } from 'acorn';
import { readModule, section, uleb } from './wasm-module.mjs';

/** `s` as a regular expression that matches it literally. */
export const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The glue without the top-level classes whose names match `pattern`: their declaration
 * and every other top-level statement that names them (their finalization registry, their
 * `Symbol.dispose` alias). */
function withoutClasses(glue, pattern) {
  const program = Parser.parse(glue, { ecmaVersion: 'latest', sourceType: 'module' });
  const declared = (node) => {
    const d = node.type === 'ExportNamedDeclaration' ? node.declaration : node;
    return d && d.type === 'ClassDeclaration' && pattern.test(d.id.name) ? d.id.name : null;
  };
  const names = program.body.map(declared).filter(Boolean);
  if (names.length === 0) return glue;
  const mentions = new RegExp(`\\b(${names.map(escape).join('|')})`);
  const cut = program.body.filter((node) => declared(node) || mentions.test(glue.slice(node.start, node.end)));
  let out = glue;
  for (const node of cut.reverse()) out = out.slice(0, node.start) + out.slice(node.end);
  if (mentions.test(out)) throw new Error(`short names: ${names} still named in the glue`);
  return out;
}

const exportUses = (glue) => new Set([...glue.matchAll(/\bwasm\.([A-Za-z_$][\w$]*)/g)].map((m) => m[1]));

/** `wasm` without the exports not in `keep`. */
function keepExports(wasm, keep) {
  return exportsWhere(wasm, (name) => keep.has(name));
}

/** `wasm` with only the exports whose name passes `test` (every other section as it is, so
 * that a module linked with its relocations keeps them right). */
export function exportsWhere(wasm, test) {
  const { sections, exports } = readModule(wasm);
  const kept = exports.filter((e) => test(e.name)).map((e) => e.bytes);
  const exportSection = section(7, Buffer.concat([Buffer.from(uleb(kept.length)), ...kept]));
  return Buffer.concat([wasm.subarray(0, 8), ...sections.map((s) => (s.id === 7 ? exportSection : s.bytes))]);
}

/** `text` with its one occurrence of `from` replaced by `to`; throws when `from` is not there
 * exactly once (a build step that edits generated code stops when that code changes). */
export function replaceOnce(text, from, to) {
  const parts = text.split(from);
  if (parts.length !== 2) throw new Error(`${JSON.stringify(from)} found ${parts.length - 1} times`);
  return parts.join(to);
}

/** How every module of ours is optimized (wasm-opt): a light cleanup (`-O1`), then functions
 * that differ only in constants (monomorphs of one generic, mostly) merged into one, then
 * `-Oz`. Against `-Oz` alone (2026-11-27, gzip): widget part -3.4 kB, main part -0.65, markdown
 * part -0.24, drop-in -0.2. After `-Oz` (its inlining) the merge finds nearly nothing, and
 * `-O2` first spoils it likewise: the order matters.
 * Two promises about our code let it fold more (gzip: widget part -1.0 kB, main part -0.4,
 * drop-in -0.34, markdown -0.23): `-iit` (no load, store or division traps by itself; Rust
 * checks bounds and divisors before, so none does) and `-lmu` (the lowest 1 KiB of memory is
 * never read or written: rustc links the stack first, [0, 1 MiB) growing down from 1 MiB,
 * data above it, so that only the last KiB of a full stack lies there; a constant offset
 * can then be folded into the load or store that uses it).
 * A function that has one caller is inlined into it only when it is small (15 instructions):
 * `-Oz` inlines every such function whatever its size, which welds a generic's monomorphs
 * into their different callers; kept apart, they stay alike and compress (gzip / brotli,
 * with order-functions.mjs): widget part -12.7 / -7.7 kB, main part -1.4 / -0.9, markdown
 * -1.0 / -1.0, drop-in -1.2 / -0.2, for 4-5 % more bytes before compression. Then a second
 * merge finds more functions alike (widget part -0.5 kB), and `-Oz` again cleans after it.
 * (15 rather than 10 since the widget builds messages with DOM calls: -0.1 kB gzip, -0.3 kB
 * brotli over the five files; 20 is better for the drop-in alone, worse for the widget.) */
export const OPTIMIZE = ['-iit', '-lmu', '-O1', '--merge-similar-functions',
  '--one-caller-inline-max-function-size', '15', '-Oz', '--merge-similar-functions', '-Oz'];

/** Runs wasm-opt on `input` with `optArgs` plus the renaming, into `output`; returns `glue`
 * (the wasm-bindgen JS of that module, as text) rewritten to the new names. */
export function shortNames({ input, output, glue, optArgs = [], cwd, dropClasses = /^IntoUnderlying/, keep = [], onExports }) {
  glue = withoutClasses(glue, dropClasses);
  const used = exportUses(glue);
  for (const name of keep) used.add(name);
  const scratch = mkdtempSync(path.join(tmpdir(), 'short-names-'));
  const trimmed = path.join(scratch, 'trimmed.wasm');
  writeFileSync(trimmed, keepExports(readFileSync(input), used));
  // Also without the producers and target-features sections (the toolchain's names and the
  // features it compiled for: nothing a browser reads), about 240 bytes a module.
  const printed = execFileSync('wasm-opt', [...optArgs, '--minify-imports-and-exports-and-modules',
    '--strip-producers', '--strip-target-features', trimmed, '-o', output],
    { cwd, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
  rmSync(scratch, { recursive: true, force: true });
  const map = JSON.parse(printed.slice(printed.indexOf('{')));
  const module = new WebAssembly.Module(readFileSync(output));
  const imports = WebAssembly.Module.imports(module);
  const exports = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  const modules = new Map(map.imports.map(([m]) => [m, imports.find((i) => i.name === map.imports.find(([o]) => o === m)[2])?.module]));
  const once = (text, pattern, to, what) => {
    let n = 0;
    const next = text.replace(pattern, (...m) => { n++; return to(...m); });
    if (n !== 1) throw new Error(`short names: ${what} found ${n} times in the glue`);
    return next;
  };
  let out = glue;
  // A module the wasm imports raw (wasm-split's link module) is an ES module namespace in
  // the glue, whose exports keep their names; wasm-bindgen's own imports are keys of an
  // object literal. Binaryen may put both under one short module name: the raw imports then
  // join that object, under their short names.
  // (wasm-bindgen names such a module once per import: one entry each, the same namespace.)
  const namespaceOf = (old) => {
    const entry = new RegExp(`(["'])${escape(old)}\\1\\s*:\\s*([A-Za-z_$][\\w$]*)\\s*,?`, 'g');
    const m = [...out.matchAll(entry)];
    return m.length && m.every((e) => new RegExp(`import \\* as ${escape(e[2])} from`).test(out)) ? { entry, ns: m[0][2] } : null;
  };
  const raw = [];
  const objects = new Map();
  for (const [old, to] of modules) {
    if (to === undefined) throw new Error(`short names: import module ${old} lost`);
    const names = map.imports.filter(([m]) => m === old);
    const namespace = namespaceOf(old);
    if (namespace) {
      out = out.replace(namespace.entry, '');
      raw.push({ to, entries: names.map(([, n, t]) => `"${t}": ${namespace.ns}.${n}`) });
      continue;
    }
    objects.set(to, out.match(new RegExp(`(["'])${escape(old)}\\1\\s*:\\s*([A-Za-z_$][\\w$]*)`))?.[2]);
    out = once(out, new RegExp(`(["'])${escape(old)}\\1(\\s*:)`, 'g'), (_, _q, colon) => `"${to}"${colon}`, `module ${old}`);
    for (const [, name, short] of names) {
      out = once(out, new RegExp(`([{,\\s])${escape(name)}(\\s*:)`, 'g'), (_, before, colon) => `${before}"${short}"${colon}`, `import ${name}`);
    }
  }
  for (const r of raw) {
    const object = objects.get(r.to);
    if (!object) throw new Error(`short names: no import object for module ${r.to} to take the raw imports`);
    out = once(out, new RegExp(`(const ${escape(object)} = \\{)`, 'g'), (_, open) => `${open} ${r.entries.join(', ')},`, `import object ${object}`);
  }
  const renamed = new Map(map.exports);
  out = out.replace(/\bwasm\.([A-Za-z_$][\w$]*)/g, (whole, name) => {
    const to = renamed.get(name);
    if (to === undefined) throw new Error(`short names: the glue uses wasm.${name}, which the module does not export`);
    return `wasm[${JSON.stringify(to)}]`;
  });
  for (const to of renamed.values()) if (!exports.has(to)) throw new Error(`short names: export ${to} missing`);
  for (const name of keep) if (!renamed.has(name)) throw new Error(`short names: kept export ${name} missing`);
  onExports?.(renamed);
  return out;
}
