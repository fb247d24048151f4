// Puts a wasm module's function bodies in order of size class, smallest first, and within
// a class in the order of their bytes, in place.
//
// gzip finds repeats only within 32 KB behind, and a module's small functions (wrappers,
// drop glue, closures of one generic) look alike; in the order the compiler left them they
// lie scattered over the code section. Side by side they compress better (docs/size.md,
// "Tricks"). Only the order changes: Binaryen renumbers every call, table entry and export
// to match.
//
// Binaryen orders functions by name (`--reorder-functions-by-name`), so each defined function
// is first named after its rank (a name section written here), then the names go again.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readModule, section, uleb } from './wasm-module.mjs';

// What rustc enables for wasm32-unknown-unknown (the modules carry no target-features
// section by the time they get here).
const FEATURES = ['--enable-bulk-memory', '--enable-multivalue', '--enable-mutable-globals',
  '--enable-nontrapping-float-to-int', '--enable-reference-types', '--enable-sign-ext'];

/** Reorders `file`'s functions by size class and bytes (see above); `cwd` is where wasm-opt runs. */
export function orderFunctions(file, cwd) {
  const bytes = readFileSync(file);
  const { sections, imported, bodies } = readModule(bytes);
  const sizes = bodies.map((b) => b.length);
  const sizeClass = (f) => Math.floor(Math.log2(sizes[f] || 1));
  const order = sizes.map((_, i) => i)
    .sort((a, b) => sizeClass(a) - sizeClass(b) || Buffer.compare(bodies[a], bodies[b]) || a - b);
  const width = String(sizes.length).length;
  const entries = [];
  order.forEach((f, rank) => {
    const name = Buffer.from(`f${String(rank).padStart(width, '0')}`);
    entries.push({ index: imported + f, name });
  });
  entries.sort((a, b) => a.index - b.index);
  const names = [...uleb(entries.length), ...entries.flatMap((e) => [...uleb(e.index), ...uleb(e.name.length), ...e.name])];
  const content = [...uleb(4), ...Buffer.from('name'), 1, ...uleb(names.length), ...names];
  const scratch = mkdtempSync(path.join(tmpdir(), 'order-functions-'));
  const named = path.join(scratch, 'named.wasm');
  const kept = sections.filter((s) => s.custom !== 'name').map((s) => s.bytes);
  writeFileSync(named, Buffer.concat([bytes.subarray(0, 8), ...kept, section(0, content)]));
  execFileSync('wasm-opt', [...FEATURES, '--reorder-functions-by-name', '--strip-debug', '--strip-producers',
    '--strip-target-features', named, '-o', file], { cwd, stdio: 'inherit' });
  rmSync(scratch, { recursive: true, force: true });
}
