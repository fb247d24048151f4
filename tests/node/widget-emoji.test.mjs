// The emoji picker (data-emoji), in real headless Chromium against the local server, on the
// demo's www/embed/languages.html: a button in the composer opens the common emoji in eight
// categories (its table, in the widget's language, fetched on the first opening); a choice
// goes in at the caret, by pointer and by keyboard (search, arrows, Escape back to the button);
// searching by name in Japanese and in Arabic; on a phone, in dark, axe finds nothing serious; a table that
// cannot load says so and the next opening tries again; off by default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { widgetSuite, server, browser, inWidget, waitInWidget, axeWidget } from './widget-kit.mjs';

widgetSuite();

async function open(query, contextOptions = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 760 }, ...contextOptions });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.base}/embed/languages.html?open&${query}`);
  await waitInWidget(page, (r) => r?.querySelector('.cc-panel textarea'));
  return { ctx, page, errors };
}

const picker = (page) => inWidget(page, (r) => {
  const dialog = r.querySelector('.cc-emoji');
  return {
    expanded: r.querySelector('.cc-emoji-button').getAttribute('aria-expanded'),
    shown: !!dialog && !dialog.hidden && dialog.checkVisibility(),
    emoji: r.querySelectorAll('.cc-emoji-grid button').length,
    focused: r.activeElement?.className || r.activeElement?.getAttribute('aria-label') || null,
    status: r.querySelector('.cc-emoji-status')?.textContent ?? null,
  };
});
const area = (page) => inWidget(page, (r) => {
  const a = r.querySelector('textarea');
  return { value: a.value, caret: a.selectionStart, focused: r.activeElement === a, send: !r.querySelector('.cc-send').disabled };
});

test('by pointer: the picker opens on its categories, a choice goes in at the caret and the picker closes', async () => {
  const { ctx, page, errors } = await open('locale=en');
  await page.locator('textarea').first().click();
  await page.keyboard.type('Hi  there');
  for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowLeft');
  await page.getByRole('button', { name: 'Emoji', exact: true }).click();
  await waitInWidget(page, (r) => r.querySelectorAll('.cc-emoji-grid button').length > 500);
  const opened = await picker(page);
  assert.equal(opened.expanded, 'true');
  assert.ok(opened.shown);
  assert.equal(opened.focused, 'cc-emoji-search', 'the search takes the focus');
  assert.deepEqual(await inWidget(page, (r) => [...r.querySelectorAll('.cc-emoji-cats button')].map((b) => b.getAttribute('aria-label'))),
    ['Smileys & emotion', 'People & body', 'Animals & nature', 'Food & drink', 'Activities', 'Travel & places', 'Objects', 'Symbols']);
  // A category's button leads to its first emoji.
  await page.getByRole('button', { name: 'Food & drink' }).click();
  assert.equal(await inWidget(page, (r) => r.activeElement?.textContent), '🍏');
  // A press on an emoji keeps the focus where it was, the picker open (Safari focuses no pressed
  // button: the focus leaving the picker for nothing would close it before the click), and the
  // click puts the emoji in.
  const grinning = page.getByRole('button', { name: 'grinning face', exact: true });
  await grinning.scrollIntoViewIfNeeded();
  const box = await grinning.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  assert.equal(await inWidget(page, (r) => r.activeElement?.textContent), '🍏');
  assert.ok((await picker(page)).shown);
  await page.mouse.up();
  assert.deepEqual(await area(page), { value: 'Hi 😀 there', caret: 5, focused: true, send: true });
  assert.equal((await picker(page)).shown, false);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('by keyboard: Enter opens it on the search, typing filters, ArrowDown and the arrows pick, Enter inserts; Escape goes back to the button and leaves the chat open', async () => {
  const { ctx, page, errors } = await open('locale=en');
  await page.locator('textarea').first().focus();
  await page.keyboard.type('ab');
  await page.keyboard.press('ArrowLeft');
  await inWidget(page, (r) => r.querySelector('.cc-emoji-button').focus());
  await page.keyboard.press('Enter');
  await waitInWidget(page, (r) => r.activeElement?.className === 'cc-emoji-search' && r.querySelectorAll('.cc-emoji-grid button').length > 500);
  await page.keyboard.type('heart');
  const found = await inWidget(page, (r) => [...r.querySelectorAll('.cc-emoji-grid button')].map((b) => b.getAttribute('aria-label')));
  assert.ok(found.length >= 10 && found.length < 60, `${found.length} found`);
  assert.ok(found.every((n) => /heart/i.test(n) || n.length > 0));
  await page.keyboard.press('ArrowDown');
  const first = await inWidget(page, (r) => r.activeElement?.getAttribute('aria-label'));
  assert.equal(first, found[0]);
  await page.keyboard.press('ArrowRight');
  assert.equal(await inWidget(page, (r) => r.activeElement?.getAttribute('aria-label')), found[1]);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Enter');
  const chosen = await inWidget(page, (r) => r.querySelector('textarea').value);
  assert.match(chosen, /^a.+b$/u, chosen);
  assert.equal((await area(page)).focused, true);
  // Again, and Escape: back on the button, the picker closed, the chat still open.
  await inWidget(page, (r) => r.querySelector('.cc-emoji-button').focus());
  await page.keyboard.press('Enter');
  await waitInWidget(page, (r) => r.activeElement?.className === 'cc-emoji-search');
  assert.equal(await inWidget(page, (r) => r.querySelector('.cc-emoji-search').value), '', 'a new search each time');
  await page.keyboard.press('Escape');
  const closed = await picker(page);
  assert.equal(closed.shown, false);
  assert.equal(closed.expanded, 'false');
  assert.equal(await inWidget(page, (r) => r.activeElement?.classList.contains('cc-emoji-button')), true);
  assert.equal(await inWidget(page, (r) => !!r.querySelector('.cc-panel') && r.querySelector('.cc-panel').checkVisibility()), true);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('in Japanese, dark, on a phone: names and search in Japanese, the picker within the screen, axe clean', async () => {
  const { ctx, page, errors } = await open('locale=ja&theme=dark',
    { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true, colorScheme: 'dark' });
  await page.getByRole('button', { name: '絵文字', exact: true }).tap();
  await waitInWidget(page, (r) => r.querySelectorAll('.cc-emoji-grid button').length > 500);
  assert.equal(await inWidget(page, (r) => r.querySelector('.cc-emoji-cats button').getAttribute('aria-label')), 'スマイリーと感情');
  assert.equal(await inWidget(page, (r) => r.querySelector('.cc-emoji-grid button').getAttribute('aria-label')), 'にっこり笑う');
  const box = await inWidget(page, (r) => { const b = r.querySelector('.cc-emoji').getBoundingClientRect(); return [b.left, b.right, b.top, b.bottom]; });
  assert.ok(box[0] >= 0 && box[1] <= 390 && box[2] >= 0 && box[3] <= 844, JSON.stringify(box));
  assert.deepEqual(await axeWidget(page), [], 'axe, the picker open');
  await page.locator('.cc-emoji-search').first().fill('猫');
  await waitInWidget(page, (r) => r.querySelectorAll('.cc-emoji-grid button').length < 20);
  const cats = await inWidget(page, (r) => [...r.querySelectorAll('.cc-emoji-grid button')].map((b) => b.textContent));
  assert.ok(cats.includes('🐱'), cats.join(''));
  await page.locator('.cc-emoji-search').first().fill('zzzz');
  await waitInWidget(page, (r) => r.querySelector('.cc-emoji-status').textContent === '絵文字が見つかりません');
  assert.deepEqual(await axeWidget(page), [], 'axe, nothing found');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('in Arabic, right to left: names and search in Arabic (every language of the widget has its own)', async () => {
  const { ctx, page, errors } = await open('locale=ar');
  await page.locator('.cc-emoji-button').first().click();
  await waitInWidget(page, (r) => r.querySelectorAll('.cc-emoji-grid button').length > 500);
  assert.equal(await inWidget(page, (r) => r.querySelector('.cc-emoji-grid button').getAttribute('aria-label')), 'وجه بابتسامة عريضة');
  await page.keyboard.type('قلب');
  await waitInWidget(page, (r) => r.querySelectorAll('.cc-emoji-grid button').length < 40);
  const hearts = await inWidget(page, (r) => [...r.querySelectorAll('.cc-emoji-grid button')].map((b) => [b.textContent, b.getAttribute('aria-label')]));
  assert.ok(hearts.some(([e, name]) => e === '❤️' && name === 'قلب أحمر'), JSON.stringify(hearts));
  assert.deepEqual(await axeWidget(page), [], 'axe, Arabic, a search');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a table that cannot load says so; the next opening tries again; off by default there is no button', async () => {
  const { ctx, page, errors } = await open('locale=en');
  let refuse = true;
  await ctx.route(/captivate-emoji-en\.\w+\.json$/, (route) => (refuse ? route.fulfill({ status: 503, body: 'busy' }) : route.continue()));
  await page.getByRole('button', { name: 'Emoji', exact: true }).click();
  await waitInWidget(page, (r) => r.querySelector('.cc-emoji-status').textContent.includes('could not load'));
  assert.equal((await picker(page)).emoji, 0);
  await page.keyboard.press('Escape');
  refuse = false;
  await page.getByRole('button', { name: 'Emoji', exact: true }).click();
  await waitInWidget(page, (r) => r.querySelectorAll('.cc-emoji-grid button').length > 500);
  assert.equal((await picker(page)).status, '');
  assert.deepEqual(errors, []);
  await ctx.close();
  const off = await open('locale=en&emoji=off');
  assert.equal(await inWidget(off.page, (r) => r.querySelector('.cc-emoji-button')), null);
  await off.ctx.close();
});
