// The demo's custom element page (www/embed/element.html), served from dist/ with the local
// server: <captivate-chat inline> defined by the embed tag's data-element; the visitor
// chats in it; its events bubble to the page's log; a changed attribute (theme) mounts it
// again, dark; a move keeps the same chat; axe finds nothing serious, light and dark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { widgetSuite, visit, inWidget, waitInWidget, axeWidget } from './widget-kit.mjs';

widgetSuite();

test('the element page: chat inline, events logged, theme changed by attribute, moved and kept, axe clean', async () => {
  const { page, errors, ctx } = await visit('/embed/element.html');
  await waitInWidget(page, (r) => r?.querySelector('.cc-panel.cc-inline'));
  assert.deepEqual(await axeWidget(page), [], 'axe, light');
  await page.locator('textarea').first().focus();
  await page.keyboard.type('hello element');
  await page.keyboard.press('Enter');
  await waitInWidget(page, (r) => r.textContent.includes('You said: “hello element”'));
  await page.waitForFunction(() => [...document.querySelectorAll('#log li')].some((li) => li.textContent.startsWith('captivate-message: {"from":"bot"')));
  assert.ok(await page.evaluate(() => [...document.querySelectorAll('#log li')].some((li) => li.textContent === 'captivate-connection: "online"')));

  // Moved by the page: the same widget, the same conversation.
  const before = await page.evaluateHandle(() => document.querySelector('[data-captivate-chat]'));
  await page.getByRole('button', { name: 'Move the element' }).click();
  assert.equal(await page.evaluate(() => document.querySelector('captivate-chat').parentElement.id), 'second');
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(await page.evaluate((h) => h.isConnected && document.querySelectorAll('[data-captivate-chat]').length === 1, before));
  assert.ok(await inWidget(page, (r) => r.textContent.includes('hello element')));

  // A changed attribute: mounted again with it, the conversation resumed from storage.
  await page.getByRole('button', { name: 'Switch to dark' }).click();
  await page.waitForFunction(() => document.querySelector('[data-captivate-chat]')?.classList.contains('cc-dark'));
  assert.equal(await page.evaluate(() => document.querySelectorAll('[data-captivate-chat]').length), 1);
  // The page's list of widgets (for CaptivateChat.reset()) holds the new one, not the old.
  assert.equal(await page.evaluate(() => window.CaptivateChat.widgets.length), 1);
  await waitInWidget(page, (r) => r.textContent.includes('hello element'));
  assert.deepEqual(await axeWidget(page), [], 'axe, dark');
  assert.deepEqual(errors, []);
  await ctx.close();
});
