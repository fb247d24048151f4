// Leaves pulldown-cmark's table of named character references (2,125 names and their values,
// 34,000 bytes of slices and 20,000 of strings: a quarter of the markdown part, gzipped) out
// of the widget's markdown part. The widget never asks pulldown-cmark for a name: the
// markdown crate hands it each `&` that could open one as a numeric reference to a marker,
// and has the browser decode the names (markdown/src/lib.rs), so no code of the part ever
// reads the table; the build zeroes its bytes (memory is zero already, so a zeroed run costs
// next to nothing).
//
// A string of the table is kept when anything else could point at it: the linker merges
// equal constants, so a value such as "<" may be another crate's string too. Every number in
// the code and globals of every part (each `i32.const` and each load's or store's offset, read
// at every byte, which finds more than there are, never fewer) and every aligned 4-byte word
// of their data but the table's own counts as a pointer. Were pulldown-cmark still to look a
// name up, it would find none (every entry reads as an empty name) and keep the text as
// written.
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { seamError } from './seams.mjs';
import { bytesAt, cursor, firstAligned, readModule, segments } from './wasm-module.mjs';

const RECORD = 16; // (&[u8], &str): two (pointer, length) pairs
const FIRST = ['AElig', 'Æ'];
const LAST = ['zwnj', '\u200c'];

/** The table in `data` (its segments `segs`): `{ address, records }`, each record
 * `[name, value]` as `{ address, length }`; null when it is not there. */
export function findTable(data, segs) {
  const bytes = data.bytes;
  const slice = (i) => ({ address: bytes.readUInt32LE(i), length: bytes.readUInt32LE(i + 4) });
  const text = (s) => bytesAt(data, segs, s.address, s.length)?.toString();
  for (const seg of segs) {
    const stop = seg.start + seg.length;
    for (let i = seg.start + firstAligned(seg); i + RECORD <= stop; i += 4) {
      if (text(slice(i)) !== FIRST[0] || text(slice(i + 8)) !== FIRST[1]) continue;
      const records = [];
      let previous = '';
      for (let r = i; r + RECORD <= stop; r += RECORD) {
        const [name, value] = [slice(r), slice(r + 8)];
        const n = name.length > 0 && name.length < 64 ? text(name) : undefined;
        if (!n || !/^[A-Za-z0-9]+$/.test(n) || n <= previous) break;
        if (!(value.length > 0 && value.length < 16 && text(value))) break;
        records.push([name, value]);
        previous = n;
      }
      const last = records.at(-1);
      if (records.length >= 2000 && text(last[0]) === LAST[0] && text(last[1]) === LAST[1]) {
        return { address: seg.address + i - seg.start, records };
      }
    }
  }
  return null;
}

/** Every number in `bytes` that an `i32.const` or a memory access's offset could hold, read
 * at every position. */
function codeNumbers(bytes, into) {
  const c = cursor(bytes);
  for (let i = 0; i < bytes.length; i++) {
    const op = bytes[i];
    if (op === 0x41) {
      c.p = i + 1;
      into.push(c.leb() >>> 0);
    } else if (op >= 0x28 && op <= 0x3e) {
      c.p = i + 1;
      c.leb(); // the alignment
      into.push(c.leb() >>> 0);
    }
  }
}

/** Every aligned 4-byte word of `data`'s segments `segs` (where a pointer in a static is)
 * but those in `[from, to)` (memory addresses). */
function dataWords(data, segs, into, from = 0, to = 0) {
  for (const s of segs) {
    for (let i = firstAligned(s); i + 4 <= s.length; i += 4) {
      const address = s.address + i;
      if (address >= from && address < to) continue;
      into.push(data.bytes.readUInt32LE(s.start + i));
    }
  }
}

/** Whether one of `numbers` lies in `[from, to]` (a function; sorts `numbers`). */
function anyIn(numbers) {
  numbers.sort((a, b) => a - b);
  return (from, to) => {
    let lo = 0;
    let hi = numbers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (numbers[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    return lo < numbers.length && numbers[lo] <= to;
  };
}

/** Zeroes the table and its strings in `file` (the markdown part) where nothing else points
 * at them; `others`: the files of the other parts, which share its memory. Returns
 * `{ saved, kept }`: the gzip bytes saved and the strings kept. Throws when the table is not
 * there or code points into its middle. */
export function dropEntityTable(file, others) {
  const original = readFileSync(file);
  const bytes = Buffer.from(original);
  const mine = readModule(bytes);
  const data = mine.sections.find((s) => s.id === 11);
  const segs = data ? segments(data) : [];
  const table = data && findTable(data, segs);
  if (!table) throw seamError('pulldown-cmark', `its table of named references (records of two slices, AElig to zwnj) is not in ${file} (see markdown/src/lib.rs)`);
  const end = table.address + table.records.length * RECORD;
  const code = [];
  const words = [];
  for (const { sections } of [mine, ...others.map((f) => readModule(readFileSync(f)))]) {
    for (const s of sections) {
      if (s === data) dataWords(s, segs, words, table.address, end);
      else if (s.id === 11) dataWords(s, segments(s), words);
      else if (s.id !== 0) codeNumbers(s.bytes, code);
    }
  }
  const inCode = anyIn(code);
  const inData = anyIn(words);
  // The table is pulldown-cmark's own (a private static): only its lookup's code names it, by
  // its start, a field of its first entry or its end.
  if (inCode(table.address + RECORD, end - 1)) throw seamError('pulldown-cmark', `code points into the middle of its table of named references in ${file}: something reads the table in another way than by its start`);
  const unused = table.records.flat().filter((s) => !inCode(s.address, s.address + s.length) && !inData(s.address, s.address + s.length));
  // `data.bytes` is a view of `bytes`: the module is cleared in place.
  for (const s of unused) bytesAt(data, segs, s.address, s.length).fill(0);
  bytesAt(data, segs, table.address, end - table.address).fill(0);
  if (!WebAssembly.validate(bytes)) throw new Error(`entity-table: ${file} does not validate once cleared`);
  const saved = gzipSync(original, { level: 9 }).length - gzipSync(bytes, { level: 9 }).length;
  writeFileSync(file, bytes);
  return { saved, kept: table.records.length * 2 - unused.length };
}
