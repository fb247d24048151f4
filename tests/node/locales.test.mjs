// The widget's texts (src/widget/locales/<lang>.json, which the build puts beside the wasm:
// scripts/resources.mjs) against the keys the code names (`Text` in src/widget/i18n.rs): English
// has every key, no language a key the code does not know, each translation the placeholders
// of the English text. The build runs the same check; here, also on copies changed as a slip
// would change them, each of which must be refused by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { root } from './widget-kit.mjs';
import { locales, textKeys, LAUNCHER_TEXTS } from '../../scripts/resources.mjs';

test('every language has only keys the code knows, English has them all, with the same placeholders', () => {
  const keys = textKeys(root);
  assert.ok(keys.length >= 40, `${keys.length} keys`);
  const all = locales(root);
  assert.deepEqual(Object.keys(all).sort(), ['ar', 'en', 'es']);
  assert.deepEqual(Object.keys(all.en).sort(), [...keys].sort());
  for (const k of LAUNCHER_TEXTS) assert.ok(keys.includes(k), `launcher text ${k}`);
});

test('a key missing from English, a key the code does not know, or a lost placeholder stops the build, named', () => {
  const copy = (change) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'locales-'));
    cpSync(path.join(root, 'src', 'widget', 'locales'), path.join(dir, 'src', 'widget', 'locales'), { recursive: true });
    writeFileSync(path.join(dir, 'src', 'widget', 'i18n.rs'), readFileSync(path.join(root, 'src', 'widget', 'i18n.rs')));
    change(dir);
    return dir;
  };
  const edit = (dir, lang, f) => {
    const file = path.join(dir, 'src', 'widget', 'locales', `${lang}.json`);
    const table = JSON.parse(readFileSync(file, 'utf8'));
    f(table);
    writeFileSync(file, JSON.stringify(table));
  };
  const cases = [
    [(d) => edit(d, 'en', (t) => { delete t.send; }), /en\.json lacks "send"/],
    [(d) => edit(d, 'es', (t) => { t.sendd = 'Enviar'; }), /es\.json: "sendd" is no key of Text/],
    [(d) => edit(d, 'ar', (t) => { t.unread = 'غير مقروءة'; }), /ar\.json: "unread" has the placeholders none, English \{count\}/],
    [(d) => edit(d, 'es', (t) => { t.retry = '  '; }), /es\.json: "retry" is no text/],
  ];
  for (const [change, message] of cases) {
    const dir = copy(change);
    try {
      assert.throws(() => locales(dir), message);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
