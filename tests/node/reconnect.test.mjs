// Staying connected: the server drops every socket; the official client comes back after
// 3 s with a new socket but its conversations stay deaf; ours reconnects and every
// conversation keeps hearing its own events.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startServer, redirect, until } from './harness.mjs';

const require = createRequire(import.meta.url);
let server;
before(async () => { server = await startServer(); redirect(server, []); });
after(async () => {
  await server.fault('close-sockets', { code: 1000 });
  server.stop();
});

test('official 7.0.0 reconnects its socket 3 s after a drop', async () => {
  const { CaptivateChatAPI } = require('captivate-chat-api');
  const api = new CaptivateChatAPI('key-drop');
  await api.connect();
  const first = api.getSocketId();
  await server.fault('drop-sockets');
  await until(() => !api.isSocketActive(), 3000, 'socket to drop');
  await until(() => api.isSocketActive() && api.getSocketId() !== first, 8000, 'automatic reconnect');
  api.dispose();
});

test('ours reconnects and every conversation resumes', async () => {
  const { CaptivateChatAPI } = require('../../pkg/captivate-chat-api.js');
  const api = await CaptivateChatAPI.create('key-ours');
  const convs = [];
  const heard = [[], [], []];
  for (let i = 0; i < 3; i++) {
    const c = await api.createConversation(`u${i}`, {}, {}, 'user-first');
    c.onMessage((content) => heard[i].push(JSON.stringify(content)));
    convs.push(c);
  }
  const first = api.getSocketId();
  await server.fault('drop-sockets');
  await until(() => api.isSocketActive() && api.getSocketId() !== first, 8000, 'automatic reconnect');
  for (let i = 0; i < 3; i++) await convs[i].sendMessage(`hello ${i}`);
  await until(() => heard.every((h) => h.length === 1), 5000, 'replies after the drop');
  heard.forEach((h, i) => assert.match(h[0], new RegExp(`hello ${i}`)));
  api.dispose();
});
