// How the chat bubble loads, in real headless Chromium against the local server: the launcher
// first from the main part, the widget's part on intent or click, a part that cannot load,
// the launcher's language, Captivate's own snippet, two widgets on one page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { until } from './harness.mjs';
import { readModule } from '../../scripts/wasm-module.mjs';
import { SECTION } from '../../scripts/resources.mjs';
import { widgetSuite, server, browser, visit, inWidget, waitInWidget, openChat, say, conversationId } from './widget-kit.mjs';

widgetSuite();

test("Captivate's own snippet works: Captivate.init, onConnect, isConnected", async () => {
  const { page, errors, ctx } = await visit('/embed/captivate-snippet.html');
  await page.waitForFunction(() => window.snippetConnected === true, null, { timeout: 10000 });
  await openChat(page);
  await waitInWidget(page, (r) => r.querySelector('.cc-title')?.textContent === 'Snippet demo');
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
  // Read: the count kept for the next page is gone too.
  await page.waitForFunction(() => Object.keys(localStorage).length > 0 && !Object.keys(localStorage).some((k) => k.endsWith(':unread')));
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

/** The demo with the launcher alone on it, the widget's part held back until `release()`. */
async function heldDemo() {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  let release;
  const held = new Promise((r) => { release = r; });
  await ctx.route(/captivate-widget\.\w+\.wasm$/, async (route) => { await held; await route.continue(); });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.base}/`);
  await waitInWidget(page, (r) => r?.querySelector('.cc-launcher'));
  return { ctx, page, errors, release };
}

test('a click or a key press on the launcher while the widget takes its place is not lost: it opens the chat', async () => {
  for (const how of ['pointer', 'keyboard']) {
    const { ctx, page, errors, release } = await heldDemo();
    // The press starts on the launcher alone; the widget arrives and takes its place; the
    // press ends (a visitor's click as the page settles).
    if (how === 'pointer') {
      const box = await page.evaluate(() => {
        const b = document.querySelector('[data-captivate-chat]').shadowRoot.querySelector('.cc-launcher').getBoundingClientRect();
        return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
      });
      await page.mouse.move(box.x, box.y);
      await page.mouse.down();
    } else {
      await inWidget(page, (r) => r.querySelector('.cc-launcher').focus());
      await page.keyboard.down(' ');
    }
    release();
    await page.evaluate(() => window.CaptivateChat.widgets[0].ready);
    await page.waitForTimeout(200);
    if (how === 'pointer') await page.mouse.up();
    else await page.keyboard.up(' ');
    await waitInWidget(page, (r) => r.querySelector('.cc-panel') && r.textContent.includes('demo bot'), null, 0, 5000);
    await page.waitForFunction(() => document.querySelectorAll('[data-captivate-chat]').length === 1);
    assert.deepEqual(errors, [], how);
    await ctx.close();
  }
});

test('a click that ended before the widget arrived: the launcher alone leaves as the widget opens, with no further press', async () => {
  const { ctx, page, errors, release } = await heldDemo();
  // A whole click (press and release) on the launcher alone while the widget's part is held.
  await page.locator('.cc-launcher').first().click();
  await waitInWidget(page, (r) => r.querySelector('.cc-launcher').getAttribute('aria-busy') === 'true');
  release();
  await waitInWidget(page, (r) => r.querySelector('.cc-panel') && r.textContent.includes('demo bot'), null, 0, 5000);
  // Nothing else pressed: the launcher alone is gone (it stayed on top of the widget's, in its
  // place, until the next press anywhere).
  await page.waitForFunction(() => document.querySelectorAll('[data-captivate-chat]').length === 1, null, { timeout: 3000 });
  // And the widget's launcher takes a real click: it closes the chat.
  await page.locator('.cc-launcher').first().click({ timeout: 3000 });
  await waitInWidget(page, (r) => !r.querySelector('.cc-panel'));
  assert.deepEqual(errors, []);
  await ctx.close();
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

test('a widget part without its stylesheet (a part of another build) fails with a clear error, and the launcher stays', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  // The widget's part as the server has it, less the custom section its resources travel in
  // (scripts/resources.mjs).
  let served = 0;
  await ctx.route(/captivate-widget\.\w+\.wasm$/, async (route) => {
    const response = await route.fetch();
    const bytes = Buffer.from(await response.body());
    const { sections } = readModule(bytes);
    assert.ok(sections.some((sec) => sec.custom === SECTION), 'the part carries its resources');
    const stripped = Buffer.concat([bytes.subarray(0, 8), ...sections.filter((sec) => sec.custom !== SECTION).map((sec) => sec.bytes)]);
    served++;
    await route.fulfill({ response, body: stripped });
  });
  const logged = [];
  ctx.on('console', (m) => { if (m.type() === 'error') logged.push(m.text()); });
  const { page, errors } = await visit('/', { context: ctx });
  await waitInWidget(page, (r) => r?.querySelector('.cc-launcher'));
  await page.locator('.cc-launcher').first().click();
  await until(() => logged.some((t) => t.includes('the stylesheet panel.css is missing')), 10000, 'the error naming panel.css');
  assert.ok(served >= 1);
  await waitInWidget(page, (r) => r.querySelector('.cc-launcher')?.getAttribute('aria-busy') === 'false');
  assert.equal(await page.evaluate(() => document.querySelectorAll('[data-captivate-chat]').length), 1);
  assert.equal(await inWidget(page, (r) => r.querySelector('.cc-panel')), null);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the launcher speaks the page\'s language: Spanish, Arabic right to left, German for de-AT, English for a language it lacks, and the page\'s own words; its direction is its language\'s, not the page\'s', async () => {
  const ctx = await browser.newContext();
  // The widget's part of the module never arrives: what shows is the main part's launcher alone.
  await ctx.route(/captivate-widget\.\w+\.wasm$/, () => {});
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const url = `${server.base}/launcher-locale.html`;
  const cases = [
    ['data-locale="es"', 'Abrir chat', 'es', 'ltr'],
    ['data-locale="ar"', 'افتح المحادثة', 'ar', 'rtl'],
    ['data-locale="de-AT"', 'Chat öffnen', 'de', 'ltr'],
    ['data-locale="sw"', 'Open chat', 'en', 'ltr'],
    ['', 'Talk to us', 'en', 'ltr', "CaptivateChat.init({ apiKey: 'demo-key', baseUrl: '/', strings: { open: 'Talk to us' } })"],
  ];
  for (const [attributes, label, lang, dir, script] of cases) {
    const tag = script
      ? `<script src="captivate-embed.js"></script><script>${script}</script>`
      : `<script src="captivate-embed.js" data-api-key="demo-key" data-base-url="/" ${attributes} defer></script>`;
    await ctx.unroute(url);
    // A right-to-left page (its CSS, as a theme sets it): only the widget's language decides its direction.
    await ctx.route(url, (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html><html><head><meta charset="utf-8"><style>html { direction: rtl }</style></head><body>${tag}</body></html>` }));
    await page.goto(url);
    await waitInWidget(page, (r) => r?.querySelector('.cc-launcher'));
    const seen = await page.evaluate(() => {
      const host = document.querySelector('[data-captivate-chat]');
      const button = host.shadowRoot.querySelector('.cc-launcher');
      return [button.getAttribute('aria-label'), host.getAttribute('lang'), host.getAttribute('dir'), getComputedStyle(button).direction, !!host.shadowRoot.querySelector('.cc-panel')];
    });
    assert.deepEqual(seen, [label, lang, dir, dir, false], attributes || script);
  }
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the embed included twice mounts one widget; CaptivateChat.reset() reaches a widget mounted with CaptivateChat.init()', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const serve = async (url, body) => {
    await ctx.route(`${server.base}${url}`, (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html><html><head><meta charset="utf-8"></head><body>${body}</body></html>` }));
    await page.goto(`${server.base}${url}`);
  };
  // The same tag twice (a CMS plugin and a theme), and a third with another title: two widgets.
  const tag = (extra = '') => `<script src="captivate-embed.js" data-api-key="demo-key" data-base-url="/" ${extra} defer></script>`;
  await serve('/twice.html', tag() + tag() + tag('data-title="Sales"'));
  await waitInWidget(page, (r) => r?.querySelector('.cc-launcher'), null, 1);
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => document.querySelectorAll('[data-captivate-chat]').length), 2);
  assert.equal(await page.evaluate(() => window.CaptivateChat.widgets.length), 2);

  // Mounted from JavaScript (the inline example: CaptivateChat.init, open), then the page's user
  // logs out: the visitor is forgotten there too. (A page the server serves: Chromium lets a page
  // fulfilled by the test open no socket to loopback.)
  await page.goto(`${server.base}/embed/inline.html`);
  await waitInWidget(page, (r) => r?.textContent.includes('demo bot'));
  assert.ok(await conversationId(page));
  await page.evaluate(() => window.CaptivateChat.reset());
  await waitInWidget(page, (r) => !r.textContent.includes('demo bot'));
  assert.equal(await conversationId(page), null);
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
