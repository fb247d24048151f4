// Captures the output of the tools whose output the build edits (scripts/seams.mjs) into
// tests/fixtures/tools/, from what `make build js-api` left in target/: the fixtures of
// tests/node/seams.test.mjs. Run it after upgrading one of those tools, then run that test
// (and the build) and adapt the edits it fails on; TOOLS in seams.mjs names the new version.
//   make build js-api && node scripts/capture-tool-output.mjs
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { sharedExports } from './link-module.mjs';
import { forGlue } from './short-names.mjs';
import { readModule, section } from './wasm-module.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'tests', 'fixtures', 'tools');
const target = path.join(root, 'target');
mkdirSync(out, { recursive: true });

/** wasm-opt's printed name map for `wasm` (its exports trimmed to what `glue` uses, as
 * short-names.mjs does), and the imports and exports of the module it writes. Only the
 * renaming runs (no optimization): the map has the same shape. */
function names(wasm, glue, keep) {
  const scratch = mkdtempSync(path.join(tmpdir(), 'capture-'));
  try {
    const input = path.join(scratch, 'in.wasm');
    const output = path.join(scratch, 'out.wasm');
    writeFileSync(input, forGlue({ wasm, glue, keep }).wasm);
    const printed = execFileSync('wasm-opt', ['--minify-imports-and-exports-and-modules', input, '-o', output],
      { stdio: ['ignore', 'pipe', 'inherit'] }).toString();
    const module = new WebAssembly.Module(readFileSync(output));
    return {
      printed,
      imports: WebAssembly.Module.imports(module).map(({ module: m, name }) => ({ module: m, name })),
      exports: WebAssembly.Module.exports(module).map((e) => e.name),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const write = (file, content) => {
  writeFileSync(path.join(out, file), content);
  console.log(`${file}: ${content.length} B`);
};

// The widget's main part: wasm-bindgen's `web` glue, wasm-split-cli's link module and parts.
const split = path.join(target, 'split');
const webGlue = readFileSync(path.join(split, 'bg', 'captivate-chat.js'), 'utf8');
const link = readFileSync(path.join(split, '__wasm_split.js'), 'utf8');
write('wasm-bindgen.web.js', webGlue);
write('wasm-split-cli.link.js', link);
write('wasm-split-cli.parts.json', `${JSON.stringify(readdirSync(split).filter((f) => f.endsWith('.wasm') && f !== 'captivate-chat.wasm').sort())}\n`);
write('wasm-opt.web.json', `${JSON.stringify(names(readFileSync(path.join(split, 'bg', 'captivate-chat_bg.wasm')), webGlue, sharedExports(link)), null, 1)}\n`);

// The drop-in: wasm-bindgen's `no-modules` glue.
const js = path.join(target, 'js-api');
const noModules = readFileSync(path.join(js, 'captivate_chat.js'), 'utf8');
write('wasm-bindgen.no-modules.js', noModules);
write('wasm-opt.no-modules.json', `${JSON.stringify(names(readFileSync(path.join(js, 'captivate_chat_bg.wasm')), noModules, []), null, 1)}\n`);

// pulldown-cmark's data in the markdown part, before the build zeroes its table: the part's
// data section alone, in a module of its own (gzip).
const markdown = readModule(readFileSync(path.join(split, 'split_markdown.wasm')));
const data = markdown.sections.find((s) => s.id === 11);
if (!data) throw new Error('capture: the markdown part has no data section');
write('pulldown-cmark.data.wasm.gz', gzipSync(Buffer.concat([Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), section(5, [1, 0, 64]), data.bytes]), { level: 9 }));
