// Staying connected: three conversations of our drop-in API (in Node, real sockets) send
// 1,000 messages in all while the local server's sockets are dropped 8 times and its
// process is killed and restarted twice (same port, same SQLite file), all within about
// 10 s: a flapping server. Counts what the server stored and what the client heard back:
// lost, duplicated, misordered; and how long the client took to be connected again after
// each drop and restart (the backoff grows while no link stays up 15 s: see retry.rs).
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../tests/node/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** Lost, duplicated and misordered entries of `seen` against `0..expected-1`. */
export function tally(seen, expected) {
  const unique = new Set(seen);
  let misordered = 0;
  let highest = -1;
  for (const n of seen) {
    if (n < highest) misordered++;
    highest = Math.max(highest, n);
  }
  let lost = 0;
  for (let i = 0; i < expected; i++) if (!unique.has(i)) lost++;
  return { lost, duplicated: seen.length - unique.size, misordered };
}

/** Polls until the server counts at least one open socket; the milliseconds it took. */
async function resumed(server, from, limit = 30000) {
  while (performance.now() - from < limit) {
    try {
      if ((await server.openSockets()) >= 1) return performance.now() - from;
    } catch { /* not listening yet */ }
    await sleep(5);
  }
  return NaN;
}

export async function stayingConnected({ messages = 1000, drops = 8, restarts = 2, conversations = 3 } = {}) {
  const port = await freePort();
  const db = path.join(mkdtempSync(path.join(tmpdir(), 'soak-')), 'soak.db');
  const args = ['--port', String(port), '--db', db, '--bot-delay-ms', '5'];
  let server = await startServer(args);
  const { CaptivateChatAPI } = await import(path.join(root, 'pkg', 'dist', 'captivate-chat-api.mjs'));
  const api = new CaptivateChatAPI('soak-key', 'prod', { baseUrl: server.base });
  await api.connect();
  const convs = [];
  const heard = [];
  for (let k = 0; k < conversations; k++) {
    const conv = await api.createConversation(`soak-user-${k}`, {}, {}, 'user-first');
    const got = [];
    conv.onMessage((content) => {
      const m = JSON.stringify(content).match(/m(\d+)-(\d+)/);
      if (m && Number(m[1]) === k) got.push(Number(m[2]));
    });
    convs.push(conv);
    heard.push(got);
  }

  // Chaos, spread over the time the messages take to send (one every 10 ms).
  const span = messages * 10;
  const dropTimes = [];
  const restartTimes = [];
  let chaosDone = false;
  const chaos = (async () => {
    const events = [
      ...Array.from({ length: drops }, (_, i) => ({ at: ((i + 0.5) * span) / drops, kind: 'drop' })),
      ...Array.from({ length: restarts }, (_, i) => ({ at: ((i + 0.75) * span) / restarts, kind: 'restart' })),
    ].sort((a, b) => a.at - b.at);
    const t0 = performance.now();
    for (const e of events) {
      await sleep(Math.max(0, e.at - (performance.now() - t0)));
      if (e.kind === 'drop') {
        const from = performance.now();
        try { await server.fault('drop-sockets'); } catch { continue; }
        await sleep(20); // the dropped socket is gone before we look for the new one
        dropTimes.push(await resumed(server, from));
      } else {
        const from = performance.now();
        await server.stop();
        await sleep(300);
        server = await startServer(args);
        restartTimes.push({ down: performance.now() - from, reconnect: await resumed(server, performance.now()) });
      }
    }
    chaosDone = true;
  })();

  const sends = [];
  const sent = convs.map(() => 0);
  for (let i = 0; i < messages; i++) {
    const k = i % conversations;
    sends.push(convs[k].sendMessage(`m${k}-${sent[k]++}`).then(() => 'ok', (e) => String(e?.message ?? e)));
    await sleep(10);
  }
  const outcomes = await Promise.all(sends);
  await chaos;
  // Replies still on their way.
  const start = performance.now();
  while (heard.reduce((n, h) => n + h.length, 0) < messages && performance.now() - start < 20000) await sleep(50);

  const stored = [];
  const answered = [];
  const numbers = (entries) => entries.map((e) => Number((JSON.stringify(e).match(/m\d+-(\d+)/) || [])[1])).filter((n) => !Number.isNaN(n));
  for (const conv of convs) {
    const entries = (await server.transcript(conv.getConversationId(), 'soak-key')).transcript || [];
    stored.push(numbers(entries.filter((e) => e.from === 'user')));
    answered.push(new Set(numbers(entries.filter((e) => e.from === 'bot'))));
  }
  api.dispose();
  await server.stop();

  const sum = (list) => list.reduce((a, t) => ({ lost: a.lost + t.lost, duplicated: a.duplicated + t.duplicated, misordered: a.misordered + t.misordered }), { lost: 0, duplicated: 0, misordered: 0 });
  return {
    messages, drops, restarts, conversations, chaosDone,
    rejected: outcomes.filter((o) => o !== 'ok'),
    stored: sum(stored.map((s, k) => tally(s, sent[k]))),
    // A reply the server never stored (its process was killed while the bot was answering)
    // cannot reach anyone: counted apart, not as lost by the client.
    unanswered: answered.reduce((n, a, k) => n + sent[k] - a.size, 0),
    replies: sum(heard.map((h, k) => {
      const t = tally(h, sent[k]);
      const heardSet = new Set(h);
      return { ...t, lost: [...answered[k]].filter((n) => !heardSet.has(n)).length };
    })),
    dropTimes,
    restartTimes,
  };
}

// `node scripts/soak.mjs` runs it alone and prints the result.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  console.log(JSON.stringify(await stayingConnected(), null, 2));
}
