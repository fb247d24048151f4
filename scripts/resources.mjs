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
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { section, uleb } from './wasm-module.mjs';

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
 * carries these in every language, the widget's part every text. */
export const LAUNCHER_TEXTS = ['open', 'close', 'unread', 'dismiss'];

/** The widget's text keys (`Text`'s, in src/widget/i18n.rs's `texts!`). */
export function textKeys(root) {
  const source = readFileSync(path.join(root, 'src', 'widget', 'i18n.rs'), 'utf8');
  const block = source.match(/texts! \{([^}]*)\}/)?.[1] ?? '';
  const keys = [...block.matchAll(/^\s*\w+ = "(\w+)",$/gm)].map((m) => m[1]);
  if (keys.length === 0) throw new Error('src/widget/i18n.rs: no `texts!` block with `Variant = "key",` lines');
  return keys;
}

/** Every language's texts (src/widget/locales/<lang>.json), checked: English has every key
 * of `Text` and nothing else; another language only keys of `Text` (it falls back to English
 * for the others), each text with the placeholders (`{name}`) of the English one. */
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
  for (const k of keys) if (typeof en[k] !== 'string') problems.push(`en.json lacks "${k}"`);
  const holes = (text) => [...text.matchAll(/\{\w+\}/g)].map((m) => m[0]).sort().join();
  for (const [lang, table] of Object.entries(all)) {
    for (const [k, text] of Object.entries(table)) {
      if (!keys.includes(k)) problems.push(`${lang}.json: "${k}" is no key of Text`);
      else if (typeof text !== 'string' || !text.trim()) problems.push(`${lang}.json: "${k}" is no text`);
      else if (holes(text) !== holes(en[k] ?? '')) problems.push(`${lang}.json: "${k}" has the placeholders ${holes(text) || 'none'}, English ${holes(en[k] ?? '') || 'none'}`);
    }
  }
  if (problems.length) throw new Error(`the widget's texts: ${problems.join('; ')}`);
  return all;
}

/** The resources the main part's glue carries, and the widget's and the greeting's parts. */
export function resources(root) {
  const texts = locales(root);
  const launcherTexts = Object.fromEntries(Object.entries(texts).map(([lang, table]) => [lang,
    Object.fromEntries(LAUNCHER_TEXTS.filter((k) => k in table).map((k) => [k, table[k]]))]));
  return {
    main: { 'launcher.css': stylesheet(root, 'launcher'), strings: JSON.stringify(launcherTexts) },
    widget: { 'panel.css': stylesheet(root, 'panel'), strings: JSON.stringify(texts) },
    greeting: { 'greeting.css': stylesheet(root, 'greeting') },
  };
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
