// The size guard: what a visitor's browser downloads for each shipped artifact may not
// grow past its budget. Bytes are deterministic for a given toolchain (crates pinned in
// Cargo.lock, wasm-bindgen and wasm-opt pinned by setup), so this is a test, not a
// benchmark; the budgets leave about 1 % for another rustc.
// When a change makes an artifact smaller, lower its budget in the same commit, so that
// nothing can quietly give the saving back:
//   UPDATE_SIZE_BUDGETS=1 node --test tests/node/sizes.test.mjs   (after make build js-api)
// lowers each budget to the measured size plus 1 % (never raises one); a change that has to
// grow an artifact says so with UPDATE_SIZE_BUDGETS=raise, in its own commit.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { ARTIFACTS, PACKAGE_MODULES, minifiedSizes, transferSizes } from './harness.mjs';

const file = new URL('./size-budgets.json', import.meta.url);
const budgets = JSON.parse(readFileSync(file, 'utf8'));
const update = ['1', 'raise'].includes(process.env.UPDATE_SIZE_BUDGETS) ? process.env.UPDATE_SIZE_BUDGETS : null;
const measured = {};
const withMargin = (n) => Math.ceil((n * 1.01) / 100) * 100;

for (const [name, files] of Object.entries(ARTIFACTS)) {
  test(`size: ${name} stays within its gzip and brotli budgets`, () => {
    const size = transferSizes(files);
    const previous = budgets[name];
    const next = (kind) => {
      const wanted = withMargin(size[kind]);
      return update === 'raise' || !previous ? wanted : Math.min(previous[kind], wanted);
    };
    measured[name] = { gzip: next('gzip'), brotli: next('brotli') };
    if (update) return;
    const budget = budgets[name];
    assert.ok(budget, `size-budgets.json has no budget for "${name}"`);
    const detail = `${name} (${files.join(' + ')}): gzip ${size.gzip} B (budget ${budget.gzip}), brotli ${size.brotli} B (budget ${budget.brotli})`;
    console.log(detail);
    assert.ok(size.gzip <= budget.gzip, `grew past its budget: ${detail}`);
    assert.ok(size.brotli <= budget.brotli, `grew past its budget: ${detail}`);
  });
}

// What an adapter adds to an app, minified as its bundler would: at most 2 kB gzip each
// (issue 42). The entry itself (the loader's core) is reported by make bench.
for (const [name, files] of Object.entries(PACKAGE_MODULES)) {
  if (!/adapter|element entry/.test(name)) continue;
  test(`size: the ${name} adds at most 2 kB gzip to an app`, async () => {
    const size = await minifiedSizes(files);
    console.log(`${name}: minified ${size.raw} B, gzip ${size.gzip} B`);
    assert.ok(size.gzip <= 2000, `${name}: gzip ${size.gzip} B`);
  });
}

after(() => {
  if (update) writeFileSync(file, `${JSON.stringify(measured, null, 2)}\n`);
});
