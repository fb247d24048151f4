// Test harness for Node: starts the local server binary on a free loopback port, and
// redirects the official client's hard-coded hosts (fetch and WebSocket) to it,
// recording every request that reaches the server for differential comparisons.
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import zlib, { gzipSync, brotliCompressSync } from 'node:zlib';
import { minify } from 'terser';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const serverBin = process.env.CAPTIVATE_SERVER_BIN || path.join(root, 'target', 'debug', 'captivate-server');

/**
 * Starts `captivate-server` (faults on; in memory on a free port unless `--db` / `--port`
 * are given) and resolves once it listens.
 */
export async function startServer(extraArgs = []) {
  const args = ['--faults', ...extraArgs];
  if (!extraArgs.includes('--port')) args.push('--port', '0');
  if (!extraArgs.includes('--db')) args.push('--memory');
  if (!extraArgs.includes('--bot-delay-ms')) args.push('--bot-delay-ms', '40');
  const child = spawn(serverBin, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 15000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/listening on (http:\/\/[^/\s]+)\//);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}: ${out}`)); });
  });
  return {
    base,
    wsBase: base.replace(/^http/, 'ws'),
    async fault(name, body = {}) {
      const r = await realFetch(`${base}/__faults/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return r.json();
    },
    /** The transcript of a conversation, as the server lists it. */
    async transcript(conversationId, apiKey = 'demo-key') {
      const r = await realFetch(`${base}/api/transcript?conversation_id=${conversationId}`, { headers: { 'x-api-key': apiKey } });
      return r.json();
    },
    async openSockets() {
      return (await (await realFetch(`${base}/__faults/sockets`)).json()).open;
    },
    /** Kills the process (no goodbye to the sockets); resolves once it has exited. */
    stop() {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      return exited;
    },
  };
}

const realFetch = globalThis.fetch;
const RealWebSocket = globalThis.WebSocket;

const HTTP_HOSTS = ['https://channel.prod.captivat.io', 'https://channel.dev.captivat.io', 'https://file-to-text.prod.captivat.io'];
const WS_HOSTS = ['wss://channel.wss.captivatechat.ai', 'wss://channel-dev.wss.captivatechat.ai'];

let target = null;
let installed = false;

/**
 * Sends the official hosts to `server` and records requests into `log`:
 * `{ kind, method, path, host, apiKey, body }` with the JSON body parsed. Calling it
 * again points the same wrappers at another server and log.
 */
export function redirect(server, log = []) {
  target = { server, log };
  if (installed) return log;
  installed = true;
  const rewrite = (url) => {
    const { server } = target;
    for (const h of HTTP_HOSTS) if (url.startsWith(h)) return { url: server.base + url.slice(h.length), host: h };
    for (const h of WS_HOSTS) if (url.startsWith(h)) return { url: server.wsBase + url.slice(h.length), host: h };
    return { url, host: null };
  };
  globalThis.fetch = async (input, init = {}) => {
    const original = typeof input === 'string' ? input : input.url;
    const { url, host } = rewrite(original);
    const headers = new Headers(init.headers || {});
    let body = init.body;
    if (typeof body === 'string') { try { body = JSON.parse(body); } catch { /* keep text */ } }
    else if (body instanceof FormData) body = Object.fromEntries([...body.entries()].map(([k, v]) => [k, typeof v === 'string' ? v : `<file ${v.name} ${v.size}B>`]));
    if (host) target.log.push({ kind: 'http', method: init.method || 'GET', host, path: new URL(url).pathname + new URL(url).search, apiKey: headers.get('x-api-key'), body });
    return realFetch(url, init);
  };
  globalThis.WebSocket = class RedirectedWebSocket extends RealWebSocket {
    constructor(url, protocols) {
      const { url: to, host } = rewrite(String(url));
      super(to, protocols);
      if (host) target.log.push({ kind: 'ws', host, path: new URL(to).pathname + new URL(to).search });
    }
  };
  return log;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Replaces what differs run to run (ids, tokens, ports, times) with placeholders. */
export function normalize(value, key = '') {
  if (Array.isArray(value)) return value.map((v) => normalize(v));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v, k)]));
  }
  if (typeof value === 'string') {
    // 7.0.0 sends `unique-message-id-<ms>` for messages, ours a UUID (documented difference).
    if (key === 'client_msg_id') return /^(metadata|edit-message-id)-/.test(value) ? value.replace(/-.*$/, '-<id>') : '<client_msg_id>';
    if (key === 'socket_id') return '<socket>';
    return value.replace(UUID, '<uuid>').replace(/127\.0\.0\.1:\d+/g, '<host>').replace(/\/files\/[0-9a-f]{32}/g, '/files/<token>').replace(/[0-9a-f]{32}-/g, '<token>-').replace(/attachment_\d+/g, 'attachment_<ms>');
  }
  if (typeof value === 'number' && /^(expiresIn|processingTime|createdAt|updatedAt|created_at)$/.test(key)) return '<number>';
  return value;
}

/** The conversation id a widget page keeps in localStorage (null when there is none). */
export function storedConversation(page) {
  return page.evaluate(() => {
    for (let i = 0; i < localStorage.length; i++) {
      try {
        const v = JSON.parse(localStorage.getItem(localStorage.key(i)) || 'null');
        if (v && v.conversationId) return v.conversationId;
      } catch { /* another key */ }
    }
    return null;
  });
}

/** Resolves when `predicate()` is true, polling; rejects after `ms`. */
export async function until(predicate, ms = 5000, what = 'condition') {
  const start = Date.now();
  while (!(await predicate())) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Counts, in `window.sockets`, the WebSockets the page opens (Playwright's own socket
 * events do not report here). */
export function countSockets(page) {
  return page.addInitScript(() => {
    window.sockets = 0;
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(...args) { super(...args); window.sockets += 1; }
    };
  });
}

/** Debian's Chromium, headless, with this machine's flags. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--lang=en-US', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** The files of dist/ that the build named `<stem>.<hash>.<ext>` (scripts/post-build.mjs), as
 * `dist/…` paths; `stem` is a pattern. */
export function built(stem, ext) {
  const dist = path.join(root, 'dist');
  const named = new RegExp(`^${stem}\\.[0-9a-f]{10}\\.${ext}$`);
  const found = existsSync(dist) ? readdirSync(dist).filter((f) => named.test(f)).sort() : [];
  return found.map((f) => `dist/${f}`);
}

/**
 * What a browser downloads for each shipped artifact, in bytes: each file compressed on
 * its own (as a server sends it), gzip -9 and brotli 11, summed over the artifact's files.
 * The size guard (sizes.test.mjs) and `make bench` read the same figures.
 */
export const ARTIFACTS = {
  'widget first load': ['dist/captivate-embed.js', ...built('captivate-chat', 'js'), ...built('captivate-chat_bg', 'wasm')],
  // A visitor in another language fetches its launcher's texts with the main part: Russian's
  // are the largest (their three plural forms).
  'widget first load in Russian (with its launcher texts)': ['dist/captivate-embed.js', ...built('captivate-chat', 'js'),
    ...built('captivate-chat_bg', 'wasm'), ...built('captivate-texts-ru', 'json')],
  // The rest of a language's texts, fetched with the widget's part (Russian's, the largest).
  'widget panel texts, Russian (with the widget part)': built('captivate-panel-ru', 'json'),
  // The emoji picker's table, fetched when the visitor first opens it (Russian's, the largest).
  'widget emoji table, Russian (when the picker first opens)': built('captivate-emoji-ru', 'json'),
  // With the code it shares with the markdown part only (wasm-split's shared chunks), which
  // whichever of the two loads first fetches.
  'widget (loaded when the page is idle, or on a click)': [...built('captivate-widget', 'wasm'), ...built('captivate-shared-\\d+', 'wasm')],
  'widget markdown part (fetched when idle or needed)': built('captivate-markdown', 'wasm'),
  // Fetched when a greeting shows, with the code it shares with the widget's part (a shared
  // chunk, counted above: whichever of the two comes first fetches it).
  'widget greeting part (fetched when a greeting shows)': [...built('captivate-greeting', 'wasm')],
  'JS API, <script src>': ['pkg/dist/captivate-chat-api.js'],
  'JS API, ES import': ['pkg/dist/captivate-chat-api.mjs'],
};

/**
 * What each of the widget package's modules adds to an app's bundle (minified by terser as
 * a bundler would, then gzip -9 and brotli 11), beside the wasm parts every way shares:
 * the ES entry (the loader's core), each adapter on top of it. The size guard holds the
 * adapters to 2 kB gzip (issue 42); `make bench` reports them.
 */
export const PACKAGE_MODULES = {
  'package ES entry (index.mjs + the element module)': ['pkg-widget/dist/index.mjs', ...built('captivate-element', 'js')],
  'React adapter (react.mjs)': ['pkg-widget/dist/react.mjs'],
  'Vue adapter (vue.mjs)': ['pkg-widget/dist/vue.mjs'],
  'custom element entry (element.mjs)': ['pkg-widget/dist/element.mjs'],
};

export async function minifiedSizes(files) {
  const out = { raw: 0, gzip: 0, brotli: 0 };
  for (const f of files) {
    const min = await minify(readFileSync(path.join(root, f), 'utf8'), { module: true, compress: { passes: 2 }, mangle: true });
    const bytes = Buffer.from(min.code);
    out.raw += bytes.length;
    out.gzip += gzipSync(bytes, { level: 9 }).length;
    out.brotli += brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  return out;
}

export function transferSizes(files) {
  const out = { raw: 0, gzip: 0, brotli: 0 };
  for (const f of files) {
    const bytes = readFileSync(path.isAbsolute(f) ? f : path.join(root, f));
    out.raw += bytes.length;
    out.gzip += gzipSync(bytes, { level: 9 }).length;
    out.brotli += brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  return out;
}
