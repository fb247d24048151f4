// Feedback on answers and copying them, in real headless Chromium against the local server,
// on the demo page (data-feedback, data-copy): thumbs under each bot message, one choice per
// message that can be changed, sent as the action message_feedback and heard as `feedback`,
// kept across a reload; Copy puts the text the visitor reads (not the markdown source) on the
// clipboard and says so; by pointer and by keyboard; off by default; Spanish, dark, on a
// phone; axe finds nothing serious.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { widgetSuite, server, browser, inWidget, waitInWidget, axeWidget, say } from './widget-kit.mjs';

widgetSuite();

/** A page of the demo with the POSTed events recorded and the widget's feedback events heard. */
async function open(url, contextOptions = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 760 }, ...contextOptions });
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
  const page = await ctx.newPage();
  const posted = [];
  page.on('request', (r) => { if (r.method() === 'POST') posted.push(r.postData() || ''); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.base}${url}`);
  return { ctx, page, posted, errors };
}

/** The message_feedback actions sent: [message_id, value]. */
const votes = (posted) => posted.filter((b) => b.includes('"message_feedback"'))
  .map((b) => JSON.parse(b).event.event_payload).map((p) => [p.data?.message_id ?? p.message_id, p.data?.value ?? p.value]);

/** The first bot message's two buttons: aria-pressed of each. */
const pressed = (page) => inWidget(page, (r) => [...r.querySelector('.cc-bot .cc-votes').children].map((b) => b.getAttribute('aria-pressed')));

test('thumbs under bot messages: one choice, changed, sent as message_feedback, heard as feedback, kept across a reload', async () => {
  const { ctx, page, posted, errors } = await open('/');
  await page.evaluate(() => { window.heard = []; window.CaptivateChat.widgets[0].on('feedback', (f) => window.heard.push(f)); });
  await page.locator('.cc-launcher').first().click();
  await waitInWidget(page, (r) => r.querySelector('.cc-bot .cc-votes'));
  assert.deepEqual(await pressed(page), ['false', 'false']);
  assert.deepEqual(await inWidget(page, (r) => [...r.querySelector('.cc-bot .cc-votes').children].map((b) => b.getAttribute('aria-label'))), ['Helpful', 'Not helpful']);
  assert.equal(await inWidget(page, (r) => r.querySelector('.cc-bot .cc-votes').getAttribute('role')), 'group');

  await page.locator('.cc-bot .cc-vote').first().click();
  assert.deepEqual(await pressed(page), ['true', 'false']);
  await page.waitForFunction(() => window.heard.length === 1);
  const [first] = await page.evaluate(() => window.heard);
  assert.equal(first.value, 'up');
  assert.ok(first.messageId && first.conversationId, JSON.stringify(first));
  await waitFor(() => votes(posted).length === 1);
  assert.deepEqual(votes(posted), [[first.messageId, 'up']]);
  assert.deepEqual(await axeWidget(page), [], 'axe, a choice made');

  // Changed by keyboard; the same choice again sends nothing.
  await page.locator('.cc-bot .cc-vote').nth(1).focus();
  await page.keyboard.press('Enter');
  assert.deepEqual(await pressed(page), ['false', 'true']);
  await page.keyboard.press('Space');
  await waitFor(() => votes(posted).length === 2);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(votes(posted), [[first.messageId, 'up'], [first.messageId, 'down']]);
  assert.deepEqual((await page.evaluate(() => window.heard)).map((f) => f.value), ['up', 'down']);

  // Agent messages and the visitor's have none.
  await say(page, 'hello');
  await waitInWidget(page, (r) => r.textContent.includes('You said: “hello”'));
  assert.equal(await inWidget(page, (r) => r.querySelectorAll('.cc-user .cc-vote').length), 0);

  await page.reload();
  await page.locator('.cc-launcher').first().click();
  await waitInWidget(page, (r) => r.querySelectorAll('.cc-bot .cc-votes').length >= 2);
  assert.deepEqual(await inWidget(page, (r) => [...r.querySelector('.cc-bot .cc-votes').children].map((b) => b.getAttribute('aria-pressed'))), ['false', 'true'], 'kept');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('Copy: the text the visitor reads goes to the clipboard (rendered markdown, not its source), "Copied" is shown and announced', async () => {
  const { ctx, page, errors } = await open('/');
  await page.locator('.cc-launcher').first().click();
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  await say(page, 'markdown');
  await waitInWidget(page, (r) => r.querySelector('.cc-bot .cc-md'));
  const last = page.locator('.cc-bot').last();
  // Hidden until the pointer is over the message (or the button has focus).
  const copy = last.locator('.cc-copy');
  assert.equal(await copy.evaluate((b) => getComputedStyle(b).opacity), '0');
  await last.hover();
  assert.equal(await copy.evaluate((b) => getComputedStyle(b).opacity), '1');
  await copy.click();
  await waitInWidget(page, (r) => [...r.querySelectorAll('.cc-copy')].some((b) => b.textContent === 'Copied'));
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const shown = await last.locator('.cc-bubble').evaluate((b) => b.innerText.trim());
  assert.equal(copied, shown);
  assert.ok(!copied.includes('**') && copied.length > 20, copied);
  assert.ok(await inWidget(page, (r) => [...r.querySelectorAll('[aria-live="polite"]')].some((l) => l.textContent === 'Copied')), 'announced');
  assert.deepEqual(await axeWidget(page), [], 'axe, copied');
  // By keyboard: focus shows it.
  const first = page.locator('.cc-bot .cc-copy').first();
  await first.focus();
  assert.equal(await first.evaluate((b) => getComputedStyle(b).opacity), '1');
  await page.keyboard.press('Enter');
  await page.waitForFunction(async () => (await navigator.clipboard.readText()).includes('demo bot'));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('off by default; Spanish, dark, on a phone, through the element\'s attributes; a clipboard missing or refusing is said, not thrown', async () => {
  const { ctx, page } = await open('/embed/inline.html');
  await waitInWidget(page, (r) => r?.textContent.includes('demo bot'));
  assert.equal(await inWidget(page, (r) => r.querySelectorAll('.cc-vote, .cc-copy').length), 0, 'no option, no buttons');
  await ctx.close();

  const phone = await open('/embed/element.html', { viewport: { width: 390, height: 740 }, isMobile: true, hasTouch: true });
  await phone.page.evaluate(() => {
    const el = document.querySelector('captivate-chat');
    for (const [k, v] of [['feedback', ''], ['copy', ''], ['locale', 'es'], ['theme', 'dark']]) el.setAttribute(k, v);
  });
  await phone.page.locator('textarea').first().tap();
  await phone.page.keyboard.type('hola');
  await phone.page.keyboard.press('Enter');
  await waitInWidget(phone.page, (r) => r.querySelector('.cc-bot .cc-votes'));
  assert.ok(await phone.page.evaluate(() => document.querySelector('[data-captivate-chat]').classList.contains('cc-dark')));
  assert.deepEqual(await inWidget(phone.page, (r) => [...r.querySelector('.cc-bot .cc-votes').children].map((b) => b.getAttribute('aria-label'))), ['Útil', 'No es útil']);
  // No hover on a phone: Copy shows.
  const copy = phone.page.locator('.cc-bot .cc-copy').first();
  assert.equal(await copy.textContent(), 'Copiar');
  assert.equal(await copy.evaluate((b) => getComputedStyle(b).opacity), '1');
  await phone.page.locator('.cc-bot .cc-vote').first().tap();
  assert.deepEqual(await axeWidget(phone.page), [], 'axe, Spanish, dark, phone');

  // No clipboard at all (a page served over plain HTTP), then a clipboard that works, then one
  // that refuses: each said, nothing thrown.
  const said = (start) => waitInWidget(phone.page, (r, t) => [...r.querySelectorAll('[aria-live="polite"]')].some((l) => l.textContent.startsWith(t)), start);
  await phone.page.evaluate(() => {
    window.realClipboard = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard');
    Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true });
  });
  await copy.tap();
  await said('No se pudo copiar');
  assert.equal(await copy.textContent(), 'Copiar');
  await phone.page.evaluate(() => Object.defineProperty(Navigator.prototype, 'clipboard', window.realClipboard));
  await copy.tap();
  await said('Copiado');
  await phone.page.evaluate(() => { navigator.clipboard.writeText = () => Promise.reject(new DOMException('refused', 'NotAllowedError')); });
  await copy.tap();
  await said('No se pudo copiar');
  assert.deepEqual(phone.errors, []);
  await phone.ctx.close();
});

async function waitFor(fn, ms = 5000) {
  const start = Date.now();
  while (!fn()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${fn}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
