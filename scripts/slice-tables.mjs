// Packs a wasm module's tables of slices (runs of `&str` / `&[u8]`: a pointer and a length,
// eight bytes each) so that they compress, and gives the module a start function that
// unpacks them in place when it is instantiated, before any of its code can run.
//
// pulldown-cmark's entity table is 2,125 such pairs of slices (`(&[u8], &str)`: the name, the
// value): 34,000 bytes of pointers that gzip shrinks only to 10.9 kB, though each pointer is,
// in nine cases of ten, where the slice before it ended (the linker lays the strings out in
// the order of the table). Stored as the difference from that end, the pointers are mostly
// zero: the markdown part -4.9 kB gzip. The transform is exact whatever the bytes mean (a run
// that only looks like slices comes back as it was), and `packSliceTables` checks the
// round trip and keeps the result only when the module compresses smaller.
//
// Packed: each slice's pointer minus the furthest end (pointer + length, 32-bit) of the
// slices before it in its run (0 at the start of a run). Unpacked by the start function, in
// order, with the same arithmetic.
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { bytesAt, contentOf, firstAligned, readModule, section, segments, sleb, uleb } from './wasm-module.mjs';

/** Fewer slices in a row than this are left as they are (a run's unpacking costs ~6 bytes). */
const MIN_RUN = 16;

/** Runs of at least MIN_RUN slices whose bytes lie within the module's own segments:
 * `{ address, end, start }` (memory addresses, and where the run starts in the section). */
function findRuns(data, segs) {
  const bytes = data.bytes;
  const runs = [];
  for (const s of segs) {
    let i = firstAligned(s);
    while (i + 8 <= s.length) {
      let j = i;
      while (j + 8 <= s.length) {
        const ptr = bytes.readUInt32LE(s.start + j);
        const len = bytes.readUInt32LE(s.start + j + 4);
        if (len === 0 || len >= 65536 || !bytesAt(data, segs, ptr, len)) break;
        j += 8;
      }
      if ((j - i) / 8 >= MIN_RUN) {
        runs.push({ address: s.address + i, end: s.address + j, start: s.start + i });
        i = j;
      } else {
        i += 4;
      }
    }
  }
  return runs;
}

/** Each slice of the runs in `bytes`, in order: `step(at, furthest)` rewrites the pointer at
 * `at` and returns the slice's real pointer; `furthest` is the furthest end (pointer + length,
 * 32-bit) of the run's slices before it. Packing and unpacking are the two steps. */
function eachSlice(bytes, runs, step) {
  for (const { address, end, start } of runs) {
    let furthest = 0;
    for (let at = start; at < start + (end - address); at += 8) {
      const stop = (step(at, furthest) + bytes.readUInt32LE(at + 4)) >>> 0;
      if (stop > furthest) furthest = stop;
    }
  }
}

/** The data section with its runs packed (a copy), unpacked again to check. */
function pack(data, runs) {
  const packed = Buffer.from(data.bytes);
  eachSlice(packed, runs, (at, furthest) => {
    const ptr = packed.readUInt32LE(at);
    packed.writeUInt32LE((ptr - furthest) >>> 0, at);
    return ptr;
  });
  const unpacked = Buffer.from(packed);
  eachSlice(unpacked, runs, (at, furthest) => {
    const ptr = (unpacked.readUInt32LE(at) + furthest) >>> 0;
    unpacked.writeUInt32LE(ptr, at);
    return ptr;
  });
  if (!unpacked.equals(data.bytes)) throw new Error('slice-tables: the packed data does not unpack to the original');
  return packed;
}

/** `sec` with `count` more entries (`entries`: their bytes) after its own. */
function appended(sec, count, entries) {
  const c = contentOf(sec);
  const had = c.leb();
  return section(sec.bytes[0], [...uleb(had + count), ...sec.bytes.subarray(c.p), ...entries]);
}

const vec = (items) => [...uleb(items.length), ...items.flat()];
const I32 = 0x7f;

/** The unpacking function `(address, end)`: locals 0 address, 1 end, 2 furthest, 3 the slice's pointer, then its end. */
const UNPACK = [
  ...vec([[2, I32]]),
  0x02, 0x40, 0x03, 0x40, // block, loop
  0x20, 0, 0x20, 1, 0x4f, 0x0d, 1, // address >= end: out
  0x20, 0, 0x20, 0, 0x28, 2, 0, 0x20, 2, 0x6a, 0x22, 3, 0x36, 2, 0, // *address = x = *address + furthest
  0x20, 3, 0x20, 0, 0x28, 2, 4, 0x6a, 0x22, 3, // x = x + *(address + 4)
  0x20, 2, 0x20, 3, 0x20, 2, 0x4b, 0x1b, 0x21, 2, // furthest = x > furthest ? x : furthest
  0x20, 0, 0x41, 8, 0x6a, 0x21, 0, // address += 8
  0x0c, 0, 0x0b, 0x0b, 0x0b, // br loop; end; end; end
];

/** Packs `file`'s tables of slices in place when that makes it compress smaller (gzip -9);
 * returns the gzip bytes saved (0: left as it was). */
export function packSliceTables(file) {
  const bytes = readFileSync(file);
  const { sections, imported, bodies } = readModule(bytes);
  const [types, funcs, code, data] = [1, 3, 10, 11].map((id) => sections.find((s) => s.id === id));
  // Nothing to pack, or a start function of its own.
  if (!types || !funcs || !code || !data || sections.some((s) => s.id === 8)) return 0;
  const runs = findRuns(data, segments(data));
  if (runs.length === 0) return 0;
  const packedData = pack(data, runs);
  const typeCount = contentOf(types).leb();
  const unpackIndex = imported + bodies.length;
  const start = [...vec([]), ...runs.flatMap((r) => [0x41, ...sleb(r.address), 0x41, ...sleb(r.end), 0x10, ...uleb(unpackIndex)]), 0x0b];
  const out = [bytes.subarray(0, 8)];
  let startWritten = false;
  const writeStart = () => {
    out.push(section(8, uleb(unpackIndex + 1)));
    startWritten = true;
  };
  // Known sections come in a fixed order: the start section after the exports (7), before the
  // elements (9), the data count (12) and the code (10).
  const after = (id) => [9, 12, 10, 11].includes(id);
  for (const s of sections) {
    if (!startWritten && s.id !== 0 && after(s.id)) writeStart();
    if (s === types) out.push(appended(types, 2, [0x60, 2, I32, I32, 0, 0x60, 0, 0]));
    else if (s === funcs) out.push(appended(funcs, 2, [...uleb(typeCount), ...uleb(typeCount + 1)]));
    else if (s === code) out.push(appended(code, 2, [...uleb(UNPACK.length), ...UNPACK, ...uleb(start.length), ...start]));
    else if (s === data) out.push(packedData);
    else out.push(s.bytes);
  }
  if (!startWritten) throw new Error('slice-tables: no place for the start section');
  const result = Buffer.concat(out);
  if (!WebAssembly.validate(result)) throw new Error(`slice-tables: ${file} does not validate once packed`);
  const saved = gzipSync(bytes, { level: 9 }).length - gzipSync(result, { level: 9 }).length;
  if (saved <= 0) return 0;
  writeFileSync(file, result);
  return saved;
}
