// The size guard: what a visitor's browser downloads for each shipped artifact may not
// grow past its budget. Bytes are deterministic for a given toolchain (crates pinned in
// Cargo.lock, wasm-bindgen and wasm-opt pinned by setup), so this is a test, not a
// benchmark; the budgets leave about 1 % for another rustc.
// When a change makes an artifact smaller, lower its budget in size-budgets.json in the
// same commit, so that nothing can quietly give the saving back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ARTIFACTS, transferSizes } from './harness.mjs';

const budgets = JSON.parse(readFileSync(new URL('./size-budgets.json', import.meta.url), 'utf8'));

for (const [name, files] of Object.entries(ARTIFACTS)) {
  test(`size: ${name} stays within its gzip and brotli budgets`, () => {
    const budget = budgets[name];
    assert.ok(budget, `size-budgets.json has no budget for "${name}"`);
    const size = transferSizes(files);
    const detail = `${name} (${files.join(' + ')}): gzip ${size.gzip} B (budget ${budget.gzip}), brotli ${size.brotli} B (budget ${budget.brotli})`;
    console.log(detail);
    assert.ok(size.gzip <= budget.gzip, `grew past its budget: ${detail}`);
    assert.ok(size.brotli <= budget.brotli, `grew past its budget: ${detail}`);
  });
}
