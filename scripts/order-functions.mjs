// Puts a wasm module's function bodies in order of size class, smallest first, and within
// a class (sizes within a power of two) each next to the one most like it, in place.
//
// gzip finds repeats only within 32 KB behind, and a module's small functions (wrappers,
// drop glue, closures of one generic) look alike; in the order the compiler left them they
// lie scattered over the code section. Side by side they compress better; within a size
// class, bodies that begin alike (the same locals, the same first instructions) go next to
// each other (against size alone: widget part -0.9 / -2.1 kB gzip / brotli, main part
// -0.5 / -0.5, drop-in -0.26 / -0.27, markdown -0.1 / -0.2). Size alone against the
// compiler's order, on the widget (gzip -9): main part -1.4 kB, widget part -1.8 kB, markdown
// part -0.2 kB (brotli -0.4 / -0.7 / -0.3 kB). On the drop-in's module it first cost 0.35 kB; since wasm-opt
// keeps large functions that have one caller out of line (short-names.mjs) it saves 0.6 kB
// there too. Within a class, a chain of likeness (each body followed by the one of its class,
// not yet placed, that shares the largest part of its 4-byte sequences with it: Jaccard
// similarity) rather than the order of their bytes: widget first load -0.37 kB gzip, widget
// part -0.94, markdown part -0.16, drop-in -0.30. Only the order changes: Binaryen renumbers every call, table entry and export
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

/** Reorders `file`'s functions by size (see above); `cwd` is where wasm-opt runs. */
export function orderFunctions(file, cwd) {
  const bytes = readFileSync(file);
  const { sections, imported, bodies } = readModule(bytes);
  const sizes = bodies.map((b) => b.length);
  const sizeClass = (f) => Math.floor(Math.log2(sizes[f] || 1));
  const sorted = sizes.map((_, i) => i)
    .sort((a, b) => sizeClass(a) - sizeClass(b) || Buffer.compare(bodies[a], bodies[b]) || a - b);
  const order = chained(sorted, bodies, sizeClass);
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

/** `sorted` (grouped by `group`, each group's first body first) with each group's bodies
 * chained by likeness: after each body, the one of its group not yet placed that shares the
 * largest part of its 4-byte sequences with it (ties: the earlier in `sorted`). */
function chained(sorted, bodies, group) {
  const sequences = bodies.map((b) => {
    const set = new Set();
    for (let i = 0; i + 4 <= b.length; i++) set.add(b.readUInt32LE(i));
    return set;
  });
  const likeness = (a, b) => {
    const [small, large] = sequences[a].size < sequences[b].size ? [sequences[a], sequences[b]] : [sequences[b], sequences[a]];
    if (small.size === 0) return 0;
    let shared = 0;
    for (const x of small) if (large.has(x)) shared++;
    return shared / (small.size + large.size - shared);
  };
  const groups = new Map();
  for (const f of sorted) {
    const g = group(f);
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g).push(f);
  }
  const out = [];
  for (const members of groups.values()) {
    const left = new Set(members);
    for (let at = members[0]; at !== undefined;) {
      left.delete(at);
      out.push(at);
      let next;
      let best = -1;
      for (const f of left) {
        const l = likeness(at, f);
        if (l > best) {
          best = l;
          next = f;
        }
      }
      at = next;
    }
  }
  return out;
}
