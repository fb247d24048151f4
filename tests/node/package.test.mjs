// The package as users install it: `npm pack` of pkg/, unpacked into a temporary app under
// the name `captivate-chat-api` (what `npm install captivate-chat-api@npm:captivate-chat-wasm`
// does), then used by plain `node` — Node 20 without `--experimental-websocket`, so without a
// global WebSocket — from CommonJS and ESM, with the `ws` package installed (7.0.0's fallback)
// and without it (a clear error). TypeScript resolves the types through package.json alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let server;
let app;

before(async () => {
  server = await startServer();
  app = mkdtempSync(path.join(tmpdir(), 'captivate-app-'));
  execFileSync('npm', ['pack', '--silent', '--pack-destination', app], { cwd: path.join(root, 'pkg'), stdio: 'ignore' });
  const tarball = readdirSync(app).find((f) => f.endsWith('.tgz'));
  assert.ok(tarball, 'npm pack wrote a tarball');
  const installed = path.join(app, 'node_modules', 'captivate-chat-api');
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(app, tarball), '-C', installed, '--strip-components=1']);
  // `ws` has no dependencies of its own: a copy is an install.
  cpSync(path.join(root, 'node_modules', 'ws'), path.join(app, 'node_modules', 'ws'), { recursive: true });
});

after(() => {
  server?.stop();
  if (app) rmSync(app, { recursive: true, force: true });
});

// One conversation: connect, start, send, hear the bot. Printed as one JSON line.
const body = (base) => `
  const api = new CaptivateChatAPI('key-package', 'prod', { baseUrl: ${JSON.stringify(base)} });
  const out = { globalWebSocket: typeof globalThis.WebSocket };
  try {
    await api.connect();
    const conv = await api.createConversation('package-user', {}, {}, 'user-first');
    const heard = new Promise((resolve) => conv.onMessage((content, type) => resolve(type)));
    await conv.sendMessage('hello');
    out.reply = await heard;
  } catch (e) {
    out.error = e.message;
  }
  api.dispose();
  console.log(JSON.stringify(out));
`;

function runInApp(file, code) {
  writeFileSync(path.join(app, file), code);
  // Plain node: no --experimental-websocket, and nothing inherited that would add it.
  const env = { ...process.env, NODE_OPTIONS: '' };
  const out = execFileSync(process.execPath, [file], { cwd: app, env, encoding: 'utf8', timeout: 30000 });
  return JSON.parse(out.trim().split('\n').at(-1));
}

test('the packed package keeps 7.0.0\'s layout: dist/captivate-chat-api.js, dist/index.d.ts; with its README, CHANGELOG, LICENSE and third-party notices, nothing else', () => {
  const files = readdirSync(path.join(app, 'node_modules', 'captivate-chat-api', 'dist')).sort();
  assert.deepEqual(files, ['captivate-chat-api.js', 'captivate-chat-api.mjs', 'index.d.ts']);
  const top = readdirSync(path.join(app, 'node_modules', 'captivate-chat-api')).sort();
  assert.deepEqual(top, ['CHANGELOG.md', 'LICENSE', 'README.md', 'THIRD-PARTY-NOTICES.md', 'dist', 'package.json']);
  assert.match(readFileSync(path.join(app, 'node_modules', 'captivate-chat-api', 'LICENSE'), 'utf8'), /^MIT License/);
  const resolved = execFileSync(process.execPath, ['-e', "console.log(require.resolve('captivate-chat-api'), require.resolve('captivate-chat-api/dist/captivate-chat-api.js'))"], { cwd: app, encoding: 'utf8' }).trim().split(' ');
  assert.deepEqual(resolved.map((f) => path.relative(app, f)), [
    'node_modules/captivate-chat-api/dist/captivate-chat-api.js',
    'node_modules/captivate-chat-api/dist/captivate-chat-api.js',
  ]);
});

test('CommonJS on plain Node 20 talks through the ws package', () => {
  const out = runInApp('app.cjs', `const { CaptivateChatAPI } = require('captivate-chat-api');\n(async () => {${body(server.base)}})();`);
  assert.deepEqual(out, { globalWebSocket: 'undefined', reply: 'ai_agent' });
});

test('ESM on plain Node 20 talks through the ws package', () => {
  const out = runInApp('app.mjs', `import { CaptivateChatAPI } from 'captivate-chat-api';\n${body(server.base)}`);
  assert.deepEqual(out, { globalWebSocket: 'undefined', reply: 'ai_agent' });
});

test('without a WebSocket and without ws, connect() rejects with a clear error', () => {
  rmSync(path.join(app, 'node_modules', 'ws'), { recursive: true, force: true });
  const out = runInApp('no-ws.cjs', `const { CaptivateChatAPI } = require('captivate-chat-api');\n(async () => {${body(server.base)}})();`);
  assert.deepEqual(out, { globalWebSocket: 'undefined', error: 'WebSocket not available in this environment and ws module could not be loaded' });
});

test('TypeScript finds the types through package.json, as for 7.0.0', () => {
  cpSync(path.join(root, 'tests', 'types', 'usage.ts'), path.join(app, 'usage.ts'));
  writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: 'ES2020', module: 'ESNext', moduleResolution: 'bundler', lib: ['ES2020', 'DOM', 'DOM.Iterable'], types: [] },
    files: ['usage.ts'],
  }));
  execFileSync(path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', app], { stdio: 'inherit' });
});
