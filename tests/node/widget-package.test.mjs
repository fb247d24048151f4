// The widget's npm package, captivate-chat-widget, as developers get it: `npm pack` of
// pkg-widget/ (make package), unpacked into temporary apps under target/ (the package has no
// dependencies: unpacking is an install; react, vue and vite resolve from the workspace's
// dev dependencies, as an app's own would). Five ways in, each driven in Chromium against
// the local server: a Vite + React app (StrictMode: one widget, one socket), a Vite + Vue
// app, a webpack 5 app (the ES entry alone), the custom element, the CDN layout under a path prefix (one script tag), and the ES
// entry from a plain Node process as server rendering imports it. What npm packs is checked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { countSockets, launch, startServer } from './harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const version = JSON.parse(readFileSync(path.join(root, 'www', 'widget-package', 'package.json'), 'utf8')).version;
let work;
let site;
let server;
let browser;

/** `npm pack` of a package folder into `into`: the tarball's path. */
function pack(folder, into) {
  const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', into], { cwd: folder, encoding: 'utf8' });
  return path.join(into, out.trim().split('\n').at(-1));
}

/** A temporary app under target/ with the packed widget installed in its node_modules. */
function app(name, tarball, files) {
  const dir = path.join(work, name);
  const installed = path.join(dir, 'node_modules', 'captivate-chat-widget');
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  for (const [file, text] of Object.entries({ 'package.json': `{ "name": "${name}", "private": true, "type": "module" }`, ...files })) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** Builds a Vite app with its real bundler into site/<name>/. */
function viteBuild(dir, name) {
  execFileSync(bin('vite'), ['build', '--base', `/${name}/`, '--outDir', path.join(site, name), '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
}

const page = (title, body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;

before(async () => {
  assert.ok(existsSync(path.join(root, 'pkg-widget', 'package.json')), 'run `make package` first');
  mkdirSync(path.join(root, 'target'), { recursive: true });
  work = mkdtempSync(path.join(root, 'target', 'widget-apps-'));
  site = path.join(work, 'site');
  mkdirSync(site);
  const tarball = pack(path.join(root, 'pkg-widget'), work);

  // Vite + React, StrictMode.
  const react = app('react', tarball, {
    'vite.config.js': "import { defineConfig } from 'vite';\nimport react from '@vitejs/plugin-react';\nexport default defineConfig({ plugins: [react()] });\n",
    'index.html': page('React app', '<div id="root"></div><script type="module" src="/src/main.jsx"></script>'),
    'src/main.jsx': `import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { CaptivateChat, useCaptivateChat } from 'captivate-chat-widget/react';

function OpenButton() {
  const chat = useCaptivateChat();
  return <button id="open-chat" disabled={!chat} onClick={() => chat.open()}>Ask us</button>;
}

function App() {
  const [heard, setHeard] = useState([]);
  const [title, setTitle] = useState('React support');
  // ?inline: the panel in the page, open at once (its socket opens as it mounts).
  const inline = location.search === '?inline';
  return (
    <CaptivateChat apiKey="react-key" baseUrl="/" title={title} inline={inline} open={inline} onMessage={(m) => setHeard((h) => [...h, m.from])}>
      <OpenButton />
      <button id="retitle" onClick={() => setTitle('Renamed support')}>Rename</button>
      <p id="heard">{heard.join(',')}</p>
    </CaptivateChat>
  );
}

createRoot(document.getElementById('root')).render(<StrictMode><App /></StrictMode>);
`,
  });
  viteBuild(react, 'react');

  // Vite + Vue, a single-file component.
  const vue = app('vue', tarball, {
    'vite.config.js': "import { defineConfig } from 'vite';\nimport vue from '@vitejs/plugin-vue';\nexport default defineConfig({ plugins: [vue()] });\n",
    'index.html': page('Vue app', '<div id="app"></div><script type="module" src="/src/main.js"></script>'),
    'src/main.js': "import { createApp } from 'vue';\nimport App from './App.vue';\ncreateApp(App).mount('#app');\n",
    'src/OpenButton.vue': `<script setup>
import { useCaptivateChat } from 'captivate-chat-widget/vue';
const chat = useCaptivateChat();
</script>
<template><button id="open-chat" :disabled="!chat" @click="chat.open()">Ask us</button></template>
`,
    'src/App.vue': `<script setup>
import { ref } from 'vue';
import { CaptivateChat } from 'captivate-chat-widget/vue';
import OpenButton from './OpenButton.vue';
const heard = ref([]);
</script>
<template>
  <CaptivateChat api-key="vue-key" base-url="/" title="Vue support" locale="es" inline class="chat-box" @message="(m) => heard.push(m.from)">
    <OpenButton />
  </CaptivateChat>
  <p id="heard">{{ heard.join(',') }}</p>
</template>
`,
  });
  viteBuild(vue, 'vue');

  // webpack 5, no configuration but the entry and the output: the ES entry alone.
  const webpack = app('webpack', tarball, {
    'src/index.js': `import { init } from 'captivate-chat-widget';
const chat = init({ apiKey: 'webpack-key', baseUrl: '/', title: 'Webpack support', locale: 'ja' });
window.heard = [];
chat.on('message', (m) => window.heard.push(m.from));
`,
  });
  execFileSync(bin('webpack'), ['--mode', 'production', '--entry', './src/index.js', '--output-path', path.join(site, 'webpack'),
    '--output-public-path', 'auto', '--no-stats'], { cwd: webpack, stdio: ['ignore', 'inherit', 'inherit'] });
  writeFileSync(path.join(site, 'webpack', 'index.html'), page('webpack app', '<h1>A page</h1><script src="main.js"></script>'));

  // The package as a CDN serves it (any published file at /npm/<name>@<version>/<path>), under a prefix.
  const cdn = path.join(site, 'npm', `captivate-chat-widget@${version}`);
  mkdirSync(cdn, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', cdn, '--strip-components=1']);
  const loader = `/npm/captivate-chat-widget@${version}/dist/captivate-embed.js`;
  writeFileSync(path.join(site, 'cdn.html'), page('CDN', `<h1>A page</h1><script src="${loader}" data-api-key="cdn-key" data-base-url="/" data-title="CDN support" data-locale="pt-BR" defer></script>`));
  // The custom element: defined by the loader when asked, and by the ES module without a bundler.
  writeFileSync(path.join(site, 'element.html'), page('Element', `<h1>A page</h1>
<captivate-chat api-key="element-key" base-url="/" title="Element support" inline style="display:block;height:520px"></captivate-chat>
<script src="${loader}" data-element defer></script>
<script>window.heard = []; addEventListener('captivate-message', (e) => window.heard.push(e.detail.from));</script>`));
  writeFileSync(path.join(site, 'element-module.html'), page('Element module', `<h1>A page</h1>
<captivate-chat api-key="module-key" base-url="/" title="Module support"></captivate-chat>
<script type="module">import '/npm/captivate-chat-widget@${version}/dist/element.mjs';</script>`));

  server = await startServer(['--dist', site, '--bot-delay-ms', '30']);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A page, counting the sockets it opens and recording its errors. */
async function open(url) {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const p = await ctx.newPage();
  await countSockets(p);
  const errors = [];
  p.on('pageerror', (e) => errors.push(e.message));
  p.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`${r.status()} ${r.url()}`); });
  await p.goto(`${server.base}${url}`);
  return { ctx, page: p, errors };
}

const hosts = (p) => p.evaluate(() => document.querySelectorAll('[data-captivate-chat]').length);
const inHost = (p, fn, arg) => p.evaluate(([src, a]) => {
  const host = document.querySelector('[data-captivate-chat]');
  return new Function('root', 'arg', `return (${src})(root, arg);`)(host && host.shadowRoot, a);
}, [fn.toString(), arg]);
const waitFor = async (p, fn, arg, what) => {
  const start = Date.now();
  for (;;) {
    if (await inHost(p, fn, arg).catch(() => false)) return;
    if (Date.now() - start > 15000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** The visitor types in the composer and presses Enter; the demo bot answers. */
async function converse(p) {
  await p.locator('textarea').first().focus();
  await p.keyboard.type('hello from an app');
  await p.keyboard.press('Enter');
  await waitFor(p, (r) => r.textContent.includes('You said: “hello from an app”'), null, 'the bot\'s answer');
}

test('React (Vite, StrictMode): one widget and one socket after the double mount; the hook opens it; listeners hear; a changed prop remounts', async () => {
  const { ctx, page: p, errors } = await open('/react/');
  await p.locator('.cc-launcher').first().waitFor();
  await p.locator('#open-chat:not([disabled])').click();
  await waitFor(p, (r) => r.querySelector('.cc-panel') && r.textContent.includes('demo bot'), null, 'the bot\'s greeting');
  assert.equal(await hosts(p), 1, 'one widget');
  assert.equal(await inHost(p, (r) => r.querySelector('.cc-title')?.textContent), 'React support');
  await converse(p);
  await p.waitForFunction(() => document.querySelector('#heard').textContent.split(',').filter((f) => f === 'bot').length >= 2);
  assert.equal(await p.evaluate(() => window.sockets), 1, 'one socket');
  // A changed option: the widget mounts again with it, still one on the page.
  await p.locator('#retitle').click();
  await p.locator('#open-chat:not([disabled])').click();
  await waitFor(p, (r) => r.querySelector('.cc-title')?.textContent === 'Renamed support', null, 'the new title');
  assert.equal(await hosts(p), 1, 'one widget after the remount');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('React inline and open at once, under StrictMode: the widget mounted and unmounted while its part loaded mounts nothing; one socket', async () => {
  const { ctx, page: p, errors } = await open('/react/?inline');
  await waitFor(p, (r) => r.querySelector('.cc-panel.cc-inline') && r.textContent.includes('demo bot'), null, 'the inline panel and the greeting');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await hosts(p), 1, 'one widget');
  assert.equal(await p.evaluate(() => window.sockets), 1, 'one socket');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('Vue (Vite, a single-file component): inline in its box, the composable gives the handle, @message hears', async () => {
  const { ctx, page: p, errors } = await open('/vue/');
  await waitFor(p, (r) => r.querySelector('.cc-panel.cc-inline'), null, 'the inline panel');
  assert.equal(await p.evaluate(() => document.querySelector('[data-captivate-chat]').parentElement.className), 'chat-box');
  assert.equal(await inHost(p, (r) => r.querySelector('.cc-title')?.textContent), 'Vue support');
  // Its language's texts file, which Vite copied from the literal URL that names it.
  assert.equal(await inHost(p, (r) => r.querySelector('textarea').getAttribute('placeholder')), 'Escribe un mensaje…');
  await converse(p);
  await waitFor(p, (r) => r.textContent.includes('demo bot'), null, 'the bot\'s greeting');
  await p.waitForFunction(() => document.querySelector('#heard').textContent.includes('bot'));
  assert.equal(await p.locator('#open-chat').isDisabled(), false, 'the handle reached the slot');
  assert.equal(await hosts(p), 1);
  assert.equal(await p.evaluate(() => window.sockets), 1, 'one socket');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('webpack 5: the ES entry bundled as it is, its parts copied and found; the launcher, the chat, the bot heard', async () => {
  const { ctx, page: p, errors } = await open('/webpack/');
  await p.locator('.cc-launcher').first().click();
  await waitFor(p, (r) => r.querySelector('.cc-panel') && r.textContent.includes('demo bot'), null, 'the greeting');
  assert.equal(await inHost(p, (r) => r.querySelector('.cc-title')?.textContent), 'Webpack support');
  assert.equal(await inHost(p, (r) => r.querySelector('textarea').getAttribute('placeholder')), 'メッセージを入力…', 'Japanese, its file copied by webpack');
  await converse(p);
  await p.waitForFunction(() => window.heard.includes('bot'));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the CDN layout under a path prefix: one script tag, parts found beside the loader', async () => {
  const { ctx, page: p, errors } = await open('/cdn.html');
  const fetched = [];
  p.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await p.locator('.cc-launcher').first().click();
  await waitFor(p, (r) => r.querySelector('.cc-panel') && r.textContent.includes('demo bot'), null, 'the greeting');
  assert.ok(fetched.some((f) => /^\/npm\/captivate-chat-widget@[^/]+\/dist\/captivate-widget\.[0-9a-f]{10}\.wasm$/.test(f)), `the widget's part from the package's dist/: ${fetched}`);
  // Fetched with the main part, before the launcher showed.
  const early = await p.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
  assert.ok(early.some((f) => /^\/npm\/captivate-chat-widget@[^/]+\/dist\/captivate-texts-pt\.[0-9a-f]{10}\.json$/.test(f)), `Portuguese from the package's dist/: ${early}`);
  assert.equal(await inHost(p, (r) => r.querySelector('textarea').getAttribute('placeholder')), 'Digite uma mensagem…');
  await converse(p);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the custom element: from the loader (data-element), inline, events as captivate-*; from the ES module, floating; moved, kept; removed, gone', async () => {
  const { ctx, page: p, errors } = await open('/element.html');
  await waitFor(p, (r) => r.querySelector('.cc-panel.cc-inline'), null, 'the inline panel');
  assert.equal(await p.evaluate(() => document.querySelector('[data-captivate-chat]').parentElement.localName), 'captivate-chat');
  await converse(p);
  await p.waitForFunction(() => window.heard.includes('bot'));
  // Moved within the page (a framework re-parents it): the same widget, no second socket.
  await p.evaluate(() => document.body.prepend(document.querySelector('captivate-chat')));
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(await inHost(p, (r) => r.textContent.includes('You said')), true, 'the conversation stayed');
  assert.equal(await p.evaluate(() => window.sockets), 1);
  // Removed: the widget goes.
  await p.evaluate(() => document.querySelector('captivate-chat').remove());
  await p.waitForFunction(() => document.querySelectorAll('[data-captivate-chat]').length === 0);
  assert.deepEqual(errors, []);
  await ctx.close();

  const second = await open('/element-module.html');
  await second.page.locator('.cc-launcher').first().click();
  await waitFor(second.page, (r) => r.querySelector('.cc-panel') && r.textContent.includes('demo bot'), null, 'the panel');
  assert.equal(await second.page.evaluate(() => typeof document.querySelector('captivate-chat').open), 'function');
  assert.deepEqual(second.errors, []);
  await second.ctx.close();
});

test('on a server (plain Node, as SSR imports it): every entry imports; React renders to a string; init() throws a clear error', () => {
  const dir = path.join(work, 'react');
  const script = `
    const out = {};
    const m = await import('captivate-chat-widget');
    out.exports = Object.keys(m).sort();
    try { m.init({ apiKey: 'k' }); } catch (e) { out.init = e.message; }
    m.reset();
    m.defineElement();
    await import('captivate-chat-widget/element');
    const { createElement } = await import('react');
    const { renderToString } = await import('react-dom/server');
    const { CaptivateChat } = await import('captivate-chat-widget/react');
    out.react = renderToString(createElement(CaptivateChat, { apiKey: 'k', inline: true }));
    const { createSSRApp, h } = await import('vue');
    const { renderToString: vueString } = await import('vue/server-renderer');
    const vue = await import('captivate-chat-widget/vue');
    out.vue = await vueString(createSSRApp({ render: () => h(vue.CaptivateChat, { apiKey: 'k' }) }));
    console.log(JSON.stringify(out));
  `;
  writeFileSync(path.join(dir, 'ssr.mjs'), script);
  const out = JSON.parse(execFileSync(process.execPath, ['ssr.mjs'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } }).trim().split('\n').at(-1));
  assert.deepEqual(out.exports, ['defineElement', 'events', 'greet', 'init', 'load', 'reset']);
  assert.match(out.init, /runs in a browser/);
  assert.equal(out.react, '<div></div>');
  assert.match(out.vue, /^<!--\[-->(<!---->)*<!--\]-->$/, 'nothing but Vue\'s fragment markers');
});

test('what npm packs: the built files, the types, README, CHANGELOG, LICENSE and the third-party notices, one version for both packages, no maps or tests', () => {
  const files = (folder) => JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: folder, encoding: 'utf8' }))[0];
  const widget = files(path.join(root, 'pkg-widget'));
  const dropIn = files(path.join(root, 'pkg'));
  assert.equal(widget.version, dropIn.version, 'versioned together');
  const names = widget.files.map((f) => f.path).sort();
  for (const want of ['LICENSE', 'THIRD-PARTY-NOTICES.md', 'README.md', 'CHANGELOG.md', 'package.json', 'dist/captivate-embed.js', 'dist/index.mjs', 'dist/index.d.ts',
    'dist/react.mjs', 'dist/react.d.ts', 'dist/vue.mjs', 'dist/vue.d.ts', 'dist/element.mjs', 'dist/element.d.ts']) {
    assert.ok(names.includes(want), `${want} is packed: ${names}`);
  }
  for (const part of ['captivate-chat', 'captivate-chat_bg', 'captivate-widget', 'captivate-markdown', 'captivate-greeting', 'captivate-element']) {
    assert.ok(names.some((n) => new RegExp(`^dist/${part}\\.[0-9a-f]{10}\\.(js|wasm)$`).test(n)), `${part} is packed`);
  }
  for (const [kind, n] of [['texts', 20], ['panel', 20], ['emoji', 21]]) {
    assert.equal(names.filter((f) => new RegExp(`^dist/captivate-${kind}-[\\w-]+\\.[0-9a-f]{10}\\.json$`).test(f)).length, n, `${kind}: every language${n === 20 ? ' but English' : ''}`);
  }
  for (const n of [...names, ...dropIn.files.map((f) => f.path)]) {
    assert.doesNotMatch(n, /\.map$|test|\.rs$|^src\//, `${n} is not shipped`);
  }
  assert.ok(dropIn.files.some((f) => f.path === 'CHANGELOG.md'));
  // The notices of what others wrote in each package's files (scripts/notices.mjs): the crates in
  // its wasm with their licences' texts, never a procedural macro's (it runs in the compiler).
  const notices = (folder) => readFileSync(path.join(root, folder, 'THIRD-PARTY-NOTICES.md'), 'utf8');
  assert.ok(dropIn.files.some((f) => f.path === 'THIRD-PARTY-NOTICES.md'));
  for (const [folder, crates, absent] of [['pkg-widget', ['leptos', 'pulldown-cmark', 'serde_json', 'wasm-bindgen'], ['leptos_macro', 'serde_derive', 'wasm-bindgen-macro', 'send_wrapper']],
    ['pkg', ['serde_json', 'wasm-bindgen', 'talc'], ['leptos', 'pulldown-cmark', 'serde_derive']]]) {
    const text = notices(folder);
    assert.match(text, /^## Rust's standard library/m, folder);
    for (const c of crates) assert.match(text, new RegExp(`^## ${c} \\d`, 'm'), `${folder}: ${c}`);
    for (const c of absent) assert.doesNotMatch(text, new RegExp(`^## ${c} \\d`, 'm'), `${folder}: not ${c}`);
    assert.match(text, /Permission is hereby granted/, folder);
  }
  assert.match(notices('pkg-widget'), /^## Unicode CLDR \d+/m);
  assert.match(readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8'), new RegExp(`^## ${version.replaceAll('.', '\\.')} `, 'm'));
  // Each type file compiles against what it names (TypeScript, strict).
  const dir = path.join(work, 'types');
  mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  cpSync(path.join(root, 'pkg-widget'), path.join(dir, 'node_modules', 'captivate-chat-widget'), { recursive: true });
  writeFileSync(path.join(dir, 'use.ts'), `import { init, type CaptivateChatHandle } from 'captivate-chat-widget';
import type {} from 'captivate-chat-widget/element';
const chat: CaptivateChatHandle = init({ apiKey: 'k', theme: 'dark', prechat: ['name', 'email'] });
chat.on('message', (m) => m.from === 'bot');
chat.on('rating', (r) => r.score + 1);
const el = document.querySelector('captivate-chat');
el?.addEventListener('captivate-message', (e) => e.detail.conversationId);
`);
  execFileSync(bin('tsc'), ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'es2022,dom', '--skipLibCheck', 'false', 'use.ts'],
    { cwd: dir, stdio: 'inherit' });
});
