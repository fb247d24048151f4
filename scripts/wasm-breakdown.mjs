// Where a wasm module's bytes go, by crate: the size of each function body (code) and
// of the data segments, attributed through the module's name section (wasm-bindgen keeps
// it, demangled, until wasm-opt strips it). Usable alone:
//   node scripts/wasm-breakdown.mjs target/js-api/captivate_chat_bg.wasm
// `make bench` runs it on both of our modules and puts the table in BENCHMARKS.md.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { readModule } from './wasm-module.mjs';

/** A legacy-mangled Rust symbol (`_ZN4core3fmt5write17h…E`, as wasm-split's output names
 * its functions) demangled (`core::fmt::write`); other names as they are. */
export function demangle(name) {
  if (!/^_ZN\d/.test(name)) return name;
  const parts = [];
  for (let p = 3; /\d/.test(name[p] ?? '');) {
    const len = Number(name.slice(p).match(/^\d+/)[0]);
    p += String(len).length;
    parts.push(name.slice(p, p + len));
    p += len;
  }
  if (/^h[0-9a-f]{16}$/.test(parts.at(-1) ?? '')) parts.pop();
  const symbols = { '$LT$': '<', '$GT$': '>', '$u20$': ' ', '$RF$': '&', '$BP$': '*', '$C$': ',', '$u7b$': '{', '$u7d$': '}', '$u5b$': '[', '$u5d$': ']' };
  return parts.map((s) => s.replace(/^_(?=\$)/, '').replace(/\$(LT|GT|u20|RF|BP|C|u7b|u7d|u5b|u5d)\$/g, (m) => symbols[m]).replace(/\.\./g, '::')).join('::');
}

/** The crate a Rust symbol belongs to, or a label for generated code. */
export function crateOf(name) {
  if (!name) return '(unnamed)';
  // A v0-mangled symbol (`_RNv…Cs<hash>_4core3fmt…`, as the standard library's are): the
  // first crate it names.
  const v0 = name.match(/^_R.*?C[s0-9A-Za-z]*?_(\d+)([A-Za-z_])/);
  if (v0) return name.substr(v0.index + v0[0].length - 1, Number(v0[1]));
  name = demangle(name);
  if (/^__wbg_|^__wbindgen|^wasm_bindgen::|^__externref|^closure\d|^__wbg/.test(name)) return 'wasm_bindgen';
  // `<T as Trait>::f` and `<&T as Trait>::f`: the crate of T.
  let n = name.replace(/^<+/, '').replace(/^(&mut |&|\*const |\*mut |dyn |\[)+/, '');
  const m = n.match(/^([A-Za-z_][A-Za-z0-9_]*)(\[[0-9a-f]+\])?::/);
  if (/^(str|\[T\]|T|u8|char)>/.test(n)) return 'core';
  if (m) return m[1];
  if (/^(memcpy|memmove|memset|memcmp|bcmp|strlen)$/.test(name)) return 'compiler_builtins';
  return '(other)';
}

/** `{ crates: [{ crate, code, gzip }], data, total }` for the wasm bytes given. */
export function breakdown(bytes) {
  const { imported, bodies, names, data } = readModule(bytes);
  const byCrate = new Map();
  bodies.forEach((body, i) => {
    const c = crateOf(names.get(i + imported));
    const e = byCrate.get(c) || { crate: c, code: 0, parts: [] };
    e.code += body.length;
    e.parts.push(body);
    byCrate.set(c, e);
  });
  const crates = [...byCrate.values()].map((e) => ({ crate: e.crate, code: e.code, gzip: gzipSync(Buffer.concat(e.parts), { level: 9 }).length }));
  crates.sort((a, b) => b.code - a.code);
  return { crates, data, total: bytes.length, named: names.size > 0 };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = breakdown(readFileSync(process.argv[2]));
  if (!r.named) console.log('(no name section: build with names to attribute code)');
  for (const c of r.crates) console.log(`${String(c.code).padStart(8)} ${String(c.gzip).padStart(7)} gz  ${c.crate}`);
  console.log(`${String(r.data).padStart(8)}          data segments`);
  console.log(`${String(r.total).padStart(8)}          whole module`);
}
