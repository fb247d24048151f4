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
// module no longer has fails the build instead of failing in a browser (a seam:
// scripts/seams.mjs). What it saves: docs/size.md.
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
import { seamError } from './seams.mjs';
import { readModule, section, uleb } from './wasm-module.mjs';

/** `s` as a regular expression that matches it literally. */
export const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The glue without the top-level classes whose names match `pattern`: their declaration
 * and every other top-level statement that names them (their finalization registry, their
 * `Symbol.dispose` alias). */
function withoutClasses(glue, pattern) {
  let program;
  try {
    program = Parser.parse(glue, { ecmaVersion: 'latest', sourceType: 'module' });
  } catch (e) {
    throw seamError('wasm-bindgen', `the glue does not parse as a module (${e.message})`);
  }
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
  if (mentions.test(out)) throw seamError('wasm-bindgen', `the classes ${names} are still named in the glue once their statements are cut`);
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

/** `text` (written by `tool`) with its one occurrence of `from` replaced by `to`; throws when
 * `from` is not there exactly once (a build step that edits generated code stops when that
 * code changes). */
export function replaceOnce(text, from, to, tool) {
  const parts = text.split(from);
  if (parts.length !== 2) throw seamError(tool, `${JSON.stringify(from)} found ${parts.length - 1} times, not once`);
  return parts.join(to);
}

/** `glue` (wasm-bindgen's `web` glue of captivate-chat) with the default URL of its wasm,
 * used when its init is given none, naming `file` (the main part as the build names it): a
 * bundler that follows `new URL('…', import.meta.url)` then finds the file rather than
 * warning about one that does not exist (the widget package's ES entry,
 * scripts/build-widget-package.mjs). */
export function glueWasmUrl(glue, file) {
  const url = (name) => `new URL('${name}', import.meta.url)`;
  return replaceOnce(glue, url('captivate-chat_bg.wasm'), url(file), 'wasm-bindgen');
}

/** How every module of ours is optimized (wasm-opt); what each part saves: docs/size.md.
 * A light cleanup (`-O1`), then functions that differ only in constants (monomorphs of one
 * generic, mostly) merged into one, then `-Oz`. After `-Oz` (its inlining) the merge finds
 * nearly nothing, and `-O2` first spoils it likewise: the order matters.
 * Two promises about our code let it fold more: `-iit` (no load, store or division traps by
 * itself; Rust checks bounds and divisors before, so none does) and `-lmu` (the lowest 1 KiB
 * of memory is never read or written: rustc links the stack first, [0, 1 MiB) growing down
 * from 1 MiB, data above it, so that only the last KiB of a full stack lies there; a constant
 * offset can then be folded into the load or store that uses it).
 * A function that has one caller is inlined into it only when it is small (15 instructions):
 * `-Oz` inlines every such function whatever its size, which welds a generic's monomorphs
 * into their different callers; kept apart, they stay alike and compress, for 4-5 % more
 * bytes before compression. Then a second merge finds more functions alike, and `-Oz` again
 * cleans after it. */
export const OPTIMIZE = ['-iit', '-lmu', '-O1', '--merge-similar-functions',
  '--one-caller-inline-max-function-size', '15', '-Oz', '--merge-similar-functions', '-Oz'];

/** `glue` without the classes `dropClasses` matches, and `wasm` with only the exports that
 * glue then uses, and `keep`. */
export function forGlue({ wasm, glue, dropClasses = /^IntoUnderlying/, keep = [] }) {
  const out = withoutClasses(glue, dropClasses);
  const used = exportUses(out);
  for (const name of keep) used.add(name);
  return { glue: out, wasm: keepExports(wasm, used) };
}

/** Runs wasm-opt on `input` with `optArgs` plus the renaming, into `output`; returns `glue`
 * (the wasm-bindgen JS of that module, as text) rewritten to the new names. */
export function shortNames({ input, output, glue, optArgs = [], cwd, dropClasses, keep = [], onExports }) {
  const trim = forGlue({ wasm: readFileSync(input), glue, dropClasses, keep });
  glue = trim.glue;
  const scratch = mkdtempSync(path.join(tmpdir(), 'short-names-'));
  const trimmed = path.join(scratch, 'trimmed.wasm');
  writeFileSync(trimmed, trim.wasm);
  // Also without the producers and target-features sections (the toolchain's names and the
  // features it compiled for: nothing a browser reads), about 240 bytes a module.
  const printed = execFileSync('wasm-opt', [...optArgs, '--minify-imports-and-exports-and-modules',
    '--strip-producers', '--strip-target-features', trimmed, '-o', output],
    { cwd, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
  rmSync(scratch, { recursive: true, force: true });
  const module = new WebAssembly.Module(readFileSync(output));
  const { glue: out, exports } = renameGlue({
    glue, map: nameMap(printed), keep,
    imports: WebAssembly.Module.imports(module), exports: WebAssembly.Module.exports(module).map((e) => e.name),
  });
  onExports?.(exports);
  return out;
}

/** The mapping wasm-opt's --minify-imports-and-exports-and-modules prints: `{ imports:
 * [[module, name, short]], exports: [[name, short]] }`. */
export function nameMap(printed) {
  const at = printed.indexOf('{');
  if (at < 0) throw seamError('wasm-opt', 'it printed no name map');
  let map;
  try {
    map = JSON.parse(printed.slice(at));
  } catch (e) {
    throw seamError('wasm-opt', `its printed name map does not parse as JSON (${e.message})`);
  }
  const pairs = (list, n) => Array.isArray(list) && list.every((e) => Array.isArray(e) && e.length === n && e.every((x) => typeof x === 'string'));
  if (!pairs(map.imports, 3) || !pairs(map.exports, 2)) {
    throw seamError('wasm-opt', 'its printed name map is not { imports: [[module, name, short]], exports: [[name, short]] }');
  }
  return map;
}

/** `glue` rewritten to the names of `map` (nameMap), for the module whose `imports`
 * (WebAssembly.Module.imports) and export names `exports` are given; `keep`: exports the glue
 * does not use that must stay. Returns `{ glue, exports }`: the new glue and the export
 * renaming (old name -> short name). */
export function renameGlue({ glue, map, imports, exports, keep = [] }) {
  const exported = new Set(exports);
  const modules = new Map(map.imports.map(([m]) => [m, imports.find((i) => i.name === map.imports.find(([o]) => o === m)[2])?.module]));
  const once = (text, pattern, to, what) => {
    let n = 0;
    const next = text.replace(pattern, (...m) => { n++; return to(...m); });
    if (n !== 1) throw seamError('wasm-bindgen', `${what} found ${n} times in the glue, not once`);
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
    if (to === undefined) throw seamError('wasm-opt', `import module ${old} of its name map is not among the module's imports`);
    const names = map.imports.filter(([m]) => m === old);
    const namespace = namespaceOf(old);
    if (namespace) {
      out = out.replace(namespace.entry, '');
      raw.push({ to, entries: names.map(([, n, t]) => `"${t}": ${namespace.ns}.${n}`) });
      continue;
    }
    objects.set(to, out.match(new RegExp(`(["'])${escape(old)}\\1\\s*:\\s*([A-Za-z_$][\\w$]*)`))?.[2]);
    out = once(out, new RegExp(`(["'])${escape(old)}\\1(\\s*:)`, 'g'), (_, _q, colon) => `"${to}"${colon}`, `the import module key "${old}":`);
    for (const [, name, short] of names) {
      out = once(out, new RegExp(`([{,\\s])${escape(name)}(\\s*:)`, 'g'), (_, before, colon) => `${before}"${short}"${colon}`, `the import key ${name}:`);
    }
  }
  for (const r of raw) {
    const object = objects.get(r.to);
    if (!object) throw seamError('wasm-bindgen', `no import object for module ${r.to} to take the raw imports`);
    out = once(out, new RegExp(`(const ${escape(object)} = \\{)`, 'g'), (_, open) => `${open} ${r.entries.join(', ')},`, `the import object "const ${object} = {"`);
  }
  const renamed = new Map(map.exports);
  out = out.replace(/\bwasm\.([A-Za-z_$][\w$]*)/g, (whole, name) => {
    const to = renamed.get(name);
    if (to === undefined) throw seamError('wasm-bindgen', `the glue uses wasm.${name}, which the module does not export`);
    return `wasm[${JSON.stringify(to)}]`;
  });
  for (const to of renamed.values()) if (!exported.has(to)) throw seamError('wasm-opt', `export ${to} of its name map is missing from the module`);
  for (const name of keep) if (!renamed.has(name)) throw seamError('wasm-opt', `kept export ${name} is not in its name map`);
  return { glue: out, exports: renamed };
}
