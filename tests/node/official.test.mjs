// The official captivate-chat-api 7.0.0, driven from Node against the local server:
// every member of API_SURFACE.md completes against it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startServer, redirect, until } from './harness.mjs';

const require = createRequire(import.meta.url);
let server;
let official;
const log = [];

before(async () => {
  server = await startServer();
  redirect(server, log);
  official = require('captivate-chat-api');
});

after(async () => {
  // 7.0.0 leaks a socket on every connect() of a connected instance (connectAll, reconnect):
  // close them normally so its unbounded reconnect loop does not outlive the test.
  await server.fault('close-sockets', { code: 1000 });
  await until(async () => (await server.openSockets()) === 0, 3000, 'sockets to close');
  server.stop();
});

test('the official client sees injected socket drops and reconnects after 3 s', async () => {
  const { CaptivateChatAPI } = official;
  const api = new CaptivateChatAPI('key-drop');
  await api.connect();
  const first = api.getSocketId();
  await server.fault('drop-sockets');
  await until(() => !api.isSocketActive(), 3000, 'socket to drop');
  await until(() => api.isSocketActive() && api.getSocketId() !== first, 8000, 'automatic reconnect');
  api.dispose();
});

test('official 7.0.0 completes every method of the API surface against the local server', async () => {
  const { CaptivateChatAPI, CaptivateChatManager, CaptivateChatFileManager } = official;

  CaptivateChatAPI.setDebugMode(false);
  assert.equal(CaptivateChatAPI.getDebugMode(), false);

  const api = new CaptivateChatAPI('key-a');
  assert.equal(new CaptivateChatAPI('key-a', 'prod'), api, 'singleton per (apiKey, mode)');
  assert.equal(CaptivateChatAPI.hasInstance('key-a'), true);
  assert.equal(CaptivateChatAPI.getInstance('key-a'), api);
  assert.equal(api.isSocketActive(), false);

  await api.connect();
  assert.equal(api.isSocketActive(), true);
  assert.ok(api.getSocket());
  assert.match(api.getSocketId(), /=$/);
  assert.deepEqual(log.find((e) => e.kind === 'ws' && e.path.endsWith('key-a')), { kind: 'ws', host: 'wss://channel.wss.captivatechat.ai', path: '/dev?apiKey=key-a' });

  // User-first start, then every listener.
  const conv = await api.createConversation('user-1', { firstName: 'Ann' }, { topic: 'orders' }, 'user-first', { crm: 42 });
  const id = conv.getConversationId();
  assert.ok(id);
  assert.equal(conv.apiKey, 'key-a');
  const start = log.find((e) => e.body?.event?.event_type === 'conversation_start');
  assert.deepEqual(start.body.event.event_payload, { userId: 'user-1', userBasicInfo: { firstName: 'Ann' }, metadata: { topic: 'orders', private: { crm: 42 } } });

  const messages = [];
  const errors = [];
  const updates = [];
  const actions = [];
  conv.onMessage((content, type) => messages.push({ content, type }));
  conv.onError((e) => errors.push(e));
  conv.onConversationUpdate((u) => updates.push(u));
  conv.onActionReceived((a) => actions.push(a));

  const sent = await conv.sendMessage('buttons');
  assert.equal(sent.status, 'success');
  assert.ok(sent.message_id, 'sendMessage resolves to the HTTP answer');
  await until(() => messages.length === 1, 5000, 'bot reply');
  assert.equal(messages[0].type, 'ai_agent');
  assert.equal(messages[0].content[0].type, 'buttons');

  await conv.sendMessage({ type: 'text', text: 'action' });
  await until(() => actions.length === 1, 5000, 'action');
  assert.deepEqual(actions[0], [{ id: 'getLocation', data: { reason: 'demo' } }]);

  await conv.sendMessage('large');
  await until(() => messages.some((m) => JSON.stringify(m.content).includes('too large for the socket')), 5000, 'large message via link');
  assert.equal(errors.at(-1).errorCode, 413);

  await conv.sendMessage('error');
  await until(() => messages.some((m) => m.type === 'error'), 5000, 'error message');
  assert.equal(messages.find((m) => m.type === 'error').content, '[Error: The demo bot raised an error on purpose.]');
  assert.deepEqual(errors.at(-1), { conversationId: id, errorCode: 500, errorDesc: 'The demo bot raised an error on purpose.' });

  await conv.sendAction('escalateToHuman');
  await until(() => updates.length >= 1 && messages.some((m) => m.type === 'human_agent'), 5000, 'hand-off');
  assert.equal(updates[0].type, 'livechatAgentConnected');
  assert.equal(updates[0].conversationId, id);

  await conv.setMetadata({ plan: 'pro' });
  await conv.setPrivateMetadata({ secret: 's' });
  await conv.setTimeToLive(7);
  await conv.setTimeToLive(5); // ignored
  const meta = await conv.getMetadata();
  assert.deepEqual(meta, { topic: 'orders', plan: 'pro', timeToLive: 7 });
  await assert.rejects(conv.setMetadata(null), /Metadata must be a non-null object\./);
  await assert.rejects(conv.setPrivateMetadata('x'), /Private metadata must be a non-null object\./);

  await conv.editMessage(sent.message_id, 'edited buttons');
  const transcript = await conv.getTranscript();
  assert.equal(transcript[0].from, 'user');
  assert.equal(transcript[0].messages[0].text, 'edited buttons');
  assert.ok(transcript.some((e) => e.from === 'livechat'));

  // Bot-first start: the greeting arrives.
  const conv2 = await api.createConversation('user-1');
  const greeting = [];
  conv2.onMessage((content, type) => greeting.push({ content, type }));
  await until(() => greeting.length >= 1, 5000, 'greeting');
  assert.match(greeting[0].content[0].text, /demo bot/);
  assert.equal(api.getConversation(conv2.getConversationId()).getConversationId(), conv2.getConversationId());

  const v1 = await api.getUserConversations('user-1');
  assert.equal(v1.conversations.length, 2);
  assert.equal(v1.pagination, undefined);
  const v2 = await api.getUserConversations({ userId: 'user-1', filter: { topic: 'orders' }, pagination: { page: 1, limit: 5 } });
  assert.equal(v2.conversations.length, 1);
  assert.equal(v2.conversations[0].getConversationId(), id);
  assert.deepEqual(v2.pagination, { hasNextPage: false, hasPrevPage: false, page: 1, pageSize: 5, total: 1, totalPages: 1 });
  const searched = await api.getUserConversations({ userId: 'user-1', search: { topic: 'ord*' } });
  assert.equal(searched.conversations.length, 1);

  // Files: upload through the file service, attach, refresh a link.
  const fm = await conv.fileManager.create({ file: new Blob(['file body text'], { type: 'text/plain' }), fileName: 'notes.txt' });
  assert.equal(fm.type, 'files');
  assert.equal(fm.getFilename(), 'notes.txt');
  assert.equal(fm.getTextContent(), 'file body text');
  assert.equal(fm.getFileType(), 'text/plain');
  assert.ok(fm.getFirstFile().storage.fileKey.startsWith(`key-a/${id}/`));
  const upload = log.findLast((e) => e.path === '/api/file-to-text');
  assert.equal(upload.host, 'https://file-to-text.prod.captivat.io');
  assert.equal(upload.body.ttlDays, '7', 'setTimeToLive(7) applies to uploads');
  await conv.sendMessage({ text: 'see attached', files: fm.toFilesArray() });
  const secure = await CaptivateChatFileManager.getSecureFileUrl(fm.getFirstFile().storage.fileKey);
  assert.match(secure, /\/files\//);
  assert.equal(await (await fetch(secure)).text(), 'file body text');
  assert.match(await fm.refreshSecureUrl(60), /\/files\//);
  const single = await CaptivateChatFileManager.createFile({ file: new Blob(['x']), storage: false, url: 'https://example.com/x' });
  assert.equal(single.url, 'https://example.com/x');
  const multi = await CaptivateChatFileManager.createMultiple({ files: [new Blob(['a']), new Blob(['b'])] });
  assert.equal(multi.length, 2);
  await assert.rejects(CaptivateChatFileManager.create({ file: new Blob(['x']), storage: false }), /URL is required when storage is false/);

  await conv2.delete();
  assert.equal((await api.getUserConversations('user-1')).conversations.length, 1);
  await assert.rejects(api.deleteUserConversations(''), /User ID must be provided\./);
  await api.deleteUserConversations('user-1', { softDelete: false });
  assert.equal((await api.getUserConversations('user-1')).conversations.length, 0);

  // Guarded instance from create(): reconnects on demand.
  const created = await CaptivateChatAPI.create('key-b', 'dev');
  assert.equal(created.isSocketActive(), true);
  assert.ok(log.some((e) => e.kind === 'ws' && e.host === 'wss://channel-dev.wss.captivatechat.ai'));
  created.getSocket().close(1000);
  await until(() => !created.isSocketActive(), 2000, 'close');
  await created.reconnect();
  assert.equal(created.isSocketActive(), true);

  // Manager over two keys.
  const manager = await CaptivateChatManager.create(['key-a', 'key-c', 'key-a']);
  await manager.connectAll();
  const capi = manager.getApiInstance('key-c');
  const cconv = await capi.createConversation('multi', {}, {}, 'user-first');
  const aconv = await manager.getApiInstance('key-a').createConversation('multi', {}, {}, 'user-first');
  const both = await manager.getUserConversations({ userId: 'multi' });
  assert.deepEqual(both.conversations.map((c) => c.getConversationId()).sort(), [cconv.getConversationId(), aconv.getConversationId()].sort());
  manager.dispose('key-c');
  assert.equal(manager.getApiInstance('key-c'), undefined);
  manager.disposeAll();

  api.dispose();
  assert.equal(CaptivateChatAPI.hasInstance('key-a'), false);
  assert.throws(() => api.getConversation('x'), /WebSocket connection not established/);
  (await created).dispose();
});

