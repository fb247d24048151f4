// The proactive greeting, in real headless Chromium against the local server, driven through
// www/embed/greeting.html (its options from the address: data-* attributes, or
// CaptivateChat.init with `init`): it shows after its delay beside the launcher alone (the
// widget's part held back), opening no socket and keeping only when it was shown; it is said
// once by a live region; Escape or its × dismisses it and it does not come back for
// greetingEvery days; a click opens the chat with the line as the bot's first words, on screen
// only; greetingPages picks the pages; CaptivateChat.greet() shows one from the page; on a
// phone, in Arabic and dark, it is tapped away; axe finds nothing serious with it shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { widgetSuite, server, browser, inWidget, waitInWidget, axeWidget } from './widget-kit.mjs';

widgetSuite();

/** Opens the greeting page with `query`, counting sockets and what the page POSTs. */
async function greetingPage(query, { context, hold = false } = {}) {
  const ctx = context || (await browser.newContext({ viewport: { width: 1100, height: 760 } }));
  // The widget's part held back: what shows is the main part's launcher, and the greeting's part.
  if (hold) await ctx.route(/captivate-widget\.\w+\.wasm$/, () => {});
  const page = await ctx.newPage();
  // Every socket the page opens (the real ones run), and what it sends (events are POSTed).
  await page.addInitScript(() => {
    window.__sockets = 0;
    const Real = window.WebSocket;
    window.WebSocket = class extends Real { constructor(...a) { super(...a); window.__sockets++; } };
  });
  const sent = [];
  page.on('request', (r) => { if (r.method() === 'POST') sent.push(r.postData() || ''); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.base}/embed/greeting.html?${query}`);
  return { ctx, page, errors, sent };
}

const sockets = (page) => page.evaluate(() => window.__sockets);

const bubble = (page) => inWidget(page, (r) => {
  const b = r?.querySelector('.cc-greeting');
  return b && !b.hidden ? b.querySelector('.cc-greeting-text').textContent.trim() : null;
});
const stored = (page) => page.evaluate(() => Object.keys(localStorage).sort());
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

test('the greeting shows after its delay beside the launcher alone, opens no socket, keeps only when it was shown; Escape dismisses it for a day', async () => {
  const { ctx, page, errors } = await greetingPage('greeting=Questions%20about%20pricing%3F&delay=1.5', { hold: true });
  await waitInWidget(page, (r) => r?.querySelector('.cc-launcher'));
  await pause(700);
  assert.equal(await bubble(page), null, 'not before its delay');
  await waitInWidget(page, (r) => r.querySelector('.cc-greeting:not([hidden])'));
  assert.equal(await bubble(page), 'Questions about pricing?');
  // Said once, politely, by a live region that was there before it spoke.
  await waitInWidget(page, (r) => r.querySelector('[aria-live="polite"]')?.textContent === 'Questions about pricing?');
  assert.equal(await sockets(page), 0, 'no socket');
  assert.deepEqual(await stored(page), ['captivate-chat:v1:greeting-key:~greeted'], 'only when it was shown');
  assert.ok(await page.evaluate(() => JSON.parse(localStorage.getItem('captivate-chat:v1:greeting-key:~greeted')).savedAt > Date.now() - 60000));
  assert.equal(await page.evaluate(() => document.querySelectorAll('[data-captivate-chat]').length), 1, 'the launcher alone');
  assert.deepEqual(await axeWidget(page), [], 'axe, with the greeting shown');

  // By keyboard: Tab reaches the greeting, Escape dismisses it and the focus goes to the launcher.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await waitInWidget(page, (r) => r.activeElement?.closest('.cc-greeting'));
  await page.keyboard.press('Escape');
  await waitInWidget(page, (r) => r.querySelector('.cc-greeting').hidden && r.activeElement?.classList.contains('cc-launcher'));

  // Not again within greetingEvery (a day): the next page shows none.
  await page.reload();
  await waitInWidget(page, (r) => r?.querySelector('.cc-launcher'));
  await pause(2500);
  assert.equal(await bubble(page), null, 'not again the same day');
  assert.equal(await sockets(page), 0);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a click on the greeting opens the chat with it as the bot\'s first line, on screen only; the greeting goes with the panel (CaptivateChat.init)', async () => {
  const { ctx, page, errors, sent } = await greetingPage('init&key=greet-open&greeting=Need%20help%20choosing%20a%20plan%3F&delay=0.5');
  await waitInWidget(page, (r) => r?.querySelector('.cc-greeting:not([hidden])'));
  assert.equal(await bubble(page), 'Need help choosing a plan?');
  await page.locator('.cc-greeting-text').first().click();
  await waitInWidget(page, (r) => r.querySelector('.cc-panel') && r.textContent.includes('demo bot'));
  const lines = await inWidget(page, (r) => [...r.querySelectorAll('.cc-msg')].map((m) => [m.className, m.textContent]));
  const first = lines.findIndex(([, t]) => t.includes('Need help choosing a plan?'));
  assert.ok(first >= 0, JSON.stringify(lines));
  assert.match(lines[first][0], /bot/, 'a bot line');
  assert.ok(first < lines.findIndex(([, t]) => t.includes('demo bot')), 'before the bot\'s own greeting');
  assert.equal(await bubble(page), null, 'the greeting goes as the panel opens');
  assert.ok(sent.length > 0 && !sent.some((f) => f.includes('choosing a plan')), `not sent: ${sent.join(' | ')}`);
  // Closed again: it does not come back on this page.
  await page.locator('.cc-launcher').first().click();
  await waitInWidget(page, (r) => !r.querySelector('.cc-panel'));
  await pause(800);
  assert.equal(await bubble(page), null);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('greetingPages picks the pages, greetingEvery 0 greets on every page, and CaptivateChat.greet() greets from the page', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  // Not a page it is for (data-greeting-pages; CaptivateChat.init's list below).
  let { page, errors } = await greetingPage('key=pages&delay=0.3&pages=/pricing,/docs/*', { context: ctx });
  await waitInWidget(page, (r) => r?.querySelector('.cc-launcher'));
  await pause(1500);
  assert.equal(await bubble(page), null, 'not on this page');
  assert.deepEqual(await stored(page), []);
  // The page greets anyway.
  await page.locator('#greet').click();
  await waitInWidget(page, (r) => r.querySelector('.cc-greeting:not([hidden])'));
  assert.equal(await bubble(page), 'Need a hand with your order?');
  assert.deepEqual(errors, []);
  await page.close();

  ({ page, errors } = await greetingPage('init&key=pages&delay=0.3&pages=/pricing,/embed/*&every=0', { context: ctx }));
  await waitInWidget(page, (r) => r?.querySelector('.cc-greeting:not([hidden])'));
  await page.reload();
  await waitInWidget(page, (r) => r?.querySelector('.cc-greeting:not([hidden])'));
  assert.equal(await bubble(page), 'Questions about pricing? Ask me.', 'every page with greetingEvery 0');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('on a phone, in Arabic and dark, with reduced motion: the greeting fits, names its button in Arabic, and a tap dismisses it', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true, colorScheme: 'dark', reducedMotion: 'reduce' });
  const { ctx, page, errors } = await greetingPage('key=phone&locale=ar&theme=dark&delay=0.3&greeting=%D9%85%D8%B1%D8%AD%D8%A8%D8%A7%D9%8B', { context });
  await waitInWidget(page, (r) => r?.querySelector('.cc-greeting:not([hidden])'));
  const shape = await inWidget(page, (r) => {
    const b = r.querySelector('.cc-greeting');
    const box = b.getBoundingClientRect();
    return { left: box.left, right: box.right, bottom: box.bottom, label: b.querySelector('.cc-greeting-close').getAttribute('aria-label'), animation: getComputedStyle(b).animationName, dir: r.host.getAttribute('dir') };
  });
  assert.ok(shape.left >= 0 && shape.right <= 390 && shape.bottom <= 844, JSON.stringify(shape));
  assert.equal(shape.label, 'تجاهل');
  assert.equal(shape.animation, 'none', 'no motion');
  assert.equal(shape.dir, 'rtl');
  assert.deepEqual(await axeWidget(page), [], 'axe, dark, Arabic, phone');
  await page.locator('.cc-greeting-close').first().tap();
  await waitInWidget(page, (r) => r.querySelector('.cc-greeting').hidden);
  assert.deepEqual(errors, []);
  await ctx.close();
});
