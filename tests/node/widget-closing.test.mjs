// Ending a conversation and rating it, in real headless Chromium against the local server: the
// menu's "End conversation" asks first (Escape keeps it), then the conversation shows closed and,
// with `rating`, asks how it was; the rating is given by keyboard (arrows on the stars, a
// comment), sent as the `conversation_rating` action, heard by the page and thanked by the demo
// bot; a reload shows the conversation closed and rated; "Start a new conversation" starts one.
// A human agent leaving asks too (on a phone, by touch). axe finds nothing serious in each state,
// light and dark (the inline example: dark, Spanish). With `rating: thumbs` (the element's attribute), 👎 / 👍.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { widgetSuite, server, browser, inWidget, waitInWidget, axeWidget, say, conversationId } from './widget-kit.mjs';

widgetSuite();

/** `url` with the page's `end` and `rating` events and what it POSTs recorded. */
async function page(url, contextOptions = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 760 }, ...contextOptions });
  const p = await ctx.newPage();
  const posted = [];
  p.on('request', (r) => { if (r.method() === 'POST') posted.push(r.postData() || ''); });
  const errors = [];
  p.on('pageerror', (e) => errors.push(e.message));
  await p.goto(`${server.base}${url}`);
  await p.waitForFunction(() => window.CaptivateChat?.widgets?.length > 0);
  await p.evaluate(() => {
    window.__heard = [];
    for (const name of ['end', 'rating']) window.CaptivateChat.widgets[0].on(name, (e) => window.__heard.push([name, e]));
  });
  return { ctx, page: p, posted, errors };
}

const focused = (p) => inWidget(p, (r) => {
  const a = r.activeElement;
  return a ? `${a.tagName.toLowerCase()}${a.className ? `.${a.className.split(' ').join('.')}` : ''}${a.type ? `[${a.type}]` : ''}` : null;
});

test('the visitor ends the conversation after a confirmation, rates it by keyboard, and the page, the bot and a reload know it', async () => {
  const { ctx, page: p, posted, errors } = await page('/');
  await p.locator('.cc-launcher').first().click();
  await waitInWidget(p, (r) => r.textContent.includes('demo bot'));
  const id = await conversationId(p);
  assert.ok(id);

  // The menu's item asks first; Escape keeps the conversation and puts the focus back on the menu.
  await p.locator('.cc-menu-button').click();
  await p.getByRole('menuitem', { name: 'End conversation' }).click();
  await waitInWidget(p, (r) => r.querySelector('[role="alertdialog"]:not([hidden])') && r.activeElement?.classList.contains('cc-end-yes'));
  assert.deepEqual(await axeWidget(p), [], 'axe, the confirmation');
  await p.keyboard.press('Escape');
  await waitInWidget(p, (r) => r.querySelector('.cc-confirm').hidden && !r.querySelector('.cc-composer').closest('[hidden]') && r.activeElement?.classList.contains('cc-menu-button'));
  assert.ok(await inWidget(p, (r) => !!r.querySelector('.cc-panel')), 'the chat stays open');
  assert.ok(!posted.some((b) => b.includes('conversation_end')), 'not ended');

  // Ended: closed, the rating asked, the focus on its first star; the bot and the page hear it.
  await p.locator('.cc-menu-button').click();
  await p.getByRole('menuitem', { name: 'End conversation' }).click();
  await waitInWidget(p, (r) => r.activeElement?.classList.contains('cc-end-yes'));
  await p.keyboard.press('Enter');
  await waitInWidget(p, (r) => r.querySelector('.cc-ended:not([hidden])') && r.querySelector('.cc-survey') && r.querySelector('.cc-composer').closest('[hidden]'));
  await waitInWidget(p, (r) => r.activeElement?.name === 'cc-score');
  await p.waitForFunction(() => window.__heard.some(([n]) => n === 'end'));
  assert.deepEqual(await p.evaluate(() => window.__heard.find(([n]) => n === 'end')[1]), { conversationId: id });
  assert.ok(posted.some((b) => b.includes('"conversation_end"') && b.includes(id)), 'the bot hears the end');
  assert.deepEqual(await inWidget(p, (r) => [...r.querySelectorAll('.cc-star .cc-sr-only')].map((s) => s.textContent)), ['1 of 5', '2 of 5', '3 of 5', '4 of 5', '5 of 5']);
  assert.deepEqual(await axeWidget(p), [], 'axe, closed and asking');

  // By keyboard: Space picks the first star, the arrows move to the fourth; a comment; Send.
  await p.keyboard.press('Space');
  for (let i = 0; i < 3; i++) await p.keyboard.press('ArrowRight');
  assert.equal(await inWidget(p, (r) => r.querySelectorAll('.cc-star[data-on="true"]').length), 4);
  await p.keyboard.press('Tab');
  assert.equal(await focused(p), 'textarea.cc-survey-comment[textarea]');
  await p.keyboard.type('Quick and clear');
  await p.keyboard.press('Tab');
  await p.keyboard.press('Enter');
  await waitInWidget(p, (r) => r.querySelector('.cc-thanks')?.textContent === 'Thank you for your feedback!');
  await p.waitForFunction(() => window.__heard.some(([n]) => n === 'rating'));
  assert.deepEqual(await p.evaluate(() => window.__heard.find(([n]) => n === 'rating')[1]), { conversationId: id, score: 4, scale: 5, comment: 'Quick and clear' });
  await waitInWidget(p, (r) => r.textContent.includes('Thank you for rating this conversation 4 of 5'));
  const rated = posted.find((b) => b.includes('"conversation_rating"'));
  assert.ok(rated && rated.includes(id) && /"score":4/.test(rated) && /"scale":5/.test(rated), rated);

  // A reload shows it closed and rated (not asked again); the menu cannot end it twice.
  await p.reload();
  await p.locator('.cc-launcher').first().click();
  await waitInWidget(p, (r) => r.querySelector('.cc-ended:not([hidden])'));
  assert.equal(await inWidget(p, (r) => !!r.querySelector('.cc-survey')), false, 'rated once');
  await p.locator('.cc-menu-button').click();
  assert.equal(await p.getByRole('menuitem', { name: 'End conversation' }).count(), 0);
  await p.keyboard.press('Escape');

  // "Start a new conversation": the composer is back, in a new conversation.
  await p.getByRole('button', { name: 'Start a new conversation' }).click();
  await waitInWidget(p, (r) => !r.querySelector('.cc-ended:not([hidden])') && r.activeElement?.tagName === 'TEXTAREA');
  await p.waitForFunction((old) => {
    for (let i = 0; i < localStorage.length; i++) {
      const v = JSON.parse(localStorage.getItem(localStorage.key(i)) || 'null');
      if (v && v.conversationId && v.conversationId !== old) return true;
    }
    return false;
  }, id);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a human agent who leaves asks for a rating above the composer, on a phone by touch', async () => {
  const { ctx, page: p, posted, errors } = await page('/', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
  await p.locator('.cc-launcher').first().tap();
  await waitInWidget(p, (r) => r.textContent.includes('demo bot'));
  await say(p, 'agent');
  await waitInWidget(p, (r) => r.querySelector('.cc-agent'));
  await say(p, 'bye');
  await waitInWidget(p, (r) => r.querySelector('.cc-survey'));
  assert.ok(await inWidget(p, (r) => !!r.querySelector('.cc-composer')), 'the conversation goes on');
  const box = await inWidget(p, (r) => { const b = r.querySelector('.cc-survey').getBoundingClientRect(); return { left: b.left, right: b.right, bottom: b.bottom }; });
  assert.ok(box.left >= 0 && box.right <= 390 && box.bottom <= 844, JSON.stringify(box));
  await p.locator('.cc-star').nth(4).tap();
  assert.equal(await inWidget(p, (r) => r.querySelectorAll('.cc-star[data-on="true"]').length), 5);
  await p.getByRole('button', { name: 'Send rating' }).tap();
  await waitInWidget(p, (r) => r.querySelector('.cc-thanks'));
  await p.waitForFunction(() => window.__heard.some(([n, e]) => n === 'rating' && e.score === 5 && !('comment' in e)));
  assert.ok(posted.some((b) => b.includes('"conversation_rating"') && /"score":5/.test(b)));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the inline example (dark, Spanish) ends and rates in Spanish, and axe finds nothing serious in the dark', async () => {
  const { ctx, page: p, errors } = await page('/embed/inline.html');
  await waitInWidget(p, (r) => r?.textContent.includes('demo bot'));
  await p.locator('.cc-menu-button').click();
  await p.getByRole('menuitem', { name: 'Terminar la conversación' }).click();
  await waitInWidget(p, (r) => r.activeElement?.classList.contains('cc-end-yes'));
  assert.equal(await inWidget(p, (r) => r.querySelector('.cc-end-yes').textContent.trim()), 'Terminar');
  assert.deepEqual(await axeWidget(p), [], 'axe, dark, the confirmation');
  await p.locator('.cc-end-yes').click();
  await waitInWidget(p, (r) => r.querySelector('.cc-survey-question')?.textContent === '¿Qué tal fue esta conversación?');
  assert.deepEqual(await axeWidget(p), [], 'axe, dark, asking');
  assert.equal(await inWidget(p, (r) => r.querySelector('.cc-ended button').textContent.trim()), 'Empezar una conversación nueva');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('thumbs (rating: thumbs, through the element\'s attribute): 👍 is 2 of 2, by keyboard; axe finds nothing serious', async () => {
  const { ctx, page: p, posted, errors } = await page('/embed/element.html');
  // The demo's element asks with thumbs already; set again, the attribute changes nothing.
  await p.evaluate(() => document.querySelector('captivate-chat').setAttribute('rating', 'thumbs'));
  await p.waitForFunction(() => window.CaptivateChat.widgets.length === 1);
  await p.evaluate(() => {
    window.ratings = [];
    window.CaptivateChat.widgets[0].on('rating', (e) => window.ratings.push(e));
  });
  await p.locator('textarea').first().focus();
  await p.keyboard.type('hello');
  await p.keyboard.press('Enter');
  await waitInWidget(p, (r) => r.textContent.includes('You said: “hello”'));
  await p.locator('.cc-menu-button').click();
  await p.getByRole('menuitem', { name: 'End conversation' }).click();
  await waitInWidget(p, (r) => r.activeElement?.classList.contains('cc-end-yes'));
  await p.keyboard.press('Enter');
  await waitInWidget(p, (r) => r.querySelector('.cc-survey'));
  assert.deepEqual(await inWidget(p, (r) => [...r.querySelectorAll('.cc-thumb .cc-sr-only')].map((s) => s.textContent)), ['Not good', 'Good']);
  assert.deepEqual(await axeWidget(p), [], 'axe, thumbs');
  // By keyboard: the focus comes to the first thumb; the arrow to the second, then send.
  await waitInWidget(p, (r) => r.activeElement?.name === 'cc-score');
  await p.keyboard.press('ArrowRight');
  assert.deepEqual(await inWidget(p, (r) => [...r.querySelectorAll('.cc-thumb')].map((t) => t.dataset.on)), ['false', 'true']);
  await p.getByRole('button', { name: 'Send rating' }).click();
  await p.waitForFunction(() => window.ratings.length === 1);
  const [rating] = await p.evaluate(() => window.ratings);
  assert.equal(rating.score, 2);
  assert.equal(rating.scale, 2);
  assert.ok(posted.some((b) => b.includes('"conversation_rating"') && /"score":2/.test(b) && /"scale":2/.test(b)));
  await waitInWidget(p, (r) => r.textContent.includes('Thank you for rating this conversation 2 of 2'));
  assert.deepEqual(errors, []);
  await ctx.close();
});
