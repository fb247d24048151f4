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
import { cursor, readModule, uleb } from './wasm-module.mjs';

/** Fewer slices in a row than this are left as they are (a run's unpacking costs ~6 bytes). */
const MIN_RUN = 16;

const sleb = (n) => {
  const out = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
};

/** A cursor over a section's content (after its id and size), with `bytes`, `at()`, `skip(n)`. */
function reader(section) {
  const c = cursor(section.bytes, 1);
  c.leb(); // the size
  return { bytes: section.bytes, leb: () => c.leb(), at: () => c.p, skip: (n) => { c.p += n; } };
}

/** The data section's active segments at a constant address: `{ address, start, length }`
 * (`start`: where its bytes are in the section); passive segments are skipped. None at all
 * when a segment's address is any other expression (not read here: the module is left as
 * it is). */
function segments(section) {
  const r = reader(section);
  const found = [];
  for (let i = 0, n = r.leb(); i < n; i++) {
    const flag = r.leb();
    let address = null;
    if (flag === 0 || flag === 2) {
      if (flag === 2) r.leb(); // the memory
      if (r.bytes[r.at()] !== 0x41) return []; // not i32.const
      r.skip(1);
      address = r.leb();
      // A negative address (signed LEB), or an expression that goes on: not ours to read.
      if (r.bytes[r.at() - 1] & 0x40 || r.bytes[r.at()] !== 0x0b) return [];
      r.skip(1);
    } else if (flag !== 1) {
      return [];
    }
    const length = r.leb();
    if (address !== null) found.push({ address, start: r.at(), length });
    r.skip(length);
  }
  return found;
}

/** Runs of at least MIN_RUN slices whose bytes lie within the module's own segments:
 * `{ address, end, start }` (memory addresses, and where the run starts in the section). */
function findRuns(section, segs) {
  const bytes = Buffer.from(section.bytes.buffer, section.bytes.byteOffset, section.bytes.length);
  const inData = (from, to) => segs.some((s) => from >= s.address && to <= s.address + s.length);
  const runs = [];
  for (const s of segs) {
    let i = (4 - (s.address % 4)) % 4;
    while (i + 8 <= s.length) {
      let j = i;
      while (j + 8 <= s.length) {
        const ptr = bytes.readUInt32LE(s.start + j);
        const len = bytes.readUInt32LE(s.start + j + 4);
        if (len === 0 || len >= 65536 || !inData(ptr, ptr + len)) break;
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

/** The runs' slices packed (in a copy of the section's bytes), and unpacked again to check. */
function pack(section, runs) {
  const packed = Buffer.from(section.bytes);
  for (const { address, end, start } of runs) {
    let furthest = 0;
    for (let q = start; q < start + (end - address); q += 8) {
      const ptr = packed.readUInt32LE(q);
      const stop = (ptr + packed.readUInt32LE(q + 4)) >>> 0;
      packed.writeUInt32LE((ptr - furthest) >>> 0, q);
      if (stop > furthest) furthest = stop;
    }
  }
  const unpacked = Buffer.from(packed);
  for (const { address, end, start } of runs) {
    let furthest = 0;
    for (let q = start; q < start + (end - address); q += 8) {
      const ptr = (unpacked.readUInt32LE(q) + furthest) >>> 0;
      unpacked.writeUInt32LE(ptr, q);
      const stop = (ptr + unpacked.readUInt32LE(q + 4)) >>> 0;
      if (stop > furthest) furthest = stop;
    }
  }
  if (!unpacked.equals(Buffer.from(section.bytes))) throw new Error('slice-tables: the packed data does not unpack to the original');
  return packed;
}

/** A section with `count` more entries (`entries`: their bytes) after its own. */
function appended(section, count, entries) {
  const r = reader(section);
  const had = r.leb();
  const body = [...uleb(had + count), ...section.bytes.subarray(r.at()), ...entries];
  return Buffer.from([section.bytes[0], ...uleb(body.length), ...body]);
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
  const data = sections.find((s) => s.id === 11);
  if (!data || sections.some((s) => s.id === 8)) return 0; // nothing to pack, or a start function of its own
  const runs = findRuns(data, segments(data));
  if (runs.length === 0) return 0;
  const packedData = pack(data, runs);

  const types = sections.find((s) => s.id === 1);
  const funcs = sections.find((s) => s.id === 3);
  const code = sections.find((s) => s.id === 10);
  if (!types || !funcs || !code) return 0;
  const typeCount = reader(types).leb();
  const unpackIndex = imported + bodies.length;
  const start = [...vec([]), ...runs.flatMap((r) => [0x41, ...sleb(r.address), 0x41, ...sleb(r.end), 0x10, ...uleb(unpackIndex)]), 0x0b];
  const out = [bytes.subarray(0, 8)];
  let startWritten = false;
  const writeStart = () => {
    out.push(Buffer.from([8, ...uleb(uleb(unpackIndex + 1).length), ...uleb(unpackIndex + 1)]));
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
