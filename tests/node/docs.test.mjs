// Every file path the documentation names exists: README.md, docs/*.md, server/README.md and the
// other READMEs name files in backticks and links; a path is read from the document's folder,
// then from the repository's root. Build outputs (dist/, pkg/, target/) and patterns (`<hash>`,
// `*`, `{…}`), MIME types and placeholders are not files to check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const documents = [
  'README.md',
  ...readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`),
  'server/README.md',
  'www/npm/README.md',
  'tests/fixtures/tools/README.md',
].filter((d) => existsSync(path.join(root, d)));

const generated = /^(dist|pkg|target|node_modules)(\/|$)/;
const pattern = /[<>*{}…|]|\s/;
// Not files: MIME types, placeholders in capitals (`APIKEY/CONVERSATION_ID`), a bare extension.
const notFiles = /^(text|application|image|audio|video)\/|^[A-Z_]+\/|^\.\w+$/;
const looksLikePath = /^(\.{1,2}\/)?[\w.-]+(\/[\w.-]*)*$/;
const named = (text) => {
  const found = new Set();
  for (const [, inner] of text.matchAll(/`([^`\n]+)`/g)) found.add(inner);
  for (const [, target] of text.matchAll(/\]\(([^)\s#]+)(#[^)]*)?\)/g)) if (!/^[a-z]+:/.test(target)) found.add(target);
  return [...found].filter((p) => looksLikePath.test(p) && !pattern.test(p) && !notFiles.test(p) && (p.includes('/') || /\.(rs|mjs|js|json|md|toml|css|html|sh|yml)$/.test(p)));
};

test('every file path a document names exists', () => {
  const missing = [];
  let checked = 0;
  for (const doc of documents) {
    const dir = path.dirname(path.join(root, doc));
    for (const p of named(readFileSync(path.join(root, doc), 'utf8'))) {
      const clean = p.replace(/^\.\//, '');
      if (generated.test(clean)) continue;
      checked += 1;
      if (!existsSync(path.join(dir, clean)) && !existsSync(path.join(root, clean))) missing.push(`${doc}: ${p}`);
    }
  }
  assert.ok(checked > 50, `only ${checked} paths found: the reader no longer sees them`);
  assert.deepEqual(missing, []);
});
