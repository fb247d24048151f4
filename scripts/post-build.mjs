// Trunk's post_build hook (into its staging folder; or by hand: node scripts/post-build.mjs dist):
// 1. builds the launcher module (this crate with the `launcher` feature alone: the button a
//    page shows first, until the widget takes its place) next to the widget:
//    captivate-launcher.js and captivate-launcher_bg.wasm;
// 2. builds the markdown module (markdown/: pulldown-cmark behind one `toHtml` export):
//    captivate_markdown.js and captivate_markdown_bg.wasm;
// 3. minifies the JavaScript a visitor's browser fetches (the embed loader and the three
//    wasm-bindgen glues), keeping `/*!` licence comments.
import { execFileSync } from 'node:child_process';
import { mkdirSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';

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
run('wasm-opt', ['-Oz', path.join(launcher, 'captivate-launcher_bg.wasm'), '-o', path.join(dest, 'captivate-launcher_bg.wasm')]);
copyFileSync(path.join(launcher, 'captivate-launcher.js'), path.join(dest, 'captivate-launcher.js'));

run('cargo', ['build', '--release', '--locked', '--target', 'wasm32-unknown-unknown', '-p', 'captivate-markdown']);
run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-dir', out,
  path.join(root, 'target', 'wasm32-unknown-unknown', 'release', 'captivate_markdown.wasm')]);
run('wasm-opt', ['-Oz', path.join(out, 'captivate_markdown_bg.wasm'), '-o', path.join(dest, 'captivate_markdown_bg.wasm')]);
copyFileSync(path.join(out, 'captivate_markdown.js'), path.join(dest, 'captivate_markdown.js'));

for (const [file, module] of [['captivate-embed.js', false], ['captivate-chat.js', true], ['captivate-launcher.js', true], ['captivate_markdown.js', true]]) {
  const f = path.join(dest, file);
  const min = await minify(readFileSync(f, 'utf8'), { module, compress: { passes: 2 }, mangle: true, format: { comments: /^!/ } });
  writeFileSync(f, `${min.code}\n`);
}
