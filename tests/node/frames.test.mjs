// Socket frames are read by two readers: the plain shape of the frequent events
// (`{ event: { event_type, event_payload } }`) by src/client/wasm/frame.js in one call into the
// engine, every other shape by FrameHead::read in Rust. The same event sent by the local server
// in the nested shape (the JS reader's, when its ids are strings or absent) and in the bare
// shape (`{ event_type, event_payload }`: always Rust's) must reach the page identically.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startServer, redirect, until } from './harness.mjs';

const require = createRequire(import.meta.url);
let server;
before(async () => { server = await startServer(); redirect(server, []); });
after(() => server.stop());

test('each event reaches the page the same whichever reader reads its frame', async () => {
  const { CaptivateChatAPI } = require('../../pkg/dist/captivate-chat-api.js');
  const api = await CaptivateChatAPI.create('key-frames');
  // Each shape in a conversation of its own (a message id is heard once per conversation).
  const payloads = (id, n) => [
    ['bot_message', { conversation_id: id, ch_msg_id: `m${n}`, content: [{ type: 'text', text: 'plain' }] }],
    ['bot_message', { conversation_id: id, ch_msg_id: null, content: [{ type: 'text', text: 'null id' }] }],
    ['bot_message', { conversation_id: id, content: [{ type: 'text', text: 'no id' }] }],
    ['bot_message', { conversation_id: id, ch_msg_id: 1000 + n, content: [{ type: 'text', text: 'numeric id' }] }],
    ['bot_message', { conversation_id: id, ch_msg_id: '', content: 'not a list' }],
    ['bot_message', { content: [{ type: 'text', text: 'no conversation: the last active one' }] }],
    ['bot_message', { conversation_id: null, ch_msg_id: `n${n}`, content: [] }],
    ['bot_message', { conversation_id: 42, content: [{ type: 'text', text: 'another conversation' }] }],
    ['bot_message', null],
    ['bot_message', ['a list']],
    ['bot_message', 'text'],
    ['bot_message', undefined],
    ['livechat_message', { conversation_id: id, ch_msg_id: `l${n}`, content: [{ type: 'text', text: 'agent' }] }],
    ['livechat_message', { conversation_id: true, content: [] }],
    ['action', { conversation_id: id, actions: [{ id: 'a', data: { n } }] }],
    ['action', { conversation_id: id }],
  ];
  const send = async (id, frame) => {
    const text = JSON.stringify(frame);
    assert.equal((await server.fault('frames', { kind: 'raw', conversation_id: id, text })).sent, 1);
  };
  let heard;
  const mark = async (id, label) => {
    await send(id, { event: { event_type: 'bot_message', event_payload: { conversation_id: id, content: [{ type: 'text', text: label }] } } });
    await until(() => heard.some((h) => JSON.stringify(h).includes(label)), 5000, label);
  };
  const run = async (shape, n) => {
    heard = [];
    const conv = await api.createConversation(`u-${shape}`, {}, {}, 'user-first');
    const id = conv.getConversationId();
    conv.onMessage((message, type) => heard.push(['message', message, type]));
    conv.onActionReceived((actions) => heard.push(['action', actions]));
    conv.onError((error) => heard.push(['error', String(error?.message ?? error)]));
    for (const [type, payload] of payloads(id, n)) {
      const event = payload === undefined ? { event_type: type } : { event_type: type, event_payload: payload };
      await send(id, shape === 'nested' ? { action: 'receiveMessage', event } : event);
    }
    await mark(id, `end of ${shape}`);
    return heard.map((h) => JSON.stringify(h).replace(/m\d+|l\d+|n\d+|\b10\d\d\b|"n":\d/g, '#').replace(/nested|bare/, 'shape'));
  };
  const nested = await run('nested', 1);
  const bare = await run('bare', 2);
  assert.deepEqual(nested, bare);
  // The frames that carry a message were heard (the rest are ignored by both).
  assert.ok(nested.filter((h) => h.startsWith('["message"')).length >= 8, nested.join('\n'));
  assert.ok(nested.some((h) => h.startsWith('["action"')), nested.join('\n'));
  api.dispose();
});

test('a listener that throws is logged and the others still hear every event', async () => {
  const { CaptivateChatAPI } = require('../../pkg/dist/captivate-chat-api.js');
  const api = await CaptivateChatAPI.create('key-throwing-listener');
  const conv = await api.createConversation('u-throws', {}, {}, 'user-first');
  const id = conv.getConversationId();
  const heard = [];
  const logged = [];
  const consoleError = console.error;
  console.error = (...args) => { logged.push(args); };
  try {
    // 7.0.0's calls: a plain call with its arguments (no `this`).
    conv.onMessage(function (message, type) { heard.push(['first', arguments.length, this, message[0].text, type]); throw new Error('page bug'); });
    conv.onMessage((message, type) => heard.push(['second', message[0].text, type]));
    conv.onActionReceived(() => { throw 'not even an Error'; });
    conv.onActionReceived((actions) => heard.push(['action', actions[0].id]));
    const send = (event_type, event_payload) => server.fault('frames', {
      kind: 'raw', conversation_id: id, text: JSON.stringify({ action: 'receiveMessage', event: { event_type, event_payload } }),
    });
    await send('bot_message', { conversation_id: id, ch_msg_id: 't1', content: [{ type: 'text', text: 'one' }] });
    await send('action', { conversation_id: id, actions: [{ id: 'go' }] });
    await send('bot_message', { conversation_id: id, ch_msg_id: 't2', content: [{ type: 'text', text: 'two' }] });
    await until(() => heard.filter((h) => h[0] === 'second').length === 2, 5000, 'both messages');
  } finally {
    console.error = consoleError;
  }
  assert.deepEqual(heard, [
    ['first', 2, undefined, 'one', 'ai_agent'], ['second', 'one', 'ai_agent'],
    ['action', 'go'],
    ['first', 2, undefined, 'two', 'ai_agent'], ['second', 'two', 'ai_agent'],
  ]);
  const threw = logged.filter((args) => args[0] === '[CaptivateChatAPI] A listener threw:');
  assert.deepEqual(threw.map((args) => String(args[1]?.message ?? args[1])), ['page bug', 'not even an Error', 'page bug']);
  api.dispose();
});
