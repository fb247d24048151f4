// The package's ES module (captivate-chat-widget's `import { init } from
// 'captivate-chat-widget'`): the embed loader's core (widgets.js, in this module's scope)
// with the widget's parts named by literal URLs relative to this file, which Vite and
// webpack 5 copy and hash as they are (Rollup with a plugin that follows them). Importing it touches no `window` or `document`
// (server rendering imports it in Node); init() on a server throws.
import { define, events } from './captivate-element.js';

/** The events a widget emits (chat.on(name, …)). */
export { events };

// Each language's files beside this one (its texts but English's, its emoji table), named by
// literal URLs (scripts/build-widget-package.mjs writes them in: `{ 'texts-es': new
// URL('./captivate-texts-es.<hash>.json', import.meta.url).href, … }`).
const files = CAPTIVATE_TEXTS_FILES;
const languages = Object.keys(files).filter((k) => k.startsWith('texts-')).map((k) => k.slice(6)).join(' ');

let core = null;
function widgets() {
  if (typeof window === 'undefined' || typeof document === 'undefined') {
    throw new Error('captivate-chat-widget: init() runs in a browser, and this is not one (call it in an effect, onMounted, or a client-only script)');
  }
  if (!core) {
    const list = (window.CaptivateChat && window.CaptivateChat.widgets) || [];
    core = captivateWidgets(() => {
      const wasm = fetch(new URL('./captivate-chat_bg.wasm', import.meta.url));
      wasm.catch(() => {});
      return import('./captivate-chat.js').then((m) => m.default({ module_or_path: wasm }).then(() => m));
    }, list, languages, (name) => files[name]);
  }
  return core;
}

/** Mounts a widget; the handle is the one `CaptivateChat.init` gives (index.d.ts). */
export function init(options) { return widgets().init(options); }
/** Loads the widget's parts now (a page that knows the visitor is about to chat). */
export function load() { return widgets().load(); }
/** Forgets the visitor in every widget on the page (on logout). Nothing on a server. */
export function reset() { if (core) core.reset(); }
/** A greeting beside the launcher of every floating widget whose chat is closed, now. */
export function greet(text) { widgets().greet(text); }
/** Defines <captivate-chat> (element.d.ts); nothing on a server. */
export function defineElement(name) {
  if (typeof customElements === 'undefined') return;
  define(widgets(), name);
}
