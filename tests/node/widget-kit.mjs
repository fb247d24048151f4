// What the widget's browser tests share (tests/node/widget-*.test.mjs): the local server
// serving dist/ and one headless Chromium for a test file (`widgetSuite()` starts and stops
// them), and the visitor's ways in: open a page, run code in a widget's shadow root, open
// the chat, say something, read the messages.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launch, storedConversation } from './harness.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const shots = path.join(root, 'docs', 'screenshots');
/** The local server and the browser of the running test file (set by `widgetSuite()`). */
export let server;
export let browser;

/** Starts the local server (serving dist/) and Chromium before the file's tests, and stops them after. */
export function widgetSuite() {
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
}

/** Opens a page and records script errors, CSP violations and alert()-style calls. */
export async function visit(url, { viewport = { width: 1100, height: 760 }, context } = {}) {
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
export const inWidget = (page, fn, arg, n = 0) =>
  page.evaluate(([src, a, i]) => {
    const host = document.querySelectorAll('[data-captivate-chat]')[i];
    return new Function('root', 'arg', `return (${src})(root, arg);`)(host && host.shadowRoot, a);
  }, [fn.toString(), arg, n]);

export const waitInWidget = async (page, fn, arg, n = 0, ms = 10000) => {
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

export async function openChat(page, n = 0) {
  await waitInWidget(page, (r) => r && r.querySelector('.cc-launcher'), null, n);
  await inWidget(page, (r) => r.querySelector('.cc-launcher').click(), null, n);
  await waitInWidget(page, (r) => r.querySelector('.cc-panel'), null, n);
}

export async function say(page, text, n = 0) {
  await inWidget(page, (r, t) => {
    const area = r.querySelector('textarea');
    area.value = t;
    area.dispatchEvent(new Event('input', { bubbles: true }));
    area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  }, text, n);
}

export const texts = (page, n = 0) => inWidget(page, (r) => [...r.querySelectorAll('.cc-msg')].map((m) => m.textContent), null, n);

export const conversationId = storedConversation;

/** The serious and critical axe-core violations inside the page's widgets, one line each. */
export async function axeWidget(page) {
  await page.addScriptTag({ path: path.join(root, 'node_modules', 'axe-core', 'axe.min.js') });
  return page.evaluate(async () => {
    const r = await window.axe.run({ include: [['[data-captivate-chat]']] }, { resultTypes: ['violations'] });
    return r.violations.filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}
