// The widget's texts (src/widget/locales/<lang>.json, which the build puts beside the wasm:
// scripts/resources.mjs) against the keys the code names (`Text` in src/widget/i18n.rs): English
// has every key, every other language every key too (issue 43: 21 languages, none falling back
// to English) and a review record, no language a key the code does not know, each translation
// the placeholders of the English text, each count text the plural forms of its language. The
// build runs the same check; here, also on copies changed as a slip would change them, each of
// which must be refused by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { root } from './widget-kit.mjs';
import { locales, textKeys, pluralForms, resources, languageFiles, LAUNCHER_TEXTS } from '../../scripts/resources.mjs';

test('every language has only keys the code knows, English has them all, with the same placeholders', () => {
  const keys = textKeys(root);
  assert.ok(keys.length >= 40, `${keys.length} keys`);
  const all = locales(root);
  assert.deepEqual(Object.keys(all).sort(), ['ar', 'de', 'en', 'es', 'fa', 'fr', 'he', 'hi', 'id', 'it', 'ja', 'ko', 'nl', 'pl', 'pt', 'ru', 'tr', 'uk', 'ur', 'zh-CN', 'zh-TW']);
  // Flat, as the widget reads them: a count text is its forms, `unread.one`….
  const flat = (lang) => keys.flatMap((k) => (k === 'unread' ? pluralForms(lang).map((f) => `${k}.${f}`) : [k])).sort();
  for (const [lang, table] of Object.entries(all)) assert.deepEqual(Object.keys(table).sort(), flat(lang), `${lang}: every key`);
  for (const k of LAUNCHER_TEXTS) assert.ok(keys.includes(k), `launcher text ${k}`);
  for (const [lang, forms] of [['en', 'one,other'], ['ru', 'few,many,one,other'], ['ar', 'few,many,one,other,two,zero'], ['ja', 'other'], ['fr', 'one,other']]) {
    assert.equal(pluralForms(lang).join(), forms, lang);
  }
});

test('the main part carries English\'s launcher texts alone; each other language is files of its own (the launcher\'s texts, the panel\'s, its emoji), named after all of them', () => {
  const { main, widget, languages, panels, emoji } = resources(root);
  assert.deepEqual(Object.keys(JSON.parse(main.strings)).sort(), ['close', 'dismiss', 'open', 'unread.one', 'unread.other']);
  assert.equal(JSON.parse(widget.strings).send, 'Send');
  assert.equal(languages.en, undefined);
  // The launcher's texts alone with the main part (what a visitor in that language fetches
  // before the launcher shows), the rest with the widget's part.
  assert.deepEqual(Object.keys(JSON.parse(languages.ru)).sort(), ['close', 'dismiss', 'open', 'unread.few', 'unread.many', 'unread.one', 'unread.other']);
  assert.equal(JSON.parse(languages.ja).open, 'チャットを開く');
  assert.equal(JSON.parse(panels.ja).send, '送信');
  assert.equal(JSON.parse(panels.ja).open, undefined);
  assert.equal(JSON.parse(languages.ja)['@review'], undefined, 'the review record stays in the source');
  assert.equal(JSON.parse(emoji.ja)[0][1][0][1], 'にっこり笑う');
  // Every language's emoji are named and searched in that language (CLDR's annotations): in
  // each, most names differ from English's, and the first emoji is found by its own name.
  const names = (lang) => JSON.parse(emoji[lang]).flatMap(([, list]) => list.map(([, name]) => name));
  const english = names('en');
  for (const lang of Object.keys(emoji).filter((l) => l !== 'en')) {
    const same = names(lang).filter((n, i) => n === english[i]).length;
    assert.ok(same < english.length / 10, `${lang}: ${same} of ${english.length} emoji named as in English`);
  }
  assert.equal(JSON.parse(emoji.tr)[0][1][0][1], 'sırıtan yüz');
  assert.equal(JSON.parse(emoji.ar)[0][1][0][2].startsWith(JSON.parse(emoji.ar)[0][1][0][1]), true, 'the search words start with the name');
  const { hash, files, languages: named } = languageFiles({ texts: languages, panel: panels, emoji });
  assert.match(hash, /^[0-9a-f]{10}$/);
  assert.equal(files['texts-zh-TW'], `captivate-texts-zh-TW.${hash}.json`);
  assert.equal(files['emoji-en'], `captivate-emoji-en.${hash}.json`);
  assert.equal(named.length, 20);
  // Any text changed: every name changes (the loader names them from one hash).
  const changed = languageFiles({ texts: { ...languages, ja: languages.ja.replace('チャットを開く', 'チャットをひらく') }, panel: panels, emoji });
  assert.notEqual(changed.hash, hash);
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
    [(d) => edit(d, 'ar', (t) => { t.agent_left = 'غادر المحادثة'; }), /ar\.json: "agent_left" has the placeholders none, English \{name\}/],
    [(d) => edit(d, 'ru', (t) => { t.unread = '{count} непрочитанных'; }), /ru\.json: "unread" counts, so it is an object of plural forms \(few, many, one, other\)/],
    [(d) => edit(d, 'ru', (t) => { delete t.unread.few; }), /ru\.json: "unread" has the forms many, one, other, the language's counts few, many, one, other/],
    [(d) => edit(d, 'ja', (t) => { delete t['@review']; }), /ja\.json: no "@review"/],
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
