// The embed loader's two forms, from www/loader/: the script tag's captivate-embed.js (a
// classic script: embed.js around widgets.js, in a function of its own) and the package's
// ES module (module.js with widgets.js in its scope). Both are ours: nothing here edits
// another tool's output.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const read = (root, name) => readFileSync(path.join(root, 'www', 'loader', name), 'utf8');

const licence = `/*! Captivate chat — embed loader. One line on any page:
 *  <script src="https://…/captivate-embed.js" data-api-key="KEY" defer></script>
 *  Loads the widget (WebAssembly) next to this file and mounts it; \`CaptivateChat.init({...})\`
 *  and Captivate's own \`Captivate.init({ apiKey })\` work too. MIT. */`;

/** captivate-embed.js, naming the widget's files by their unhashed names. */
export function embedLoader(root) {
  return `${licence}
(function () {
'use strict';
${read(root, 'widgets.js')}
${read(root, 'embed.js')}
})();
`;
}

/** The package's ES entry, naming the widget's files by their unhashed names. */
export function moduleEntry(root) {
  return `/*! Captivate chat widget — ES module. MIT. */
${read(root, 'module.js')}
${read(root, 'widgets.js')}`;
}
