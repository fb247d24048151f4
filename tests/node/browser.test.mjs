// The drop-in in real headless Chromium against the local server over loopback: the
// classic-script and ES-module entry points, routing between conversations, surviving
// dropped sockets and a server outage with nothing lost or doubled, and bad frames.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, copyFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launch } from './harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let server;
let browser;

/** A folder with the built package and the test pages, served by the local server. */
function site() {
  const dir = mkdtempSync(path.join(tmpdir(), 'captivate-site-'));
  for (const f of ['captivate-chat-api.js', 'captivate-chat-api.mjs']) copyFileSync(path.join(root, 'pkg', 'dist', f), path.join(dir, f));
  for (const f of readdirSync(path.join(root, 'tests', 'browser'))) copyFileSync(path.join(root, 'tests', 'browser', f), path.join(dir, f));
  return dir;
}

before(async () => {
  server = await startServer(['--dist', site()]);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

async function open(file) {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${server.base}/${file}`);
  return { page, problems };
}

test('a classic <script> sets the window globals, usable at once', async () => {
  const { page, problems } = await open('classic.html');
  const check = await page.evaluate(() => window.classicCheck);
  assert.deepEqual(check, { globals: ['function', 'function', 'function'], singleton: true, active: false });
  assert.deepEqual(problems, []);
  await page.close();
});

test('an ES module imports named exports with no init call', async () => {
  const { page, problems } = await open('module.html');
  await page.waitForFunction(() => window.moduleCheck, null, { timeout: 10000 });
  assert.deepEqual(await page.evaluate(() => window.moduleCheck), { replies: ['ai_agent'], fileManager: 'function', socket: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the classic bundle works on a page whose charset is not UTF-8', async () => {
  const { page, problems } = await open('legacy-charset.html');
  await page.waitForFunction(() => window.charsetCheck, null, { timeout: 10000 });
  assert.deepEqual(await page.evaluate(() => window.charsetCheck), { charset: 'windows-1252', reply: 'ai_agent' });
  assert.deepEqual(problems, []);
  await page.close();
});

/** A page with the classic bundle, three conversations on one instance, and helpers. */
async function threeConversations(key) {
  const { page, problems } = await open('classic.html');
  await page.evaluate(async (key) => {
    const api = await CaptivateChatAPI.create(key, 'prod', { baseUrl: location.origin });
    window.api = api;
    window.heard = [[], [], []];
    window.convs = [];
    for (let i = 0; i < 3; i++) {
      const c = await api.createConversation(`user-${i}`, {}, {}, 'user-first');
      c.onMessage((content, type) => window.heard[i].push({ type, text: JSON.stringify(content) }));
      window.convs.push(c);
    }
    window.waitFor = async (pred, ms = 10000) => {
      const t = Date.now();
      while (!pred()) { if (Date.now() - t > ms) throw new Error('timeout'); await new Promise((r) => setTimeout(r, 20)); }
    };
  }, key);
  const ids = await page.evaluate(() => window.convs.map((c) => c.getConversationId()));
  return { page, problems, ids };
}

test('three conversations on one instance each receive only their own events', async () => {
  const { page, problems, ids } = await threeConversations('three-key');
  await page.evaluate(async () => {
    for (let i = 0; i < 3; i++) await window.convs[i].sendMessage(`only for ${i}`);
    await window.waitFor(() => window.heard.every((h) => h.length === 1));
  });
  await server.fault('push', { conversation_id: ids[1], content: [{ type: 'text', text: 'pushed to 1' }] });
  await page.evaluate(() => window.waitFor(() => window.heard[1].length === 2));
  const heard = await page.evaluate(() => window.heard);
  for (let i = 0; i < 3; i++) {
    assert.ok(heard[i].every((m) => !/only for/.test(m.text) || m.text.includes(`only for ${i}`)), `conversation ${i} heard another's reply`);
  }
  assert.equal(heard[0].length, 1);
  assert.equal(heard[2].length, 1);
  assert.match(heard[1][1].text, /pushed to 1/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('every conversation resumes after the server drops all sockets', async () => {
  const { page, problems } = await threeConversations('drop-key');
  const before = await page.evaluate(() => window.api.getSocketId());
  await server.fault('drop-sockets');
  await page.evaluate(async (before) => {
    await window.waitFor(() => window.api.isSocketActive() && window.api.getSocketId() !== before);
    for (let i = 0; i < 3; i++) await window.convs[i].sendMessage(`after drop ${i}`);
    await window.waitFor(() => window.heard.every((h) => h.length === 1));
  }, before);
  const heard = await page.evaluate(() => window.heard);
  heard.forEach((h, i) => assert.match(h[0].text, new RegExp(`after drop ${i}`)));
  assert.deepEqual(problems, []);
  await page.close();
});

test('50 messages typed while the server is down arrive once each, in order', async () => {
  const { page, problems, ids } = await threeConversations('outage-key');
  await server.fault('down', { ms: 2500 });
  const states = await page.evaluate(async () => {
    await window.waitFor(() => !window.api.isSocketActive());
    const sends = [];
    for (let i = 1; i <= 50; i++) sends.push(window.convs[0].sendMessage(`queued ${i}`));
    const whileDown = window.api.getConnectionState();
    const answers = await Promise.all(sends);
    return { whileDown, answers: answers.map((a) => a.status), after: window.api.getConnectionState() };
  });
  assert.equal(states.whileDown, 'reconnecting');
  assert.equal(states.after, 'online');
  assert.deepEqual(states.answers, Array(50).fill('success'));
  const transcript = await (await fetch(`${server.base}/api/transcript?conversation_id=${ids[0]}`, { headers: { 'x-api-key': 'outage-key' } })).json();
  const sent = transcript.transcript.filter((e) => e.from === 'user').map((e) => e.messages[0].text);
  assert.deepEqual(sent, Array.from({ length: 50 }, (_, i) => `queued ${i + 1}`));
  assert.deepEqual(problems, []);
  await page.close();
});

test('failed sends are retried with the same id and stored once', async () => {
  const { page, problems, ids } = await threeConversations('retry-key');
  await server.fault('http', { fail: 3, status: 503 });
  const answer = await page.evaluate(() => window.convs[2].sendMessage('survives three 503s'));
  assert.equal(answer.status, 'success');
  const transcript = await (await fetch(`${server.base}/api/transcript?conversation_id=${ids[2]}`, { headers: { 'x-api-key': 'retry-key' } })).json();
  assert.deepEqual(transcript.transcript.filter((e) => e.from === 'user').map((e) => e.messages[0].text), ['survives three 503s']);
  assert.deepEqual(problems, []);
  await page.close();
});

test('malformed and unknown frames are ignored and break nothing', async () => {
  const { page, problems, ids } = await threeConversations('frames-key');
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  for (const kind of ['malformed', 'unknown', 'wrong-types']) await server.fault('frames', { kind, conversation_id: ids[0] });
  await page.evaluate(async () => {
    await window.convs[0].sendMessage('still working');
    await window.waitFor(() => window.heard[0].length === 1);
  });
  // A bot_message without conversation_id goes to the conversation that sent last.
  await server.fault('frames', { kind: 'no-conversation' });
  await page.evaluate(() => window.waitFor(() => window.heard[0].length === 2));
  const heard = await page.evaluate(() => window.heard);
  assert.match(heard[0][0].text, /still working/);
  assert.match(heard[0][1].text, /no conversation_id/);
  assert.equal(heard[1].length + heard[2].length, 0);
  assert.deepEqual(problems, []);
  assert.deepEqual(errors, []);
  await page.close();
});
