// Trunk's post_build hook (into its staging folder; or by hand: node scripts/post-build.mjs dist):
// 1. builds the markdown module (markdown/: pulldown-cmark behind one `toHtml` export):
//    captivate_markdown.js and captivate_markdown_bg.wasm;
// 2. builds the widget and splits it in two: its main part (the launcher: captivate-chat.js
//    and captivate-chat_bg.wasm) and the widget's own part, which the main part loads
//    (captivate-split.js and captivate-widget.wasm);
// 3. optimizes the wasm modules, gives the markdown module and the widget's main part short
//    import and export names (short-names.mjs), and minifies the JavaScript a visitor's
//    browser fetches (the embed loader, the wasm-bindgen glues, wasm-split's link module),
//    keeping `/*!` licence comments.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';
import { shortNames } from './short-names.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dest = path.resolve(process.argv[2] || process.env.TRUNK_STAGING_DIR || path.join(root, 'dist'));
const out = path.join(root, 'target', 'markdown');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
mkdirSync(out, { recursive: true });
mkdirSync(dest, { recursive: true });
const replaceOnce = (text, from, to) => {
  const parts = text.split(from);
  if (parts.length !== 2) throw new Error(`post-build: ${from} found ${parts.length - 1} times`);
  return parts.join(to);
};

run('cargo', ['build', '--release', '--locked', '--target', 'wasm32-unknown-unknown', '-p', 'captivate-markdown']);
run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-dir', out,
  path.join(root, 'target', 'wasm32-unknown-unknown', 'release', 'captivate_markdown.wasm')]);
writeFileSync(path.join(dest, 'captivate_markdown.js'), shortNames({
  input: path.join(out, 'captivate_markdown_bg.wasm'), output: path.join(dest, 'captivate_markdown_bg.wasm'),
  optArgs: ['-Oz'], cwd: root, glue: readFileSync(path.join(out, 'captivate_markdown.js'), 'utf8'),
}));

// The widget: one build, split in two (wasm-split, at `handle::widget_part`): the main part
// (the launcher, the Leptos runtime, every data segment), which a page loads first, and the
// widget's own part (the panel and the client), which the main part loads when the page is
// idle or the visitor clicks. Everything the two share is downloaded once. The crate is linked
// with its relocations (`--emit-relocs`, for this crate's link only: its dependencies build
// as for every other wasm), which wasm-split needs to move functions between modules.
const split = path.join(root, 'target', 'split');
rmSync(split, { recursive: true, force: true });
mkdirSync(split, { recursive: true });
run('cargo', ['rustc', '--release', '--locked', '--target', 'wasm32-unknown-unknown', '--lib', '-p', 'captivate-chat',
  '--no-default-features', '--features', 'widget', '--', '-C', 'link-args=--emit-relocs']);
run('wasm-split-cli', ['--target', 'web', '--out-name', 'captivate-chat',
  path.join(root, 'target', 'wasm32-unknown-unknown', 'release', 'captivate_chat.wasm'), split]);
run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--keep-lld-exports', '--out-name', 'captivate-chat', '--out-dir', path.join(split, 'bg'),
  path.join(split, 'captivate-chat.wasm')]);
// wasm-split's link module (it loads the widget's part, giving it the main part's memory,
// table and shared globals) under our names: captivate-split.js and captivate-widget.wasm.
const linkFile = 'captivate-split.js';
let link = readFileSync(path.join(split, '__wasm_split.js'), 'utf8');
const chunks = readdirSync(split).filter((f) => /^split_.*\.wasm$/.test(f));
if (chunks.length !== 1) throw new Error(`wasm-split: one widget part expected, got ${chunks}`);
link = replaceOnce(link, `"./${chunks[0]}"`, '"./captivate-widget.wasm"');
// The main part's exports the link module hands to the widget's part: kept, under their
// short names.
const shared = /const \{([^}]*)\} = initSync\(undefined, undefined\);/;
const sharedNames = (link.match(shared)?.[1] ?? '').split(',').map((n) => n.trim()).filter(Boolean);
if (sharedNames.length === 0) throw new Error('wasm-split: the link module names no shared export');
let renamed;
const glue = shortNames({
  input: path.join(split, 'bg', 'captivate-chat_bg.wasm'), output: path.join(dest, 'captivate-chat_bg.wasm'),
  optArgs: ['-Oz'], cwd: root, keep: sharedNames, onExports: (map) => { renamed = map; },
  glue: readFileSync(path.join(split, 'bg', 'captivate-chat.js'), 'utf8'),
});
link = link.replace(shared, () => `const { ${sharedNames.map((n) => `${JSON.stringify(renamed.get(n))}: ${n}`).join(', ')} } = initSync(undefined, undefined);`);
writeFileSync(path.join(dest, 'captivate-chat.js'), replaceOnce(glue, '"./__wasm_split.js"', `"./${linkFile}"`));
writeFileSync(path.join(dest, linkFile), link);
// The widget's part imports only what the main part shares (memory, table, globals), under
// the names the link module gives them: optimized, not renamed.
run('wasm-opt', ['-Oz', '--strip-producers', '--strip-target-features', path.join(split, chunks[0]),
  '-o', path.join(dest, 'captivate-widget.wasm')]);

for (const [file, module] of [['captivate-embed.js', false], ['captivate-chat.js', true], [linkFile, true], ['captivate_markdown.js', true]]) {
  const f = path.join(dest, file);
  const min = await minify(readFileSync(f, 'utf8'), { module, compress: { passes: 2 }, mangle: true, format: { comments: /^!/ } });
  writeFileSync(f, `${min.code}\n`);
}
