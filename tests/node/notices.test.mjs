// scripts/notices.mjs: which crates a package's wasm holds (cargo tree of captivate-chat for
// wasm32, without procedural macros, what only they use, or this workspace's crates), and the
// notices' text; its errors name what is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { licenceFiles, shippedCrates, thirdPartyNotices } from '../../scripts/notices.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const names = (crates) => crates.map((c) => c.split(' ')[0]);

test('the drop-in\'s crates: its runtime dependencies, no procedural macro nor what only macros use, none of ours', () => {
  const crates = names(shippedCrates(root, 'api'));
  for (const c of ['serde', 'serde_json', 'wasm-bindgen', 'js-sys', 'talc', 'indexmap']) assert.ok(crates.includes(c), c);
  for (const c of ['serde_derive', 'wasm-bindgen-macro', 'syn', 'captivate-chat', 'send_wrapper', 'leptos', 'proptest']) {
    assert.ok(!crates.includes(c), c);
  }
});

test('the widget\'s crates add Leptos and pulldown-cmark, not leptos_macro', () => {
  const crates = names(shippedCrates(root, 'split'));
  for (const c of ['leptos', 'tachys', 'reactive_graph', 'pulldown-cmark']) assert.ok(crates.includes(c), c);
  for (const c of ['leptos_macro', 'captivate-markdown']) assert.ok(!crates.includes(c), c);
});

test('the notices: the standard library, each crate with its licence\'s text (a text once), data; an unknown crate or feature is an error', () => {
  const text = thirdPartyNotices(root, {
    packageName: 'p', crates: shippedCrates(root, 'api').filter((c) => /^serde(_json)? /.test(c)),
    data: [{ what: 'Some data', licence: 'Its licence' }],
  });
  assert.match(text, /^## Rust's standard library/m);
  assert.match(text, /^## serde \d[^\n]*\n\nMIT OR Apache-2\.0/m);
  assert.match(text, /^## serde_json \d[^\n]*\n\nMIT OR Apache-2\.0[^\n]*\n\nThe same text as serde /m);
  assert.match(text, /^## Some data\n\n```\nIts licence\n```/m);
  assert.throws(() => thirdPartyNotices(root, { packageName: 'p', crates: ['no-such-crate 9.9.9'] }), /cargo metadata does not know no-such-crate 9\.9\.9/);
  assert.throws(() => shippedCrates(root, 'no-such-feature'), /no-such-feature/);
});

test('which of a crate\'s licence files apply: MIT where offered, else Apache, else its one file; AND adds the other licence\'s', () => {
  const crate = (...files) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'crate-'));
    for (const f of [...files, 'README.md', 'Cargo.toml']) writeFileSync(path.join(dir, f), f);
    return (licence) => licenceFiles(dir, licence).map((f) => path.basename(f));
  };
  const dual = crate('LICENSE-MIT', 'LICENSE-APACHE', 'LICENSE-UNICODE');
  assert.deepEqual(dual('MIT OR Apache-2.0'), ['LICENSE-MIT']);
  assert.deepEqual(dual('(MIT OR Apache-2.0) AND Unicode-3.0'), ['LICENSE-MIT', 'LICENSE-UNICODE']);
  assert.deepEqual(dual('Apache-2.0'), ['LICENSE-APACHE']);
  assert.deepEqual(crate('LICENSE')('Zlib'), ['LICENSE']);
  assert.deepEqual(crate('COPYING')('MIT'), ['COPYING']);
  assert.deepEqual(crate()('MIT'), []);
});
