// Builds the markdown module (markdown/: pulldown-cmark behind one `toHtml` export) next
// to the widget: captivate_markdown.js and captivate_markdown_bg.wasm. Run by Trunk after
// the widget's build (a post_build hook: into its staging folder), or by hand with an
// output folder: node scripts/build-markdown.mjs dist
import { execFileSync } from 'node:child_process';
import { mkdirSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dest = path.resolve(process.argv[2] || process.env.TRUNK_STAGING_DIR || path.join(root, 'dist'));
const out = path.join(root, 'target', 'markdown');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
mkdirSync(out, { recursive: true });
mkdirSync(dest, { recursive: true });

run('cargo', ['build', '--release', '--locked', '--target', 'wasm32-unknown-unknown', '-p', 'captivate-markdown']);
run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-dir', out,
  path.join(root, 'target', 'wasm32-unknown-unknown', 'release', 'captivate_markdown.wasm')]);
run('wasm-opt', ['-Oz', path.join(out, 'captivate_markdown_bg.wasm'), '-o', path.join(dest, 'captivate_markdown_bg.wasm')]);
copyFileSync(path.join(out, 'captivate_markdown.js'), path.join(dest, 'captivate_markdown.js'));
