// Trunk's post_build hook (into its staging folder; or by hand: node scripts/post-build.mjs dist):
// 1. builds the widget and splits it in parts: its main part (the launcher: captivate-chat.js,
//    the wasm-bindgen glue with wasm-split's link module in it, and captivate-chat_bg.wasm)
//    and the parts it loads later (captivate-widget.wasm, the panel and the client;
//    captivate-markdown.wasm, the markdown renderer of markdown/; captivate-greeting.wasm, the
//    proactive greeting's bubble);
// 2. optimizes every part, gives the main part short import and export names
//    (short-names.mjs), puts each part's functions in order of size, smallest first
//    (order-functions.mjs), zeroes pulldown-cmark's table of named references in the markdown
//    part (entity-table.mjs), and minifies the JavaScript a visitor's browser fetches (the embed
//    loader, the glue), keeping `/*!` licence comments; puts the stylesheets in the glue and the
//    widget part's file (scripts/resources.mjs);
// 3. names every file but the embed loader after its content.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';
import { cargoWasm } from './cargo-wasm.mjs';
import { orderFunctions } from './order-functions.mjs';
import { escape, exportsWhere, glueWasmUrl, OPTIMIZE, shortNames } from './short-names.mjs';
import { linkIntoGlue, partNames, sharedExports } from './link-module.mjs';
import { seamError } from './seams.mjs';
import { dropEntityTable } from './entity-table.mjs';
import { languageFiles, resources, resourceSection, resourcesScript } from './resources.mjs';
import { embedLoader } from './loader.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dest = path.resolve(process.argv[2] || process.env.TRUNK_STAGING_DIR || path.join(root, 'dist'));
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

// Every file but the embed loader is named after its content (`captivate-widget.<hash>.wasm`),
// and each names the next by that name: the files of one build are fetched together, or not
// at all. The parts share one memory and one function table, so a main part of one release
// with a widget part of another (an HTTP cache or a CDN holding some of the old files) would
// not fail cleanly; with these names it cannot happen, and every file but the loader may be
// cached for good. Renamed leaves first, each name replaced where it is named.
const named = (file) => {
  const bytes = readFileSync(path.join(dest, file));
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 10);
  const to = file.replace(/(\.[a-z]+)$/, `.${hash}$1`);
  renameSync(path.join(dest, file), path.join(dest, to));
  return to;
};
const rename = (inFile, from, to) => {
  const f = path.join(dest, inFile);
  const text = readFileSync(f, 'utf8');
  const quoted = new RegExp(`(["'])(\\./)?${escape(from)}\\1`, 'g');
  if (!quoted.test(text)) throw new Error(`post-build: ${inFile} does not name ${from}`);
  writeFileSync(f, text.replace(quoted, (_, q, dot) => `${q}${dot ?? ''}${to}${q}`));
};
mkdirSync(dest, { recursive: true });
// What an earlier run left (by hand into dist/: Trunk's staging folder starts empty).
for (const f of readdirSync(dest)) if (/^captivate-[\w-]+\.[0-9a-f]{10}\.(js|wasm|json)$/.test(f)) rmSync(path.join(dest, f));

// The widget: one build, split in parts (wasm-split): the main part (the launcher and the
// runtime both need), which a page loads first; the widget's own part (the panel and the
// client, at `handle::widget_part`), which the main part loads when the page is idle or the
// visitor clicks; and the markdown part (pulldown-cmark, at `markdown::markdown_part`),
// loaded after it when the page is idle or when the first markdown item arrives. What parts
// share is downloaded once. The crate is linked with its relocations (`--emit-relocs`, for
// this crate's link only: its dependencies build as for every other wasm), which wasm-split
// needs to move functions between modules.
const split = path.join(root, 'target', 'split');
rmSync(split, { recursive: true, force: true });
mkdirSync(split, { recursive: true });
const built = cargoWasm('rustc', ['--locked', '-p', 'captivate-chat', '--no-default-features', '--features', 'split'], {
  cwd: root, rustcArgs: ['-C', 'link-args=--emit-relocs'],
});
// Without the exports of wasm-streams (Leptos's server functions depend on it; the widget calls
// none): wasm-split roots the main part at every export, and the functions they reach stay in
// its function table, which the parts share and no optimizer may prune (docs/size.md).
// (wasm-bindgen still describes their classes; the glue loses them in short-names.mjs.)
const input = path.join(root, 'target', 'split-input.wasm');
writeFileSync(input, exportsWhere(readFileSync(built), (name) => !/intounderlying/i.test(name)));
run('wasm-split-cli', ['--target', 'web', '--out-name', 'captivate-chat', input, split]);
run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--keep-lld-exports', '--out-name', 'captivate-chat', '--out-dir', path.join(split, 'bg'),
  path.join(split, 'captivate-chat.wasm')]);
// wasm-split's link module (it loads the other parts, giving them the main part's memory,
// table and shared globals) and the parts, under our names: captivate-<split>.wasm
// (captivate-widget.wasm, captivate-markdown.wasm) and, for code that two parts share and
// the main part does not, captivate-shared-<n>.wasm.
const link = readFileSync(path.join(split, '__wasm_split.js'), 'utf8');
const parts = partNames(readdirSync(split).filter((f) => f.endsWith('.wasm') && f !== 'captivate-chat.wasm').sort());
for (const want of ['captivate-widget.wasm', 'captivate-markdown.wasm', 'captivate-greeting.wasm']) {
  if (!parts.some(([, name]) => name === want)) throw seamError('wasm-split-cli', `no ${want} among ${parts.map(([f]) => f)}`);
}
// The main part's exports the link module hands to the widget's part: kept, under their
// short names.
let renamed;
const glue = shortNames({
  input: path.join(split, 'bg', 'captivate-chat_bg.wasm'), output: path.join(dest, 'captivate-chat_bg.wasm'),
  optArgs: OPTIMIZE, cwd: root, keep: sharedExports(link), onExports: (map) => { renamed = map; },
  glue: readFileSync(path.join(split, 'bg', 'captivate-chat.js'), 'utf8'),
});
orderFunctions(path.join(dest, 'captivate-chat_bg.wasm'), root);
// The main part's wasm is final: named now, so that its glue can name it (below).
const mainWasm = named('captivate-chat_bg.wasm');
// The link module goes into the glue (scripts/link-module.mjs); so does the socket frame
// reader the wasm imports by name (src/client/wasm/frame.js).
// So do the launcher's resources (scripts/resources.mjs), and the function that takes the
// other parts' as they load.
const frameReader = readFileSync(path.join(root, 'src', 'client', 'wasm', 'frame.js'), 'utf8');
const { main: mainResources, languages, panels, emoji, ...partResources } = resources(root);
// Each language's files beside the parts (named after all of them, one hash): its launcher's
// texts but English's, which the embed loader fetches with the main part for a widget in that
// language; its other texts, fetched with the widget's part; its emoji table, which the picker
// fetches when it first opens.
const texts = languageFiles({ texts: languages, panel: panels, emoji });
for (const [file, json] of Object.entries(texts.contents)) writeFileSync(path.join(dest, file), json);
writeFileSync(path.join(dest, 'captivate-chat.js'), `${frameReader}
${resourcesScript(root, mainResources)}
${linkIntoGlue({ link, glue: glueWasmUrl(glue, mainWasm), parts, renamed })}`);
// The other parts import only what the main part shares (memory, table, globals), under the
// names the link module gives them: optimized, not renamed (orderFunctions strips what a
// browser does not read).
for (const [f, name] of parts) {
  run('wasm-opt', [...OPTIMIZE, path.join(split, f), '-o', path.join(dest, name)]);
  orderFunctions(path.join(dest, name), root);
}
// The later parts' resources, each in its part's file (after orderFunctions, which strips
// custom sections).
for (const [part, values] of Object.entries(partResources)) {
  const file = path.join(dest, `captivate-${part}.wasm`);
  writeFileSync(file, Buffer.concat([readFileSync(file), resourceSection(values)]));
}
// pulldown-cmark's table of named references, which the widget never reads (the browser
// decodes the names), out of the markdown part.
const markdownPart = path.join(dest, 'captivate-markdown.wasm');
dropEntityTable(markdownPart, [path.join(dest, mainWasm),
  ...parts.map(([, name]) => path.join(dest, name)).filter((f) => f !== markdownPart)]);

// The embed loader (scripts/loader.mjs) and the custom element's module it loads when asked.
writeFileSync(path.join(dest, 'captivate-embed.js'), embedLoader(root, texts));
writeFileSync(path.join(dest, 'captivate-element.js'), readFileSync(path.join(root, 'www', 'loader', 'element.js'), 'utf8'));
for (const [file, module] of [['captivate-embed.js', false], ['captivate-chat.js', true], ['captivate-element.js', true]]) {
  const f = path.join(dest, file);
  const min = await minify(readFileSync(f, 'utf8'), { module, compress: { passes: 2 }, mangle: true, format: { comments: /^!/ } });
  writeFileSync(f, `${min.code}\n`);
}

for (const [, name] of parts) rename('captivate-chat.js', name, named(name));
rename('captivate-embed.js', 'captivate-element.js', named('captivate-element.js'));
rename('captivate-embed.js', 'captivate-chat_bg.wasm', mainWasm);
rename('captivate-embed.js', 'captivate-chat.js', named('captivate-chat.js'));
