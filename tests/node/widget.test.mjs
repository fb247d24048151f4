// The chat bubble as a visitor uses it, in real headless Chromium against the local
// server: open, greeting, send, every content type, buttons, reload with history, the
// server going away and coming back, hand-off, keyboard-only use, a strict-CSP page, two
// widgets on one page, a phone screen, the XSS corpus, and axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launch, storedConversation, until } from './harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const shots = path.join(root, 'docs', 'screenshots');
let server;
let browser;

before(async () => {
  assert.ok(existsSync(path.join(root, 'dist', 'captivate-embed.js')), 'run `make build` first (the widget is served from dist/)');
  server = await startServer(['--dist', path.join(root, 'dist'), '--bot-delay-ms', '30']);
  browser = await launch();
  mkdirSync(shots, { recursive: true });
});
after(async () => {
  await browser?.close();
  server?.stop();
});

/** Opens a page and records script errors, CSP violations and alert()-style calls. */
async function visit(url, { viewport = { width: 1100, height: 760 }, context } = {}) {
  const ctx = context || (await browser.newContext({ viewport }));
  const page = await ctx.newPage();
  await page.addInitScript(() => {
    window.__calls = [];
    for (const name of ['alert', 'confirm', 'prompt', 'print']) window[name] = (...a) => { window.__calls.push([name, String(a[0])]); };
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.base}${url}`);
  return { page, ctx, errors };
}

/** Runs `fn(shadowRoot, arg)` in the page, on the n-th widget. */
const inWidget = (page, fn, arg, n = 0) =>
  page.evaluate(([src, a, i]) => {
    const host = document.querySelectorAll('[data-captivate-chat]')[i];
    return new Function('root', 'arg', `return (${src})(root, arg);`)(host && host.shadowRoot, a);
  }, [fn.toString(), arg, n]);

const waitInWidget = async (page, fn, arg, n = 0, ms = 10000) => {
  const start = Date.now();
  for (;;) {
    try {
      const v = await inWidget(page, fn, arg, n);
      if (v) return v;
    } catch { /* not mounted yet */ }
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${fn}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

async function openChat(page, n = 0) {
  await waitInWidget(page, (r) => r && r.querySelector('.cc-launcher'), null, n);
  await inWidget(page, (r) => r.querySelector('.cc-launcher').click(), null, n);
  await waitInWidget(page, (r) => r.querySelector('.cc-panel'), null, n);
}

async function say(page, text, n = 0) {
  await inWidget(page, (r, t) => {
    const area = r.querySelector('textarea');
    area.value = t;
    area.dispatchEvent(new Event('input', { bubbles: true }));
    area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  }, text, n);
}

const texts = (page, n = 0) => inWidget(page, (r) => [...r.querySelectorAll('.cc-msg')].map((m) => m.textContent), null, n);

const conversationId = storedConversation;

test('a visitor opens the chat, reads the greeting, sends and gets an answer', async () => {
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  await say(page, 'text');
  await waitInWidget(page, (r) => r.textContent.includes('Links become clickable'));
  const state = await waitInWidget(page, (r) => [...r.querySelectorAll('.cc-user .cc-state')].map((s) => s.textContent).join() || null);
  assert.match(state, /Sent/);
  const link = await inWidget(page, (r) => { const a = r.querySelector('.cc-bot .cc-text a[href^="https://captivatechat.ai"]'); return a && [a.target, a.rel]; });
  assert.deepEqual(link, ['_blank', 'noopener noreferrer nofollow']);
  await page.screenshot({ path: path.join(shots, 'desktop.png') });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('every content type renders, and buttons send their value', async () => {
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  await say(page, 'everything');
  const seen = await waitInWidget(page, (r) => {
    const q = (s) => r.querySelector(s) !== null;
    const all = {
      buttons: q('.cc-buttons .cc-choice'), urlButtons: q('a.cc-choice[href="https://captivatechat.ai/"]'), cards: q('.cc-cards .cc-card img'),
      markdown: q('.cc-md strong') && q('.cc-md table'), html: q('.cc-html strong'), table: q('.cc-table table td'),
      image: q('img.cc-image[alt="demo-image.svg"]'), audio: q('audio.cc-audio[controls]'), file: q('a.cc-file[download="captivate-guide.txt"]'),
      // The document icon is an SVG, not an emoji that some fonts lack.
      fileIcon: q('a.cc-file svg.cc-file-icon') && getComputedStyle(r.querySelector('a.cc-file'), '::before').content === 'none',
      custom: q('.cc-unknown'),
    };
    return Object.values(all).every(Boolean) ? all : null;
  }, null, 0, 15000);
  assert.ok(seen);
  await say(page, 'buttons');
  await waitInWidget(page, (r) => [...r.querySelectorAll('button.cc-choice')].some((b) => b.textContent === 'Fine'));
  await inWidget(page, (r) => [...r.querySelectorAll('button.cc-choice')].find((b) => b.textContent === 'Fine').click());
  await waitInWidget(page, (r) => r.textContent.includes('You said: “fine”'));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("a button that triggers an action sends the bot's action and data; a value that is not text is sent as JSON; a page that changes the message it heard changes neither", async () => {
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await say(page, 'hello there');
  await waitInWidget(page, (r) => r.textContent.includes('You said: “hello there”'));
  const id = await conversationId(page);
  // The page's listener gets the message's content and scribbles on it.
  await page.evaluate(() => window.CaptivateChat.widgets[0].on('message', (m) => {
    for (const item of Array.isArray(m.content) ? m.content : []) {
      if (item.buttons?.action) item.buttons.action.data.precise = false;
      if (item.buttons?.options) item.buttons.options[0].value.pick = 'changed';
    }
  }));
  assert.deepEqual(await server.fault('push', { conversation_id: id, content: [
    { type: 'buttons', buttons: { title: 'Share where you are', action: { id: 'shareLocation', data: { precise: true } } } },
    { type: 'buttons', buttons: { options: [{ label: 'Pick two', value: { pick: 2 } }] } },
  ] }), { sent: true });
  const click = (label) => inWidget(page, (r, l) => [...r.querySelectorAll('button.cc-choice')].find((b) => b.textContent === l).click(), label);
  await waitInWidget(page, (r) => [...r.querySelectorAll('button.cc-choice')].some((b) => b.textContent === 'Share where you are'));
  await click('Share where you are');
  await waitInWidget(page, (r) => r.textContent.includes('Action received: shareLocation {"precise":true}'));
  await click('Pick two');
  await waitInWidget(page, (r) => r.textContent.includes('You said: “{"pick":2}”'));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a message the server refuses is marked failed; Retry sends it again, and the server keeps it once', async () => {
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await say(page, 'hello there');
  await waitInWidget(page, (r) => r.textContent.includes('You said: “hello there”'));
  const id = await conversationId(page);
  // A 400 is not retried on its own.
  await server.fault('http', { fail: 1, status: 400 });
  await say(page, 'refused once');
  await waitInWidget(page, (r) => r.querySelector('.cc-user .cc-state.cc-failed') && r.querySelector('.cc-user .cc-retry'));
  assert.match(await inWidget(page, (r) => r.querySelector('.cc-failed').closest('.cc-msg').textContent), /refused once/);
  await inWidget(page, (r) => r.querySelector('.cc-retry').click());
  await waitInWidget(page, (r) => r.textContent.includes('You said: “refused once”'));
  await waitInWidget(page, (r) => !r.querySelector('.cc-retry') && !r.querySelector('.cc-failed'));
  // (The conversation's start is the visitor's empty first message.)
  const users = (await server.transcript(id)).transcript.filter((e) => e.from === 'user').map((e) => e.content.text).filter(Boolean);
  assert.deepEqual(users, ['hello there', 'refused once'], 'sent again, once');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("the stylesheet the widget carries (minified by the build) has the rules of styles/launcher.css and panel.css", async () => {
  const { page, errors, ctx } = await visit('/');
  await waitInWidget(page, (r) => r && r.querySelector('.cc-launcher'));
  const sources = ['launcher.css', 'panel.css'].map((f) => readFileSync(path.join(root, 'styles', f), 'utf8')).join('');
  const [carried, written] = await inWidget(page, (r, css) => {
    // Values holding var() keep their tokens as written: compare them without the spaces after commas.
    const rules = (list) => [...list].map((rule) => rule.cssText.replaceAll(', ', ','));
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    const own = r.adoptedStyleSheets[0].cssRules;
    // The theme's rules follow the stylesheet's.
    return [rules(own).slice(0, sheet.cssRules.length), rules(sheet.cssRules)];
  }, sources);
  assert.ok(written.length > 100, `${written.length} rules`);
  assert.deepEqual(carried, written);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a card link opens its page in a new tab, safely', async () => {
  const { page, errors, ctx } = await visit('/');
  await ctx.route('https://example.com/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>card target</title>' }));
  await openChat(page);
  await say(page, 'cards');
  await waitInWidget(page, (r) => r.querySelector('.cc-card a'));
  const [popup] = await Promise.all([ctx.waitForEvent('page'), page.locator('.cc-card a').first().click()]);
  await popup.waitForLoadState();
  assert.equal(popup.url(), 'https://example.com/sunrise');
  assert.equal(await popup.evaluate(() => window.opener), null, 'no opener');
  assert.equal(page.url(), `${server.base}/`, 'the page itself did not navigate');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("Captivate's own snippet works: Captivate.init, onConnect, isConnected", async () => {
  const { page, errors, ctx } = await visit('/embed/captivate-snippet.html');
  await page.waitForFunction(() => window.snippetConnected === true, null, { timeout: 10000 });
  await openChat(page);
  await waitInWidget(page, (r) => r.querySelector('.cc-title')?.textContent === 'Snippet demo');
  assert.deepEqual(errors, []);
  await ctx.close();
});

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

test('a visitor attaches a file: uploaded, stored, sent, and the bot sees it', async () => {
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  // The attach button opens the picker (the hidden input beside it).
  const chooser = page.waitForEvent('filechooser');
  await page.locator('.cc-attach').click();
  await (await chooser).setFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello from a file') });
  await waitInWidget(page, (r) => r.textContent.includes('Thanks for the file: notes.txt.'));
  const href = await waitInWidget(page, (r) => r.querySelector('.cc-user a.cc-file')?.href);
  assert.equal(await (await fetch(href)).text(), 'hello from a file');
  const id = await conversationId(page);
  const t = await server.transcript(id);
  const sent = t.transcript.find((e) => e.from === 'user' && e.files);
  assert.equal(sent.files[0].textContent.text, 'hello from a file');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the send button sends what is typed, empties the composer and gives it the focus back', async () => {
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  assert.ok(await inWidget(page, (r) => r.querySelector('.cc-send').disabled), 'nothing to send yet');
  await page.locator('textarea').fill('by the button');
  await page.locator('.cc-send').click();
  await waitInWidget(page, (r) => r.textContent.includes('You said: “by the button”'));
  assert.equal(await inWidget(page, (r) => r.activeElement?.tagName), 'TEXTAREA');
  assert.equal(await inWidget(page, (r) => r.querySelector('textarea').value), '');
  assert.ok(await inWidget(page, (r) => r.querySelector('.cc-send').disabled), 'emptied');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a file pasted into the composer or dropped on the panel is uploaded and sent', async () => {
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  await inWidget(page, (r) => {
    const data = new DataTransfer();
    data.items.add(new File(['pasted text'], 'pasted.txt', { type: 'text/plain' }));
    r.querySelector('textarea').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await waitInWidget(page, (r) => r.textContent.includes('Thanks for the file: pasted.txt.'));
  const dropped = await inWidget(page, (r) => {
    const data = new DataTransfer();
    data.items.add(new File(['dropped text'], 'dropped.txt', { type: 'text/plain' }));
    const panel = r.querySelector('.cc-panel');
    const over = new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true });
    panel.dispatchEvent(over);
    const drop = new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true });
    panel.dispatchEvent(drop);
    return [over.defaultPrevented, drop.defaultPrevented];
  });
  assert.deepEqual(dropped, [true, true], 'the browser does not open the dropped file itself');
  await waitInWidget(page, (r) => r.textContent.includes('Thanks for the file: dropped.txt.'));
  const id = await conversationId(page);
  const t = await server.transcript(id);
  const sent = t.transcript.filter((e) => e.from === 'user' && e.files).map((e) => e.files[0].textContent.text);
  assert.deepEqual(sent, ['pasted text', 'dropped text']);
  assert.deepEqual(errors, []);
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

test('a long history renders only its end; scrolling up brings earlier pages without a jump', async () => {
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  const id = await conversationId(page);
  await server.fault('burst', { conversation_id: id, count: 2000, store: true });
  await waitInWidget(page, (r) => r.textContent.includes('Burst message 2000 of 2000'), null, 0, 30000);
  const live = await inWidget(page, (r) => r.querySelectorAll('.cc-msg').length);
  assert.ok(live <= 120, `${live} messages in the DOM while following a 2,000-message burst`);
  await page.reload();
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('Burst message 2000 of 2000'), null, 0, 30000);
  const shown = await inWidget(page, (r) => [...r.querySelectorAll('.cc-msg')].map((m) => m.textContent));
  assert.ok(shown.length <= 120, `${shown.length} messages rendered for a 2,001-message transcript`);
  assert.ok(!shown.some((t) => t.includes('Burst message 1 of 2000')));
  // The keyboard path: the button above the list renders the page before, keeping the reader's place.
  const moved = await inWidget(page, async (r) => {
    const list = r.querySelector('.cc-messages');
    list.scrollTop = 200;
    await new Promise((d) => requestAnimationFrame(() => requestAnimationFrame(d)));
    const first = r.querySelector('.cc-msg');
    const before = first.getBoundingClientRect().top;
    const count = r.querySelectorAll('.cc-msg').length;
    r.querySelector('.cc-earlier:not([hidden])').click();
    for (let i = 0; i < 20 && r.querySelectorAll('.cc-msg').length === count; i++) await new Promise((d) => requestAnimationFrame(d));
    await new Promise((d) => requestAnimationFrame(() => requestAnimationFrame(d)));
    return [r.querySelectorAll('.cc-msg').length - count, Math.round(first.getBoundingClientRect().top - before)];
  });
  assert.ok(moved[0] > 0, 'earlier messages rendered');
  assert.ok(Math.abs(moved[1]) <= 2, `the message being read moved by ${moved[1]}px`);
  // Scrolling to the top keeps bringing earlier pages, back to the first message, and the
  // window stays bounded: pages below are dropped.
  // (As a visitor does: a wheel turn, then the list at its top.)
  await waitInWidget(page, (r) => {
    const list = r.querySelector('.cc-messages');
    list.dispatchEvent(new WheelEvent('wheel', { deltaY: -700, bubbles: true }));
    list.scrollTop = 0;
    return r.textContent.includes('Burst message 1 of 2000') && r.textContent.includes('demo bot');
  }, null, 0, 30000);
  const head = await inWidget(page, (r) => [...r.querySelectorAll('.cc-msg')].slice(0, 3).map((m) => m.textContent));
  assert.ok(head[0].includes('demo bot'), `the greeting is the first message: ${JSON.stringify(head)}`);
  const atTop = await inWidget(page, (r) => r.querySelectorAll('.cc-msg').length);
  assert.ok(atTop <= 120, `${atTop} messages rendered at the top of a 2,001-message history`);
  // Back down, page by page, to the end; then the list follows new messages again.
  await waitInWidget(page, (r) => {
    const list = r.querySelector('.cc-messages');
    list.scrollTop = list.scrollHeight;
    return r.textContent.includes('Burst message 2000 of 2000');
  }, null, 0, 30000);
  assert.ok(await inWidget(page, (r) => r.querySelectorAll('.cc-msg').length) <= 120);
  // The last page is rendered below the reader; the visitor then scrolls on to the very end.
  await inWidget(page, async (r) => {
    const list = r.querySelector('.cc-messages');
    list.scrollTop = list.scrollHeight;
    await new Promise((d) => requestAnimationFrame(() => requestAnimationFrame(d)));
  });
  await say(page, 'back at the end');
  await waitInWidget(page, (r) => {
    const list = r.querySelector('.cc-messages');
    return r.textContent.includes('You said: “back at the end”') && list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  }, null, 0, 10000);
  // From anywhere in the history, one button goes to the latest messages.
  await inWidget(page, (r) => { r.querySelector('.cc-earlier:not([hidden])').click(); r.querySelector('.cc-earlier:not([hidden])').click(); r.querySelector('.cc-earlier:not([hidden])').click(); });
  await waitInWidget(page, (r) => r.querySelector('.cc-new-messages:not([hidden])'));
  await inWidget(page, (r) => r.querySelector('.cc-new-messages:not([hidden])').click());
  await waitInWidget(page, (r) => {
    const list = r.querySelector('.cc-messages');
    return !r.querySelector('.cc-new-messages:not([hidden])') && list.scrollHeight - list.scrollTop - list.clientHeight < 40 && r.textContent.includes('You said: “back at the end”');
  });
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
  assert.equal(other.countLabel, '1 unread messages');
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

test('a hand-off to a human agent shows the agent', async () => {
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await say(page, 'agent');
  await waitInWidget(page, (r) => r.querySelector('.cc-status').textContent.includes('Alex') && r.textContent.includes('Alex joined'));
  await waitInWidget(page, (r) => r.querySelector('.cc-agent .cc-who')?.textContent === 'Alex');
  await say(page, 'bye');
  await waitInWidget(page, (r) => r.textContent.includes('Alex left') && !r.querySelector('.cc-status').textContent.includes('Alex'));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('keyboard only: Tab to the launcher, Enter opens, type, Escape (or the close button) closes and focus returns', async () => {
  const { page, errors, ctx } = await visit('/');
  await waitInWidget(page, (r) => r && r.querySelector('.cc-launcher'));
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    if (await inWidget(page, (r) => r.activeElement && r.activeElement.classList.contains('cc-launcher'))) break;
  }
  assert.ok(await inWidget(page, (r) => r.activeElement?.classList.contains('cc-launcher')), 'the launcher is reachable by Tab');
  assert.equal(await inWidget(page, (r) => r.querySelector('.cc-launcher').getAttribute('aria-label')), 'Open chat');
  await page.keyboard.press('Enter');
  await waitInWidget(page, (r) => r.querySelector('.cc-panel'));
  await inWidget(page, (r) => r.querySelector('textarea').focus());
  await page.keyboard.type('via keyboard');
  await page.keyboard.press('Enter');
  await waitInWidget(page, (r) => r.textContent.includes('You said: “via keyboard”'));
  await page.keyboard.press('Escape');
  await waitInWidget(page, (r) => !r.querySelector('.cc-panel') && r.activeElement?.classList.contains('cc-launcher'));
  // So does the panel's close button. Opened again, the panel is built anew where it was
  // (before the launcher, as Tab goes), with the conversation as it was.
  await page.keyboard.press('Enter');
  await waitInWidget(page, (r) => r.querySelector('.cc-panel'));
  assert.equal(await inWidget(page, (r) => Boolean(r.querySelector('.cc-panel').compareDocumentPosition(r.querySelector('.cc-launcher')) & Node.DOCUMENT_POSITION_FOLLOWING)), true, 'the panel is before the launcher');
  await waitInWidget(page, (r) => r.querySelector('.cc-panel').textContent.includes('You said: “via keyboard”'));
  await page.locator('.cc-panel button[aria-label="Close chat"]').click();
  await waitInWidget(page, (r) => !r.querySelector('.cc-panel') && r.activeElement?.classList.contains('cc-launcher'));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a page with a strict Content-Security-Policy: it works and nothing is blocked', async () => {
  const { page, errors, ctx } = await visit('/embed/csp.html');
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  await say(page, 'markdown');
  await waitInWidget(page, (r) => r.querySelector('.cc-md strong'));
  // Named references are decoded by the browser's parser (an inert document) under this policy too.
  const id = await conversationId(page);
  await server.fault('frames', {
    kind: 'raw', conversation_id: id,
    text: JSON.stringify({ action: 'receiveMessage', event: { event_type: 'bot_message', event_payload: { conversation_id: id, content: [{ type: 'md', md: 'CSP &copy; &rarr; `&amp;`' }] } } }),
  });
  const decoded = await waitInWidget(page, (r) => [...r.querySelectorAll('.cc-md p')].map((p) => p.textContent).find((t) => t.startsWith('CSP')));
  assert.equal(decoded, 'CSP © → &amp;');
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('markdown comes from a part of its own, loaded after the widget\'s; without it markdown shows as text', async () => {
  // Loaded lazily: the widget's part is there before the markdown part is asked for, and the reply renders once it is.
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  await say(page, 'markdown');
  await waitInWidget(page, (r) => r.querySelector('.cc-md strong') && r.querySelector('.cc-md table'));
  // Screen readers hear what a sighted visitor reads: no markup, no link address.
  const announced = await waitInWidget(page, (r) => {
    const t = r.querySelector('[aria-live="polite"]')?.textContent ?? '';
    return t.includes('Markdown') && t;
  });
  assert.ok(announced.includes('Text can be bold, italic or code.'), announced);
  assert.ok(!/[*#`|]|\]\(|https?:/.test(announced), `markup or an address announced: ${announced}`);
  const timing = await page.evaluate(() => {
    const at = (name) => performance.getEntriesByType('resource').find((e) => name.test(e.name));
    const widget = at(/\/captivate-widget\.\w+\.wasm$/);
    const md = at(/\/captivate-markdown\.\w+\.wasm$/);
    return { widgetLoaded: widget?.responseEnd, markdownAsked: md?.startTime };
  });
  assert.ok(timing.markdownAsked > timing.widgetLoaded, JSON.stringify(timing));
  assert.deepEqual(errors, []);
  await ctx.close();

  // The module cannot be fetched: the source is shown as text, and the chat goes on.
  const blocked = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  await blocked.route(/captivate-markdown\.\w+\.wasm$/, (route) => route.abort());
  const second = await visit('/', { context: blocked });
  await openChat(second.page);
  await waitInWidget(second.page, (r) => r.textContent.includes('demo bot'));
  await say(second.page, 'markdown');
  const pending = await waitInWidget(second.page, (r) => r.querySelector('.cc-md-pending')?.textContent);
  assert.ok(pending.includes('**bold**'), pending);
  await say(second.page, 'hello');
  await waitInWidget(second.page, (r) => r.textContent.includes('You said: “hello”'));
  assert.deepEqual(second.errors, []);
  await blocked.close();
});

test('named character references in markdown are decoded where CommonMark decodes them, by the browser\'s table', async () => {
  // The build leaves pulldown-cmark's table out of the markdown part (scripts/entity-table.mjs):
  // the names are decoded by the browser (markdown/src/lib.rs), in text, link addresses and
  // titles, and kept as written in code and escapes (raw HTML goes to the browser as written);
  // an unknown name stays as written, even one that starts with a name HTML decodes without
  // its `;` (`&copyx;`).
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  const id = await conversationId(page);
  const md = 'A&AElig;B &copy; &DoubleLongLeftRightArrow; &ngE; &zwnj;| &Zfr; &zwj;| &frac34; &notanentity; &copyx; &amp; &lt;b&gt;'
    + ' \\&copy; `&amp;` [l&ouml;nk](https://example.com/?a=1&amp;b=&ouml; "t&iacute;tle") <b title="&ouml;&amp;copy;">&amp;copy;</b>';
  await server.fault('frames', {
    kind: 'raw', conversation_id: id,
    text: JSON.stringify({ action: 'receiveMessage', event: { event_type: 'bot_message', event_payload: { conversation_id: id, content: [{ type: 'md', md }] } } }),
  });
  const shown = await waitInWidget(page, (r) => {
    const p = r.querySelector('.cc-md p');
    const a = p?.querySelector('a');
    return p && a && { text: p.textContent, code: p.querySelector('code')?.textContent, bold: p.querySelector('b')?.textContent, boldTitle: p.querySelector('b')?.title, href: a.href, title: a.title, link: a.textContent };
  });
  assert.equal(shown.text, 'AÆB © ⟺ ≧̸ \u200c| ℨ \u200d| ¾ &notanentity; &copyx; & <b> &copy; &amp; lönk &copy;');
  assert.equal(shown.code, '&amp;');
  assert.equal(shown.bold, '&copy;');
  assert.equal(shown.boldTitle, 'ö&copy;'); // raw HTML: as the browser reads it
  assert.equal(shown.href, 'https://example.com/?a=1&b=%C3%B6');
  assert.equal(shown.title, 'títle');
  assert.equal(shown.link, 'lönk');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the launcher comes first, from the main part of the module; a click before the widget\'s part has loaded opens it, and the widget takes its place', async () => {
  // Leave an unread message for the launcher to show.
  const first = await visit('/');
  await openChat(first.page);
  await waitInWidget(first.page, (r) => r.textContent.includes('demo bot'));
  await inWidget(first.page, (r) => r.querySelector('.cc-launcher').click());
  const id = await conversationId(first.page);
  await server.fault('burst', { conversation_id: id, count: 1, store: true });
  await waitInWidget(first.page, (r) => r.querySelector('.cc-badge')?.textContent === '1');
  await first.page.close();

  // The widget's part of the module is held back: only the main part (the launcher) is on the page.
  let release;
  const held = new Promise((r) => { release = r; });
  await first.ctx.route(/captivate-widget\.\w+\.wasm$/, async (route) => { await held; await route.continue(); });
  const page = await first.ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.base}/`);
  await waitInWidget(page, (r) => r?.querySelector('.cc-launcher'));
  assert.equal(await inWidget(page, (r) => r.querySelector('.cc-badge')?.textContent), '1', 'the unread count the last page left');
  assert.match(await inWidget(page, (r) => r.querySelector('.cc-launcher').getAttribute('aria-label')), /1 unread/);
  assert.equal(await inWidget(page, (r) => r.querySelector('.cc-panel')), null);
  const fetched = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name.split('/').pop()));
  assert.ok(fetched.some((f) => /^captivate-chat_bg\.\w+\.wasm$/.test(f)), fetched.join(' '));
  // The main part's wasm is asked for alongside its glue, not after the glue has arrived.
  const order = await page.evaluate(() => {
    const at = (name) => performance.getEntriesByType('resource').find((e) => name.test(e.name));
    return { glueEnd: at(/\/captivate-chat\.\w+\.js$/).responseEnd, wasmStart: at(/\/captivate-chat_bg\.\w+\.wasm$/).startTime };
  });
  assert.ok(order.wasmStart < order.glueEnd, JSON.stringify(order));
  await inWidget(page, (r) => r.querySelector('.cc-launcher').click());
  assert.equal(await inWidget(page, (r) => r.querySelector('.cc-launcher').getAttribute('aria-busy')), 'true');
  release();
  // The widget opens with the conversation, in the launcher's place: one host on the page.
  await waitInWidget(page, (r) => r.querySelector('.cc-panel') && r.textContent.includes('Burst message 1 of 1'));
  await page.waitForFunction(() => document.querySelectorAll('[data-captivate-chat]').length === 1);
  assert.equal(await inWidget(page, (r) => r.querySelector('.cc-badge')?.checkVisibility() ?? false), false);
  // Read: the count kept for the next page is cleared too.
  await page.waitForFunction(() => Object.entries(localStorage).filter(([k]) => k.endsWith(':unread')).every(([, v]) => v === '0'));
  assert.deepEqual(errors, []);

  // A keyboard visitor on the launcher when the widget takes over stays on the launcher.
  let releaseAgain;
  const heldAgain = new Promise((r) => { releaseAgain = r; });
  await first.ctx.unroute(/captivate-widget\.\w+\.wasm$/);
  await first.ctx.route(/captivate-widget\.\w+\.wasm$/, async (route) => { await heldAgain; await route.continue(); });
  const next = await first.ctx.newPage();
  await next.goto(`${server.base}/`);
  await waitInWidget(next, (r) => r?.querySelector('.cc-launcher'));
  await next.evaluate(() => {
    document.querySelector('[data-captivate-chat]').shadowRoot.querySelector('.cc-launcher').focus();
    window.CaptivateChat.widgets[0].ready.then(() => { window.__tookOver = true; });
  });
  assert.equal(await next.evaluate(() => !!window.__tookOver), false, 'the widget is held back');
  releaseAgain();
  await next.waitForFunction(() => {
    const hosts = document.querySelectorAll('[data-captivate-chat]');
    return window.__tookOver && hosts.length === 1 && document.activeElement === hosts[0]
      && hosts[0].shadowRoot.activeElement?.classList.contains('cc-launcher');
  }, null, { timeout: 10000 });
  await first.ctx.close();
});

test('a pointer over the launcher fetches the widget\'s part before the click, even before the page is idle', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  // A page that never goes idle: only the visitor's intent asks for the widget's part.
  await ctx.addInitScript(() => { window.requestIdleCallback = () => 0; });
  const asked = [];
  ctx.on('request', (r) => { if (/captivate-widget\.\w+\.wasm$/.test(r.url())) asked.push(r.url()); });
  const { page, errors } = await visit('/', { context: ctx });
  await waitInWidget(page, (r) => r?.querySelector('.cc-launcher'));
  await page.waitForTimeout(300);
  assert.equal(asked.length, 0, 'nothing asks for the widget\'s part before the visitor does');
  await page.hover('.cc-launcher');
  await until(() => asked.length === 1, 5000, 'the widget\'s part to be asked for');
  assert.equal(await inWidget(page, (r) => r.querySelector('.cc-panel')), null, 'hovering opens nothing');
  await inWidget(page, (r) => r.querySelector('.cc-launcher').click());
  await waitInWidget(page, (r) => r.querySelector('.cc-panel') && r.textContent.includes('demo bot'));
  assert.equal(asked.length, 1, 'fetched once');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('when the widget\'s part of the module cannot load, the launcher stays and a later click loads it', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  let blocked = true;
  let aborted = 0;
  await ctx.route(/captivate-widget\.\w+\.wasm$/, (route) => (blocked ? (aborted++, route.abort()) : route.continue()));
  const logged = [];
  ctx.on('console', (m) => { if (m.type() === 'error') logged.push(m.text()); });
  const { page, errors } = await visit('/', { context: ctx });
  const until = async (what, ok) => {
    const deadline = Date.now() + 10000;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${logged.join(' | ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await waitInWidget(page, (r) => r?.querySelector('.cc-launcher'));
  // The page is idle: the widget's part is asked for, and cannot be had.
  await until('the failed idle load', () => logged.some((t) => t.includes('The chat could not start')));
  // A click asks again; it fails too, and the button is usable again, alone on the page.
  const before = aborted;
  await inWidget(page, (r) => r.querySelector('.cc-launcher').click());
  await until('the click\'s load', () => aborted > before);
  await waitInWidget(page, (r) => r.querySelector('.cc-launcher').getAttribute('aria-busy') === 'false');
  assert.equal(await page.evaluate(() => document.querySelectorAll('[data-captivate-chat]').length), 1);
  assert.equal(await inWidget(page, (r) => r.querySelector('.cc-panel')), null);
  // The network is back: the next click loads the widget's part and opens the chat.
  blocked = false;
  await inWidget(page, (r) => r.querySelector('.cc-launcher').click());
  await waitInWidget(page, (r) => r.querySelector('.cc-panel') && r.textContent.includes('demo bot'));
  await page.waitForFunction(() => document.querySelectorAll('[data-captivate-chat]').length === 1);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the launcher speaks the page\'s language: Spanish, Arabic right to left, English otherwise, and the page\'s own words', async () => {
  const ctx = await browser.newContext();
  // The widget's part of the module never arrives: what shows is the main part's launcher alone.
  await ctx.route(/captivate-widget\.\w+\.wasm$/, () => {});
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const url = `${server.base}/launcher-locale.html`;
  const cases = [
    ['data-locale="es"', 'Abrir chat', 'es', null],
    ['data-locale="ar"', 'افتح المحادثة', 'ar', 'rtl'],
    ['data-locale="de-AT"', 'Open chat', 'en', null],
    ['', 'Talk to us', 'en', null, "CaptivateChat.init({ apiKey: 'demo-key', baseUrl: '/', strings: { open: 'Talk to us' } })"],
  ];
  for (const [attributes, label, lang, dir, script] of cases) {
    const tag = script
      ? `<script src="captivate-embed.js"></script><script>${script}</script>`
      : `<script src="captivate-embed.js" data-api-key="demo-key" data-base-url="/" ${attributes} defer></script>`;
    await ctx.unroute(url);
    await ctx.route(url, (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html><html><head><meta charset="utf-8"></head><body>${tag}</body></html>` }));
    await page.goto(url);
    await waitInWidget(page, (r) => r?.querySelector('.cc-launcher'));
    const seen = await page.evaluate(() => {
      const host = document.querySelector('[data-captivate-chat]');
      return [host.shadowRoot.querySelector('.cc-launcher').getAttribute('aria-label'), host.getAttribute('lang'), host.getAttribute('dir'), !!host.shadowRoot.querySelector('.cc-panel')];
    });
    assert.deepEqual(seen, [label, lang, dir, false], attributes || script);
  }
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

test('reset() forgets the visitor; kept chats expire; storage can be this tab only or nothing', async () => {
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  const first = await conversationId(page);
  assert.ok(first);
  const keys = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('captivate-chat:')).sort());
  const visitorBefore = await page.evaluate(() => localStorage.getItem(Object.keys(localStorage).find((k) => k.startsWith('captivate-chat:v1:user:'))));
  await page.evaluate(() => window.CaptivateChat.reset());
  // Nothing of the old visitor is kept or shown; a new anonymous visitor talks next.
  assert.equal(await conversationId(page), null);
  await waitInWidget(page, (r) => !r.textContent.includes('demo bot'));
  const visitorAfter = await page.evaluate(() => localStorage.getItem(Object.keys(localStorage).find((k) => k.startsWith('captivate-chat:v1:user:'))));
  assert.notEqual(JSON.parse(visitorAfter).id, JSON.parse(visitorBefore).id);
  await say(page, 'after the reset');
  await waitInWidget(page, (r) => r.textContent.includes('You said: “after the reset”'));
  const second = await conversationId(page);
  assert.ok(second && second !== first);

  // A kept chat older than maxAge (30 days by default) is forgotten at the next visit.
  await page.evaluate(() => {
    for (const k of Object.keys(localStorage)) {
      const v = JSON.parse(localStorage.getItem(k));
      if (v && v.conversationId) localStorage.setItem(k, JSON.stringify({ ...v, savedAt: Date.now() - 31 * 24 * 3600 * 1000 }));
    }
  });
  await page.reload();
  await page.waitForFunction(() => window.CaptivateChat?.widgets?.[0]);
  await page.evaluate(() => window.CaptivateChat.widgets[0].ready);
  assert.equal(await conversationId(page), null);
  assert.ok((await keys()).length >= 1);

  // storage: 'session' keeps nothing in localStorage; 'none' keeps nothing anywhere.
  for (const storage of ['session', 'none']) {
    const p = await ctx.newPage();
    await p.goto(`${server.base}/embed/storage-${storage}.html`);
    await openChat(p);
    await waitInWidget(p, (r) => r.textContent.includes('demo bot'));
    const kept = await p.evaluate((s) => ({
      local: Object.keys(localStorage).filter((k) => k.includes(`storage-${s}`)).length,
      session: Object.keys(sessionStorage).filter((k) => k.includes(`storage-${s}`)).length,
    }), storage);
    assert.deepEqual(kept, storage === 'session' ? { local: 0, session: kept.session } : { local: 0, session: 0 });
    if (storage === 'session') assert.ok(kept.session >= 2, 'the visitor id and the record, in this tab');
    await p.close();
  }
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('images in bot markup, cards and files from hosts that are not allowed wait for a click; the page\'s own load at once', async () => {
  const { page, errors, ctx } = await visit('/');
  const asked = [];
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
  await ctx.route('https://tracker.test/**', (route) => { asked.push(route.request().url()); return route.fulfill({ contentType: 'image/png', body: png }); });
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  const id = await conversationId(page);
  await server.fault('push', { conversation_id: id, content: [
    { type: 'md', md: 'Status ![what you said](https://tracker.test/p.png?q=secret) and ours ![local](/favicon.ico)' },
    { type: 'html', html: '<p><img src="https://tracker.test/h.png" alt="h"></p>' },
    { type: 'cards', cards: [{ text: 'A card', image_url: 'https://tracker.test/c.png' }] },
    { type: 'files', files: [{ type: 'image', url: 'https://tracker.test/f.png', mimetype: 'image/png', filename: 'f.png' }] },
  ] });
  await waitInWidget(page, (r) => r.querySelectorAll('.cc-img-hold').length === 4);
  await page.waitForTimeout(300);
  assert.deepEqual(asked, [], 'nothing fetched from the other host before a click');
  assert.ok(await inWidget(page, (r) => !!r.querySelector('.cc-rich img[src$="/favicon.ico"]')), "the page's own image shows at once");
  assert.match(await inWidget(page, (r) => r.querySelector('.cc-img-hold').textContent), /Show image from tracker\.test/);
  await inWidget(page, (r) => r.querySelector('.cc-img-hold').click());
  await waitInWidget(page, (r) => r.querySelector('.cc-rich img[src^="https://tracker.test/p.png"]')?.getAttribute('alt') === 'what you said');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(asked.length, 1, 'one image, on the click');
  assert.equal(await inWidget(page, (r) => r.querySelectorAll('.cc-img-hold').length), 3, 'the others still wait');
  // A card's image too, on its click.
  await inWidget(page, (r) => r.querySelector('.cc-card .cc-img-hold').click());
  await waitInWidget(page, (r) => r.querySelector('.cc-card img[src="https://tracker.test/c.png"]'));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('two widgets on one page do not interfere', async () => {
  const { page, errors, ctx } = await visit('/embed/two-widgets.html');
  await openChat(page, 0);
  await openChat(page, 1);
  await say(page, 'first widget', 0);
  await say(page, 'second widget', 1);
  await waitInWidget(page, (r) => r.textContent.includes('You said: “first widget”'), null, 0);
  await waitInWidget(page, (r) => r.textContent.includes('You said: “second widget”'), null, 1);
  assert.ok(!(await inWidget(page, (r) => r.textContent.includes('second widget'), null, 0)));
  assert.ok(!(await inWidget(page, (r) => r.textContent.includes('first widget'), null, 1)));
  const titles = [await inWidget(page, (r) => r.querySelector('.cc-title').textContent, null, 0), await inWidget(page, (r) => r.querySelector('.cc-title').textContent, null, 1)];
  assert.deepEqual(titles.sort(), ['Sales', 'Support']);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('on a phone the panel fills the screen', async () => {
  const { page, errors, ctx } = await visit('/', { viewport: { width: 375, height: 700 } });
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  await page.waitForTimeout(300); // the opening animation
  const box = await inWidget(page, (r) => { const b = r.querySelector('.cc-panel').getBoundingClientRect(); return [b.x, b.y, b.width, b.height].map(Math.round); });
  assert.deepEqual(box, [0, 0, 375, 700]);
  assert.ok(await inWidget(page, (r) => parseFloat(getComputedStyle(r.querySelector('textarea')).fontSize) >= 16), 'no zoom on focus');
  await page.screenshot({ path: path.join(shots, 'mobile.png') });
  // The on-screen keyboard shrinks the visual viewport: the panel follows it, composer included.
  await page.setViewportSize({ width: 375, height: 400 });
  await waitInWidget(page, (r) => Math.round(r.querySelector('.cc-panel').getBoundingClientRect().height) === 400);
  const composer = await inWidget(page, (r) => Math.round(r.querySelector('.cc-composer').getBoundingClientRect().bottom));
  assert.ok(composer <= 400, `composer bottom at ${composer}px, below the visible 400px`);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('on a phone, a page wider than the screen and pinch-zoom keep the launcher and the panel on screen', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
  const { page, errors, ctx } = await visit('/embed/wide.html', { context });
  // Where an element of the widget is on the visitor's screen: [x, y, width, height] in screen CSS pixels.
  const onScreen = (selector) => page.evaluate((sel) => {
    const vv = visualViewport;
    const hosts = document.querySelectorAll('[data-captivate-chat]');
    const el = hosts[hosts.length - 1].shadowRoot.querySelector(sel);
    const b = el.getBoundingClientRect();
    return [(b.x - vv.offsetLeft) * vv.scale, (b.y - vv.offsetTop) * vv.scale, b.width * vv.scale, b.height * vv.scale].map(Math.round);
  }, selector);
  const inside = ([x, y, w, h], what) => {
    assert.ok(x >= 0 && y >= 0 && x + w <= 390 && y + h <= 844 && w > 0 && h > 0, `${what} at ${[x, y, w, h]}, outside the 390×844 screen`);
  };
  await waitInWidget(page, (r) => r?.querySelector('.cc-launcher'));
  const layout = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
  assert.ok(layout[0] > 390 && layout[1] > 390, `the page overflows and the layout viewport grew: ${layout}`);
  const launcher = await onScreen('.cc-launcher');
  inside(launcher, 'the launcher');
  assert.deepEqual(launcher.slice(2), [60, 60]);
  // Open: the panel is the screen, and its close and send buttons are on it.
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  await page.waitForTimeout(300); // the opening animation
  assert.deepEqual(await onScreen('.cc-panel'), [0, 0, 390, 844]);
  inside(await onScreen('.cc-panel header [aria-label="Close chat"]'), 'the close button');
  inside(await onScreen('.cc-send'), 'the send button');
  await say(page, 'hello');
  await waitInWidget(page, (r) => r.textContent.includes('You said: “hello”'));
  // Pinch-zoomed to twice the size and moved: still on screen, and at its usual size.
  await inWidget(page, (r) => r.querySelector('.cc-panel header [aria-label="Close chat"]').click());
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: 2 });
  await page.waitForFunction(() => visualViewport.scale > 1.9);
  await page.waitForTimeout(200);
  const zoomed = await onScreen('.cc-launcher');
  inside(zoomed, 'the launcher, zoomed');
  assert.deepEqual(zoomed.slice(2), [60, 60], `the launcher keeps its size on screen: ${zoomed}`);
  await openChat(page);
  await page.waitForTimeout(300);
  assert.deepEqual(await onScreen('.cc-panel'), [0, 0, 390, 844]);
  // The page under the widget still takes taps where the widget is not.
  await inWidget(page, (r) => r.querySelector('.cc-panel header [aria-label="Close chat"]').click());
  await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: 1 });
  const hit = await page.evaluate(() => document.elementFromPoint(100, 100)?.tagName);
  assert.notEqual(hit, 'DIV', 'the host does not cover the page');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('dark theme, Spanish and a custom renderer in an inline panel', async () => {
  const { page, errors, ctx } = await visit('/embed/inline.html');
  await waitInWidget(page, (r) => r && r.querySelector('.cc-panel.cc-inline'));
  await waitInWidget(page, (r) => r.querySelector('textarea').placeholder === 'Escribe un mensaje…');
  await say(page, 'custom');
  await waitInWidget(page, (r) => r.querySelector('.cc-custom .order')?.textContent === 'Order A-1042: shipped');
  await page.screenshot({ path: path.join(shots, 'dark-inline.png') });
  // Types named like Object.prototype's members find no renderer there: they get the fallback.
  const id = await conversationId(page);
  const inherited = ['toString', 'constructor', 'hasOwnProperty', '__proto__', 'valueOf'];
  await server.fault('push', { conversation_id: id, content: inherited.map((type) => ({ type, text: `kind ${type}` })), store: false });
  const fallbacks = await waitInWidget(page, (r, n) => {
    const shown = [...r.querySelectorAll('.cc-unknown')].map((e) => e.textContent);
    return shown.length >= n ? shown : null;
  }, inherited.length);
  assert.deepEqual(fallbacks.slice(-inherited.length), inherited.map((t) => `kind ${t}`));
  assert.equal(await inWidget(page, (r) => r.querySelectorAll('.cc-custom').length), 1);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('XSS corpus: no vector in any carrier runs script or leaves anything dangerous in the DOM', async () => {
  // The corpus lives in the team's shared/ folder, beside the checkout (CI lays a copy there too).
  const corpus = process.env.XSS_VECTORS || path.join(root, '..', 'shared', 'security', 'xss_vectors.json');
  assert.ok(existsSync(corpus), `XSS corpus not found at ${corpus} (set XSS_VECTORS)`);
  const vectors = JSON.parse(readFileSync(corpus, 'utf8')).map((v) => v.input);
  assert.ok(vectors.length >= 500, 'the whole corpus');
  const { page, errors, ctx } = await visit('/embed/csp.html');
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  const id = await conversationId(page);
  const carriers = (v) => [
    { type: 'html', html: v }, { type: 'md', md: v }, { type: 'table', table: v }, { type: 'text', text: v },
    { type: 'cards', cards: [{ text: 'card', description: v, image_url: v, link: v }] },
    { type: 'buttons', buttons: { type: 'url', buttons: [{ title: 'b', url: v }] } },
    { type: 'files', files: [{ type: 'image', url: v, filename: v }, { type: 'audio', url: v, filename: 'a' }, { type: 'document', url: v, filename: 'd' }] },
  ];
  const batch = 40;
  for (let i = 0; i < vectors.length; i += batch) {
    const content = vectors.slice(i, i + batch).flatMap(carriers);
    const r = await server.fault('push', { conversation_id: id, content, store: false });
    assert.equal(r.sent, true);
  }
  await waitInWidget(page, (r, n) => r.querySelectorAll('.cc-bot').length >= n, Math.ceil(vectors.length / batch) + 1, 0, 60000);
  // Markdown renders once its module has loaded: every md carrier has been through the sanitizer.
  await waitInWidget(page, (r) => r.querySelector('.cc-md') && !r.querySelector('.cc-md-pending'), null, 0, 15000);
  await page.waitForTimeout(1500); // let any image error or timer fire
  const report = await inWidget(page, (r) => {
    const bad = [];
    const dangerousTags = ['script', 'iframe', 'object', 'embed', 'base', 'meta', 'form', 'frame', 'frameset', 'svg', 'math', 'link', 'style'];
    // The widget's own document icon (bot markup never yields an svg): exactly the one it draws.
    const ownIcon = (el) => {
      const svg = el.closest('svg');
      return !!svg && svg.matches('a.cc-file > svg.cc-file-icon, span.cc-file > svg.cc-file-icon')
        && [...svg.attributes].every((a) => ['viewBox', 'aria-hidden', 'class'].includes(a.name))
        && [...svg.querySelectorAll('*')].every((c) => ['g', 'path'].includes(c.tagName) && [...c.attributes].every((a) => a.name === 'd'))
        && svg.querySelectorAll('path').length === 1;
    };
    for (const el of r.querySelectorAll('.cc-messages *')) {
      const tag = el.tagName.toLowerCase();
      if (ownIcon(el)) continue;
      if (dangerousTags.includes(tag)) bad.push(`element ${tag}`);
      for (const a of el.attributes) {
        if (a.name.startsWith('on')) bad.push(`${tag} ${a.name}`);
        if (['style', 'srcdoc', 'formaction', 'action', 'xlink:href', 'background', 'poster', 'srcset'].includes(a.name)) bad.push(`${tag} ${a.name}`);
      }
      for (const prop of ['href', 'src']) {
        const v = el[prop];
        if (typeof v === 'string' && v && !/^(https?:|mailto:|tel:|data:image\/(png|jpeg|jpg|gif|webp|avif)[;,])/i.test(v)) bad.push(`${tag} ${prop}=${v.slice(0, 60)}`);
      }
    }
    return { bad, elements: r.querySelectorAll('.cc-messages *').length };
  });
  assert.deepEqual(report.bad, []);
  assert.ok(report.elements > vectors.length, 'the vectors were rendered');
  assert.deepEqual(await page.evaluate(() => window.__calls), []);
  const violations = await page.evaluate(() => window.__violations);
  assert.deepEqual(violations.filter((v) => /script|eval/.test(v)), [], 'no script was even attempted');
  assert.deepEqual(await page.evaluate(() => document.querySelectorAll('body script:not([src]), body iframe').length), 0);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the demo page fits a phone and passes axe in dark mode', async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true, colorScheme: 'dark' });
  const page = await ctx.newPage();
  await page.goto(`${server.base}/`);
  await page.waitForFunction(() => document.querySelector('[data-captivate-chat]'));
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  assert.ok(widths.page <= widths.screen, `the page is ${widths.page} px wide on a ${widths.screen} px screen`);
  await page.addScriptTag({ path: path.join(root, 'node_modules', 'axe-core', 'axe.min.js') });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run({ exclude: [['[data-captivate-chat]']] }, { resultTypes: ['violations'] });
    return r.violations.filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => `${v.id}: ${v.nodes.length}`);
  });
  assert.deepEqual(violations, []);
  await ctx.close();
});

test('axe-core finds no serious or critical violation in the open widget', async () => {
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await say(page, 'everything');
  await waitInWidget(page, (r) => r.querySelector('.cc-cards'), null, 0, 15000);
  await page.addScriptTag({ path: path.join(root, 'node_modules', 'axe-core', 'axe.min.js') });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run({ include: [['[data-captivate-chat]']] }, { resultTypes: ['violations'] });
    return r.violations.filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(result, []);
  assert.deepEqual(errors, []);
  await ctx.close();
});
