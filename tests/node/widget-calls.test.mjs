// Calling the visitor back, in real headless Chromium against the local server: the tab's title
// counts the bot's messages while the panel is closed or the tab hidden and is restored as it
// was (or as the page set it meanwhile); the chime (Web Audio) plays then and can be muted from
// the panel's menu, which keeps the choice; system notifications are asked for only from the
// menu, never on load; the conversation downloads as a text file; the menu works by keyboard and
// axe finds nothing serious with it open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { widgetSuite, server, browser, root, inWidget, waitInWidget, conversationId } from './widget-kit.mjs';

widgetSuite();

/** A page of the demo (sound and notifications on) whose Web Audio and Notification calls are counted (the real ones run). */
async function demo({ permissions = [] } = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 760 }, permissions });
  const page = await ctx.newPage();
  await page.addInitScript(() => {
    window.__tones = 0;
    window.__notes = [];
    window.__asked = 0;
    const RealAudio = window.AudioContext;
    window.AudioContext = class extends RealAudio {
      createOscillator() { window.__tones += 1; return super.createOscillator(); }
    };
    const RealNote = window.Notification;
    const Note = function (title, options) { window.__notes.push({ title, body: options && options.body }); return new RealNote(title, options); };
    Object.defineProperty(Note, 'permission', { get: () => RealNote.permission });
    Note.requestPermission = (...a) => { window.__asked += 1; return RealNote.requestPermission(...a); };
    window.Notification = Note;
    // The tab hidden or shown, as the browser says it (a test cannot switch tabs).
    window.__setHidden = (hidden) => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
      document.dispatchEvent(new Event('visibilitychange'));
    };
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.base}/`);
  return { ctx, page, errors };
}

const rawTitle = (page) => page.evaluate(() => document.querySelector('title').textContent);
const launcher = (page) => page.locator('.cc-launcher').first();

test('the tab\'s title counts what the visitor missed and comes back as it was; the chime plays then, and the menu mutes it for good', async () => {
  const { ctx, page, errors } = await demo();
  const own = await rawTitle(page);
  // Real presses: the first one lets the page play sound.
  await launcher(page).click();
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  const id = await conversationId(page);
  await launcher(page).click();
  await waitInWidget(page, (r) => !r.querySelector('.cc-panel'));
  const tonesBefore = await page.evaluate(() => window.__tones);

  await server.fault('burst', { conversation_id: id, count: 2 });
  await page.waitForFunction((t) => document.querySelector('title').textContent === `(2) ${t}`, own);
  await page.waitForFunction((n) => window.__tones >= n + 1, tonesBefore);
  // The page changes its own title meanwhile: the count goes in front of the new one, which stays.
  await page.evaluate(() => { document.title = 'Checkout — Shop'; });
  await server.fault('burst', { conversation_id: id, count: 1 });
  await page.waitForFunction(() => document.querySelector('title').textContent === '(3) Checkout — Shop');
  await launcher(page).click();
  await page.waitForFunction(() => document.querySelector('title').textContent === 'Checkout — Shop');

  // The panel open but the tab hidden: away too; back when the tab is shown.
  await page.evaluate(() => window.__setHidden(true));
  await server.fault('burst', { conversation_id: id, count: 1 });
  await page.waitForFunction(() => document.querySelector('title').textContent === '(1) Checkout — Shop');
  await page.evaluate(() => window.__setHidden(false));
  await page.waitForFunction(() => document.querySelector('title').textContent === 'Checkout — Shop');

  // Muted from the menu, by keyboard: no chime, and the choice survives a reload.
  await page.locator('.cc-menu-button').focus();
  await page.keyboard.press('Enter');
  await waitInWidget(page, (r) => r.activeElement?.getAttribute('role') === 'menuitemcheckbox' && r.activeElement.textContent.includes('Sound'));
  assert.equal(await inWidget(page, (r) => r.activeElement.getAttribute('aria-checked')), 'true');
  await page.keyboard.press('Enter');
  await waitInWidget(page, (r) => r.activeElement?.classList.contains('cc-menu-button') && r.querySelector('.cc-menu').hidden);
  const tonesMuted = await page.evaluate(() => window.__tones);
  await launcher(page).click();
  await server.fault('burst', { conversation_id: id, count: 1 });
  await page.waitForFunction(() => document.querySelector('title').textContent === '(1) Checkout — Shop');
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__tones), tonesMuted, 'muted');
  await page.reload();
  await launcher(page).click();
  await inWidget(page, (r) => r.querySelector('.cc-menu-button').click());
  assert.equal(await waitInWidget(page, (r) => r.querySelector('[role=menuitemcheckbox]')?.getAttribute('aria-checked')), 'false');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('system notifications are asked for only from the menu, and then say what the bot wrote while the tab was hidden', async () => {
  // Never on load, nor on opening the chat.
  const first = await demo();
  await launcher(first.page).click();
  await waitInWidget(first.page, (r) => r.textContent.includes('demo bot'));
  assert.equal(await first.page.evaluate(() => window.__asked), 0);
  await first.ctx.close();

  const { ctx, page, errors } = await demo({ permissions: ['notifications'] });
  await launcher(page).click();
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  const id = await conversationId(page);
  await inWidget(page, (r) => r.querySelector('.cc-menu-button').click());
  await inWidget(page, (r) => [...r.querySelectorAll('[role=menuitemcheckbox]')].find((b) => b.textContent.includes('Notify')).click());
  await inWidget(page, (r) => r.querySelector('.cc-menu-button').click());
  assert.equal(await waitInWidget(page, (r) => [...r.querySelectorAll('[role=menuitemcheckbox]')].find((b) => b.textContent.includes('Notify'))?.getAttribute('aria-checked')), 'true');
  // Visible: the panel is enough; hidden: a notification names the chat and says the message.
  await server.fault('burst', { conversation_id: id, count: 1 });
  await waitInWidget(page, (r) => r.textContent.includes('Burst message 1 of 1'));
  assert.deepEqual(await page.evaluate(() => window.__notes), []);
  await page.evaluate(() => window.__setHidden(true));
  await server.fault('burst', { conversation_id: id, count: 1 });
  await page.waitForFunction(() => window.__notes.length === 1);
  const [note] = await page.evaluate(() => window.__notes);
  assert.equal(note.title, 'Captivate demo');
  assert.match(note.body, /Burst message 1 of 1/);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the conversation downloads as a text file with who wrote what and when; the menu passes axe in light and dark', async () => {
  const { ctx, page, errors } = await demo();
  await launcher(page).click();
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  await inWidget(page, (r) => {
    const area = r.querySelector('textarea');
    area.value = 'hello there';
    area.dispatchEvent(new Event('input', { bubbles: true }));
    area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  });
  await waitInWidget(page, (r) => r.textContent.includes('You said: “hello there”'));
  await page.locator('.cc-menu-button').click();
  // A press on an item keeps the focus on the item it was on and the menu open (Safari focuses no
  // pressed button: the focus leaving the menu for nothing would close it before the click).
  const focused = () => inWidget(page, (r) => r.activeElement?.textContent.trim());
  const first = await focused();
  assert.doesNotMatch(first, /Download/);
  const box = await page.locator('.cc-menu-item', { hasText: 'Download' }).boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  assert.equal(await focused(), first);
  assert.equal(await inWidget(page, (r) => r.querySelector('.cc-menu').hidden), false);
  const [download] = await Promise.all([page.waitForEvent('download'), page.mouse.up()]);
  assert.match(download.suggestedFilename(), /^conversation-\d{4}-\d{2}-\d{2}\.txt$/);
  const text = await (await import('node:fs/promises')).readFile(await download.path(), 'utf8');
  const lines = text.trim().split('\n');
  assert.match(lines[0], /^Captivate demo — Conversation of /);
  assert.ok(lines.some((l) => /^\[.+\] You: hello there$/.test(l)), text);
  assert.ok(lines.some((l) => /^\[.+\] Bot: You said: “hello there”/.test(l)), text);

  // axe with the menu open: the demo (light), and the inline example (dark, Spanish).
  const axe = async (p) => {
    await p.addScriptTag({ path: path.join(root, 'node_modules', 'axe-core', 'axe.min.js') });
    await p.locator('.cc-menu-button').click();
    await waitInWidget(p, (r) => !r.querySelector('.cc-menu').hidden);
    return p.evaluate(async () => {
      const r = await window.axe.run({ include: [['[data-captivate-chat]']] }, { resultTypes: ['violations'] });
      return r.violations.filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
  };
  assert.deepEqual(await axe(page), [], 'light');
  // Escape closes the menu (not the chat) and gives the focus back to its button.
  await page.keyboard.press('Escape');
  await waitInWidget(page, (r) => r.querySelector('.cc-menu').hidden && r.querySelector('.cc-panel') && r.activeElement?.classList.contains('cc-menu-button'));
  const inline = await ctx.newPage();
  await inline.goto(`${server.base}/embed/inline.html`);
  await waitInWidget(inline, (r) => r?.querySelector('.cc-menu-button'));
  assert.equal(await inWidget(inline, (r) => r.querySelector('.cc-menu-button').getAttribute('aria-label')), 'Más opciones');
  assert.deepEqual(await axe(inline), [], 'dark, Spanish');
  assert.deepEqual(errors, []);
  await ctx.close();
});
