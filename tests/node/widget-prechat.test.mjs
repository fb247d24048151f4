// Who the visitor is, in real headless Chromium against the local server, through
// www/embed/prechat.html (its options from the address): the pre-chat form asks before the
// first conversation starts, checks what is typed (an alert says the first problem, its field
// marked and focused), sends it as the conversation's userBasicInfo and is not asked again; a
// page that knows its user (user: { name, email }) sends that and shows no form; in Spanish,
// dark, on a phone, every field required. axe finds nothing serious in the form's states.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { widgetSuite, server, browser, inWidget, waitInWidget, axeWidget } from './widget-kit.mjs';

widgetSuite();

async function prechatPage(query, contextOptions = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 760 }, ...contextOptions });
  const page = await ctx.newPage();
  const posted = [];
  page.on('request', (r) => { if (r.method() === 'POST') posted.push(r.postData() || ''); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.base}/embed/prechat.html?${query}`);
  await waitInWidget(page, (r) => r?.querySelector('.cc-launcher'));
  return { ctx, page, posted, errors };
}

/** The userBasicInfo of every conversation started. */
const starts = (posted) => posted.filter((b) => b.includes('"conversation_start"')).map((b) => JSON.parse(b).event.event_payload.userBasicInfo);

const problem = (page) => inWidget(page, (r) => [r.querySelector('[role="alert"]')?.textContent ?? '',
  r.activeElement?.getAttribute('name') ?? null, r.activeElement?.getAttribute('aria-invalid') ?? null]);

test('the form asks before the first conversation, checks what is typed, sends it as userBasicInfo, and is not asked again', async () => {
  const { ctx, page, posted, errors } = await prechatPage('');
  await page.locator('.cc-launcher').first().click();
  await waitInWidget(page, (r) => r.querySelector('.cc-prechat') && r.querySelector('.cc-composer').closest('[hidden]'));
  assert.deepEqual(starts(posted), [], 'nothing started before the form');
  // A message the page sends meanwhile waits for the form.
  await page.evaluate(() => window.CaptivateChat.widgets[0].sendMessage('hello from the page'));
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(!posted.some((b) => b.includes('hello from the page')), 'not sent before the form');
  assert.deepEqual(await inWidget(page, (r) => [...r.querySelectorAll('.cc-field span')].map((s) => s.textContent)), ['Name (optional)', 'Email']);
  assert.deepEqual(await axeWidget(page), [], 'axe, the form');

  // By keyboard: a name, no address, Enter.
  await page.locator('.cc-prechat input[name=name]').focus();
  await page.keyboard.type('Ana');
  await page.keyboard.press('Enter');
  await waitInWidget(page, (r) => r.querySelector('[role="alert"]').textContent !== '');
  assert.deepEqual(await problem(page), ['Enter your email address.', 'email', 'true']);
  await page.keyboard.type('ana@');
  await page.keyboard.press('Enter');
  await waitInWidget(page, (r) => r.querySelector('[role="alert"]').textContent.includes('like'));
  assert.deepEqual(await problem(page), ['Enter an email address like name@example.com.', 'email', 'true']);
  assert.deepEqual(await axeWidget(page), [], 'axe, a field marked invalid');
  await page.keyboard.type('example.com');
  await page.keyboard.press('Enter');
  await waitInWidget(page, (r) => !r.querySelector('.cc-prechat') && r.textContent.includes('demo bot'));
  assert.deepEqual(starts(posted), [{ name: 'Ana', email: 'ana@example.com' }]);
  await waitInWidget(page, (r) => r.textContent.includes('You said: “hello from the page”'));
  assert.equal(posted.filter((b) => b.includes('hello from the page')).length, 1, 'sent once, after it');

  // Not asked again: after a reload, a new conversation starts with the same words at once.
  await page.reload();
  await page.locator('.cc-launcher').first().click();
  await waitInWidget(page, (r) => r.querySelector('.cc-panel') && r.textContent.includes('demo bot'));
  await page.getByRole('button', { name: 'New conversation' }).click();
  await waitInWidget(page, (r) => !r.querySelector('.cc-prechat') && r.querySelectorAll('.cc-bot').length >= 1);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await inWidget(page, (r) => !!r.querySelector('.cc-prechat')), false);
  const all = starts(posted);
  assert.ok(all.length >= 2, JSON.stringify(all));
  assert.deepEqual(all.at(-1), { name: 'Ana', email: 'ana@example.com' });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the first field takes the focus when the visitor opens the chat (keyboard, pointer), not when the page opens it', async () => {
  for (const how of ['keyboard', 'pointer', 'page']) {
    const { ctx, page, errors } = await prechatPage(`key=focus-${how}`);
    await page.evaluate(() => window.CaptivateChat.widgets[0].ready);
    if (how === 'keyboard') {
      await page.locator('.cc-launcher').first().focus();
      await page.keyboard.press('Enter');
    } else if (how === 'pointer') {
      await page.locator('.cc-launcher').first().click();
    } else {
      await page.evaluate(() => window.CaptivateChat.widgets[0].open());
    }
    await waitInWidget(page, (r) => r.querySelector('.cc-prechat input'));
    if (how === 'page') {
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(await inWidget(page, (r) => r.activeElement), null, 'the page keeps its focus');
    } else {
      await waitInWidget(page, (r) => r.activeElement?.getAttribute('name') === 'name');
      await page.keyboard.type('Kim');
      assert.equal(await inWidget(page, (r) => r.querySelector('input[name=name]').value), 'Kim', how);
    }
    assert.deepEqual(errors, []);
    await ctx.close();
  }
});

test('destroy() while the form waits: the widget goes, no conversation starts, nothing throws', async () => {
  const { ctx, page, posted, errors } = await prechatPage('key=gone');
  await page.locator('.cc-launcher').first().click();
  await waitInWidget(page, (r) => r.querySelector('.cc-prechat'));
  await page.evaluate(() => window.CaptivateChat.widgets[0].destroy());
  await page.waitForFunction(() => document.querySelectorAll('[data-captivate-chat]').length === 0);
  await new Promise((r) => setTimeout(r, 1500));
  assert.deepEqual(starts(posted), []);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a page that knows its user sends it and shows no form (CaptivateChat.init user)', async () => {
  const { ctx, page, posted, errors } = await prechatPage('init&key=known&name=Bo%20Lee&email=bo%40example.com');
  await page.locator('.cc-launcher').first().click();
  await waitInWidget(page, (r) => r.querySelector('.cc-panel') && r.textContent.includes('demo bot'));
  assert.equal(await inWidget(page, (r) => !!r.querySelector('.cc-prechat')), false);
  assert.deepEqual(starts(posted), [{ name: 'Bo Lee', email: 'bo@example.com' }]);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('in Spanish, dark, on a phone, with every field required: the form says what is missing, by touch', async () => {
  const { ctx, page, posted, errors } = await prechatPage('init&key=phone&locale=es&theme=dark&required=true',
    { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true, colorScheme: 'dark' });
  await page.locator('.cc-launcher').first().tap();
  await waitInWidget(page, (r) => r.querySelector('.cc-prechat'));
  assert.deepEqual(await inWidget(page, (r) => [...r.querySelectorAll('.cc-field span')].map((s) => s.textContent)), ['Nombre', 'Correo electrónico']);
  await page.getByRole('button', { name: 'Empezar la conversación' }).tap();
  await waitInWidget(page, (r) => r.querySelector('[role="alert"]').textContent === 'Escribe tu nombre.');
  assert.deepEqual(await axeWidget(page), [], 'axe, dark, Spanish');
  const box = await inWidget(page, (r) => { const b = r.querySelector('.cc-prechat').getBoundingClientRect(); return { left: b.left, right: b.right }; });
  assert.ok(box.left >= 0 && box.right <= 390, JSON.stringify(box));
  await page.locator('.cc-prechat input[name=name]').fill('Lía');
  await page.locator('.cc-prechat input[name=email]').fill('lia@example.es');
  await page.getByRole('button', { name: 'Empezar la conversación' }).tap();
  await waitInWidget(page, (r) => !r.querySelector('.cc-prechat') && r.querySelector('.cc-bot'));
  assert.deepEqual(starts(posted), [{ name: 'Lía', email: 'lia@example.es' }]);
  assert.deepEqual(errors, []);
  await ctx.close();
});
