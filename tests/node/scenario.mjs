// One scenario over every member of API_SURFACE.md, run unchanged against the official
// captivate-chat-api 7.0.0 and against ours. It asserts what both must do, and returns
// what each call resolved or rejected with, for the differential comparison.
import assert from 'node:assert/strict';
import { until, normalize } from './harness.mjs';

export async function scenario(lib, server, log) {
  const { CaptivateChatAPI, CaptivateChatManager, CaptivateChatFileManager } = lib;
  const results = [];
  const rec = async (step, work) => {
    try {
      const value = await work();
      results.push({ step, value: normalize(value === undefined ? '<undefined>' : value) });
      return value;
    } catch (e) {
      results.push({ step, error: normalize(e.message) });
      return undefined;
    }
  };
  const id = (conv) => conv.getConversationId();
  // Objects handed to user code keep their keys in the order the server sent them.
  const keysOf = (v) => (Array.isArray(v) ? v.map(keysOf) : v && typeof v === 'object' ? Object.entries(v).map(([k, x]) => [k, keysOf(x)]) : null);

  CaptivateChatAPI.setDebugMode(false);
  assert.equal(CaptivateChatAPI.getDebugMode(), false);
  const api = new CaptivateChatAPI('key-a');
  assert.equal(new CaptivateChatAPI('key-a', 'prod'), api, 'singleton per (apiKey, mode)');
  assert.equal(CaptivateChatAPI.hasInstance('key-a'), true);
  assert.equal(CaptivateChatAPI.hasInstance('key-a', 'dev'), false);
  assert.equal(CaptivateChatAPI.getInstance('key-a'), api);
  assert.equal(api.isSocketActive(), false);
  assert.equal(api.getSocketId(), null);

  await rec('connect', () => api.connect());
  assert.equal(api.isSocketActive(), true);
  assert.ok(api.getSocket());
  assert.match(api.getSocketId(), /=$/);

  const conv = await rec('createConversation user-first', async () => id(await api.createConversation('user-1', { firstName: 'Ann' }, { topic: 'orders' }, 'user-first', { crm: 42 })))
    .then((cid) => api.getConversation(cid));
  const cid = id(conv);
  assert.equal(conv.apiKey, 'key-a');

  const messages = [];
  const errors = [];
  const updates = [];
  const actions = [];
  // A general_error reaches onMessage and onError callbacks in the order they were registered.
  const errorOrder = [];
  conv.onMessage((content, type) => { messages.push({ content, type }); if (type === 'error') errorOrder.push('onMessage'); });
  conv.onError((e) => { errors.push(e); errorOrder.push('onError'); });
  conv.onConversationUpdate((u) => updates.push(u));
  conv.onActionReceived((a) => actions.push(a));

  const sent = await rec('sendMessage string', () => conv.sendMessage('buttons'));
  assert.equal(sent.status, 'success');
  await until(() => messages.length === 1, 5000, 'bot reply');
  assert.equal(messages[0].type, 'ai_agent');
  assert.equal(messages[0].content[0].type, 'buttons');

  await rec('sendMessage object', () => conv.sendMessage({ type: 'text', text: 'action' }));
  // The bot's whole answer (the action event and its note) before the next message, so that
  // the transcript's order does not depend on which of the two the server stores first.
  const said = (text) => messages.some((m) => JSON.stringify(m.content).includes(text));
  await until(() => actions.length === 1 && said('action event named getLocation'), 5000, 'action');
  assert.deepEqual(actions[0], [{ id: 'getLocation', data: { reason: 'demo' } }]);
  // What JSON.stringify changes goes out as it does from 7.0.0 (toJSON, dropped functions and
  // undefineds, NaN and an unwritable array item as null), as the content was when sent.
  const edges = { type: 'text', text: 'json edges', when: new Date(0), gone: undefined, f() {}, n: NaN, big: 1e21, list: [undefined, () => 1, -0] };
  await rec('sendMessage JSON edges', () => { const sending = conv.sendMessage(edges); edges.text = 'changed after the call'; return sending; });
  await until(() => said('json edges'), 5000, 'the answer to the JSON edges');

  await rec('sendMessage large', () => conv.sendMessage('large'));
  await until(() => messages.some((m) => JSON.stringify(m.content).includes('too large for the socket')), 5000, 'large message via link');
  assert.equal(errors.at(-1).errorCode, 413);
  results.push({ step: 'large message key order', value: keysOf(messages.find((m) => JSON.stringify(m.content).includes('too large for the socket')).content) });

  await rec('sendMessage error', () => conv.sendMessage('error'));
  await until(() => messages.some((m) => m.type === 'error'), 5000, 'error message');
  assert.equal(messages.find((m) => m.type === 'error').content, '[Error: The demo bot raised an error on purpose.]');
  assert.deepEqual(errors.at(-1), { conversationId: cid, errorCode: 500, errorDesc: 'The demo bot raised an error on purpose.' });
  results.push({ step: 'general_error listener order', value: [...errorOrder] });

  await rec('sendAction', () => conv.sendAction('escalateToHuman'));
  await until(() => updates.length >= 1 && messages.some((m) => m.type === 'human_agent'), 5000, 'hand-off');
  assert.deepEqual(updates[0], { type: 'livechatAgentConnected', conversationId: cid, data: { agentName: 'Alex' } });
  await rec('sendMessage bye', () => conv.sendMessage('bye'));
  await until(() => updates.length >= 2, 5000, 'agent leaves');

  await rec('setMetadata', () => conv.setMetadata({ plan: 'pro' }));
  await rec('setPrivateMetadata', () => conv.setPrivateMetadata({ secret: 's' }));
  await rec('setTimeToLive 7', () => conv.setTimeToLive(7));
  await rec('setTimeToLive 5', () => conv.setTimeToLive(5));
  const meta = await rec('getMetadata', () => conv.getMetadata());
  assert.deepEqual(meta, { topic: 'orders', plan: 'pro', timeToLive: 7 });
  await rec('setMetadata null', () => conv.setMetadata(null));
  await rec('setPrivateMetadata string', () => conv.setPrivateMetadata('x'));
  assert.deepEqual(results.slice(-2).map((r) => r.error), ['Metadata must be a non-null object.', 'Private metadata must be a non-null object.']);

  await rec('editMessage', () => conv.editMessage(sent.message_id, 'edited buttons'));
  await rec('editMessage unknown', () => conv.editMessage('no-such-message', 'x'));
  const transcript = await rec('getTranscript', () => conv.getTranscript());
  assert.equal(transcript[0].from, 'user');
  assert.equal(transcript[0].messages[0].text, 'edited buttons');
  assert.ok(transcript.some((e) => e.from === 'livechat'));
  results.push({ step: 'getTranscript key order', value: keysOf(transcript) });
  // `apiKey` is a writable field: what the conversation reads and sends from then on uses it.
  conv.apiKey = 'key-z';
  await rec('getTranscript with another apiKey', async () => (await conv.getTranscript()).length);
  await rec('sendMessage with another apiKey', () => conv.sendMessage('hello from key-z'));
  conv.apiKey = 'key-a';
  assert.equal(conv.apiKey, 'key-a');

  // Bot-first start: the greeting arrives on the newest conversation.
  const conv2 = api.getConversation(await rec('createConversation bot-first', async () => id(await api.createConversation('user-1'))));
  const greeting = [];
  conv2.onMessage((content, type) => greeting.push({ content, type }));
  await until(() => greeting.length >= 1, 5000, 'greeting');
  assert.match(greeting[0].content[0].text, /demo bot/);
  assert.equal(api.getConversation(id(conv2)), conv2);

  // Arguments go out as given: a numeric user id stays a number; only exactly 'bot-first'
  // starts bot-first (a typo or null starts user-first: no opening message); no userId
  // sends none; `softDelete: 0` is sent as 0 (a hard delete).
  await rec('createConversation numeric user, misspelt mode', async () => typeof id(await api.createConversation(42, {}, {}, 'bot-frist')));
  await rec('createConversation null mode', async () => typeof id(await api.createConversation(42, {}, {}, null)));
  await rec('getUserConversations numeric user', async () => (await api.getUserConversations({ userId: 42 })).conversations.length);
  await rec('getUserConversations without userId', async () => (await api.getUserConversations({})).conversations.length);
  await rec('deleteUserConversations softDelete 0', () => api.deleteUserConversations(42, { softDelete: 0 }));
  await rec('getUserConversations numeric user after delete', async () => (await api.getUserConversations({ userId: 42 })).conversations.length);

  const v1 = await rec('getUserConversations v1', async () => (await api.getUserConversations('user-1')).conversations.map(id).sort());
  assert.equal(v1.length, 2);
  const v2 = await rec('getUserConversations v2', async () => {
    const r = await api.getUserConversations({ userId: 'user-1', filter: { topic: 'orders' }, pagination: { page: 1, limit: 5 } });
    return { ids: r.conversations.map(id), pagination: r.pagination };
  });
  assert.deepEqual(v2.ids, [cid]);
  assert.deepEqual(v2.pagination, { hasNextPage: false, hasPrevPage: false, page: 1, pageSize: 5, total: 1, totalPages: 1 });
  const searched = await rec('getUserConversations search', async () => (await api.getUserConversations({ userId: 'user-1', search: { topic: 'ord*' } })).conversations.map(id));
  assert.deepEqual(searched, [cid]);

  // Files: upload through the file service, attach, renew a link.
  const fm = await conv.fileManager.create({ file: new Blob(['file body text'], { type: 'text/plain' }), fileName: 'notes.txt' });
  assert.equal(fm.type, 'files');
  assert.equal(fm.length, 1);
  assert.equal(fm.getFilename(), 'notes.txt');
  assert.equal(fm.getTextContent(), 'file body text');
  assert.equal(fm.getFileType(), 'text/plain');
  assert.ok(fm.getFirstFile().storage.fileKey.startsWith(`key-a/${cid}/`));
  results.push({ step: 'fileManager.create', value: normalize(JSON.parse(JSON.stringify(fm))) });
  await rec('sendMessage files', () => conv.sendMessage({ text: 'see attached', files: fm.toFilesArray() }));
  // A stored link without expiresIn is left as it is (7.0.0 compares NaN: false), no renewal, no edit.
  await rec('sendMessage file without expiresIn', () => conv.sendMessage({ text: 'old link', files: [{ filename: 'old.txt', type: 'text/plain', storage: { fileKey: `key-a/${cid}/old.txt`, presignedUrl: 'https://example.com/old' } }] }));
  await rec('getTranscript file without expiresIn', async () => (await conv.getTranscript()).filter((e) => e.files?.some((f) => f.filename === 'old.txt')).map((e) => e.files));
  // `expiresIn: null` is 0 to 7.0.0's `expiresIn - now < 300`: renewed, and the message edited.
  await rec('sendMessage file with null expiresIn', () => conv.sendMessage({ text: 'null expiry', files: [{ filename: 'null.txt', type: 'text/plain', storage: { fileKey: fm.getFirstFile().storage.fileKey, presignedUrl: 'https://example.com/null', expiresIn: null } }] }));
  await rec('getTranscript file with null expiresIn', async () => (await conv.getTranscript()).filter((e) => e.files?.some((f) => f.filename === 'null.txt')).map((e) => e.files));
  const secure = await rec('getSecureFileUrl', () => CaptivateChatFileManager.getSecureFileUrl(fm.getFirstFile().storage.fileKey));
  assert.match(secure, /\/files\//);
  assert.equal(await (await fetch(secure)).text(), 'file body text');
  await rec('refreshSecureUrl', () => fm.refreshSecureUrl(60));
  await rec('getSecureFileUrl unknown', () => CaptivateChatFileManager.getSecureFileUrl('nope'));
  const single = await rec('createFile url', () => CaptivateChatFileManager.createFile({ file: new Blob(['x']), storage: false, url: 'https://example.com/x' }).then((f) => ({ ...f, file: typeof f.file })));
  assert.equal(single.url, 'https://example.com/x');
  const multi = await CaptivateChatFileManager.createMultiple({ files: [new Blob(['a']), new Blob(['b'])] });
  assert.equal(multi.length, 2);
  await rec('create storage false without url', () => CaptivateChatFileManager.create({ file: new Blob(['x']), storage: false }));
  await rec('createMultiple urls mismatch', () => CaptivateChatFileManager.createMultiple({ files: [new Blob(['x'])], storage: false, urls: [] }));

  await rec('delete', () => conv2.delete());
  assert.equal((await api.getUserConversations('user-1')).conversations.length, 1);
  await rec('deleteUserConversations empty', () => api.deleteUserConversations(''));
  await rec('deleteUserConversations hard', () => api.deleteUserConversations('user-1', { softDelete: false }));
  assert.equal((await api.getUserConversations('user-1')).conversations.length, 0);

  // create() in dev mode, then an explicit reconnect.
  const created = await CaptivateChatAPI.create('key-b', 'dev');
  assert.equal(created.isSocketActive(), true);
  created.getSocket().close(1000);
  await until(() => !created.isSocketActive(), 2000, 'close');
  await rec('reconnect', () => created.reconnect());
  assert.equal(created.isSocketActive(), true);

  // The manager over two keys.
  const manager = await CaptivateChatManager.create(['key-a', 'key-c', 'key-a']);
  await rec('connectAll', () => manager.connectAll());
  const cconv = await manager.getApiInstance('key-c').createConversation('multi', {}, {}, 'user-first');
  const aconv = await manager.getApiInstance('key-a').createConversation('multi', {}, {}, 'user-first');
  const both = await manager.getUserConversations({ userId: 'multi' });
  assert.deepEqual(both.conversations.map(id).sort(), [id(cconv), id(aconv)].sort());
  manager.dispose('key-c');
  assert.equal(manager.getApiInstance('key-c'), undefined);
  manager.disposeAll();

  api.dispose();
  assert.equal(CaptivateChatAPI.hasInstance('key-a'), false);
  assert.throws(() => api.getConversation('x'), /WebSocket connection not established/);
  created.dispose();
  assert.notEqual(new CaptivateChatAPI('key-a'), api, 'a disposed instance leaves the registry');
  CaptivateChatAPI.getInstance('key-a').dispose();

  // Leaked sockets (7.0.0 leaks one per connect() of a connected instance) are closed
  // normally, so its reconnect loop does not outlive the test.
  await server.fault('close-sockets', { code: 1000 });
  await until(async () => (await server.openSockets()) === 0, 3000, 'sockets to close');
  return { results, http: log.filter((e) => e.kind === 'http').map(normalize), sockets: [...new Set(log.filter((e) => e.kind === 'ws').map((e) => `${e.host}${e.path}`))].sort() };
}
