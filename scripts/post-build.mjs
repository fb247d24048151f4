// Trunk's post_build hook (into its staging folder; or by hand: node scripts/post-build.mjs dist):
// 1. builds the launcher module (this crate with the `launcher` feature alone: the button a
//    page shows first, until the widget takes its place) next to the widget:
//    captivate-launcher.js and captivate-launcher_bg.wasm;
// 2. builds the markdown module (markdown/: pulldown-cmark behind one `toHtml` export):
//    captivate_markdown.js and captivate_markdown_bg.wasm;
// 3. optimizes the three wasm modules and gives them short import and export names
//    (short-names.mjs), and minifies the JavaScript a
//    visitor's browser fetches (the embed loader and the three wasm-bindgen glues), keeping
//    `/*!` licence comments.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

const launcher = path.join(root, 'target', 'launcher');
mkdirSync(launcher, { recursive: true });
run('cargo', ['build', '--release', '--locked', '--target', 'wasm32-unknown-unknown', '--lib', '-p', 'captivate-chat',
  '--no-default-features', '--features', 'launcher']);
run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-name', 'captivate-launcher', '--out-dir', launcher,
  path.join(root, 'target', 'wasm32-unknown-unknown', 'release', 'captivate_chat.wasm')]);
writeFileSync(path.join(dest, 'captivate-launcher.js'), shortNames({
  input: path.join(launcher, 'captivate-launcher_bg.wasm'), output: path.join(dest, 'captivate-launcher_bg.wasm'),
  optArgs: ['-Oz'], cwd: root, glue: readFileSync(path.join(launcher, 'captivate-launcher.js'), 'utf8'),
}));

run('cargo', ['build', '--release', '--locked', '--target', 'wasm32-unknown-unknown', '-p', 'captivate-markdown']);
run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-dir', out,
  path.join(root, 'target', 'wasm32-unknown-unknown', 'release', 'captivate_markdown.wasm')]);
writeFileSync(path.join(dest, 'captivate_markdown.js'), shortNames({
  input: path.join(out, 'captivate_markdown_bg.wasm'), output: path.join(dest, 'captivate_markdown_bg.wasm'),
  optArgs: ['-Oz'], cwd: root, glue: readFileSync(path.join(out, 'captivate_markdown.js'), 'utf8'),
}));

// The widget module as Trunk left it (wasm-bindgen's output: Trunk's own wasm-opt is off, so
// that it is optimized once, here, after the exports nothing uses are gone), in place.
const widget = path.join(dest, 'captivate-chat_bg.wasm');
writeFileSync(path.join(dest, 'captivate-chat.js'), shortNames({
  input: widget, output: widget, optArgs: ['-Oz'], cwd: root, glue: readFileSync(path.join(dest, 'captivate-chat.js'), 'utf8'),
}));

for (const [file, module] of [['captivate-embed.js', false], ['captivate-chat.js', true], ['captivate-launcher.js', true], ['captivate_markdown.js', true]]) {
  const f = path.join(dest, file);
  const min = await minify(readFileSync(f, 'utf8'), { module, compress: { passes: 2 }, mangle: true, format: { comments: /^!/ } });
  writeFileSync(f, `${min.code}\n`);
}
