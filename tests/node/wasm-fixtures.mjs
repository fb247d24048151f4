// Small wasm modules built byte by byte, and temporary files for them: the fixtures of the
// build scripts' tests (entity-table.test.mjs).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { section, sleb, uleb } from '../../scripts/wasm-module.mjs';

/** Where a fixture's data goes unless told otherwise. */
export const BASE = 1024;

/** A module with two pages of memory (exported as `memory`), one function whose body names
 * `constants` (each an `i32.const`, dropped), and one active data segment holding `data` at
 * `base`. */
export function moduleWith(data, { constants = [], base = BASE } = {}) {
  const name = (s) => [...uleb(s.length), ...Buffer.from(s)];
  const body = [0, ...constants.flatMap((c) => [0x41, ...sleb(c), 0x1a]), 0x0b];
  return Buffer.concat([
    Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]),
    section(1, [1, 0x60, 0, 0]), // one type: () -> ()
    section(3, [1, 0]), // one function
    section(5, [1, 0, 2]), // one memory, two pages
    section(7, [1, ...name('memory'), 2, 0]),
    section(10, [1, ...uleb(body.length), ...body]),
    section(11, [1, 0, 0x41, ...sleb(base), 0x0b, ...uleb(data.length), ...data]),
  ]);
}

/** Runs `run` with `modules` written to files of a fresh folder (their paths), then removes it. */
export function inFiles(modules, run) {
  const dir = mkdtempSync(path.join(tmpdir(), 'wasm-fixtures-'));
  const files = modules.map((bytes, i) => {
    const file = path.join(dir, `m${i}.wasm`);
    writeFileSync(file, bytes);
    return file;
  });
  try {
    return run(files);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
