// The build's seams (scripts/seams.mjs): every edit a build script makes to another tool's
// output, run on that tool's real output as captured in tests/fixtures/tools/ (by
// scripts/capture-tool-output.mjs), and on the same output changed as a new version of the
// tool could change it: the edit must then stop with an error naming the tool and the
// version it was written against, never write a different file quietly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Parser } from 'acorn';
import { TOOLS } from '../../scripts/seams.mjs';
import { forGlue, glueWasmUrl, nameMap, renameGlue } from '../../scripts/short-names.mjs';
import { linkIntoGlue, partNames, sharedExports } from '../../scripts/link-module.mjs';
import { findTable } from '../../scripts/entity-table.mjs';
import { readModule, segments } from '../../scripts/wasm-module.mjs';

const fixture = (file) => readFileSync(new URL(`../fixtures/tools/${file}`, import.meta.url));
const text = (file) => fixture(file).toString();
const json = (file) => JSON.parse(text(file));
/** An error of the seam of `tool`, naming the version the edit was written against. */
const seamOf = (tool) => new RegExp(`^Error: ${tool}'s output is not what the build expects: [^]*written against ${tool} ${TOOLS[tool].replace(/\./g, '\\.')}`);

/** The glue of `glueFile` renamed as short-names.mjs renames it, with the names wasm-opt
 * gave its module (`namesFile`); `change` edits the glue first, `changeMap` the printed map. */
function renamed(glueFile, namesFile, { keep = [], change = (g) => g, changeMap = (p) => p } = {}) {
  const { printed, imports, exports } = json(namesFile);
  const { glue } = forGlue({ wasm: Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), glue: change(text(glueFile)), keep });
  return renameGlue({ glue, map: nameMap(changeMap(printed)), imports, exports, keep });
}

const parses = (code, sourceType) => Parser.parse(code, { ecmaVersion: 'latest', sourceType });

for (const [glueFile, namesFile, sourceType] of [
  ['wasm-bindgen.no-modules.js', 'wasm-opt.no-modules.json', 'script'],
  ['wasm-bindgen.web.js', 'wasm-opt.web.json', 'module'],
]) {
  const keep = glueFile.includes('web') ? sharedExports(text('wasm-split-cli.link.js')) : [];
  test(`short names: ${glueFile} takes wasm-opt's names, every import key and export use`, () => {
    const { printed } = json(namesFile);
    const map = nameMap(printed);
    const { glue, exports } = renamed(glueFile, namesFile, { keep });
    parses(glue, sourceType);
    // No long name is left: every import key is a short one, every export use is wasm["…"].
    for (const [, name] of map.imports) assert.ok(!new RegExp(`[{,\\s]${name}\\s*:`).test(glue), `import key ${name} left`);
    assert.doesNotMatch(glue, /\bwasm\.[A-Za-z_$]/);
    assert.ok(exports.size > 10 && [...exports.values()].every((to) => glue.includes(`wasm[${JSON.stringify(to)}]`) || keep.some((k) => exports.get(k) === to)));
  });

  test(`short names: ${glueFile} changed as another wasm-bindgen or wasm-opt could change it stops the build`, () => {
    const { printed } = json(namesFile);
    const firstImport = nameMap(printed).imports.find(([m]) => m !== './__wasm_split.js')[1];
    const cases = [
      // Import keys written in another form (quoted).
      ['wasm-bindgen', (g) => g.replaceAll(new RegExp(`([{,\\s])${firstImport}(\\s*:)`, 'g'), `$1"${firstImport}"$2`), (p) => p],
      // Glue that no longer parses as the JavaScript the edit reads.
      ['wasm-bindgen', (g) => `${g}\nclass {`, (p) => p],
      // An export used through another name than `wasm.<export>`.
      ['wasm-bindgen', (g) => g.replace(/\bwasm\.([A-Za-z_$][\w$]*)/, 'wasm.__renamed_by_a_new_version'), (p) => p],
      // The same import key twice (the renaming would be ambiguous).
      ['wasm-bindgen', (g) => `${g}\nconst __again = { ${firstImport}: 1 };`, (p) => p],
      // The name map printed in another form.
      ['wasm-opt', (g) => g, (p) => p.replace(/\{[^]*\}/, (m) => m.replaceAll('[', '{').replaceAll(']', '}'))],
      ['wasm-opt', (g) => g, () => 'no names printed'],
    ];
    for (const [tool, change, changeMap] of cases) {
      assert.throws(() => renamed(glueFile, namesFile, { keep, change, changeMap }), seamOf(tool));
    }
  });
}

test("link module: wasm-split-cli's link module goes into the main part's glue", () => {
  const link = text('wasm-split-cli.link.js');
  const parts = partNames(json('wasm-split-cli.parts.json'));
  assert.ok(parts.some(([, n]) => n === 'captivate-widget.wasm') && parts.some(([, n]) => n === 'captivate-markdown.wasm'));
  const { glue, exports } = renamed('wasm-bindgen.web.js', 'wasm-opt.web.json', { keep: sharedExports(link) });
  const joined = linkIntoGlue({ link, glue, parts, renamed: exports });
  parses(joined, 'module');
  // One module: it imports neither the link module nor itself, and names every part by our name.
  assert.doesNotMatch(joined, /__wasm_split\.js|from "\.\/captivate-chat\.js"/);
  for (const [f, name] of parts) {
    assert.ok(joined.includes(`"./${name}"`), `${name} not named`);
    assert.ok(!joined.includes(`"./${f}"`), `${f} still named`);
  }
  // Every part instantiated by the function that takes its resources (src/widget/resources.js).
  assert.equal(joined.split('captivateInstantiate(src, imports)').length - 1, parts.length);
  assert.doesNotMatch(joined, /instantiateStreaming\(src/);
});

test('link module: a link module or glue changed by another wasm-split-cli or wasm-bindgen stops the build', () => {
  const link = text('wasm-split-cli.link.js');
  const parts = partNames(json('wasm-split-cli.parts.json'));
  const { glue, exports } = renamed('wasm-bindgen.web.js', 'wasm-opt.web.json', { keep: sharedExports(link) });
  const cases = [
    ['wasm-split-cli', { link: link.replace('initSync(undefined, undefined)', 'initSync()') }],
    ['wasm-split-cli', { link: link.replace('import { initSync } from "./captivate-chat.js";', 'import init from "./captivate-chat.js";') }],
    ['wasm-split-cli', { link: link.replace(/^export const /gm, 'export let ') }],
    ['wasm-split-cli', { link: link.replaceAll(`"./${parts[0][0]}"`, `'./${parts[0][0]}'`) }],
    // A part instantiated another way (its resources would not be read).
    ['wasm-split-cli', { link: link.replace('WebAssembly.instantiateStreaming(src, imports)', 'WebAssembly.instantiate(src, imports)') }],
    ['wasm-bindgen', { glue: glue.replace(/^import \* as (\w+) from "\.\/__wasm_split\.js";?$/gm, 'import { $1 } from "./__wasm_split.js";') }],
  ];
  for (const [tool, changed] of cases) {
    assert.throws(() => linkIntoGlue({ link, glue, parts, renamed: exports, ...changed }), seamOf(tool));
  }
  assert.throws(() => partNames(['split_widget.wasm', 'module_3.wasm']), seamOf('wasm-split-cli'));
});

test("entity table: pulldown-cmark's table of named references is found in the markdown part's real data", () => {
  const module = gunzipSync(fixture('pulldown-cmark.data.wasm.gz'));
  const data = readModule(module).sections.find((s) => s.id === 11);
  const table = findTable(data, segments(data));
  assert.ok(table, 'not found');
  assert.equal(table.records.length, 2125);
});

test('the glue\'s default URL of its wasm names the built file; a glue without that URL stops the build', () => {
  const glue = text('wasm-bindgen.web.js');
  const named = glueWasmUrl(glue, 'captivate-chat_bg.0123456789.wasm');
  assert.ok(named.includes("new URL('captivate-chat_bg.0123456789.wasm', import.meta.url)"));
  assert.ok(!named.includes("'captivate-chat_bg.wasm'"));
  parses(named, 'module');
  assert.throws(() => glueWasmUrl(glue.replace("new URL('captivate-chat_bg.wasm', import.meta.url)", "new URL(`${name}_bg.wasm`, import.meta.url)"), 'x.wasm'), seamOf('wasm-bindgen'));
});
