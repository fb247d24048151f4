// scripts/entity-table.mjs on modules built here byte by byte: pulldown-cmark's table of
// named references (found by its first and last entries) is zeroed with its strings, but for
// the strings something else points at (code, or another part's data); a module whose code
// points into the middle of the table, or that has no table, stops the build. (The widget's
// markdown part without its table is tested through the browser: widget-content.test.mjs, named
// character references; the decoding that replaces it: markdown/src/tests.rs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dropEntityTable } from '../../scripts/entity-table.mjs';
import { BASE, inFiles, moduleWith } from './wasm-fixtures.mjs';

/** A string pool and after it a table of (name, value) slice pairs as pulldown-cmark's: sorted
 * names from `AElig` to `zwnj`, 2,102 entries. */
function entityTable() {
  const pool = [];
  const at = (text) => {
    const bytes = Buffer.from(text);
    const slice = { address: BASE + pool.length, length: bytes.length };
    pool.push(...bytes);
    return slice;
  };
  const entries = [['AElig', 'Æ'], ...Array.from({ length: 2100 }, (_, i) => [`a${String(i).padStart(4, '0')}`, `v${i % 7}`]), ['zwnj', '\u200c']];
  const records = entries.map(([name, value]) => [at(name), at(value)]);
  while ((BASE + pool.length) % 4) pool.push(0);
  const tableAt = BASE + pool.length;
  const table = Buffer.alloc(records.length * 16);
  records.flat().forEach((s, i) => {
    table.writeUInt32LE(s.address, i * 8);
    table.writeUInt32LE(s.length, i * 8 + 4);
  });
  return { data: [...pool, ...table], records, tableAt, tableEnd: tableAt + table.length };
}

test('the table and its strings are zeroed, but the strings code or another part points at', () => {
  const { data, records, tableAt, tableEnd } = entityTable();
  // The lookup names the table's start and end; other code names one value (a merged constant)…
  const byCode = records[5][1];
  const mine = moduleWith(data, { constants: [tableAt, tableEnd, byCode.address] });
  // …and another part's data points at a name.
  const byData = records[9][0];
  const pointer = Buffer.alloc(8);
  pointer.writeUInt32LE(byData.address, 0);
  pointer.writeUInt32LE(byData.length, 4);
  const other = moduleWith([...pointer], { base: 60000 });
  const [result, cleared] = inFiles([mine, other], ([file, otherFile]) => [dropEntityTable(file, [otherFile]), readFileSync(file)]);
  assert.ok(WebAssembly.validate(cleared));
  // The bytes at a memory address: the segment is where it was (the module keeps its length).
  const dataAt = mine.indexOf(Buffer.from(data.slice(0, 64)));
  const memory = (address, length) => cleared.subarray(dataAt + address - BASE, dataAt + address - BASE + length);
  assert.ok(result.saved > 0, 'gzip shrinks');
  // The two strings pointed at, and those that end where they start (a pointer one past the
  // end of a string may be that string's).
  const kept = records.flat().filter((s) => [byCode, byData].some((k) => k.address >= s.address && k.address <= s.address + s.length));
  assert.equal(kept.length, 4);
  assert.equal(result.kept, kept.length);
  assert.equal(memory(byCode.address, byCode.length).toString(), 'v4');
  assert.equal(memory(byData.address, byData.length).toString(), 'a0008');
  for (const s of records.flat()) {
    if (kept.includes(s)) continue;
    assert.ok(memory(s.address, s.length).every((b) => b === 0), `string at ${s.address} cleared`);
  }
  assert.ok(memory(tableAt, tableEnd - tableAt).every((b) => b === 0), 'table cleared');
  // Everything else in the module as it was.
  assert.equal(cleared.length, mine.length);
});

test('code pointing into the middle of the table, or no table at all, stops the build', () => {
  const { data, tableAt } = entityTable();
  const cases = [
    [moduleWith(data, { constants: [tableAt, tableAt + 16 * 100] }), /points into the middle of its table of named references.*pulldown-cmark 0\.13\.6/],
    [moduleWith([...Buffer.from('AElig Æ but no table here '.repeat(40))]), /its table of named references .* is not in.*pulldown-cmark 0\.13\.6/],
  ];
  for (const [bytes, error] of cases) {
    inFiles([bytes], ([file]) => {
      assert.throws(() => dropEntityTable(file, []), error);
      assert.deepEqual(readFileSync(file), bytes);
    });
  }
});
