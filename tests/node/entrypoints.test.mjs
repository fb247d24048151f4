// Entry points outside the browser: the ES module and CommonJS in Node, the package's
// `exports` map, and the TypeScript declarations against code written for 7.0.0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

test('Node: named ESM exports, default export and require() are the same classes', async () => {
  const esm = await import('../../pkg/dist/captivate-chat-api.mjs');
  const cjs = require('../../pkg/dist/captivate-chat-api.js');
  for (const name of ['CaptivateChatAPI', 'CaptivateChatManager', 'CaptivateChatFileManager']) {
    assert.equal(typeof esm[name], 'function', name);
    assert.equal(esm.default[name], esm[name]);
    assert.equal(typeof cjs[name], 'function', name);
  }
  const pkg = require('../../pkg/package.json');
  assert.deepEqual(pkg.exports['.'], { types: './dist/index.d.ts', import: './dist/captivate-chat-api.mjs', require: './dist/captivate-chat-api.js', default: './dist/captivate-chat-api.js' });
  // 7.0.0's paths, for users who switch by aliasing the package name.
  assert.equal(pkg.main, 'dist/captivate-chat-api.js');
  assert.equal(pkg.types, 'dist/index.d.ts');
});

test('file manager: index access, iteration and JSON form', async () => {
  const { CaptivateChatFileManager } = require('../../pkg/dist/captivate-chat-api.js');
  const fm = CaptivateChatFileManager.createProxy(Object.assign(Object.create(CaptivateChatFileManager.prototype), {
    type: 'files', files: [{ filename: 'a' }, { filename: 'b' }],
  }));
  assert.equal(fm[0].filename, 'a');
  assert.deepEqual([...fm].map((f) => f.filename), ['a', 'b']);
  assert.equal(fm.length, 2);
  assert.equal(1 in fm, true);
  assert.equal(Object.prototype.toString.call(fm), '[object Array]');
  assert.deepEqual(JSON.parse(JSON.stringify(fm)), { type: 'files', files: [{ filename: 'a' }, { filename: 'b' }] });
});

test('TypeScript: code written for 7.0.0 compiles against our declarations', () => {
  const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
  execFileSync(tsc, ['-p', path.join(root, 'tests', 'types', 'tsconfig.official.json')], { stdio: 'inherit' });
  execFileSync(tsc, ['-p', path.join(root, 'tests', 'types', 'tsconfig.ours.json')], { stdio: 'inherit' });
});

test('memoryStats(): wasm memory and live heap bytes, not enumerable, and freed memory is counted back', () => {
  const { CaptivateChatAPI } = require('../../pkg/dist/captivate-chat-api.js');
  assert.equal(Object.keys(CaptivateChatAPI).includes('memoryStats'), false, 'not part of the enumerable surface');
  const before = CaptivateChatAPI.memoryStats();
  assert.ok(before.wasmBytes >= 65536 && before.wasmBytes % 65536 === 0, `wasm memory is whole pages: ${before.wasmBytes}`);
  assert.ok(before.liveBytes >= 0 && before.liveBytes < before.wasmBytes);
  // An instance and its conversation bookkeeping are allocated, then released by dispose().
  const apis = Array.from({ length: 50 }, (_, i) => new CaptivateChatAPI(`memory-key-${i}`, 'prod', { baseUrl: 'http://127.0.0.1:9' }));
  const during = CaptivateChatAPI.memoryStats();
  assert.ok(during.liveBytes > before.liveBytes, 'instances hold wasm memory');
  for (const api of apis) { api.dispose(); api.free?.(); }
  const after = CaptivateChatAPI.memoryStats();
  assert.ok(after.liveBytes < during.liveBytes, `freed: ${before.liveBytes} → ${during.liveBytes} → ${after.liveBytes}`);
});
