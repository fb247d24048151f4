// "Ask about this" (askAboutSelection; the demo page sets data-ask-about-selection), in real
// headless Chromium against the local server: text the visitor selects on the page offers a
// button beside it; a click (or Enter on it) opens the chat with the text quoted in the
// composer, focused, and nothing is sent until the visitor sends; text selected in the
// widget offers nothing; Escape and a scroll hide it; axe finds nothing serious.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { widgetSuite, visit, inWidget, waitInWidget, axeWidget } from './widget-kit.mjs';

widgetSuite();

async function demo() {
  const v = await visit('/');
  v.posted = [];
  v.page.on('request', (r) => { if (r.method() === 'POST') v.posted.push(r.postData() || ''); });
  // The widget's part (which holds the button) loads when the page is idle.
  await v.page.evaluate(() => window.CaptivateChat.widgets[0].ready.then(() => true));
  return v;
}

const askShown = (page) => inWidget(page, (r) => { const b = r.querySelector('.cc-ask'); return !!b && !b.hidden; });

test('a selection on the page offers "Ask about this"; a click opens the chat with it quoted, nothing sent until the visitor sends', async () => {
  const { page, ctx, errors, posted } = await demo();
  const paragraph = page.locator('main p').first();
  await paragraph.click({ clickCount: 3 });
  await waitInWidget(page, (r) => r.querySelector('.cc-ask:not([hidden])'));
  const ask = page.locator('.cc-ask');
  assert.equal(await ask.textContent(), 'Ask about this');
  const [button, text] = [await ask.boundingBox(), await paragraph.boundingBox()];
  assert.ok(button.y >= text.y && button.y < text.y + text.height + 60, `beside the selection: ${JSON.stringify([button, text])}`);
  assert.deepEqual(await axeWidget(page), [], 'axe, the button shown');
  const sentBefore = posted.length;

  await ask.click();
  await waitInWidget(page, (r) => r.querySelector('.cc-panel textarea'));
  const draft = await inWidget(page, (r) => r.querySelector('textarea').value);
  assert.match(draft, /^> This page talks to the local Captivate-compatible server\./);
  assert.ok(draft.endsWith('\n\n'));
  assert.equal(await inWidget(page, (r) => r.activeElement?.localName), 'textarea', 'the composer has the focus');
  assert.equal(await askShown(page), false);
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(!posted.slice(sentBefore).some((b) => b.includes('This page talks')), 'the quote is not sent');

  await page.keyboard.type('What server is this?');
  await page.keyboard.press('Enter');
  await waitInWidget(page, (r) => r.textContent.includes('What server is this?'));
  await page.waitForFunction(() => true);
  await new Promise((r) => setTimeout(r, 300));
  const sent = posted.filter((b) => b.includes('"user_message"')).map((b) => JSON.stringify(JSON.parse(b).event.event_payload));
  assert.ok(sent.some((b) => b.includes('> This page talks to') && b.includes('What server is this?')), sent.join('\n'));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('by keyboard, Escape and scrolling; nothing for text selected in the widget', async () => {
  const { page, ctx, errors } = await demo();
  await page.locator('main p').nth(1).click({ clickCount: 3 });
  await waitInWidget(page, (r) => r.querySelector('.cc-ask:not([hidden])'));
  await page.locator('.cc-ask').focus();
  await page.keyboard.press('Escape');
  await waitInWidget(page, (r) => r.querySelector('.cc-ask').hidden);

  // A window short enough for the page to scroll.
  await page.setViewportSize({ width: 1100, height: 320 });
  await page.locator('main p').nth(1).click({ clickCount: 3 });
  await waitInWidget(page, (r) => r.querySelector('.cc-ask:not([hidden])'));
  await page.mouse.move(300, 100);
  await page.mouse.wheel(0, 120);
  await waitInWidget(page, (r) => r.querySelector('.cc-ask').hidden);

  await page.setViewportSize({ width: 1100, height: 760 });
  await page.locator('main p').nth(1).click({ clickCount: 3 });
  await waitInWidget(page, (r) => r.querySelector('.cc-ask:not([hidden])'));
  await page.locator('.cc-ask').focus();
  await page.keyboard.press('Enter');
  await waitInWidget(page, (r) => r.querySelector('textarea')?.value.startsWith('> '));

  // Text of the widget's own (a bot message) offers nothing.
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  await page.locator('.cc-bot .cc-text').first().click({ clickCount: 3 });
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await askShown(page), false);
  assert.deepEqual(errors, []);
  await ctx.close();
});
