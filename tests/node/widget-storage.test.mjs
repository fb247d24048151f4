// What the chat bubble keeps in the visitor's browser over its whole life, in real headless
// Chromium against the local server: nothing before there is something to keep, every record
// of the widget forgotten by reset() however and whenever it is called, records older than
// maxAge removed whichever visitor they belong to, activity dating the visitor anew, and the
// storage option (this tab only, or nothing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { widgetSuite, server, browser, visit, inWidget, waitInWidget, openChat, say, conversationId } from './widget-kit.mjs';

widgetSuite();

const DAY = 24 * 3600 * 1000;

/** Everything the widgets of `page` keep: storage keys with their values, and cookies. */
const kept = (page) => page.evaluate(() => {
  const of = (s) => Object.fromEntries(Object.keys(s).filter((k) => k.startsWith('captivate-chat:')).sort().map((k) => [k, s.getItem(k)]));
  return { local: of(localStorage), session: of(sessionStorage), cookie: document.cookie };
});
const nothing = { local: {}, session: {}, cookie: '' };

/** Resolves when the page's first widget (mounted by the embed tag) has its part loaded and running. */
const widgetLoaded = async (page) => {
  await page.waitForFunction(() => window.CaptivateChat?.widgets?.[0]);
  await page.evaluate(() => window.CaptivateChat.widgets[0].ready);
};

test('the launcher, and the widget loaded behind it, write nothing until the visitor opens the chat; then the visitor and the conversation are kept, dated', async () => {
  const { page, errors, ctx } = await visit('/');
  await waitInWidget(page, (r) => r?.querySelector('.cc-launcher'));
  assert.deepEqual(await kept(page), nothing, 'the launcher alone');
  await widgetLoaded(page);
  await page.waitForTimeout(300);
  assert.deepEqual(await kept(page), nothing, 'the widget loaded, the chat never opened');
  // A reload with nothing kept is a first visit again: still nothing.
  await page.reload();
  await widgetLoaded(page);
  assert.deepEqual(await kept(page), nothing, 'after a reload');

  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  const id = await conversationId(page);
  assert.ok(id);
  const { local } = await kept(page);
  const visitor = JSON.parse(local['captivate-chat:v1:user:demo-key']);
  assert.match(visitor.id, /^visitor-/);
  assert.ok(Date.now() - visitor.savedAt < 60_000, 'dated now');
  const record = JSON.parse(local[`captivate-chat:v1:demo-key:${visitor.id}`]);
  assert.equal(record.conversationId, id);
  assert.ok(Date.now() - record.savedAt < 60_000);
  assert.deepEqual(Object.keys(local), ['captivate-chat:v1:demo-key:' + visitor.id, 'captivate-chat:v1:user:demo-key'].sort());
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('reset() forgets every record of the widget, every visitor\'s, in both storages: while it runs, after destroy(), and before the widget has loaded', async () => {
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  const first = await conversationId(page);
  assert.ok(first);
  // What another visitor of this browser left (an anonymous visitor the page now names,
  // this tab's session), and what another site's widget keeps (another API key: not ours).
  await page.evaluate((day) => {
    localStorage.setItem('captivate-chat:v1:demo-key:visitor-before', JSON.stringify({ conversationId: 'c-old', outbox: [], savedAt: Date.now() - day }));
    localStorage.setItem('captivate-chat:v1:demo-key:visitor-before:unread', '2');
    sessionStorage.setItem('captivate-chat:v1:demo-key:visitor-session', JSON.stringify({ conversationId: 'c-tab', outbox: [], savedAt: Date.now() }));
    localStorage.setItem('captivate-chat:v1:other-key:visitor-x', JSON.stringify({ conversationId: 'c-x', outbox: [], savedAt: Date.now() }));
  }, DAY);

  // While it runs: nothing shown, nothing kept but the other key's.
  await page.evaluate(() => window.CaptivateChat.reset());
  await waitInWidget(page, (r) => !r.textContent.includes('demo bot'));
  const onlyOther = async () => {
    const k = await kept(page);
    assert.deepEqual(Object.keys(k.local), ['captivate-chat:v1:other-key:visitor-x']);
    assert.deepEqual(k.session, {});
  };
  await onlyOther();
  // The next visitor is a new one, kept from their first message.
  await say(page, 'after the reset');
  await waitInWidget(page, (r) => r.textContent.includes('You said: “after the reset”'));
  const second = await conversationId(page);
  assert.ok(second && second !== first);

  // After destroy(): the handle still forgets (the widget is gone, its records are not).
  await page.evaluate(() => window.CaptivateChat.widgets[0].destroy());
  assert.ok(Object.keys((await kept(page)).local).length > 1);
  await page.evaluate(() => window.CaptivateChat.widgets[0].reset());
  await page.waitForFunction(() => Object.keys(localStorage).filter((k) => k.startsWith('captivate-chat:v1:demo-key') || k.startsWith('captivate-chat:v1:user:demo-key')).length === 0);
  await onlyOther();

  // Before the widget's part has loaded: a returning visitor with unread messages (the
  // launcher shows the badge), and the page's user logs out at once.
  await page.evaluate(() => {
    localStorage.setItem('captivate-chat:v1:user:demo-key', JSON.stringify({ id: 'visitor-back', savedAt: Date.now() }));
    localStorage.setItem('captivate-chat:v1:demo-key:visitor-back', JSON.stringify({ conversationId: 'c-back', outbox: [], savedAt: Date.now() }));
    localStorage.setItem('captivate-chat:v1:demo-key:visitor-back:unread', '4');
  });
  await page.route('**/captivate-widget.*.wasm', async (route) => { await new Promise((r) => setTimeout(r, 1500)); await route.continue(); });
  await page.reload();
  assert.equal(await waitInWidget(page, (r) => r?.querySelector('.cc-badge')?.textContent), '4');
  assert.equal(await page.evaluate(() => window.CaptivateChat.widgets.length), 1);
  await page.evaluate(() => window.CaptivateChat.reset());
  await waitInWidget(page, (r) => !r.querySelector('.cc-badge')?.checkVisibility());
  await onlyOther();
  await page.evaluate(() => window.CaptivateChat.widgets[0].ready);
  await page.waitForTimeout(300);
  await onlyOther();
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('on load, every record of the widget older than maxAge goes, whichever visitor it belongs to; activity dates the visitor anew', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Set before the page's scripts run (once: a reload keeps what the widget left).
  await page.addInitScript((day) => {
    if (sessionStorage.getItem('seeded')) return;
    sessionStorage.setItem('seeded', '1');
    const put = (k, v) => localStorage.setItem(k, typeof v === 'string' ? v : JSON.stringify(v));
    const now = Date.now();
    // This visitor: id and record 29 days old (alive: the visit dates them anew).
    put('captivate-chat:v1:user:demo-key', { id: 'visitor-here', savedAt: now - 29 * day });
    put('captivate-chat:v1:demo-key:visitor-here', { conversationId: null, outbox: [], savedAt: now - 29 * day });
    // An id given up 40 days ago: its record and unread count were never read again.
    put('captivate-chat:v1:demo-key:visitor-gone', { conversationId: 'c-gone', outbox: [{ id: 'm1', text: 'unsent words' }], savedAt: now - 40 * day });
    put('captivate-chat:v1:demo-key:visitor-gone:unread', '3');
    // A named user's record (userId), 31 days old: gone too.
    put('captivate-chat:v1:demo-key:user-42', { conversationId: 'c-42', outbox: [], savedAt: now - 31 * day });
    // An unread count whose record is gone, and an undated record from an older version.
    put('captivate-chat:v1:demo-key:visitor-lost:unread', '1');
    put('captivate-chat:v1:demo-key:visitor-old', { conversationId: 'c-old', outbox: [] });
    // Unreadable: gone.
    put('captivate-chat:v1:demo-key:visitor-broken', '{not json');
    // Another widget's (another API key), however old: not this widget's to remove.
    put('captivate-chat:v1:other-key:visitor-x', { conversationId: 'c-x', outbox: [], savedAt: now - 90 * day });
  }, DAY);
  await page.goto(`${server.base}/`);
  await widgetLoaded(page);
  const { local } = await kept(page);
  assert.deepEqual(Object.keys(local), [
    'captivate-chat:v1:demo-key:visitor-here',
    'captivate-chat:v1:demo-key:visitor-old',
    'captivate-chat:v1:other-key:visitor-x',
    'captivate-chat:v1:user:demo-key',
  ]);
  const old = JSON.parse(local['captivate-chat:v1:demo-key:visitor-old']);
  assert.equal(old.conversationId, 'c-old');
  assert.ok(Date.now() - old.savedAt < 60_000, 'the undated record is dated now, so it expires in its turn');
  assert.ok(Date.now() - JSON.parse(local['captivate-chat:v1:user:demo-key']).savedAt > 28 * DAY, 'looking is not activity');

  // The visitor talks: the same visitor, dated now (their id no longer expires under their chat).
  await openChat(page);
  await say(page, 'still here');
  await waitInWidget(page, (r) => r.textContent.includes('You said: “still here”'));
  const after = (await kept(page)).local;
  const visitor = JSON.parse(after['captivate-chat:v1:user:demo-key']);
  assert.equal(visitor.id, 'visitor-here');
  assert.ok(Date.now() - visitor.savedAt < 60_000);
  assert.ok(Date.now() - JSON.parse(after['captivate-chat:v1:demo-key:visitor-here']).savedAt < 60_000);

  // Older than maxAge (30 days by default): gone at the next load, and not on screen.
  await page.evaluate(() => {
    const k = 'captivate-chat:v1:demo-key:visitor-here';
    localStorage.setItem(k, JSON.stringify({ ...JSON.parse(localStorage.getItem(k)), savedAt: Date.now() - 31 * 24 * 3600 * 1000 }));
  });
  await page.reload();
  await widgetLoaded(page);
  assert.equal((await kept(page)).local['captivate-chat:v1:demo-key:visitor-here'], undefined);
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  assert.ok(!(await inWidget(page, (r) => r.textContent.includes('still here'))), 'nothing of the expired chat on screen');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the record keeps at most 20 unsent messages and 32 kB of their text; a full storage loses nothing on screen', async () => {
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  const id = await conversationId(page);
  await server.fault('down', { ms: 6000 });
  await waitInWidget(page, (r) => r.querySelector('.cc-banner:not([hidden])'));
  const record = () => page.evaluate(() => {
    const k = Object.keys(localStorage).find((k) => /^captivate-chat:v1:demo-key:visitor-/.test(k) && !k.endsWith(':unread'));
    return { size: localStorage.getItem(k).length, value: JSON.parse(localStorage.getItem(k)) };
  });
  for (let i = 1; i <= 25; i++) await say(page, `queued ${i}`);
  await waitInWidget(page, (r) => r.textContent.includes('queued 25'));
  await page.waitForTimeout(200);
  let kept = await record();
  assert.deepEqual(kept.value.outbox.map((m) => m.text), Array.from({ length: 20 }, (_, i) => `queued ${i + 1}`), 'the oldest 20');

  // One huge paste: on screen and being sent, not kept.
  await say(page, `huge ${'z'.repeat(100_000)}`);
  await waitInWidget(page, (r) => [...r.querySelectorAll('.cc-user')].some((m) => m.textContent.includes('zzzz')));
  await page.waitForTimeout(200);
  kept = await record();
  assert.ok(kept.size < 40_000, `the record stays small: ${kept.size}`);
  assert.equal(kept.value.conversationId, id);

  // The host page used up the origin's storage: the widget keeps the conversation without its
  // unsent messages, throws nothing, and the screen keeps them all.
  await page.evaluate(() => {
    for (const size of [1 << 20, 1 << 16, 1 << 12, 1 << 8, 16]) {
      for (let i = 0; ; i++) {
        try { localStorage.setItem(`filler-${size}-${i}`, 'f'.repeat(size)); } catch { break; }
      }
    }
  });
  await say(page, `after full ${'y'.repeat(2000)}`);
  await waitInWidget(page, (r) => r.textContent.includes('after full'));
  await page.waitForFunction(() => {
    const k = Object.keys(localStorage).find((k) => /^captivate-chat:v1:demo-key:visitor-/.test(k) && !k.endsWith(':unread'));
    return JSON.parse(localStorage.getItem(k)).outbox.length === 0;
  });
  kept = await record();
  assert.equal(kept.value.conversationId, id, 'the conversation is still kept');
  assert.equal(await inWidget(page, (r) => r.querySelectorAll('.cc-user').length), 25 + 2);
  // Back online: every message on screen is delivered, the huge one included.
  await waitInWidget(page, (r) => r.textContent.includes('You said: “after full'), null, 0, 30000);
  const users = (await server.transcript(id)).transcript.filter((e) => e.from === 'user').map((e) => e.content.text).filter(Boolean);
  assert.equal(users.length, 25 + 2);
  await page.evaluate(() => { for (const k of Object.keys(localStorage)) if (k.startsWith('filler-')) localStorage.removeItem(k); });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("storage: 'session' keeps nothing in localStorage; 'none' keeps nothing anywhere", async () => {
  const ctx = await browser.newContext();
  for (const storage of ['session', 'none']) {
    const p = await ctx.newPage();
    const errors = [];
    p.on('pageerror', (e) => errors.push(e.message));
    await p.goto(`${server.base}/embed/storage-${storage}.html`);
    await openChat(p);
    await waitInWidget(p, (r) => r.textContent.includes('demo bot'));
    const where = await p.evaluate((s) => ({
      local: Object.keys(localStorage).filter((k) => k.includes(`storage-${s}`)).sort(),
      session: Object.keys(sessionStorage).filter((k) => k.includes(`storage-${s}`)).sort(),
    }), storage);
    if (storage === 'session') {
      assert.deepEqual(where.local, []);
      assert.equal(where.session.length, 2, `the visitor id and the record, in this tab: ${where.session}`);
    } else {
      assert.deepEqual(where, { local: [], session: [] });
    }
    assert.deepEqual(errors, []);
    await p.close();
  }
  await ctx.close();
});
