// The widget's resources that are not code: its stylesheets, minified, and its texts
// (src/widget/locales/<lang>.json, checked against the keys of src/widget/i18n.rs). They travel beside the
// wasm rather than in it: wasm-split keeps every data segment of the module in its main part,
// so a string the widget's part alone reads (the panel's CSS) would be downloaded with the
// launcher, before anyone opens the chat (docs/size.md, "Resources beside the wasm"). What the
// launcher needs (launcher.css, the launcher's and the greeting's texts) is written into the main
// part's glue; what a later part needs (panel.css and every text, greeting.css) goes into that
// part's file as a custom section, which the glue reads as it
// instantiates the part (src/widget/resources.js). The widget reads them by name
// (`src/widget/host.rs`).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { section, uleb } from './wasm-module.mjs';
import { emojiTable } from './emoji.mjs';

/** The custom section a part's resources travel in (src/widget/resources.js reads it). */
export const SECTION = 'captivate';

/** styles/<name>.css minified (`minify`). */
export function stylesheet(root, name) {
  return minify(readFileSync(path.join(root, 'styles', `${name}.css`), 'utf8'));
}

/** `css` without its comments and the whitespace CSS does not need: every run of whitespace
 * becomes one space, dropped next to `{`, `}`, `;`, `,` and after `:` (none of our selectors
 * has a space after a colon; the space before one, as in `.cc-rich :is(p)`, is a combinator and
 * stays), and the last `;` of a block goes. Nothing else changes, so the rules the browser
 * reads are the source's (tests/node/widget-content.test.mjs compares them). A minifier that
 * rewrites values does not do for that: lightningcss 1.33 wrote `--cc-z: 2147483000` as
 * 2147480000 (a 32-bit float) and reordered declarations. Strings in the stylesheet (font
 * names) hold none of these characters next to a space. */
export function minify(css) {
  const text = css.replace(/\/\*[^]*?(\*\/|$)/g, '');
  let out = '';
  let space = false;
  for (const c of text) {
    if (/\s/.test(c)) {
      space = true;
      continue;
    }
    const last = out.at(-1);
    if (space && !'{};,'.includes(c) && !(last === undefined || '{};,:'.includes(last))) out += ' ';
    space = false;
    if (c === '}' && last === ';') out = out.slice(0, -1);
    out += c;
  }
  return out;
}

/** The keys of the texts the launcher alone and the greeting's bubble show: the main part
 * carries English's, the widget's part every English text; another language's are a file of
 * its own, which the embed loader fetches beside the main part (`languageFiles`). */
export const LAUNCHER_TEXTS = ['open', 'close', 'unread', 'dismiss'];

/** The widget's text keys (`Text`'s, in src/widget/i18n.rs's `texts!`). */
export function textKeys(root) {
  const source = readFileSync(path.join(root, 'src', 'widget', 'i18n.rs'), 'utf8');
  const block = source.match(/texts! \{([^}]*)\}/)?.[1] ?? '';
  const keys = [...block.matchAll(/^\s*\w+ = "(\w+)",$/gm)].map((m) => m[1]);
  if (keys.length === 0) throw new Error('src/widget/i18n.rs: no `texts!` block with `Variant = "key",` lines');
  return keys;
}

/** The plural categories a language's count texts need: those `Intl.PluralRules` gives the
 * counts a widget shows (0 to 1,000; `many` of es, fr, it, pt is for millions), and `other`,
 * the form the widget falls back to. */
export function pluralForms(lang) {
  const rules = new Intl.PluralRules(lang);
  const forms = new Set(['other']);
  for (let n = 0; n <= 1000; n++) forms.add(rules.select(n));
  return [...forms].sort();
}

/** Every language's texts (src/widget/locales/<lang>.json), checked: English has every key
 * of `Text` and nothing else; another language only keys of `Text` (it falls back to English
 * for the others) and says who reviewed it (`@review`); each text has the placeholders
 * (`{name}`) of the English one. A text with a count (`{count}`) is an object of plural
 * forms, `{ one: …, other: … }`, with each form `Intl.PluralRules` gives the language's
 * counts (ar: zero, one, two, few, many, other; ja: other). Returns each language's texts
 * flat, as the widget reads them: a form is `key.form` (`unread.one`). */
export function locales(root) {
  const dir = path.join(root, 'src', 'widget', 'locales');
  const keys = textKeys(root);
  const all = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    all[file.replace(/\.json$/, '')] = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  }
  const en = all.en;
  if (!en) throw new Error(`${dir}: no en.json`);
  const problems = [];
  for (const k of keys) if (en[k] === undefined) problems.push(`en.json lacks "${k}"`);
  const holes = (text) => [...String(text).matchAll(/\{\w+\}/g)].map((m) => m[0]).sort().join();
  const english = (k) => (typeof en[k] === 'object' && en[k] !== null ? en[k].other : en[k]) ?? '';
  const flat = {};
  for (const [lang, table] of Object.entries(all)) {
    const out = {};
    flat[lang] = out;
    // A plural form may say its number in words (ar: رسالة واحدة, one message): without {count}.
    const text = (k, name, value, form = false) => {
      const unsaid = (h) => (form ? h.replace('{count}', '').replace(/^,|,$/g, '') : h);
      if (typeof value !== 'string' || !value.trim()) problems.push(`${lang}.json: "${name}" is no text`);
      else if (unsaid(holes(value)) !== unsaid(holes(english(k)))) problems.push(`${lang}.json: "${name}" has the placeholders ${holes(value) || 'none'}, English ${holes(english(k)) || 'none'}`);
      else out[name] = value;
    };
    if (lang !== 'en' && (typeof table['@review'] !== 'string' || !table['@review'].trim())) {
      problems.push(`${lang}.json: no "@review" (who checked the translation, and how)`);
    }
    for (const [k, value] of Object.entries(table)) {
      if (k === '@review') continue;
      if (!keys.includes(k)) {
        problems.push(`${lang}.json: "${k}" is no key of Text`);
      } else if (holes(english(k)).includes('{count}')) {
        const forms = pluralForms(lang);
        if (typeof value !== 'object' || value === null) {
          problems.push(`${lang}.json: "${k}" counts, so it is an object of plural forms (${forms.join(', ')})`);
          continue;
        }
        const given = Object.keys(value).sort();
        if (given.join() !== forms.join()) problems.push(`${lang}.json: "${k}" has the forms ${given.join(', ')}, the language's counts ${forms.join(', ')}`);
        for (const f of given) text(k, `${k}.${f}`, value[f], true);
      } else {
        text(k, k, value);
      }
    }
  }
  if (problems.length) throw new Error(`the widget's texts: ${problems.join('; ')}`);
  return flat;
}

/** A language's texts the launcher shows (LAUNCHER_TEXTS, with their plural forms). */
const launcherOf = (table) => Object.fromEntries(Object.entries(table).filter(([k]) => LAUNCHER_TEXTS.includes(k.split('.')[0])));

/** The resources the main part's glue carries, and the widget's and the greeting's parts; and
 * files of their own for each language: its launcher's texts but English's (`languages`: lang
 * -> JSON; what the launcher shows, fetched with the main part), its other texts (`panels`,
 * fetched with the widget's part) and its emoji picker table (`emoji`, scripts/emoji.mjs). */
export function resources(root) {
  const texts = locales(root);
  const launcher = launcherOf(texts.en);
  const { en, ...others } = texts;
  return {
    main: { 'launcher.css': stylesheet(root, 'launcher'), strings: JSON.stringify(launcher) },
    widget: { 'panel.css': stylesheet(root, 'panel'), strings: JSON.stringify(en) },
    greeting: { 'greeting.css': stylesheet(root, 'greeting') },
    languages: Object.fromEntries(Object.entries(others).map(([lang, table]) => [lang, JSON.stringify(launcherOf(table))])),
    panels: Object.fromEntries(Object.entries(others).map(([lang, table]) => [lang,
      JSON.stringify(Object.fromEntries(Object.entries(table).filter(([k]) => !(k in launcherOf(table)))))])),
    emoji: Object.fromEntries(Object.keys(texts).map((lang) => [lang, JSON.stringify(emojiTable(root, lang))])),
  };
}

/** The files beside the parts for each language, of each kind (`{ texts: { lang: JSON }, panel:
 * …, emoji: … }`: resources()' languages, panels and emoji), named after their content together,
 * one hash for all (the loader builds a name from a kind, a language and that hash): `{ hash,
 * languages: [lang of a texts file…], files: { 'texts-es': 'captivate-texts-es.<hash>.json',
 * 'panel-es': …, 'emoji-es': …, … }, contents: { file: JSON } }`. */
export function languageFiles(kinds) {
  const all = Object.fromEntries(Object.entries(kinds).flatMap(([kind, tables]) =>
    Object.entries(tables).map(([lang, json]) => [`${kind}-${lang}`, json])));
  const languages = Object.keys(kinds.texts ?? {});
  const hash = createHash('sha256');
  for (const [name, json] of Object.entries(all).sort()) hash.update(`${name}\n${json}\n`);
  const h = hash.digest('hex').slice(0, 10);
  const files = Object.fromEntries(Object.keys(all).map((name) => [name, `captivate-${name}.${h}.json`]));
  return { hash: h, files, languages, contents: Object.fromEntries(Object.entries(all).map(([name, json]) => [files[name], json])) };
}

/** `src/widget/resources.js` with `values` (name -> text) in it: what goes into a glue. */
export function resourcesScript(root, values) {
  const script = readFileSync(path.join(root, 'src', 'widget', 'resources.js'), 'utf8');
  return `const captivateResources = ${JSON.stringify(values)};\n${script}`;
}

/** A wasm custom section named SECTION holding `values` (name -> text) as JSON, to append to a
 * module's bytes (custom sections may follow every other section). */
export function resourceSection(values) {
  const name = Buffer.from(SECTION, 'utf8');
  return section(0, Buffer.concat([Buffer.from(uleb(name.length)), name, Buffer.from(JSON.stringify(values), 'utf8')]));
}
