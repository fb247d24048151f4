// The widget's 21 languages, in real headless Chromium against the local server, on the demo's
// www/embed/languages.html: the language comes from `locale`, else from the visitor's browser
// languages (navigator.languages, the first one the widget has; by language, Chinese by
// script), else English; only that language's texts file is fetched; every language shows its
// own texts (not English's) right to left where it reads so; counts take the language's plural
// forms (Intl.PluralRules) in the launcher the main part draws before the widget's part has
// loaded; times are formatted in the widget's language; a texts file that cannot load leaves
// the widget in English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { widgetSuite, browser, server, root, inWidget, waitInWidget, axeWidget } from './widget-kit.mjs';

widgetSuite();

const table = (lang) => JSON.parse(readFileSync(path.join(root, 'src', 'widget', 'locales', `${lang}.json`), 'utf8'));
const LANGUAGES = ['ar', 'de', 'en', 'es', 'fa', 'fr', 'he', 'hi', 'id', 'it', 'ja', 'ko', 'nl', 'pl', 'pt', 'ru', 'tr', 'uk', 'ur', 'zh-CN', 'zh-TW'];
const RTL = ['ar', 'fa', 'he', 'ur'];

/** A page of `address` in a browser whose languages are `languages` (navigator.languages). */
async function visitIn(languages, address, options = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 760 }, ...options });
  await ctx.addInitScript((list) => {
    Object.defineProperty(Navigator.prototype, 'languages', { get: () => list });
    Object.defineProperty(Navigator.prototype, 'language', { get: () => list[0] });
  }, languages);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.base}${address}`);
  return { ctx, page, errors };
}

const launcher = (page) => inWidget(page, (r) => {
  const host = r.host;
  return [r.querySelector('.cc-launcher').getAttribute('aria-label'), host.getAttribute('lang'), host.getAttribute('dir')];
});
const textsFetched = (page) => page.evaluate(() => performance.getEntriesByType('resource')
  .map((e) => e.name.split('/').pop()).filter((f) => f.startsWith('captivate-texts-')).map((f) => f.split('.')[0].slice('captivate-texts-'.length)));

test('the visitor\'s browser languages pick the widget\'s: the first it has, by language, Chinese by script, else English; the page\'s locale wins; only that language\'s file is fetched', async () => {
  const cases = [
    [['pt-BR', 'en-US'], '', 'pt', 'ltr'],
    [['sw-KE', 'he-IL', 'en'], '', 'he', 'rtl'],
    [['zh-HK', 'en'], '', 'zh-TW', 'ltr'],
    [['zh-Hant'], '', 'zh-TW', 'ltr'],
    [['zh'], '', 'zh-CN', 'ltr'],
    [['zh-SG'], '', 'zh-CN', 'ltr'],
    [['de_AT'], '', 'de', 'ltr'],
    [['sw', 'xx-YY'], '', 'en', 'ltr'],
    [['ja-JP'], '?locale=fr-CA', 'fr', 'ltr'],
    [['ja-JP'], '?locale=sw', 'en', 'ltr'],
  ];
  for (const [languages, query, lang, dir] of cases) {
    const { ctx, page, errors } = await visitIn(languages, `/embed/languages.html${query}`);
    await waitInWidget(page, (r) => r?.querySelector('.cc-launcher'));
    assert.deepEqual(await launcher(page), [table(lang).open, lang, dir], `${languages} ${query}`);
    assert.deepEqual(await textsFetched(page), lang === 'en' ? [] : [lang], `${languages} ${query}: the files fetched`);
    assert.deepEqual(errors, []);
    await ctx.close();
  }
});

test('every language shows its own texts in the open panel (not English\'s), right to left for ar, fa, he, ur; axe finds nothing serious in Hebrew dark and Japanese', async () => {
  const en = table('en');
  for (const lang of LANGUAGES) {
    const { ctx, page, errors } = await visitIn(['en-US'], `/embed/languages.html?locale=${lang}&open${lang === 'he' ? '&theme=dark' : ''}`);
    await waitInWidget(page, (r) => r?.querySelector('.cc-panel textarea'));
    const texts = table(lang);
    const seen = await inWidget(page, (r) => ({
      lang: r.host.getAttribute('lang'),
      dir: r.host.getAttribute('dir'),
      direction: getComputedStyle(r.querySelector('.cc-panel')).direction,
      placeholder: r.querySelector('textarea').getAttribute('placeholder'),
      labels: [...r.querySelectorAll('button[aria-label]')].map((b) => b.getAttribute('aria-label')),
    }));
    const dir = RTL.includes(lang) ? 'rtl' : 'ltr';
    assert.deepEqual([seen.lang, seen.dir, seen.direction], [lang, dir, dir], lang);
    assert.equal(seen.placeholder, texts.placeholder, `${lang}: placeholder`);
    for (const key of ['send', 'close', 'more']) assert.ok(seen.labels.includes(texts[key]), `${lang}: ${key} "${texts[key]}" among ${seen.labels.join(' | ')}`);
    if (lang !== 'en') {
      for (const key of ['placeholder', 'send', 'more']) assert.notEqual(texts[key], en[key], `${lang}: ${key} is translated`);
      assert.ok(!seen.labels.includes(en.more), `${lang}: no English label left`);
    }
    if (lang === 'he' || lang === 'ja') {
      const violations = await axeWidget(page);
      assert.deepEqual(violations, [], `${lang}: ${JSON.stringify(violations)}`);
    }
    assert.deepEqual(errors, [], lang);
    await ctx.close();
  }
});

test('counts take the language\'s plural forms in the launcher the main part draws (ru: one, few, many; ar: two; en: one, other)', async () => {
  const cases = [['ru', 1], ['ru', 3], ['ru', 5], ['ru', 21], ['ar', 2], ['ar', 11], ['en', 1], ['en', 2], ['ja', 3]];
  for (const [lang, n] of cases) {
    const ctx = await browser.newContext();
    // A returning visitor with `n` unread messages; the widget's part never arrives.
    await ctx.addInitScript((count) => {
      localStorage.setItem('captivate-chat:v1:user:demo-key', JSON.stringify({ id: 'visitor-plural', savedAt: Date.now() }));
      localStorage.setItem('captivate-chat:v1:demo-key:visitor-plural', JSON.stringify({ conversationId: 'c-plural', outbox: [], savedAt: Date.now() }));
      localStorage.setItem('captivate-chat:v1:demo-key:visitor-plural:unread', String(count));
    }, n);
    await ctx.route(/captivate-widget\.\w+\.wasm$/, () => {});
    const page = await ctx.newPage();
    await page.goto(`${server.base}/embed/languages.html?locale=${lang}`);
    await waitInWidget(page, (r) => r?.querySelector('.cc-badge')?.textContent);
    const texts = table(lang);
    const form = new Intl.PluralRules(lang).select(n);
    const expected = `${texts.open} — ${texts.unread[form].replace('{count}', String(n))}`;
    assert.equal((await launcher(page))[0], expected, `${lang} ${n} (${form})`);
    await ctx.close();
  }
  // The forms are the language's own: Russian's three differ, Arabic's two says the number in words.
  const ru = table('ru').unread;
  assert.equal(new Set([ru.one, ru.few, ru.many]).size, 3);
  assert.ok(!table('ar').unread.two.includes('{count}'));
});

test('a message goes the way its own text does: the English demo bot in an Arabic widget reads left to right, Arabic typed into an English widget right to left', async () => {
  for (const [lang, typed, widgetDir, bubbleDir] of [['ar', 'hello there', 'rtl', 'ltr'], ['en', 'مرحبا بكم', 'ltr', 'rtl']]) {
    const { ctx, page, errors } = await visitIn(['en-US'], `/embed/languages.html?locale=${lang}&open`);
    await waitInWidget(page, (r) => r?.querySelector('.cc-bot .cc-bubble'));
    const direction = (selector) => inWidget(page, (r, s) => getComputedStyle(r.querySelector(s)).direction, selector);
    assert.equal(await direction('.cc-panel'), widgetDir, lang);
    assert.equal(await direction('.cc-bot .cc-bubble'), 'ltr', `${lang}: the bot's English`);
    await page.locator('textarea').first().focus();
    await page.keyboard.insertText(typed);
    assert.equal(await direction('textarea'), bubbleDir, `${lang}: the composer follows what is typed`);
    await page.keyboard.press('Enter');
    await waitInWidget(page, (r) => r.querySelector('.cc-user .cc-bubble'));
    assert.equal(await direction('.cc-user .cc-bubble'), bubbleDir, `${lang}: the visitor's message`);
    assert.deepEqual(errors, []);
    await ctx.close();
  }
});

test('times are in the widget\'s language (Korean: 오전/오후), whatever the browser\'s', async () => {
  const { ctx, page, errors } = await visitIn(['en-US'], '/embed/languages.html?locale=ko&open');
  await waitInWidget(page, (r) => r?.querySelector('.cc-msg time')?.textContent);
  const time = await inWidget(page, (r) => r.querySelector('.cc-msg time').textContent);
  assert.match(time, /^(오전|오후) \d\d:\d\d$/, time);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a language whose texts file cannot load leaves the widget in English, with a warning, and working', async () => {
  const ctx = await browser.newContext();
  await ctx.route(/captivate-texts-fr\.\w+\.json$/, (route) => route.fulfill({ status: 404, body: 'gone' }));
  const page = await ctx.newPage();
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.base}/embed/languages.html?locale=fr`);
  await waitInWidget(page, (r) => r?.querySelector('.cc-launcher'));
  assert.deepEqual(await launcher(page), [table('en').open, 'en', 'ltr']);
  assert.ok(warnings.some((w) => w.includes('No texts-fr')), warnings.join('\n'));
  await page.locator('.cc-launcher').first().click();
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  assert.equal(await inWidget(page, (r) => r.querySelector('textarea').getAttribute('placeholder')), table('en').placeholder);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the language picker of the demo page, by keyboard: the chat follows the chosen language', async () => {
  const { ctx, page, errors } = await visitIn(['en-US'], '/embed/languages.html');
  await waitInWidget(page, (r) => r?.querySelector('.cc-launcher'));
  await page.getByLabel('Language of the chat on this page').focus();
  await page.keyboard.press('End');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForURL(/locale=zh-TW/);
  await waitInWidget(page, (r) => r?.querySelector('.cc-launcher'));
  assert.deepEqual(await launcher(page), [table('zh-TW').open, 'zh-TW', 'ltr']);
  assert.deepEqual(errors, []);
  await ctx.close();
});
