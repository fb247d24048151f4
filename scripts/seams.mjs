// The build's seams: the places where a script edits what another tool wrote (wasm-bindgen's
// glue, wasm-opt's printed name map, wasm-split-cli's link module, pulldown-cmark's data in a
// module). Each edit was written against one version of its tool, named here, and checks the
// shape it expects; when the shape is not there it throws `seamError`, which names the tool,
// the version the edit expects and the one installed, and the build stops before it writes
// a half-edited file. tests/node/seams.test.mjs holds every edit to the tools' real output,
// captured in tests/fixtures/tools/ (how to capture it again after an upgrade: its README).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Each tool the build edits the output of, and the version the edits were written against. */
export const TOOLS = {
  'wasm-bindgen': '0.2.130',
  'wasm-opt': '132',
  'wasm-split-cli': '0.2.4',
  'pulldown-cmark': '0.13.6',
};

/** What is installed of `tool` (its own report of its version, or the lock file's). */
function installed(tool) {
  try {
    if (tool === 'pulldown-cmark') {
      const lock = readFileSync(path.join(root, 'Cargo.lock'), 'utf8');
      return lock.match(/name = "pulldown-cmark"\nversion = "([^"]+)"/)?.[1] ?? 'none';
    }
    if (tool === 'wasm-split-cli') {
      const list = execFileSync('cargo', ['install', '--list'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
      return list.match(/^wasm_split_cli_support v([\w.]+)/m)?.[1] ?? 'none';
    }
    return execFileSync(tool, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return 'unknown';
  }
}

/** The error of an edit that did not find what it expects in `tool`'s output: `what`. */
export function seamError(tool, what) {
  if (!(tool in TOOLS)) throw new Error(`seams: unknown tool ${tool}`);
  return new Error(`${tool}'s output is not what the build expects: ${what}. `
    + `The build edits it, written against ${tool} ${TOOLS[tool]}; installed: ${installed(tool)}. `
    + 'After an upgrade, capture its output again (tests/fixtures/tools/README.md) and adapt the edit (docs/size.md, "Seams").');
}
