// The widget's debug build for `make dev` (Trunk's hook when Trunk builds without --release):
// one module, no split, no optimizer, no renaming, the standard library as rustup ships it.
// Seconds after the first build; the release pipeline (scripts/post-build.mjs) is `make build`'s.
// Writes what the embed loader loads by default: captivate-chat.js (wasm-bindgen's glue, with
// the socket's frame reader and every resource in its scope, scripts/resources.mjs, where the
// release build puts the widget part's in that part) and captivate-chat_bg.wasm.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { languageFiles, resources, resourcesScript } from './resources.mjs';
import { embedLoader } from './loader.mjs';

/** Builds the widget in debug into `dest` (a folder Trunk stages). */
export function devBuild(root, dest) {
  const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
  run('cargo', ['build', '--locked', '--target', 'wasm32-unknown-unknown', '--lib', '-p', 'captivate-chat',
    '--no-default-features', '--features', 'widget']);
  const built = path.join(root, 'target', 'wasm32-unknown-unknown', 'debug', 'captivate_chat.wasm');
  run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--debug', '--out-name', 'captivate-chat', '--out-dir', dest, built]);
  const glue = path.join(dest, 'captivate-chat.js');
  const frameReader = readFileSync(path.join(root, 'src', 'client', 'wasm', 'frame.js'), 'utf8');
  const { languages, panels, emoji, ...parts } = resources(root);
  const all = Object.assign({}, ...Object.values(parts));
  const texts = languageFiles({ texts: languages, panel: panels, emoji });
  for (const [file, json] of Object.entries(texts.contents)) writeFileSync(path.join(dest, file), json);
  writeFileSync(path.join(dest, 'captivate-embed.js'), embedLoader(root, texts));
  writeFileSync(path.join(dest, 'captivate-element.js'), readFileSync(path.join(root, 'www', 'loader', 'element.js'), 'utf8'));
  writeFileSync(glue, `${frameReader}\n${resourcesScript(root, all)}\n${readFileSync(glue, 'utf8')}`);
}
