// A 413 `general_error` names a link to fetch the large message from. The API key goes
// only to the channel API's own origin: a link to any other host (a compromised or
// misconfigured server, a proxy) is fetched without it. 7.0.0 sends the key to any host.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startServer, until } from './harness.mjs';

const require = createRequire(import.meta.url);
let server;
let other;
const seen = [];
const realFetch = globalThis.fetch;

before(async () => {
  server = await startServer();
  other = await startServer();
  // Every request the client makes, with the key it carried.
  globalThis.fetch = (input, init = {}) => {
    const url = typeof input === 'string' ? input : input.url;
    seen.push({ url, apiKey: new Headers(init.headers || {}).get('x-api-key') });
    return realFetch(input, init);
  };
});

after(() => {
  globalThis.fetch = realFetch;
  server?.stop();
  other?.stop();
});

test('the key goes with a 413 link on the API origin and never to another host', async () => {
  const { CaptivateChatAPI } = require('../../pkg/dist/captivate-chat-api.js');
  const api = await CaptivateChatAPI.create('key-large', 'prod', { baseUrl: server.base });
  const conv = await api.createConversation('large-user', {}, {}, 'user-first');
  const heard = [];
  conv.onMessage((content, type) => heard.push({ content, type }));
  const id = conv.getConversationId();

  // A large message from this server: its link is on the API origin.
  await conv.sendMessage('large');
  await until(() => heard.some((m) => m.type === 'ai_agent' && JSON.stringify(m.content).includes('too large for the socket')), 5000, 'the large message');
  const own = seen.find((r) => r.url.startsWith(`${server.base}/api/messages/`));
  assert.ok(own, 'the link on the API origin was fetched');
  assert.equal(own.apiKey, 'key-large');

  // A link to another host (another port is another origin).
  const foreign = `${other.base}/api/messages/not-there`;
  await server.fault('push', { conversation_id: id, event_type: 'general_error', payload: { conversation_id: id, error_code: 413, error_desc: 'too large', message_link: foreign } });
  await until(() => heard.some((m) => m.type === 'error' && m.content.startsWith('[Error fetching large message')), 5000, 'the foreign link to be tried');
  const asked = seen.filter((r) => r.url === foreign);
  assert.equal(asked.length, 1, 'fetched once');
  assert.equal(asked[0].apiKey, null, 'without the key');
  // A link that is no URL at all is not sent the key either.
  await server.fault('push', { conversation_id: id, event_type: 'general_error', payload: { conversation_id: id, error_code: 413, error_desc: 'too large', message_link: 'not a url' } });
  await until(() => heard.filter((m) => m.type === 'error').length >= 2, 5000, 'the second error');
  // (Tried once through fetch, which refuses it: no request leaves, and the key was not given.)
  assert.deepEqual(seen.filter((r) => r.url === 'not a url'), [{ url: 'not a url', apiKey: null }]);
  api.dispose();
});
