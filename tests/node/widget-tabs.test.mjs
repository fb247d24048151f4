// The chat bubble across tabs and time, in real headless Chromium against the local server: one
// conversation in a visitor's tabs, reset() everywhere, the unread badge across reloads, past
// conversations reopened and deleted, each conversation's own thread (storage and expiry: widget-storage.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { until } from './harness.mjs';
import { widgetSuite, server, browser, visit, inWidget, waitInWidget, openChat, say, texts, conversationId } from './widget-kit.mjs';

widgetSuite();

test('two tabs of one visitor show one conversation, and messages typed in each while offline all arrive once, whichever tab closes', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const one = await visit('/', { context: ctx });
  await openChat(one.page);
  await waitInWidget(one.page, (r) => r.textContent.includes('demo bot'));
  const id = await conversationId(one.page);
  const two = await visit('/', { context: ctx });
  await openChat(two.page);
  await waitInWidget(two.page, (r) => r.textContent.includes('demo bot'));
  assert.equal(await conversationId(two.page), id);
  // Live: what one tab sends, and the answer it gets, show in the other.
  await say(one.page, 'hello from tab one');
  await waitInWidget(two.page, (r) => r.textContent.includes('You said: “hello from tab one”'));
  const mirrored = await texts(two.page);
  assert.equal(mirrored.filter((t) => t.includes('hello from tab one') && !t.includes('You said')).length, 1, mirrored.join(' | '));
  // Offline: a message in each tab; the first tab closes before the server is back.
  await server.fault('down', { ms: 4000 });
  await waitInWidget(one.page, (r) => r.querySelector('.cc-banner:not([hidden])'));
  await waitInWidget(two.page, (r) => r.querySelector('.cc-banner:not([hidden])'));
  await say(one.page, 'typed in tab one');
  await say(two.page, 'typed in tab two');
  await waitInWidget(two.page, (r) => r.textContent.includes('typed in tab one'));
  await waitInWidget(one.page, (r) => r.textContent.includes('typed in tab two'));
  // Both wrote the one record: it holds both unsent messages (the last write did not win).
  await two.page.waitForFunction(() => Object.values(localStorage).some((v) => v.includes('typed in tab one') && v.includes('typed in tab two')));
  await one.page.close({ runBeforeUnload: true });
  await waitInWidget(two.page, (r) => r.textContent.includes('You said: “typed in tab one”') && r.textContent.includes('You said: “typed in tab two”'), null, 0, 30000);
  const t = await server.transcript(id);
  for (const text of ['hello from tab one', 'typed in tab one', 'typed in tab two']) {
    assert.equal(t.transcript.filter((e) => e.from === 'user' && e.messages[0]?.text === text).length, 1, text);
  }
  const stored = await two.page.evaluate(() => Object.entries(localStorage).find(([k]) => /^captivate-chat:v1:[^:]+:visitor-[^:]+$/.test(k))?.[1]);
  assert.deepEqual(JSON.parse(stored).outbox, [], 'nothing left to send');
  assert.deepEqual([...one.errors, ...two.errors], []);
  await ctx.close();
});

test('a tab alone posts nothing to the visitor\'s other tabs; one that says hello hears everything until it is gone', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  await ctx.addInitScript(() => {
    window.__posted = [];
    const post = BroadcastChannel.prototype.postMessage;
    BroadcastChannel.prototype.postMessage = function (m) {
      if (m?.from !== 'test-tab') window.__posted.push(m?.t);
      return post.call(this, m);
    };
  });
  const { page, errors } = await visit('/', { context: ctx });
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  const answered = (text) => waitInWidget(page, (r, t) => r.textContent.includes(`You said: “${t}”`), text);
  // It said hello; past the moment when another tab would have answered, it posts nothing.
  assert.equal((await page.evaluate(() => window.__posted))[0], 'hello');
  await new Promise((r) => setTimeout(r, 2200));
  await page.evaluate(() => { window.__posted = []; });
  await say(page, 'alone here');
  await answered('alone here');
  assert.deepEqual(await page.evaluate(() => window.__posted), [], 'nothing mirrored to nobody');
  // Another tab (this page's own channel stands in for it) says hello: it is answered and hears what follows.
  await page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => /^captivate-chat:v1:[^:]+:visitor-[^:]+$/.test(k));
    window.__heard = [];
    window.__tab = new BroadcastChannel(key);
    window.__tab.onmessage = (e) => window.__heard.push(e.data);
    window.__tab.postMessage({ t: 'hello', from: 'test-tab' });
  });
  await page.waitForFunction(() => window.__heard.some((m) => m.t === 'here'));
  await say(page, 'with company');
  await answered('with company');
  await page.waitForFunction(() => window.__heard.some((m) => m.t === 'shown' && JSON.stringify(m.content).includes('with company')));
  const heard = await page.evaluate(() => window.__heard.map((m) => `${m.t}:${m.text ?? m.sent ?? ''}`));
  assert.ok(heard.includes('typed:with company') && heard.includes('state:true'), heard.join(' | '));
  // Gone: nothing more for it.
  await page.evaluate(() => { window.__heard = []; window.__tab.postMessage({ t: 'gone', from: 'test-tab' }); });
  await new Promise((r) => setTimeout(r, 100));
  await say(page, 'alone again');
  await answered('alone again');
  assert.deepEqual(await page.evaluate(() => window.__heard), []);
  // A tab that does not say who it is (an older widget) counts as there.
  await page.evaluate(() => window.__tab.postMessage({ t: 'state', id: 'not-a-message-here', sent: true }));
  await new Promise((r) => setTimeout(r, 100));
  await say(page, 'to an older tab');
  await page.waitForFunction(() => window.__heard.some((m) => m.t === 'typed' && m.text === 'to an older tab'));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('malformed messages on the tabs\' channel are ignored: nothing thrown, nothing shown, the chat goes on', async () => {
  const { page, errors } = await visit('/');
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  const before = await texts(page);
  await page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => /^captivate-chat:v1:[^:]+:visitor-[^:]+$/.test(k));
    const conversation = JSON.parse(localStorage.getItem(key) || '{}').conversationId;
    const tab = new BroadcastChannel(key);
    for (const m of [
      { t: 'bye' }, { t: 'bye', ids: 'not-a-list' }, { t: 'bye', ids: [1, null, {}, ['x']] },
      'just text', null, 42, [], { t: 7 }, { from: 'no-kind' },
      { t: 'typed', c: 5, id: {}, text: [] }, { t: 'typed', c: conversation, id: 'x1' },
      { t: 'shown' }, { t: 'shown', c: 'not-a-conversation-here', content: [] },
      { t: 'state', id: 5, sent: 'yes' }, { t: 'reset', user: 5 }, { t: 'reset' }, { t: 'gone', from: {} },
    ]) tab.postMessage(m);
  });
  await new Promise((r) => setTimeout(r, 300));
  // Nothing of it shown.
  assert.deepEqual(await texts(page), before);
  await say(page, 'still here');
  await waitInWidget(page, (r) => r.textContent.includes('You said: “still here”'));
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('reset() in one tab forgets the visitor in the others too: nothing shown, nothing written back', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const one = await visit('/', { context: ctx });
  await openChat(one.page);
  await waitInWidget(one.page, (r) => r.textContent.includes('demo bot'));
  const two = await visit('/', { context: ctx });
  await openChat(two.page);
  await waitInWidget(two.page, (r) => r.textContent.includes('demo bot'));
  const visitorKey = () => two.page.evaluate(() => Object.entries(localStorage).find(([k]) => /^captivate-chat:v1:user:/.test(k))?.[1]);
  const before = await visitorKey();
  await one.page.evaluate(() => window.CaptivateChat.reset());
  await waitInWidget(two.page, (r) => !r.textContent.includes('demo bot'));
  assert.equal(await texts(two.page).then((t) => t.length), 0);
  // The other tab took up the new visitor id, and wrote nothing of the old chat back.
  await say(two.page, 'a new visitor here');
  await waitInWidget(two.page, (r) => r.textContent.includes('You said: “a new visitor here”'));
  const after = await visitorKey();
  assert.notEqual(after, before);
  const records = await two.page.evaluate(() => Object.entries(localStorage).filter(([k]) => /^captivate-chat:v1:[^:]+:visitor-[^:]+$/.test(k)).map(([k]) => k));
  assert.equal(records.length, 1, records.join(', '));
  assert.ok(records[0].endsWith(JSON.parse(after).id), `${records[0]} is the new visitor's`);
  assert.deepEqual([...one.errors, ...two.errors], []);
  await ctx.close();
});

test('unread messages keep the badge across a reload until the panel is opened', async () => {
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  await inWidget(page, (r) => r.querySelector('.cc-launcher').click());
  const id = await conversationId(page);
  await server.fault('burst', { conversation_id: id, count: 3, store: true });
  assert.equal(await waitInWidget(page, (r) => r.querySelector('.cc-badge')?.checkVisibility() && r.querySelector('.cc-badge').textContent === '3' && '3'), '3');
  await page.reload();
  assert.equal(await waitInWidget(page, (r) => r?.querySelector('.cc-badge')?.textContent), '3');
  assert.match(await inWidget(page, (r) => r.querySelector('.cc-launcher').getAttribute('aria-label')), /3 unread/);
  await inWidget(page, (r) => r.querySelector('.cc-launcher').click());
  await waitInWidget(page, (r) => r.textContent.includes('Burst message 3 of 3') && !r.querySelector('.cc-badge')?.checkVisibility());
  await page.reload();
  await waitInWidget(page, (r) => r?.querySelector('.cc-launcher'));
  await page.waitForTimeout(300);
  assert.equal(await inWidget(page, (r) => r.querySelector('.cc-badge')?.checkVisibility() ?? false), false, 'read messages are not unread again');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the visitor reopens and deletes past conversations', async () => {
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await say(page, 'first talk');
  await waitInWidget(page, (r) => r.textContent.includes('You said: “first talk”'));
  await inWidget(page, (r) => r.querySelector('button[aria-label="New conversation"]').click());
  await waitInWidget(page, (r) => { const t = r.querySelector('.cc-messages')?.textContent ?? ''; return !t.includes('first talk') && t.includes('demo bot'); });
  await say(page, 'second talk');
  await waitInWidget(page, (r) => r.textContent.includes('You said: “second talk”'));
  await inWidget(page, (r) => r.querySelector('button[aria-label="Your conversations"]').click());
  assert.equal(await waitInWidget(page, (r) => r.querySelectorAll('.cc-past').length === 2 && r.querySelector('.cc-past[aria-current="true"]') && 2), 2);
  // The one on screen is tagged; the line for an empty list is not shown.
  const tagged = await inWidget(page, (r) => [...r.querySelectorAll('.cc-past')].map((p) => (p.getAttribute('aria-current') === 'true') === p.querySelector('.cc-tag').checkVisibility()));
  assert.deepEqual(tagged, [true, true], 'the tag shows on the current conversation only');
  assert.equal(await inWidget(page, (r) => r.querySelector('.cc-empty').checkVisibility()), false);
  await inWidget(page, (r) => [...r.querySelectorAll('.cc-past')].find((p) => p.getAttribute('aria-current') !== 'true').querySelector('.cc-past-open').click());
  await waitInWidget(page, (r) => { const t = r.querySelector('.cc-messages')?.textContent ?? ''; return t.includes('You said: “first talk”') && !t.includes('second talk'); });
  await inWidget(page, (r) => r.querySelector('button[aria-label="Your conversations"]').click());
  await waitInWidget(page, (r) => r.querySelectorAll('.cc-past').length === 2 && r.querySelector('.cc-past[aria-current="true"]'));
  // Deleted from the keyboard: the row goes, the rest of the list stays as it was (the same
  // elements), and the focus goes to the list's heading instead of leaving the widget.
  await inWidget(page, (r) => { r.querySelector('.cc-history').dataset.before = 'yes'; [...r.querySelectorAll('.cc-past')].find((p) => p.getAttribute('aria-current') !== 'true').querySelector('.cc-past-delete').focus(); });
  await page.keyboard.press('Enter');
  await waitInWidget(page, (r) => r.querySelectorAll('.cc-past').length === 1);
  assert.equal(await inWidget(page, (r) => r.querySelector('.cc-history').dataset.before), 'yes', 'the list is not built again');
  assert.equal(await inWidget(page, (r) => r.activeElement === r.querySelector('.cc-history h3')), true, 'the focus is on the heading');
  await inWidget(page, (r) => r.querySelector('button[aria-label="Your conversations"]').click());
  await inWidget(page, (r) => r.querySelector('button[aria-label="Your conversations"]').click());
  await waitInWidget(page, (r) => r.querySelectorAll('.cc-past').length === 1);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('each conversation keeps its own thread: a late reply waits in its own, counted in the list, shown on return without a refetch', async () => {
  const { page, errors, ctx } = await visit('/');
  const transcripts = [];
  page.on('request', (r) => { if (r.url().includes('/api/transcript')) transcripts.push(r.url()); });
  await openChat(page);
  await page.evaluate(() => {
    window.__heard = [];
    const chat = window.CaptivateChat.widgets[0];
    chat.on('message', (m) => window.__heard.push(['message', m.conversationId, JSON.stringify(m.content)]));
    chat.on('action', (a) => window.__heard.push(['action', JSON.stringify(a)]));
  });
  await say(page, 'first talk');
  await waitInWidget(page, (r) => r.textContent.includes('You said: “first talk”'));
  const first = await conversationId(page);
  await inWidget(page, (r) => r.querySelector('button[aria-label="New conversation"]').click());
  await waitInWidget(page, (r) => { const t = r.querySelector('.cc-messages')?.textContent ?? ''; return !t.includes('first talk') && t.includes('demo bot'); });
  await say(page, 'second talk');
  await waitInWidget(page, (r) => r.textContent.includes('You said: “second talk”'));
  const second = await conversationId(page);
  assert.notEqual(first, second);

  // The server answers the first conversation while the second is on screen, and its bot asks the page for an action.
  assert.deepEqual(await server.fault('push', { conversation_id: first, content: [{ type: 'text', text: 'A late answer to the first talk' }], store: true }), { sent: true });
  assert.deepEqual(await server.fault('push', { conversation_id: first, event_type: 'action', payload: { conversation_id: first, actions: [{ id: 'getLocation', data: {} }] } }), { sent: true });
  await page.waitForFunction((id) => window.__heard.some((h) => h[0] === 'message' && h[1] === id), first);
  await page.waitForTimeout(300);
  assert.ok(!(await texts(page)).some((t) => t.includes('late answer')), 'not shown in the conversation on screen');
  assert.ok(!(await page.evaluate(() => window.__heard.some((h) => h[0] === 'action'))), 'the action waits for its conversation');

  // The list shows it: the first conversation's last message and one unread; none for the one on screen.
  await inWidget(page, (r) => r.querySelector('button[aria-label="Your conversations"]').click());
  await waitInWidget(page, (r) => r.querySelectorAll('.cc-past').length === 2);
  const rows = await inWidget(page, (r) => [...r.querySelectorAll('.cc-past')].map((p) => ({
    current: p.getAttribute('aria-current') === 'true',
    last: p.querySelector('.cc-past-last').textContent,
    count: p.querySelector('.cc-count').hidden ? null : p.querySelector('.cc-count').textContent,
    countLabel: p.querySelector('.cc-count').getAttribute('aria-label'),
  })));
  const other = rows.find((r) => !r.current);
  const onScreen = rows.find((r) => r.current);
  assert.equal(other.last, 'Bot: A late answer to the first talk');
  assert.equal(other.count, '1');
  assert.equal(other.countLabel, '1 unread message');
  assert.equal(onScreen.count, null);
  assert.match(onScreen.last, /second talk/);

  // Back to the first: everything it had and the late answer, without reading the transcript again; the page hears the action now.
  const before = transcripts.length;
  await inWidget(page, (r) => [...r.querySelectorAll('.cc-past')].find((p) => p.getAttribute('aria-current') !== 'true').querySelector('.cc-past-open').click());
  await waitInWidget(page, (r) => { const t = r.querySelector('.cc-messages')?.textContent ?? ''; return t.includes('You said: “first talk”') && t.includes('A late answer to the first talk') && !t.includes('second talk'); });
  assert.equal(transcripts.length, before, 'no refetch for a conversation the widget holds');
  await page.waitForFunction(() => window.__heard.some((h) => h[0] === 'action'));
  assert.deepEqual(await page.evaluate(() => window.__heard.filter((h) => h[0] === 'action').map((h) => JSON.parse(h[1]))), [[{ id: 'getLocation', data: {} }]]);
  await inWidget(page, (r) => r.querySelector('button[aria-label="Your conversations"]').click());
  await waitInWidget(page, (r) => r.querySelectorAll('.cc-past').length === 2);
  assert.deepEqual(await inWidget(page, (r) => [...r.querySelectorAll('.cc-count')].map((c) => c.hidden)), [true, true], 'read now');
  // And the second comes back as it was left too.
  await inWidget(page, (r) => [...r.querySelectorAll('.cc-past')].find((p) => p.getAttribute('aria-current') !== 'true').querySelector('.cc-past-open').click());
  await waitInWidget(page, (r) => { const t = r.querySelector('.cc-messages')?.textContent ?? ''; return t.includes('You said: “second talk”') && !t.includes('first talk'); });
  assert.equal(transcripts.length, before);
  assert.deepEqual(errors, []);
  await ctx.close();
});
