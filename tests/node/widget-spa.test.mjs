// Single-page sites, in real headless Chromium against the local server, on the demo's
// www/embed/spa.html: the links swap the whole <body> as Turbo does (and Astro's view
// transitions), a button only calls history.pushState, Back swaps again. The floating widget
// keeps its element, its socket and its open conversation through all of it; a body swap
// before the widget has loaded keeps the launcher. With data-page-context, the conversation's
// metadata says which page the visitor is on: at the start, and before a message sent after
// navigating; nothing is sent when the visitor only navigates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { widgetSuite, browser, server, inWidget, waitInWidget } from './widget-kit.mjs';
import { countSockets } from './harness.mjs';

widgetSuite();

async function open() {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await ctx.newPage();
  await countSockets(page);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.base}/embed/spa.html`);
  return { ctx, page, errors };
}

test('a body swapped as Turbo does, pushState and Back: one widget element, one socket, the conversation open throughout', async () => {
  const { ctx, page, errors } = await open();
  await page.locator('.cc-launcher').first().click();
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  await page.locator('textarea').first().focus();
  await page.keyboard.type('before navigating');
  await page.keyboard.press('Enter');
  await waitInWidget(page, (r) => r.textContent.includes('You said: “before navigating”'));
  const host = await page.evaluateHandle(() => document.querySelector('[data-captivate-chat]'));
  const body = await page.evaluateHandle(() => document.body);

  await page.getByRole('link', { name: 'Pricing' }).click();
  await page.waitForFunction(() => document.querySelector('h1').textContent === 'Pricing');
  assert.ok(await page.evaluate((b) => !b.isConnected, body), 'the body was swapped');
  const kept = () => page.evaluate((h) => h.isConnected && h.parentElement === document.body
    && document.querySelectorAll('[data-captivate-chat]').length === 1, host);
  assert.ok(await kept(), 'the same widget element, in the new body');
  assert.ok(await inWidget(page, (r) => !!r.querySelector('.cc-panel') && r.textContent.includes('before navigating')), 'still open, with its conversation');
  // It still talks, on the same socket.
  await page.locator('textarea').first().focus();
  await page.keyboard.type('after a swap');
  await page.keyboard.press('Enter');
  await waitInWidget(page, (r) => r.textContent.includes('You said: “after a swap”'));

  await page.getByRole('link', { name: 'Docs' }).click();
  await page.waitForFunction(() => document.querySelector('h1').textContent === 'Docs');
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('h1').textContent === 'Pricing');
  assert.ok(await kept(), 'kept through Back');
  await page.getByRole('link', { name: 'Home' }).click();
  await page.waitForFunction(() => document.querySelector('#push'));
  await page.locator('#push').click();
  await page.waitForFunction(() => location.search.includes('pushed'));
  assert.ok(await kept(), 'kept through pushState');
  assert.ok(await inWidget(page, (r) => r.textContent.includes('after a swap')));
  assert.equal(await page.evaluate(() => window.sockets), 1, 'one socket');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a body swapped before the widget has loaded keeps the launcher, and the widget then takes its place', async () => {
  const { ctx, page, errors } = await open();
  await waitInWidget(page, (r) => r?.querySelector('.cc-launcher'));
  // At once, before the page is idle (the launcher alone is there).
  await page.evaluate(() => document.querySelector('a[data-page="docs"]').click());
  await page.waitForFunction(() => document.querySelector('h1').textContent === 'Docs');
  assert.equal(await page.evaluate(() => document.querySelectorAll('[data-captivate-chat]').length), 1);
  await page.locator('.cc-launcher').first().click();
  await waitInWidget(page, (r) => r.querySelector('.cc-panel') && r.textContent.includes('demo bot'));
  assert.equal(await page.evaluate(() => document.querySelectorAll('[data-captivate-chat]').length), 1);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('page context: the start carries the page, navigating sends nothing, the next message is preceded by the new page once', async () => {
  const { ctx, page, errors } = await open();
  const posted = [];
  page.on('request', (r) => { if (r.method() === 'POST') posted.push(JSON.parse(r.postData() || '{}')); });
  const kinds = () => posted.map((b) => b.event?.event_type);
  const contexts = () => posted.map((b) => b.event?.event_payload).filter((p) => p?.metadata?.context).map((p) => p.metadata.context);
  await page.locator('.cc-launcher').first().click();
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  const start = posted.find((b) => b.event?.event_type === 'conversation_start');
  assert.deepEqual(start.event.event_payload.metadata.context, { url: `${server.base}/embed/spa.html`, title: 'Home — a single-page site' });

  const before = posted.length;
  await page.getByRole('link', { name: 'Pricing' }).click();
  await page.waitForFunction(() => document.querySelector('h1').textContent === 'Pricing');
  await page.locator('#push').click();
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(posted.length, before, `nothing sent while navigating: ${kinds().slice(before)}`);

  await page.locator('textarea').first().focus();
  await page.keyboard.type('about pricing');
  await page.keyboard.press('Enter');
  await waitInWidget(page, (r) => r.textContent.includes('You said: “about pricing”'));
  const after = kinds().slice(before);
  assert.deepEqual(after.slice(0, 2), ['metadata', 'user_message'], `the page first, then the message: ${after}`);
  assert.deepEqual(contexts().at(-1), { url: `${server.base}/embed/spa.html?page=home&pushed=1`, title: 'Pricing — a single-page site' });

  // Same page, another message: no metadata again.
  await page.keyboard.type('again');
  await page.keyboard.press('Enter');
  await waitInWidget(page, (r) => r.textContent.includes('You said: “again”'));
  assert.equal(kinds().filter((k) => k === 'metadata').length, 1);
  assert.deepEqual(errors, []);
  await ctx.close();
});
