// The chat bubble's conversation and content, in real headless Chromium against the local
// server: open, greeting, send (Enter, the button, files attached, pasted or dropped), every
// content type and its buttons and links, a refused message retried, a hand-off, markdown from
// its own part of the module, images from other hosts held, the stylesheet, the XSS corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { widgetSuite, root, shots, server, browser, visit, inWidget, waitInWidget, openChat, say, conversationId } from './widget-kit.mjs';

widgetSuite();

test('a visitor opens the chat, reads the greeting, sends and gets an answer', async () => {
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  await say(page, 'text');
  await waitInWidget(page, (r) => r.textContent.includes('Links become clickable'));
  const state = await waitInWidget(page, (r) => [...r.querySelectorAll('.cc-user .cc-state')].map((s) => s.textContent).join() || null);
  assert.match(state, /Sent/);
  const link = await inWidget(page, (r) => { const a = r.querySelector('.cc-bot .cc-text a[href^="https://captivatechat.ai"]'); return a && [a.target, a.rel]; });
  assert.deepEqual(link, ['_blank', 'noopener noreferrer nofollow']);
  await page.screenshot({ path: path.join(shots, 'desktop.png') });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('every content type renders, and buttons send their value', async () => {
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  await say(page, 'everything');
  const seen = await waitInWidget(page, (r) => {
    const q = (s) => r.querySelector(s) !== null;
    const all = {
      buttons: q('.cc-buttons .cc-choice'), urlButtons: q('a.cc-choice[href="https://captivatechat.ai/"]'), cards: q('.cc-cards .cc-card img'),
      markdown: q('.cc-md strong') && q('.cc-md table'), html: q('.cc-html strong'), table: q('.cc-table table td'),
      image: q('img.cc-image[alt="demo-image.svg"]'), audio: q('audio.cc-audio[controls]'), file: q('a.cc-file[download="captivate-guide.txt"]'),
      // The document icon is an SVG, not an emoji that some fonts lack.
      fileIcon: q('a.cc-file svg.cc-file-icon') && getComputedStyle(r.querySelector('a.cc-file'), '::before').content === 'none',
      custom: q('.cc-unknown'),
    };
    return Object.values(all).every(Boolean) ? all : null;
  }, null, 0, 15000);
  assert.ok(seen);
  await say(page, 'buttons');
  await waitInWidget(page, (r) => [...r.querySelectorAll('button.cc-choice')].some((b) => b.textContent === 'Fine'));
  await inWidget(page, (r) => [...r.querySelectorAll('button.cc-choice')].find((b) => b.textContent === 'Fine').click());
  await waitInWidget(page, (r) => r.textContent.includes('You said: “fine”'));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("a button that triggers an action sends the bot's action and data; a value that is not text is sent as JSON; a page that changes the message it heard changes neither", async () => {
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await say(page, 'hello there');
  await waitInWidget(page, (r) => r.textContent.includes('You said: “hello there”'));
  const id = await conversationId(page);
  // The page's listener gets the message's content and scribbles on it.
  await page.evaluate(() => window.CaptivateChat.widgets[0].on('message', (m) => {
    for (const item of Array.isArray(m.content) ? m.content : []) {
      if (item.buttons?.action) item.buttons.action.data.precise = false;
      if (item.buttons?.options) item.buttons.options[0].value.pick = 'changed';
    }
  }));
  assert.deepEqual(await server.fault('push', { conversation_id: id, content: [
    { type: 'buttons', buttons: { title: 'Share where you are', action: { id: 'shareLocation', data: { precise: true } } } },
    { type: 'buttons', buttons: { options: [{ label: 'Pick two', value: { pick: 2 } }] } },
  ] }), { sent: true });
  const click = (label) => inWidget(page, (r, l) => [...r.querySelectorAll('button.cc-choice')].find((b) => b.textContent === l).click(), label);
  await waitInWidget(page, (r) => [...r.querySelectorAll('button.cc-choice')].some((b) => b.textContent === 'Share where you are'));
  await click('Share where you are');
  await waitInWidget(page, (r) => r.textContent.includes('Action received: shareLocation {"precise":true}'));
  await click('Pick two');
  await waitInWidget(page, (r) => r.textContent.includes('You said: “{"pick":2}”'));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a message the server refuses is marked failed, also after a reload, and not sent again on its own; Retry sends it again, and the server keeps it once', async () => {
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await say(page, 'hello there');
  await waitInWidget(page, (r) => r.textContent.includes('You said: “hello there”'));
  const id = await conversationId(page);
  // A 400 is not retried on its own.
  await server.fault('http', { fail: 1, status: 400 });
  await say(page, 'refused once');
  await waitInWidget(page, (r) => r.querySelector('.cc-user .cc-state.cc-failed') && r.querySelector('.cc-user .cc-retry'));
  assert.match(await inWidget(page, (r) => r.querySelector('.cc-failed').closest('.cc-msg').textContent), /refused once/);
  // Refused for good: after a reload it is shown as not sent, with Retry, and not sent again
  // on its own (the server would take it now).
  await page.waitForFunction(() => Object.values(localStorage).some((v) => v.includes('"failed":true')));
  await page.reload();
  await openChat(page);
  await waitInWidget(page, (r) => r.querySelector('.cc-user .cc-state.cc-failed')?.closest('.cc-msg').textContent.includes('refused once') && r.querySelector('.cc-user .cc-retry'));
  await new Promise((r) => setTimeout(r, 1500));
  const sent = async () => (await server.transcript(id)).transcript.filter((e) => e.from === 'user').map((e) => e.content.text).filter(Boolean);
  assert.deepEqual(await sent(), ['hello there'], 'not sent again on its own');
  assert.equal(await inWidget(page, (r) => r.querySelectorAll('.cc-retry').length), 1);
  await inWidget(page, (r) => r.querySelector('.cc-retry').click());
  await waitInWidget(page, (r) => r.textContent.includes('You said: “refused once”'));
  await waitInWidget(page, (r) => !r.querySelector('.cc-retry') && !r.querySelector('.cc-failed'));
  // (The conversation's start is the visitor's empty first message.)
  assert.deepEqual(await sent(), ['hello there', 'refused once'], 'sent again, once');
  await page.waitForFunction(() => !Object.values(localStorage).some((v) => v.includes('refused once')));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("the stylesheets the widget carries (minified by the build, beside the wasm) have the rules of styles/*.css", async () => {
  const { page, errors, ctx } = await visit('/');
  // The widget's (launcher and panel), once it has taken the launcher's place.
  await openChat(page);
  const source = (...files) => files.map((f) => readFileSync(path.join(root, 'styles', f), 'utf8')).join('');
  const compare = (p, css, which) => inWidget(p, (r, [text, n]) => {
    // Values holding var() keep their tokens as written: compare them without the spaces after commas.
    const rules = (list) => [...list].map((rule) => rule.cssText.replaceAll(', ', ','));
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(text);
    const own = r.adoptedStyleSheets.at(n).cssRules;
    // The theme's rules follow the stylesheet's.
    return [rules(own).slice(0, sheet.cssRules.length), rules(sheet.cssRules)];
  }, [css, which]);
  const [carried, written] = await compare(page, source('launcher.css', 'panel.css'), 0);
  assert.ok(written.length > 100, `${written.length} rules`);
  assert.deepEqual(carried, written);
  // The greeting's, added beside the launcher's when its bubble shows.
  const greeting = await ctx.newPage();
  await greeting.goto(`${server.base}/embed/greeting.html?key=styles&delay=0`);
  await waitInWidget(greeting, (r) => r?.querySelector('.cc-greeting:not([hidden])'));
  const [bubble, bubbleWritten] = await compare(greeting, source('greeting.css'), -1);
  assert.ok(bubbleWritten.length >= 8, `${bubbleWritten.length} rules`);
  assert.deepEqual(bubble, bubbleWritten);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a card link opens its page in a new tab, safely', async () => {
  const { page, errors, ctx } = await visit('/');
  await ctx.route('https://example.com/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>card target</title>' }));
  await openChat(page);
  await say(page, 'cards');
  await waitInWidget(page, (r) => r.querySelector('.cc-card a'));
  const [popup] = await Promise.all([ctx.waitForEvent('page'), page.locator('.cc-card a').first().click()]);
  await popup.waitForLoadState();
  assert.equal(popup.url(), 'https://example.com/sunrise');
  assert.equal(await popup.evaluate(() => window.opener), null, 'no opener');
  assert.equal(page.url(), `${server.base}/`, 'the page itself did not navigate');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a visitor attaches a file: uploaded, stored, sent, and the bot sees it', async () => {
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  // The attach button opens the picker (the hidden input beside it).
  const chooser = page.waitForEvent('filechooser');
  await page.locator('.cc-attach').click();
  await (await chooser).setFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello from a file') });
  await waitInWidget(page, (r) => r.textContent.includes('Thanks for the file: notes.txt.'));
  const href = await waitInWidget(page, (r) => r.querySelector('.cc-user a.cc-file')?.href);
  assert.equal(await (await fetch(href)).text(), 'hello from a file');
  const id = await conversationId(page);
  const t = await server.transcript(id);
  const sent = t.transcript.find((e) => e.from === 'user' && e.files);
  assert.equal(sent.files[0].textContent.text, 'hello from a file');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the send button sends what is typed, empties the composer and gives it the focus back', async () => {
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  assert.ok(await inWidget(page, (r) => r.querySelector('.cc-send').disabled), 'nothing to send yet');
  await page.locator('textarea').fill('by the button');
  await page.locator('.cc-send').click();
  await waitInWidget(page, (r) => r.textContent.includes('You said: “by the button”'));
  assert.equal(await inWidget(page, (r) => r.activeElement?.tagName), 'TEXTAREA');
  assert.equal(await inWidget(page, (r) => r.querySelector('textarea').value), '');
  assert.ok(await inWidget(page, (r) => r.querySelector('.cc-send').disabled), 'emptied');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a file pasted into the composer or dropped on the panel is uploaded and sent', async () => {
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  await inWidget(page, (r) => {
    const data = new DataTransfer();
    data.items.add(new File(['pasted text'], 'pasted.txt', { type: 'text/plain' }));
    r.querySelector('textarea').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await waitInWidget(page, (r) => r.textContent.includes('Thanks for the file: pasted.txt.'));
  const dropped = await inWidget(page, (r) => {
    const data = new DataTransfer();
    data.items.add(new File(['dropped text'], 'dropped.txt', { type: 'text/plain' }));
    const panel = r.querySelector('.cc-panel');
    const over = new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true });
    panel.dispatchEvent(over);
    const drop = new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true });
    panel.dispatchEvent(drop);
    return [over.defaultPrevented, drop.defaultPrevented];
  });
  assert.deepEqual(dropped, [true, true], 'the browser does not open the dropped file itself');
  await waitInWidget(page, (r) => r.textContent.includes('Thanks for the file: dropped.txt.'));
  const id = await conversationId(page);
  const t = await server.transcript(id);
  const sent = t.transcript.filter((e) => e.from === 'user' && e.files).map((e) => e.files[0].textContent.text);
  assert.deepEqual(sent, ['pasted text', 'dropped text']);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a hand-off to a human agent shows the agent', async () => {
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await say(page, 'agent');
  await waitInWidget(page, (r) => r.querySelector('.cc-status').textContent.includes('Alex') && r.textContent.includes('Alex joined'));
  await waitInWidget(page, (r) => r.querySelector('.cc-agent .cc-who')?.textContent === 'Alex');
  await say(page, 'bye');
  await waitInWidget(page, (r) => r.textContent.includes('Alex left') && !r.querySelector('.cc-status').textContent.includes('Alex'));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('markdown comes from a part of its own, loaded after the widget\'s; without it markdown shows as text', async () => {
  // Loaded lazily: the widget's part is there before the markdown part is asked for, and the reply renders once it is.
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  await say(page, 'markdown');
  await waitInWidget(page, (r) => r.querySelector('.cc-md strong') && r.querySelector('.cc-md table'));
  // Screen readers hear what a sighted visitor reads: no markup, no link address.
  const announced = await waitInWidget(page, (r) => {
    const t = r.querySelector('[aria-live="polite"]')?.textContent ?? '';
    return t.includes('Markdown') && t;
  });
  assert.ok(announced.includes('Text can be bold, italic or code.'), announced);
  assert.ok(!/[*#`|]|\]\(|https?:/.test(announced), `markup or an address announced: ${announced}`);
  const timing = await page.evaluate(() => {
    const at = (name) => performance.getEntriesByType('resource').find((e) => name.test(e.name));
    const widget = at(/\/captivate-widget\.\w+\.wasm$/);
    const md = at(/\/captivate-markdown\.\w+\.wasm$/);
    return { widgetLoaded: widget?.responseEnd, markdownAsked: md?.startTime };
  });
  assert.ok(timing.markdownAsked > timing.widgetLoaded, JSON.stringify(timing));
  assert.deepEqual(errors, []);
  await ctx.close();

  // The module cannot be fetched: the source is shown as text, and the chat goes on.
  const blocked = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  await blocked.route(/captivate-markdown\.\w+\.wasm$/, (route) => route.abort());
  const second = await visit('/', { context: blocked });
  await openChat(second.page);
  await waitInWidget(second.page, (r) => r.textContent.includes('demo bot'));
  await say(second.page, 'markdown');
  const pending = await waitInWidget(second.page, (r) => r.querySelector('.cc-md-pending')?.textContent);
  assert.ok(pending.includes('**bold**'), pending);
  await say(second.page, 'hello');
  await waitInWidget(second.page, (r) => r.textContent.includes('You said: “hello”'));
  assert.deepEqual(second.errors, []);
  await blocked.close();
});

test('named character references in markdown are decoded where CommonMark decodes them, by the browser\'s table', async () => {
  // The build leaves pulldown-cmark's table out of the markdown part (scripts/entity-table.mjs):
  // the names are decoded by the browser (markdown/src/lib.rs), in text, link addresses and
  // titles, and kept as written in code and escapes (raw HTML goes to the browser as written);
  // an unknown name stays as written, even one that starts with a name HTML decodes without
  // its `;` (`&copyx;`).
  const { page, errors, ctx } = await visit('/');
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  const id = await conversationId(page);
  const md = 'A&AElig;B &copy; &DoubleLongLeftRightArrow; &ngE; &zwnj;| &Zfr; &zwj;| &frac34; &notanentity; &copyx; &amp; &lt;b&gt;'
    + ' \\&copy; `&amp;` [l&ouml;nk](https://example.com/?a=1&amp;b=&ouml; "t&iacute;tle") <b title="&ouml;&amp;copy;">&amp;copy;</b>';
  await server.fault('frames', {
    kind: 'raw', conversation_id: id,
    text: JSON.stringify({ action: 'receiveMessage', event: { event_type: 'bot_message', event_payload: { conversation_id: id, content: [{ type: 'md', md }] } } }),
  });
  const shown = await waitInWidget(page, (r) => {
    const p = r.querySelector('.cc-md p');
    const a = p?.querySelector('a');
    return p && a && { text: p.textContent, code: p.querySelector('code')?.textContent, bold: p.querySelector('b')?.textContent, boldTitle: p.querySelector('b')?.title, href: a.href, title: a.title, link: a.textContent };
  });
  assert.equal(shown.text, 'AÆB © ⟺ ≧̸ \u200c| ℨ \u200d| ¾ &notanentity; &copyx; & <b> &copy; &amp; lönk &copy;');
  assert.equal(shown.code, '&amp;');
  assert.equal(shown.bold, '&copy;');
  assert.equal(shown.boldTitle, 'ö&copy;'); // raw HTML: as the browser reads it
  assert.equal(shown.href, 'https://example.com/?a=1&b=%C3%B6');
  assert.equal(shown.title, 'títle');
  assert.equal(shown.link, 'lönk');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('images in bot markup, cards and files from hosts that are not allowed wait for a click; the page\'s own load at once, without the visitor\'s cookies', async () => {
  const { page, errors, ctx } = await visit('/');
  const asked = [];
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
  await ctx.route('https://tracker.test/**', (route) => { asked.push(route.request().url()); return route.fulfill({ contentType: 'image/png', body: png }); });
  // The page's own origin: the site's pictures, and what a prompt-injected bot would aim at (its
  // account links). Each request is noted with the cookie it carried.
  const own = [];
  await ctx.route(`${server.base}/site/**`, async (route) => {
    const url = new URL(route.request().url());
    own.push([url.pathname, (await route.request().allHeaders()).cookie ?? null]);
    return url.pathname.includes('gone') ? route.fulfill({ status: 404, body: 'not here' }) : route.fulfill({ contentType: 'image/png', body: png });
  });
  await page.evaluate(() => { document.cookie = 'session=secret; path=/'; });
  // The test sees a cookie where one is sent: the page's own request carries it.
  await page.evaluate(() => fetch('/site/control.png').then((r) => r.blob()));
  assert.deepEqual(own.splice(0), [['/site/control.png', 'session=secret']]);

  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  const id = await conversationId(page);
  await server.fault('push', { conversation_id: id, content: [
    { type: 'md', md: 'Status ![what you said](https://tracker.test/p.png?q=secret) and ours ![local](/site/md.png) ![gone](/site/gone.png)' },
    { type: 'html', html: '<p><img src="https://tracker.test/h.png" alt="h"><img src="/site/html.png" alt="ours"></p>' },
    { type: 'cards', cards: [{ text: 'A card', image_url: 'https://tracker.test/c.png' }, { text: 'Our card', image_url: '/site/card.png' }] },
    { type: 'files', files: [{ type: 'image', url: 'https://tracker.test/f.png', mimetype: 'image/png', filename: 'f.png' }, { type: 'image', url: '/site/file.png', mimetype: 'image/png', filename: 'file.png' }] },
  ] });
  // The page's own images show from the bytes fetched (a blob: URL), each asked for once, with no cookie.
  await waitInWidget(page, (r) => [...r.querySelectorAll('img')].filter((i) => i.src.startsWith('blob:') && i.complete && i.naturalWidth === 1).length === 4);
  assert.deepEqual(await inWidget(page, (r) => [...r.querySelectorAll('img')].filter((i) => i.src.startsWith('blob:')).map((i) => i.alt).sort()), ['Our card', 'file.png', 'local', 'ours'].sort());
  assert.deepEqual(own.sort(), [['/site/card.png', null], ['/site/file.png', null], ['/site/gone.png', null], ['/site/html.png', null], ['/site/md.png', null]]);
  // Another host's wait for a click, and so does the page's own image that could not be fetched.
  await waitInWidget(page, (r) => r.querySelectorAll('.cc-img-hold').length === 5);
  await page.waitForTimeout(300);
  assert.deepEqual(asked, [], 'nothing fetched from the other host before a click');
  assert.match(await inWidget(page, (r) => r.querySelector('.cc-img-hold').textContent), /Show image from tracker\.test/);
  await inWidget(page, (r) => r.querySelector('.cc-img-hold').click());
  await waitInWidget(page, (r) => r.querySelector('.cc-rich img[src^="https://tracker.test/p.png"]')?.getAttribute('alt') === 'what you said');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(asked.length, 1, 'one image, on the click');
  assert.equal(await inWidget(page, (r) => r.querySelectorAll('.cc-img-hold').length), 4, 'the others still wait');
  // A card's image too, on its click; the page's own that failed, on its click (the visitor asked).
  await inWidget(page, (r) => r.querySelector('.cc-card .cc-img-hold').click());
  await waitInWidget(page, (r) => r.querySelector('.cc-card img[src="https://tracker.test/c.png"]'));
  await inWidget(page, (r) => [...r.querySelectorAll('.cc-img-hold')].find((b) => b.dataset.src.endsWith('/site/gone.png')).click());
  await waitInWidget(page, (r) => r.querySelector('.cc-rich img[alt="gone"]'));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('XSS corpus: no vector in any carrier runs script or leaves anything dangerous in the DOM', async () => {
  // The corpus lives in the team's shared/ folder, beside the checkout (CI lays a copy there too).
  const corpus = process.env.XSS_VECTORS || path.join(root, '..', 'shared', 'security', 'xss_vectors.json');
  assert.ok(existsSync(corpus), `XSS corpus not found at ${corpus} (set XSS_VECTORS)`);
  const vectors = JSON.parse(readFileSync(corpus, 'utf8')).map((v) => v.input);
  assert.ok(vectors.length >= 500, 'the whole corpus');
  const { page, errors, ctx } = await visit('/embed/csp.html');
  await openChat(page);
  await waitInWidget(page, (r) => r.textContent.includes('demo bot'));
  const id = await conversationId(page);
  const carriers = (v) => [
    { type: 'html', html: v }, { type: 'md', md: v }, { type: 'table', table: v }, { type: 'text', text: v },
    { type: 'cards', cards: [{ text: 'card', description: v, image_url: v, link: v }] },
    { type: 'buttons', buttons: { type: 'url', buttons: [{ title: 'b', url: v }] } },
    { type: 'files', files: [{ type: 'image', url: v, filename: v }, { type: 'audio', url: v, filename: 'a' }, { type: 'document', url: v, filename: 'd' }] },
  ];
  const batch = 40;
  for (let i = 0; i < vectors.length; i += batch) {
    const content = vectors.slice(i, i + batch).flatMap(carriers);
    const r = await server.fault('push', { conversation_id: id, content, store: false });
    assert.equal(r.sent, true);
  }
  await waitInWidget(page, (r, n) => r.querySelectorAll('.cc-bot').length >= n, Math.ceil(vectors.length / batch) + 1, 0, 60000);
  // Markdown renders once its module has loaded: every md carrier has been through the sanitizer.
  await waitInWidget(page, (r) => r.querySelector('.cc-md') && !r.querySelector('.cc-md-pending'), null, 0, 15000);
  await page.waitForTimeout(1500); // let any image error or timer fire
  const report = await inWidget(page, (r) => {
    const bad = [];
    const dangerousTags = ['script', 'iframe', 'object', 'embed', 'base', 'meta', 'form', 'frame', 'frameset', 'svg', 'math', 'link', 'style'];
    // The widget's own document icon (bot markup never yields an svg): exactly the one it draws.
    const ownIcon = (el) => {
      const svg = el.closest('svg');
      return !!svg && svg.matches('a.cc-file > svg.cc-file-icon, span.cc-file > svg.cc-file-icon')
        && [...svg.attributes].every((a) => ['viewBox', 'aria-hidden', 'class'].includes(a.name))
        && [...svg.querySelectorAll('*')].every((c) => ['g', 'path'].includes(c.tagName) && [...c.attributes].every((a) => a.name === 'd'))
        && svg.querySelectorAll('path').length === 1;
    };
    for (const el of r.querySelectorAll('.cc-messages *')) {
      const tag = el.tagName.toLowerCase();
      if (ownIcon(el)) continue;
      if (dangerousTags.includes(tag)) bad.push(`element ${tag}`);
      for (const a of el.attributes) {
        if (a.name.startsWith('on')) bad.push(`${tag} ${a.name}`);
        if (['style', 'srcdoc', 'formaction', 'action', 'xlink:href', 'background', 'poster', 'srcset'].includes(a.name)) bad.push(`${tag} ${a.name}`);
      }
      for (const prop of ['href', 'src']) {
        const v = el[prop];
        if (typeof v === 'string' && v && !/^(https?:|mailto:|tel:|data:image\/(png|jpeg|jpg|gif|webp|avif)[;,])/i.test(v)) bad.push(`${tag} ${prop}=${v.slice(0, 60)}`);
      }
    }
    return { bad, elements: r.querySelectorAll('.cc-messages *').length };
  });
  assert.deepEqual(report.bad, []);
  assert.ok(report.elements > vectors.length, 'the vectors were rendered');
  assert.deepEqual(await page.evaluate(() => window.__calls), []);
  const violations = await page.evaluate(() => window.__violations);
  assert.deepEqual(violations.filter((v) => /script|eval/.test(v)), [], 'no script was even attempted');
  assert.deepEqual(await page.evaluate(() => document.querySelectorAll('body script:not([src]), body iframe').length), 0);
  assert.deepEqual(errors, []);
  await ctx.close();
});
