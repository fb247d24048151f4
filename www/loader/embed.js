// The embed loader's script-tag form (scripts/loader.mjs writes captivate-embed.js: this,
// with widgets.js in its scope, in a function of its own).
var script = document.currentScript;
var base = new URL('.', script && script.src ? script.src : location.href);

// The widget's main part next to this file (wasm-bindgen's `web` output: its glue and its
// wasm), instantiated. Its wasm is fetched alongside its glue rather than after it: one round
// trip fewer. (The build gives both names with their content's hash.)
function instantiate() {
  var wasm = fetch(new URL('captivate-chat_bg.wasm', base).href);
  wasm.catch(function () {});
  return import(new URL('captivate-chat.js', base).href).then(function (m) {
    return m.default({ module_or_path: wasm }).then(function () { return m; });
  });
}

// The languages whose texts are a file next to this one, and the common hash of the files
// beside the parts (scripts/loader.mjs writes both in): `captivate-<name>.<hash>.json`, the
// name `texts-<lang>` or `emoji-<lang>`.
var languages = CAPTIVATE_LANGUAGES;
function fileUrl(name) {
  return new URL('captivate-' + name + '.' + CAPTIVATE_TEXTS_HASH + '.json', base).href;
}

var api = window.CaptivateChat || {};
var core = captivateWidgets(instantiate, api.widgets || [], languages, fileUrl);
api.widgets = core.widgets;
api.init = core.init;
api.load = core.load;
api.reset = core.reset;
api.greet = core.greet;
// <captivate-chat api-key="…"> (and any attribute of the data-* ones, without data-): defined
// when a page asks, by calling this or with the tag's data-element; its code loads then.
// (The browser imports a module once: a second call defines nothing more.)
api.defineElement = function () {
  return import(new URL('captivate-element.js', base).href).then(function (m) { m.define(core); });
};
window.CaptivateChat = api;

// Captivate's own widget snippet.
var captivate = window.Captivate || {};
var connectCallbacks = [];
captivate.init = function (options) {
  var h = api.init(options);
  captivate.widget = h;
  h.on('connection', function (state) {
    if (state === 'online') connectCallbacks.forEach(function (cb) { try { cb(); } catch (e) { console.error(e); } });
  });
  // A page that listens for the connection asks for it.
  if (connectCallbacks.length) h.connect();
  return h;
};
captivate.onConnect = function (cb) {
  connectCallbacks.push(cb);
  if (captivate.widget) captivate.widget.connect();
  if (captivate.widget && captivate.widget.isConnected) cb();
};
Object.defineProperty(captivate, 'isConnected', { configurable: true, get: function () { return !!captivate.widget && captivate.widget.isConnected; } });
window.Captivate = captivate;

if (script && script.dataset.element !== undefined) {
  api.defineElement().catch(function (e) { console.error('[CaptivateChat] <captivate-chat> could not load:', e); });
}

// The tag's widget; the same tag included twice (a CMS plugin and a theme both add it) mounts
// one: a second tag with the same key and options adds nothing, another key or options another.
if (script && script.dataset.apiKey) {
  // Every data-* attribute, by its camel-case name (data-api-key: apiKey); the widget reads
  // those it knows (README, "Options").
  var options = captivateOptions(Object.assign({}, script.dataset));
  var same = JSON.stringify(options);
  var embedded = api.__embedded || [];
  if (!Object.prototype.hasOwnProperty.call(api, '__embedded')) {
    Object.defineProperty(api, '__embedded', { value: embedded });
  }
  if (embedded.indexOf(same) < 0) {
    embedded.push(same);
    api.init(options);
  }
}
