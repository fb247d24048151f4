// Builds the widget's npm package, captivate-chat-widget, into pkg-widget/ from dist/ (make
// build) and www/widget-package/ (its package.json, types, adapters, README):
//   dist/captivate-embed.js and the content-named parts beside it, as `make build` wrote them:
//     a CDN path to the loader inside the package is the one-line embed;
//   dist/index.mjs, the ES entry for bundlers (scripts/loader.mjs), naming the parts by
//     literal URLs relative to itself; dist/react.mjs, dist/vue.mjs, dist/element.mjs; the types.
// Both packages carry one version (www/npm/package.json's, checked here) and CHANGELOG.md.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { moduleEntry } from './loader.mjs';
import { shippedCrates, thirdPartyNotices } from './notices.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist');
const template = path.join(root, 'www', 'widget-package');
const pkg = path.join(root, 'pkg-widget');
const out = path.join(pkg, 'dist');
rmSync(pkg, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const version = (file) => JSON.parse(readFileSync(file, 'utf8')).version;
const ours = version(path.join(template, 'package.json'));
const dropIn = version(path.join(root, 'www', 'npm', 'package.json'));
if (ours !== dropIn) throw new Error(`the two packages carry one version: captivate-chat-widget ${ours}, the drop-in ${dropIn}`);
const changelog = readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8');
if (!changelog.includes(`## ${ours}`)) throw new Error(`CHANGELOG.md has no section for ${ours}`);

// The widget's files, as make build named them.
const files = readdirSync(built).filter((f) => f === 'captivate-embed.js' || /^captivate-[\w-]+\.[0-9a-f]{10}\.(js|wasm|json)$/.test(f));
const hashed = (name) => {
  const [stem, ext] = [name.slice(0, name.lastIndexOf('.')), name.slice(name.lastIndexOf('.'))];
  const found = files.filter((f) => f.startsWith(`${stem}.`) && f.endsWith(ext) && f.length === name.length + 11);
  if (found.length !== 1) throw new Error(`dist/ holds ${found.length} files for ${name} (run make build)`);
  return found[0];
};
for (const f of files) copyFileSync(path.join(built, f), path.join(out, f));

// The ES entry: the unhashed names of scripts/loader.mjs's text, each replaced by the built one
// (every one must be there).
// Each language's files, as make build named them (captivate-texts-<lang>.<hash>.json,
// captivate-panel-<lang>.<hash>.json, captivate-emoji-<lang>.<hash>.json).
const textsFiles = Object.fromEntries(files.map((f) => f.match(/^captivate-((?:texts|panel|emoji)-[\w-]+)\.[0-9a-f]{10}\.json$/))
  .filter(Boolean).map((m) => [m[1], m[0]]));
if (Object.keys(textsFiles).length === 0) throw new Error('dist/ holds no captivate-texts-<lang>.<hash>.json (run make build)');
let entry = moduleEntry(root, textsFiles);
for (const name of ['captivate-chat.js', 'captivate-chat_bg.wasm', 'captivate-element.js']) {
  const quoted = `'./${name}'`;
  if (!entry.includes(quoted)) throw new Error(`the ES entry does not name ${quoted}`);
  entry = entry.replaceAll(quoted, `'./${hashed(name)}'`);
}
writeFileSync(path.join(out, 'index.mjs'), entry);
for (const f of ['react.mjs', 'vue.mjs', 'element.mjs', 'index.d.ts', 'react.d.ts', 'vue.d.ts', 'element.d.ts']) {
  copyFileSync(path.join(template, f), path.join(out, f));
}
for (const f of ['package.json', 'README.md']) copyFileSync(path.join(template, f), path.join(pkg, f));
copyFileSync(path.join(root, 'LICENSE'), path.join(pkg, 'LICENSE'));
copyFileSync(path.join(root, 'CHANGELOG.md'), path.join(pkg, 'CHANGELOG.md'));
// The code and data of others that the files carry, with the notices their licences ask for:
// the crates in the wasm (scripts/notices.mjs), and the emoji tables' names and search words
// (scripts/emoji.mjs), from Unicode CLDR's annotations.
const cldr = path.join(root, 'node_modules', 'cldr-annotations-full');
const cldrVersion = JSON.parse(readFileSync(path.join(cldr, 'package.json'), 'utf8')).cldrVersion;
writeFileSync(path.join(pkg, 'THIRD-PARTY-NOTICES.md'), thirdPartyNotices(root, {
  packageName: 'captivate-chat-widget',
  crates: shippedCrates(root, 'split'),
  data: [{
    what: `Unicode CLDR ${cldrVersion}: the emoji's names and search words in dist/captivate-emoji-<language>.<hash>.json`,
    licence: readFileSync(path.join(cldr, 'LICENSE'), 'utf8'),
  }],
}));
console.log(`pkg-widget/: captivate-chat-widget ${ours}, ${files.length + 8} files in dist/`);
