// wasm-split-cli's link module (`__wasm_split.js`: it loads the other parts of a split
// module, giving them the main part's memory, table and shared globals), put into the main
// part's wasm-bindgen glue (which imports it once per split point, and which it imports for
// `initSync`): one file, one request fewer, and no cycle of names. A seam (scripts/seams.mjs):
// every edit checks the text it expects of wasm-split-cli 0.2.4 and of wasm-bindgen's glue.
import { seamError } from './seams.mjs';
import { replaceOnce } from './short-names.mjs';

const INSTANTIATE = 'WebAssembly.instantiateStreaming(src, imports)';
const SHARED = /const \{([^}]*)\} = initSync\(undefined, undefined\);/;

/** The main part's exports the link module hands to the other parts (they must keep them). */
export function sharedExports(link) {
  const names = (link.match(SHARED)?.[1] ?? '').split(',').map((n) => n.trim()).filter(Boolean);
  if (names.length === 0) throw seamError('wasm-split-cli', 'the link module names no shared export ("const { … } = initSync(undefined, undefined);")');
  return names;
}

/** The parts' files as wasm-split-cli names them (`split_<name>.wasm`, `chunk_<n>_….wasm`),
 * each with our name for it (`captivate-<name>.wasm`, `captivate-shared-<n>.wasm`). */
export function partNames(files) {
  return files.map((f) => {
    const name = f.replace(/^split_(\w+)\.wasm$/, 'captivate-$1.wasm').replace(/^chunk_(\d+)(_.*)?\.wasm$/, 'captivate-shared-$1.wasm');
    if (!/^captivate-[\w-]+\.wasm$/.test(name)) throw seamError('wasm-split-cli', `a part named ${f}, neither split_<name>.wasm nor chunk_<n>.wasm`);
    return [f, name];
  });
}

/** `glue` (the main part's, its exports renamed by short-names.mjs: `renamed`, old -> short)
 * with `link` in it, the parts (`parts`: partNames) under our names. */
export function linkIntoGlue({ link, glue, parts, renamed }) {
  for (const [f, name] of parts) link = replaceOnce(link, `"./${f}"`, `"./${name}"`, 'wasm-split-cli');
  // Each part instantiated by src/widget/resources.js's captivateInstantiate, which takes the
  // resources the part carries (scripts/resources.mjs) before its code runs.
  const instantiations = link.split(INSTANTIATE).length - 1;
  if (instantiations !== parts.length) {
    throw seamError('wasm-split-cli', `the link module instantiates ${instantiations} parts with "${INSTANTIATE}", not its ${parts.length}`);
  }
  link = link.replaceAll(INSTANTIATE, 'captivateInstantiate(src, imports)');
  const shared = sharedExports(link);
  link = link.replace(SHARED, () => `const { ${shared.map((n) => {
    if (!renamed.has(n)) throw seamError('wasm-split-cli', `the link module's shared export ${n} is not among the main part's exports`);
    return `${JSON.stringify(renamed.get(n))}: ${n}`;
  }).join(', ')} } = initSync(undefined, undefined);`);
  link = replaceOnce(link, 'import { initSync } from "./captivate-chat.js";', '', 'wasm-split-cli');
  const loaders = [...link.matchAll(/^export const (\w+) =/gm)].map((m) => m[1]);
  if (loaders.length === 0) throw seamError('wasm-split-cli', 'the link module exports no loader ("export const <name> =")');
  link = link.replace(/^export const /gm, 'const ');
  const linkImport = /^import \* as (\w+) from "\.\/__wasm_split\.js";?$/gm;
  const namespaces = [...glue.matchAll(linkImport)].map((m) => m[1]);
  if (namespaces.length === 0) throw seamError('wasm-bindgen', 'the glue does not import the link module ("import * as <name> from "./__wasm_split.js"")');
  if (!/\binitSync\b/.test(glue)) throw seamError('wasm-bindgen', 'the glue has no initSync for the link module');
  return `${link}
const __captivateSplit = { ${loaders.join(', ')} };
${namespaces.map((n) => `const ${n} = __captivateSplit;`).join('\n')}
${glue.replace(linkImport, '')}`;
}
