// The chat bubble's connection, in real headless Chromium against the local server: history
// back after a reload, the server going away and coming back with nothing lost or doubled, a
// greeting sent with the start, no socket before the visitor opens the chat.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { until } from './harness.mjs';
import { widgetSuite, server, browser, visit, inWidget, waitInWidget, openChat, say, texts, conversationId } from './widget-kit.mjs';

widgetSuite();

test('after a reload the conversation and its history come back', async () => {
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  await say(page, 'remember me');
  await waitInWidget(page, (r) => r.textContent.includes('You said: “remember me”'));
  const before = await conversationId(page);
  await page.reload();
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('You said: “remember me”'));
  assert.equal(await conversationId(page), before);
  const all = await texts(page);
  assert.equal(all.filter((t) => t.includes('demo bot')).length, 1, 'no second greeting');
  assert.equal(all.filter((t) => t.includes('remember me') && !t.includes('You said')).length, 1);
  // In the transcript's order: the greeting, the visitor's message, the answer.
  const at = (f) => all.findIndex(f);
  const order = [at((t) => t.includes('demo bot')), at((t) => t.includes('remember me') && !t.includes('You said')), at((t) => t.includes('You said: “remember me”'))];
  assert.deepEqual([...order].sort((a, b) => a - b), order, JSON.stringify(all));
  assert.ok(order[0] >= 0, JSON.stringify(all));
  assert.deepEqual(errors, []);
  await ctx.close();
});

/** A visitor in a started conversation (the greeting shown), then the server down for `ms`. */

async function offlineInAConversation(ms) {
  const visited = await visit('/');
  await openChat(visited.page);
  await waitInWidget(visited.page, (r) => r.textContent.includes('demo bot'));
  const id = await conversationId(visited.page);
  await server.fault('down', { ms });
  await waitInWidget(visited.page, (r) => r.querySelector('.cc-banner:not([hidden])'));
  return { ...visited, id };
}

test('when the server goes away the banner shows, and queued messages arrive once', async () => {
  const { page, errors, ctx, id } = await offlineInAConversation(2000);
  // The status dot says so too (amber while the link is down).
  const dot = (r) => getComputedStyle(r.querySelector('.cc-status .cc-dot')).backgroundColor;
  assert.equal(await inWidget(page, dot), 'rgb(245, 158, 11)');
  await say(page, 'typed while offline');
  await waitInWidget(page, (r) => !r.querySelector('.cc-banner:not([hidden])') && r.textContent.includes('You said: “typed while offline”'), null, 0, 20000);
  assert.notEqual(await inWidget(page, dot), 'rgb(245, 158, 11)');
  const t = await server.transcript(id);
  assert.equal(t.transcript.filter((e) => e.from === 'user' && e.messages[0]?.text === 'typed while offline').length, 1);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a message typed while offline survives a reload and is delivered once', async () => {
  const { page, errors, ctx, id } = await offlineInAConversation(3000);
  await say(page, 'kept across reload');
  await page.waitForFunction(() => Object.values(localStorage).some((v) => v.includes('kept across reload')));
  await page.reload();
  await openChat(page);
  await waitInWidget(page, (r) => (r.querySelector('.cc-messages')?.textContent ?? '').includes('You said: “kept across reload”'), null, 0, 20000);
  const t = await server.transcript(id);
  assert.equal(t.transcript.filter((e) => e.from === 'user' && e.messages[0]?.text === 'kept across reload').length, 1);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a message typed offline in a conversation the visitor then leaves survives a reload and reaches that conversation once', async () => {
  const { page, errors, ctx, id: first } = await offlineInAConversation(4000);
  await say(page, 'typed in the first one');
  // The visitor moves on before it is delivered; the record keeps it for its conversation.
  await inWidget(page, (r) => r.querySelector('button[aria-label="New conversation"]').click());
  await waitInWidget(page, (r) => !r.textContent.includes('typed in the first one'));
  await page.waitForFunction((id) => Object.values(localStorage).some((v) => {
    try { return (JSON.parse(v).elsewhere || []).some((e) => e.conversationId === id && e.text === 'typed in the first one'); } catch { return false; }
  }), first);
  await page.reload();
  await waitInWidget(page, (r) => r?.querySelector('.cc-launcher'));
  // Delivered once the server is back, to the conversation it was typed in.
  await until(async () => (await server.transcript(first)).transcript.some((e) => e.from === 'user' && e.messages[0]?.text === 'typed in the first one'), 20000, 'the message reaching its conversation');
  await page.waitForTimeout(500);
  const t = await server.transcript(first);
  assert.equal(t.transcript.filter((e) => e.from === 'user' && e.messages[0]?.text === 'typed in the first one').length, 1);
  // Delivered: no longer kept.
  await page.waitForFunction(() => !Object.values(localStorage).some((v) => v.includes('typed in the first one')));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a greeting the server sends with the start shows, even before the start call has returned', async () => {
  // The HTTP answer to the start comes 400 ms after the greeting on the socket.
  await server.fault('greet-on-start', { count: 1, answer_delay_ms: 400 });
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('Welcome! (sent with the start)'));
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  const bots = await inWidget(page, (r) => [...r.querySelectorAll('.cc-bot')].map((e) => e.textContent));
  assert.ok(bots[0].includes('Welcome! (sent with the start)'), JSON.stringify(bots));
  assert.equal(bots.filter((b) => b.includes('sent with the start')).length, 1);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('opening and sending at once start one conversation, and the message reaches it', async () => {
  const { page, errors, ctx } = await visit('/');
  await waitInWidget(page, (r) => r && r.querySelector('.cc-launcher'));
  await inWidget(page, async (r) => {
    r.querySelector('.cc-launcher').click();
    // The launcher clicked may be the main part's alone: the widget then mounts a host of its own
    // in its place, so the panel is looked for afresh.
    const panel = () => document.querySelector('[data-captivate-chat]')?.shadowRoot?.querySelector('textarea');
    for (let i = 0; i < 300 && !panel(); i++) await new Promise((d) => requestAnimationFrame(d));
    const area = panel();
    area.value = 'in a hurry';
    area.dispatchEvent(new Event('input', { bubbles: true }));
    area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  });
  await waitInWidget(page, (r) => r.textContent.includes('You said: “in a hurry”'));
  await inWidget(page, (r) => r.querySelector('button[aria-label="Your conversations"]').click());
  await waitInWidget(page, (r) => r.querySelectorAll('.cc-past').length >= 1);
  await page.waitForTimeout(300);
  assert.equal(await inWidget(page, (r) => r.querySelectorAll('.cc-past').length), 1, 'one conversation');
  assert.deepEqual(errors, []);
  await ctx.close();
});

// Counts the WebSockets a page opens (window.__sockets).
const countSockets = () => {
  window.__sockets = 0;
  const Real = window.WebSocket;
  window.WebSocket = class extends Real { constructor(...a) { super(...a); window.__sockets++; } };
};

test('a first-time visitor who does not open the chat costs no socket; opening it connects', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await ctx.newPage();
  await page.addInitScript(countSockets);
  await page.goto(`${server.base}/`);
  // The widget's module loads when the page is idle; it still opens no socket.
  await page.waitForFunction(() => window.CaptivateChat?.widgets?.[0]);
  await page.evaluate(() => window.CaptivateChat.widgets[0].ready);
  await page.waitForTimeout(1500);
  assert.equal(await page.evaluate(() => window.__sockets), 0);
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  assert.equal(await page.evaluate(() => window.__sockets), 1);
  // A returning visitor (a stored conversation) connects at once, to hear replies.
  const again = await ctx.newPage();
  await again.addInitScript(countSockets);
  await again.goto(`${server.base}/`);
  await again.waitForFunction(() => window.__sockets === 1, null, { timeout: 10000 });
  await ctx.close();
});
