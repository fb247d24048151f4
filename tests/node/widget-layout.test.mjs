// The chat bubble's layout and accessibility, in real headless Chromium against the local server:
// a long history windowed, keyboard only, a strict CSP page, phones (full screen, a page wider
// than the screen, pinch-zoom), dark theme and languages inline, and axe-core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { widgetSuite, root, shots, server, browser, visit, inWidget, waitInWidget, openChat, say, conversationId } from './widget-kit.mjs';

widgetSuite();

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

test('keyboard only: Tab to the launcher, Enter opens, type, Escape (or the close button) closes and focus returns', async () => {
  const { page, errors, ctx } = await visit('/');
  await waitInWidget(page, (r) => r && r.querySelector('.cc-launcher'));
  // Past the demo page's links (the launcher comes after them in the page).
  for (let i = 0; i < 20; i++) {
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
