// scripts/slice-tables.mjs on modules built here byte by byte: the packed module, once
// instantiated, holds in memory exactly what the original held (its start function unpacks the
// table before anything can read it), and modules it must leave alone are left as they were.
// (The widget's markdown part is tested through the browser: widget.test.mjs, named
// character references.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { packSliceTables } from '../../scripts/slice-tables.mjs';
import { BASE, inFiles, moduleWith } from './wasm-fixtures.mjs';

/** A string pool and, after it, a table of `(name, value)` slice pairs into it, as rustc lays
 * out `&[(&str, &str)]`: most names follow the slice before them, some values are shared
 * (they point back into the pool), and the run ends at a record that is no slice. */
function poolAndTable(entries) {
  const pool = [];
  const at = (text) => {
    const ptr = BASE + pool.length;
    pool.push(...Buffer.from(text));
    return [ptr, text.length];
  };
  const records = [];
  const shared = at('&shared;');
  for (let i = 0; i < entries; i++) {
    const nameSlice = at(`entity${i}`);
    const valueSlice = i % 5 === 0 ? shared : at(String.fromCharCode(0x41 + (i % 26)).repeat(1 + (i % 3)));
    records.push(nameSlice, valueSlice);
  }
  while ((BASE + pool.length) % 4) pool.push(0);
  const table = Buffer.alloc(records.length * 8 + 8);
  records.forEach(([ptr, len], i) => {
    table.writeUInt32LE(ptr, i * 8);
    table.writeUInt32LE(len, i * 8 + 4);
  });
  table.writeUInt32LE(0xffffffff, records.length * 8); // not a slice: the run ends
  return { data: [...pool, ...table], tableAt: pool.length, slices: records.length };
}

async function memoryOf(bytes, length) {
  const { instance } = await WebAssembly.instantiate(bytes);
  return Buffer.from(new Uint8Array(instance.exports.memory.buffer, BASE, length));
}

test('a table of slices is packed, and unpacked to the same bytes when the module is instantiated', async () => {
  const { data, tableAt, slices } = poolAndTable(300);
  const original = moduleWith(data);
  const [saved, packed] = inFiles([original], ([file]) => [packSliceTables(file), readFileSync(file)]);
  assert.ok(saved > 0, 'gzip shrinks');
  // In the file, most pointers are now 0 (each slice where the slices before it end).
  const pool = Buffer.from(data.slice(0, tableAt));
  const table = packed.subarray(packed.indexOf(pool) + tableAt);
  let zeros = 0;
  for (let i = 0; i < slices; i++) if (table.readUInt32LE(i * 8) === 0) zeros++;
  assert.ok(zeros > slices * 0.7, `${zeros} of ${slices} pointers packed to 0`);
  assert.deepEqual(await memoryOf(packed, data.length), Buffer.from(data));
  assert.deepEqual(await memoryOf(original, data.length), Buffer.from(data));
});

test('a module with a start function of its own, with data at an address that is not a constant, or with no table of slices, is left as it was', () => {
  const { data } = poolAndTable(300);
  const cases = [
    moduleWith(data, { start: true }),
    moduleWith(data, { atGlobal: true }),
    moduleWith([...Buffer.from('no slices here, only text '.repeat(40))]),
  ];
  for (const bytes of cases) {
    assert.ok(WebAssembly.validate(bytes));
    inFiles([bytes], ([file]) => {
      assert.equal(packSliceTables(file), 0);
      assert.deepEqual(readFileSync(file), bytes);
    });
  }
});
