// The differential test: one scenario over the whole API surface, run against the local
// server once with the official captivate-chat-api 7.0.0 and once with ours; what reached
// the server and what each call resolved or rejected with must match (ids normalised),
// apart from the differences the README documents.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startServer, redirect } from './harness.mjs';
import { scenario } from './scenario.mjs';

const require = createRequire(import.meta.url);
const servers = [];
const runs = {};

after(() => servers.forEach((s) => s.stop()));

async function run(name, load) {
  // Links (large messages, files) on the official API host, as the real service builds them.
  const server = await startServer(['--public-url', 'https://channel.prod.captivat.io']);
  servers.push(server);
  const log = redirect(server, []);
  runs[name] = await scenario(load(), server, log);
}

test('the official captivate-chat-api 7.0.0 completes the scenario', async () => {
  await run('official', () => require('captivate-chat-api'));
});

test('ours completes the same scenario unchanged', async () => {
  await run('ours', () => require('../../pkg/dist/captivate-chat-api.js'));
});

test('both send the same traffic and resolve the same values', () => {
  const { official, ours } = runs;
  assert.ok(official && ours, 'both runs completed');
  assert.deepEqual(ours.results, official.results);
  assert.deepEqual(ours.http, official.http);
  assert.deepEqual(ours.sockets, official.sockets);
});
