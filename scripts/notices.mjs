// THIRD-PARTY-NOTICES.md of each npm package (scripts/build-js-api.mjs, scripts/build-widget-package.mjs):
// the crates compiled into its wasm, each with its licence's text as the crate ships it (the
// MIT text where a crate offers MIT among others, as its copyright line is that crate's own),
// Rust's standard library (built with the crate), and data of others the files carry.
//
// Which crates: `cargo tree` of captivate-chat for wasm32 with the package's features, normal
// dependencies only (not build or dev ones), without procedural macros and what they alone
// depend on (they run in the compiler; none of their code is in the module), nor this
// workspace's own crates.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** `name version` of every crate in the wasm built with `features` (for
 * `--no-default-features --features <features>`), sorted; throws when cargo fails or lists none. */
export function shippedCrates(root, features) {
  const tree = execFileSync('cargo', ['tree', '--locked', '-q', '-e', 'normal', '--target', 'wasm32-unknown-unknown',
    '-p', 'captivate-chat', '--no-default-features', '--features', features, '--prefix', 'depth', '--no-dedupe',
    '--format', '{p}'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  const found = new Set();
  let macroDepth = Infinity;
  for (const line of tree.split('\n')) {
    const m = line.match(/^(\d+)(\S+) v(\S+)(.*)$/);
    if (!m) continue;
    const [, d, name, version, rest] = m;
    const depth = Number(d);
    if (depth <= macroDepth) macroDepth = Infinity;
    if (macroDepth !== Infinity) continue;
    if (rest.includes('(proc-macro)')) {
      macroDepth = depth;
      continue;
    }
    // This workspace's own crates (a path in it): ours, under the package's LICENSE.
    const where = rest.match(/\(([^)]+)\)/)?.[1];
    if (where && path.resolve(where).startsWith(root)) continue;
    found.add(`${name} ${version}`);
  }
  if (found.size === 0) throw new Error(`scripts/notices.mjs: cargo tree lists no crate for the features ${features}`);
  return [...found].sort();
}

/** The licence files a crate ships that apply to what we use: its MIT text when its licence
 * offers MIT, else its Apache text, else its one licence file; and, when its licence adds
 * another with AND (unicode-ident's `(MIT OR Apache-2.0) AND Unicode-3.0`), that one's files
 * too. None when it ships none. */
export function licenceFiles(dir, licence = '') {
  const files = readdirSync(dir).filter((f) => /^(licen[sc]e|copying)/i.test(f)).sort((a, b) => a.length - b.length);
  const chosen = (/\bMIT\b/.test(licence) && files.find((f) => /mit/i.test(f)))
    || (/Apache-2\.0/.test(licence) && files.find((f) => /apache/i.test(f)))
    || files[0];
  if (!chosen) return [];
  const also = /\bAND\b/.test(licence) ? files.filter((f) => f !== chosen && !/mit|apache/i.test(f)) : [];
  return [chosen, ...also].map((f) => path.join(dir, f));
}

/** The notices' Markdown: `crates` (shippedCrates), `data` (`[{ what, licence }]`: text). */
export function thirdPartyNotices(root, { packageName, crates, data = [] }) {
  const meta = JSON.parse(execFileSync('cargo', ['metadata', '--locked', '--all-features', '--format-version', '1'], {
    cwd: root, encoding: 'utf8', maxBuffer: 64 << 20,
  }));
  const byName = new Map(meta.packages.map((p) => [`${p.name} ${p.version}`, p]));
  const own = readFileSync(path.join(root, 'LICENSE'), 'utf8');
  const mitBody = own.slice(own.indexOf('Permission is hereby granted'));
  const out = [`# Third-party notices

${packageName}'s files hold code and data of others, under the licences below. Its own code is under its
LICENSE (MIT). Rust crates are compiled into the WebAssembly module; where a crate offers a choice of
licences, the MIT licence is the one used.

## Rust's standard library (core, alloc, std)

Compiled with the module. MIT OR Apache-2.0, https://github.com/rust-lang/rust; used under MIT:

\`\`\`
Copyright (c) The Rust Project Contributors

${mitBody.trim()}
\`\`\`
`];
  const seen = new Map();
  for (const id of crates) {
    const p = byName.get(id);
    if (!p) throw new Error(`scripts/notices.mjs: cargo metadata does not know ${id}`);
    const files = licenceFiles(path.dirname(p.manifest_path), p.license ?? undefined);
    const head = `## ${p.name} ${p.version}\n\n${p.license ?? p.license_file ?? 'no licence named'}${p.repository ? `, ${p.repository}` : ''}\n`;
    // A crate that ships no licence file (Leptos's): its MIT text, with its authors as the
    // copyright holders; another licence, by name.
    let text;
    if (files.length > 0) {
      text = files.map((f) => readFileSync(f, 'utf8').trim()).join('\n\n');
    } else if (/\bMIT\b/.test(p.license ?? '')) {
      const holders = p.authors?.length ? p.authors.join(', ') : `the authors of ${p.name}`;
      text = `Copyright (c) ${holders}\n\n${mitBody.trim()}`;
    } else {
      out.push(`${head}\nThe crate ships no licence file; its licence is the one named above.\n`);
      continue;
    }
    const hash = createHash('sha256').update(text).digest('hex');
    if (seen.has(hash)) {
      out.push(`${head}\nThe same text as ${seen.get(hash)} above.\n`);
    } else {
      seen.set(hash, `${p.name} ${p.version}`);
      out.push(`${head}\n\`\`\`\n${text}\n\`\`\`\n`);
    }
  }
  for (const { what, licence } of data) out.push(`## ${what}\n\n\`\`\`\n${licence.trim()}\n\`\`\`\n`);
  return out.join('\n');
}
