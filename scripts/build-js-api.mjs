// Builds the drop-in package into pkg/: one self-contained UMD file
// (captivate-chat-api.js: `<script src>`, require(), AMD) and one ES module
// (captivate-chat-api.mjs: named exports), each carrying the wasm core inline so that
// it is usable synchronously, plus TypeScript declarations and package.json.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';
import { cargoWasm } from './cargo-wasm.mjs';
import { orderFunctions } from './order-functions.mjs';
import { OPTIMIZE, shortNames } from './short-names.mjs';
import { shippedCrates, thirdPartyNotices } from './notices.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
const out = path.join(root, 'target', 'js-api');
// pkg/ is the npm package as published, laid out as 7.0.0's (dist/captivate-chat-api.js,
// dist/index.d.ts) so that every path its users reference works under the alias.
const pkg = path.join(root, 'pkg');
const dist = path.join(pkg, 'dist');
mkdirSync(out, { recursive: true });
rmSync(pkg, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const built = cargoWasm('build', [], { cwd: root });
run('wasm-bindgen', ['--target', 'no-modules', '--no-typescript', '--out-dir', out, built]);
// CAPTIVATE_WASM_NAMES=1 keeps function names, the wasm's and the JS's (for CPU profiles and
// size breakdowns).
const names = process.env.CAPTIVATE_WASM_NAMES === '1' ? ['-g'] : [];
const wbgGlue = readFileSync(path.join(out, 'captivate_chat.js'), 'utf8');
const glue = shortNames({
  input: path.join(out, 'captivate_chat_bg.wasm'), output: path.join(out, 'core.wasm'), cwd: root,
  optArgs: [...OPTIMIZE, ...names], glue: wbgGlue,
});
// Its functions by size (see order-functions.mjs), except in a build that keeps the names.
if (names.length === 0) orderFunctions(path.join(out, 'core.wasm'), root);
const wasm = readFileSync(path.join(out, 'core.wasm'));
const shell = readFileSync(path.join(root, 'src', 'js', 'shell.js'), 'utf8');
// The socket frame reader the wasm imports by name, in the glue's scope (src/client/wasm/frame.js).
const frameReader = readFileSync(path.join(root, 'src', 'client', 'wasm', 'frame.js'), 'utf8');
const version = JSON.parse(readFileSync(path.join(root, 'www', 'npm', 'package.json'), 'utf8')).version;

// The wasm inline as a one-byte-per-character string literal: it compresses like the binary
// itself (base64 cost about 20 % more, gzipped). Only \\, ', CR, LF and NUL need escapes, and
// NUL is the commonest byte of a wasm module (its escape \x00 is four characters): so these
// five bytes are first swapped with the five rarest of the bytes that stay one character
// in UTF-8 (below 0x80, not escaped); the decoder swaps them back through a 256-entry table.
// (What it saves, and why not renaming all bytes by frequency: docs/size.md.) The file starts
// with a UTF-8 BOM, which makes every
// browser decode the script as UTF-8 whatever the page's charset, and which Node's loaders
// skip.
const escapes = { 0x5c: '\\\\', 0x27: "\\'", 0x0a: '\\n', 0x0d: '\\r', 0x00: '\\x00' };
const quote = (codes) => {
  let text = '';
  for (let i = 0; i < codes.length; i += 8192) {
    let chunk = '';
    for (const c of codes.slice(i, i + 8192)) chunk += escapes[c] ?? String.fromCharCode(c);
    text += chunk;
  }
  return text;
};
const seen = new Array(256).fill(0);
for (const b of wasm) seen[b]++;
const escaped = Object.keys(escapes).map(Number);
// Rarest first (ties by value: Array.prototype.sort is stable, so the order is fixed).
const rare = [...Array(128).keys()].filter((c) => !escaped.includes(c)).sort((a, b) => seen[a] - seen[b]);
const swap = [...Array(256).keys()];
escaped.forEach((b, i) => { swap[b] = rare[i]; swap[rare[i]] = b; });
const literal = quote(Array.from(wasm, (b) => swap[b]));
const table = quote(swap);
// A free name in what is minified (so that the minifier cannot see, or fold, the string),
// replaced afterwards by the decoder and its literal.
const PLACEHOLDER = '__CAPTIVATE_WASM_BYTES__';
const decoder = `(function(t,s){const a=new Uint8Array(s.length);for(let i=0;i<s.length;i++)a[i]=t.charCodeAt(s.charCodeAt(i));return a})('${table}','${literal}')`;
const body = `${frameReader}
${glue}
wasm_bindgen.initSync({ module: ${PLACEHOLDER} });
${shell}
const __api = captivateShell(wasm_bindgen);`;

const banner = `\uFEFF/*! captivate-chat (Rust/WebAssembly drop-in for captivate-chat-api 7.0.0) v${version} | MIT */\n`;
const umd = `(function (root, factory) {
  if (typeof exports === 'object' && typeof module === 'object') module.exports = factory();
  else if (typeof define === 'function' && define.amd) define([], factory);
  else { const api = factory(); for (const k in api) (typeof exports === 'object' ? exports : root)[k] = api[k]; }
})(typeof self !== 'undefined' ? self : this, function () {
${body}
return __api;
});
`;
const esm = `${body}
export const { CaptivateChatAPI, CaptivateChatManager, CaptivateChatFileManager } = __api;
export default __api;
`;
// The JS (wasm-bindgen's glue and our shell) is minified; class names are kept (7.0.0's
// classes report their names). The wasm string goes in afterwards, untouched.
async function emit(file, code, module) {
  const min = await minify(code, { module, compress: { passes: 2 }, mangle: names.length === 0, keep_classnames: true, format: { comments: /webpackIgnore|@vite-ignore/ } });
  const parts = min.code.split(PLACEHOLDER);
  if (parts.length !== 2) throw new Error(`${file}: the wasm placeholder did not survive minification once`);
  writeFileSync(path.join(dist, file), `${banner}${parts[0]}${decoder}${parts[1]}\n`);
}
await emit('captivate-chat-api.js', umd, false);
await emit('captivate-chat-api.mjs', esm, true);
copyFileSync(path.join(root, 'www', 'npm', 'package.json'), path.join(pkg, 'package.json'));
copyFileSync(path.join(root, 'www', 'npm', 'index.d.ts'), path.join(dist, 'index.d.ts'));
copyFileSync(path.join(root, 'www', 'npm', 'README.md'), path.join(pkg, 'README.md'));
copyFileSync(path.join(root, 'LICENSE'), path.join(pkg, 'LICENSE'));
copyFileSync(path.join(root, 'CHANGELOG.md'), path.join(pkg, 'CHANGELOG.md'));
// The crates in the wasm, with the notices their licences ask for (scripts/notices.mjs).
writeFileSync(path.join(pkg, 'THIRD-PARTY-NOTICES.md'), thirdPartyNotices(root, {
  packageName: 'captivate-chat-wasm', crates: shippedCrates(root, 'api'),
}));
console.log(`pkg/: wasm ${wasm.length} B`);
