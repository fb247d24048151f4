// `make bench`: measures, in one run on this machine, what a user would compare —
// bytes over the wire (ours next to the anchors, packed from npm now, nothing hard-coded),
// start-up of the widget, and event throughput of our API against the official client in
// the same page and server — then prints a table and writes BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, existsSync, readdirSync, mkdirSync, copyFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { tmpdir, cpus, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launch } from '../tests/node/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const kb = (n) => (n / 1024).toFixed(1);
const sizes = (bufs) => {
  const all = Buffer.concat(bufs);
  return { raw: all.length, gzip: gzipSync(all, { level: 9 }).length, brotli: brotliCompressSync(all, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length };
};
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

// ---------- bytes ----------
const rows = [];
const dist = path.join(root, 'dist');
const widgetFiles = ['captivate-embed.js', 'captivate-chat.js', 'captivate-chat_bg.wasm'];
rows.push({ name: 'ours: widget first load (embed loader + JS + wasm, CSS inside)', ...sizes(widgetFiles.map((f) => readFileSync(path.join(dist, f)))) });
rows.push({ name: 'ours: JS API (pkg/captivate-chat-api.js, wasm inlined)', ...sizes([readFileSync(path.join(root, 'pkg', 'captivate-chat-api.js'))]) });
const anchors = [
  ['captivate-chat-api@7.0.0', 'dist/captivate-chat-api.js'],
  ['botframework-webchat', 'dist/webchat.js'],
  ['botframework-webchat', 'dist/webchat-minimal.js'],
  ['deep-chat', 'dist/deepChat.bundle.js'],
  ['@n8n/chat', 'dist/chat.bundle.umd.js'],
  ['rasa-webchat', 'lib/index.js'],
];
const packDir = mkdtempSync(path.join(tmpdir(), 'anchors-'));
const unpacked = {};
for (const [pkg, file] of anchors) {
  try {
    if (!unpacked[pkg]) {
      const out = execFileSync('npm', ['pack', pkg, '--silent', '--pack-destination', packDir], { encoding: 'utf8' }).trim().split('\n').pop();
      const dir = path.join(packDir, out.replace(/\.tgz$/, ''));
      mkdirSync(dir, { recursive: true });
      execFileSync('tar', ['xzf', path.join(packDir, out), '-C', dir]);
      unpacked[pkg] = { dir: path.join(dir, 'package'), version: out.replace(/\.tgz$/, '').split('-').pop() };
    }
    const f = path.join(unpacked[pkg].dir, file);
    rows.push({ name: `${pkg.split('@')[0] || pkg.replace(/@[^@]*$/, '')}${pkg.startsWith('@') ? '' : ''} ${unpacked[pkg].version}: ${file}`.replace(/^ /, pkg + ' '), ...sizes([readFileSync(f)]) });
  } catch (e) {
    rows.push({ name: `${pkg}: ${file} (unavailable: ${String(e.message).split('\n')[0]})`, raw: NaN, gzip: NaN, brotli: NaN });
  }
}

// ---------- start-up and throughput, in Chromium against the local server ----------
const site = mkdtempSync(path.join(tmpdir(), 'bench-site-'));
for (const f of readdirSync(dist)) if (!f.startsWith('.') && f !== 'embed') copyFileSync(path.join(dist, f), path.join(site, f));
copyFileSync(path.join(root, 'pkg', 'captivate-chat-api.js'), path.join(site, 'ours.js'));
copyFileSync(path.join(root, 'node_modules', 'captivate-chat-api', 'dist', 'captivate-chat-api.js'), path.join(site, 'official.js'));
writeFileSync(path.join(site, 'startup.html'), `<!doctype html><html><head><meta charset="utf-8"><script>window.__t0 = performance.now();</script></head><body><script src="captivate-embed.js" data-api-key="bench-key" data-base-url="/" defer></script></body></html>`);
writeFileSync(path.join(site, 'throughput.html'), `<!doctype html><html><head><meta charset="utf-8"></head><body>
<script>
  // The official client hard-codes its hosts: send them to this server.
  const origin = location.origin, ws = origin.replace(/^http/, 'ws');
  const realFetch = window.fetch.bind(window), RealWS = window.WebSocket;
  const map = (u) => String(u).replace(/^https:\\/\\/channel\\.prod\\.captivat\\.io/, origin).replace(/^wss:\\/\\/channel\\.wss\\.captivatechat\\.ai/, ws);
  window.fetch = (u, i) => realFetch(map(u), i);
  window.WebSocket = class extends RealWS { constructor(u, p) { super(map(u), p); } };
</script>
<script src="official.js"></script>
<script>window.Official = { CaptivateChatAPI: window.CaptivateChatAPI };</script>
<script src="ours.js"></script>
<script>window.Ours = { CaptivateChatAPI: window.CaptivateChatAPI };</script>
</body></html>`);

const server = await startServer(['--dist', site, '--bot-delay-ms', '20']);
const browser = await launch();
const startup = { interactive: [], greeting: [] };
for (let i = 0; i < 10; i++) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${server.base}/startup.html`);
  const interactive = await page.evaluate(async () => {
    for (;;) {
      const b = document.querySelector('[data-captivate-chat]')?.shadowRoot?.querySelector('.cc-launcher');
      if (b) return performance.now() - window.__t0;
      await new Promise((r) => setTimeout(r, 2));
    }
  });
  const greeting = await page.evaluate(async () => {
    const root = document.querySelector('[data-captivate-chat]').shadowRoot;
    const t = performance.now();
    root.querySelector('.cc-launcher').click();
    for (;;) {
      if (root.querySelector('.cc-bot')) return performance.now() - t;
      await new Promise((r) => setTimeout(r, 2));
    }
  });
  startup.interactive.push(interactive);
  startup.greeting.push(greeting);
  await ctx.close();
}

const N = Number(process.env.BENCH_EVENTS || 10000);
const page = await browser.newPage();
await page.goto(`${server.base}/throughput.html`);
const throughput = {};
for (const lib of ['Official', 'Ours', 'Official', 'Ours']) {
  const key = `tp-${lib}-${Math.random().toString(36).slice(2)}`;
  const id = await page.evaluate(async ([lib, key]) => {
    const { CaptivateChatAPI } = window[lib];
    const api = lib === 'Ours' ? new CaptivateChatAPI(key, 'prod', { baseUrl: location.origin }) : new CaptivateChatAPI(key);
    await api.connect();
    const conv = await api.createConversation('bench', {}, {}, 'user-first');
    window.__count = 0;
    window.__conv = conv;
    window.__api = api;
    conv.onMessage(() => { window.__count++; if (window.__count === window.__target) window.__done = performance.now(); });
    return conv.getConversationId();
  }, [lib, key]);
  await page.evaluate((n) => { window.__target = n; window.__done = 0; window.__start = performance.now(); }, N);
  await server.fault('burst', { conversation_id: id, count: N });
  const ms = await page.evaluate(async () => {
    const t = performance.now();
    while (!window.__done && performance.now() - t < 60000) await new Promise((r) => setTimeout(r, 5));
    const ms = window.__done ? window.__done - window.__start : NaN;
    window.__api.dispose();
    return ms;
  });
  (throughput[lib] ||= []).push(ms);
}
await browser.close();
await server.fault('close-sockets', { code: 1000 });
server.stop();

// ---------- report ----------
const ours = rows[0];
const table = rows.map((r) => `| ${r.name} | ${kb(r.raw)} | ${kb(r.gzip)} | ${kb(r.brotli)} |`).join('\n');
const tpOff = Math.min(...throughput.Official);
const tpOurs = Math.min(...throughput.Ours);
const date = new Date().toISOString().slice(0, 10);
const md = `# Benchmarks

Produced by \`make bench\` (\`node scripts/bench.mjs\`) on ${date}: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB,
headless Debian Chromium, the local server on loopback. Every comparison is measured in the same run; absolute
times are context only (shared, noisy machine).

## Bytes over the wire (KiB)

Anchors are packed from npm by the same command (\`npm pack\`), nothing is hard-coded.

| what | raw | gzip -9 | brotli 11 |
|---|---|---|---|
${table}

Budgets: widget first load ≤ 110 KiB gzip — **${kb(ours.gzip)} KiB: ${ours.gzip <= 110 * 1024 ? 'met' : 'not met'}**;
JS API ≤ 45 KiB gzip — **${kb(rows[1].gzip)} KiB: ${rows[1].gzip <= 45 * 1024 ? 'met' : 'not met'}**.

## Start-up (median of 10, fresh browser context each)

| step | median ms | min | max |
|---|---|---|---|
| script start → launcher interactive | ${median(startup.interactive).toFixed(0)} | ${Math.min(...startup.interactive).toFixed(0)} | ${Math.max(...startup.interactive).toFixed(0)} |
| click → panel open with the greeting rendered | ${median(startup.greeting).toFixed(0)} | ${Math.min(...startup.greeting).toFixed(0)} | ${Math.max(...startup.greeting).toFixed(0)} |

The greeting includes the server's conversation start and the demo bot's ${20} ms "thinking" delay.

## Event throughput: ${N.toLocaleString('en')} \`bot_message\` frames, same page, same server

Time from the server's burst to the last \`onMessage\` callback, best of two runs each.

| client | ms | ratio to official |
|---|---|---|
| captivate-chat-api 7.0.0 | ${tpOff.toFixed(0)} | 1.00 |
| ours | ${tpOurs.toFixed(0)} | ${(tpOurs / tpOff).toFixed(2)} |

Goal: ratio ≤ 1.0.

## Not measured yet

Rendering of a 1,000-message burst and of a 10,000-message transcript, memory after 10,000 messages, and the
staying-connected soak (socket drops and server restarts) are not part of this command yet.
`;
writeFileSync(path.join(root, 'BENCHMARKS.md'), md);
console.log(md);
