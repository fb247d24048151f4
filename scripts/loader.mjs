// The embed loader's two forms, from www/loader/: the script tag's captivate-embed.js (a
// classic script: embed.js around widgets.js, in a function of its own) and the package's
// ES module (module.js with widgets.js in its scope). Both are ours: nothing here edits
// another tool's output.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const read = (root, name) => readFileSync(path.join(root, 'www', 'loader', name), 'utf8');

// Kept by the minifier: what the file is and its licence (how to use it is the README's).
const licence = '/*! Captivate chat embed loader. MIT. */';

/** `text` with each placeholder of `values` (an identifier: `CAPTIVATE_LANGUAGES`) replaced
 * by its value (JavaScript source); a placeholder missing, or one left, is an error. */
function fill(text, values) {
  for (const [name, value] of Object.entries(values)) {
    if (!text.includes(name)) throw new Error(`the loader's source has no ${name}`);
    text = text.replaceAll(name, value);
  }
  const left = text.match(/\bCAPTIVATE_[A-Z_]+\b/);
  if (left) throw new Error(`the loader's source names ${left[0]}, which nothing fills`);
  return text;
}

/** captivate-embed.js, naming the widget's files by their unhashed names; `texts` is
 * `languageFiles`' answer (scripts/resources.mjs): the languages with a texts file, and the
 * hash of the files beside the parts. */
export function embedLoader(root, texts) {
  return fill(`${licence}
(function () {
'use strict';
${read(root, 'widgets.js')}
${read(root, 'embed.js')}
})();
`, { CAPTIVATE_LANGUAGES: JSON.stringify(texts.languages.join(' ')), CAPTIVATE_TEXTS_HASH: JSON.stringify(texts.hash) });
}

/** The package's ES entry, naming the widget's files by their unhashed names; `files` is
 * `texts-<lang>` or `emoji-<lang>` -> its file, each named by a literal URL (bundlers copy them). */
export function moduleEntry(root, files) {
  const urls = Object.entries(files)
    .map(([lang, file]) => `  ${JSON.stringify(lang)}: new URL(${JSON.stringify(`./${file}`).replaceAll('"', "'")}, import.meta.url).href,`);
  return fill(`/*! Captivate chat widget — ES module. MIT. */
${read(root, 'module.js')}
${read(root, 'widgets.js')}`, { CAPTIVATE_TEXTS_FILES: `{\n${urls.join('\n')}\n}` });
}
