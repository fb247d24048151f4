/*! Captivate chat — embed loader. One line on any page:
 *  <script src="https://…/captivate-embed.js" data-api-key="KEY" defer></script>
 *  Loads the widget (WebAssembly) next to this file and mounts it; `CaptivateChat.init({...})`
 *  and Captivate's own `Captivate.init({ apiKey })` work too. MIT. */
(function () {
  'use strict';
  var script = document.currentScript;
  var base = new URL('.', script && script.src ? script.src : location.href);
  var loading = null;

  function load() {
    if (!loading) {
      loading = import(new URL('captivate-chat.js', base).href).then(function (m) {
        return m.default({ module_or_path: new URL('captivate-chat_bg.wasm', base).href }).then(function () { return m; });
      });
    }
    return loading;
  }

  // data-api-key, data-mode, data-base-url, data-user-id, data-start, data-title, data-position,
  // data-theme, data-accent, data-locale, data-open, data-nonce
  function fromDataset(ds) {
    var o = {};
    ['apiKey', 'mode', 'userId', 'start', 'title', 'position', 'theme', 'accent', 'locale', 'nonce', 'socketUrl', 'apiUrl', 'fileUrl']
      .forEach(function (k) { if (ds[k] !== undefined) o[k] = ds[k]; });
    if (ds.baseUrl !== undefined) o.baseUrl = new URL(ds.baseUrl || '/', location.href).origin;
    if (ds.open !== undefined) o.open = ds.open === '' || ds.open === 'true';
    return o;
  }

  // A handle usable at once: calls made before the widget has loaded wait for it.
  function init(options) {
    var real = null;
    var waiting = [];
    var ready = load().then(function (m) {
      real = m.init(options || {});
      waiting.forEach(function (fn) { fn(real); });
      waiting = [];
      whenIdle(function () { window.CaptivateChat.markdown().catch(function () {}); });
      return real;
    });
    ready.catch(function (e) { console.error('[CaptivateChat] The chat could not start:', e); });
    function later(name) {
      return function () {
        var args = arguments;
        if (real) return real[name].apply(real, args);
        if (name === 'setMetadata') return ready.then(function (r) { return r.setMetadata.apply(r, args); });
        waiting.push(function (r) { r[name].apply(r, args); });
      };
    }
    var handle = { ready: ready };
    ['open', 'close', 'toggle', 'sendMessage', 'setMetadata', 'on', 'destroy'].forEach(function (n) { handle[n] = later(n); });
    Object.defineProperty(handle, 'isConnected', { get: function () { return !!real && real.isConnected; } });
    Object.defineProperty(handle, 'isOpen', { get: function () { return !!real && real.isOpen; } });
    return handle;
  }

  // The markdown renderer is a small wasm module of its own, so that the first load does not
  // carry it: the widget asks for it when a markdown item arrives, and it is fetched anyway
  // once the page is idle after the widget has started (opening the chat never waits on it).
  var markdown = null;
  function loadMarkdown() {
    if (!markdown) {
      markdown = import(new URL('captivate_markdown.js', base).href).then(function (m) {
        return m.default({ module_or_path: new URL('captivate_markdown_bg.wasm', base).href }).then(function () { return m.toHtml; });
      });
      markdown.catch(function (e) { markdown = null; console.warn('[CaptivateChat] Markdown could not be loaded; shown as text:', e); });
    }
    return markdown;
  }
  function whenIdle(fn) {
    if (window.requestIdleCallback) window.requestIdleCallback(fn, { timeout: 5000 });
    else setTimeout(fn, 1500);
  }

  var api = window.CaptivateChat || {};
  api.init = init;
  api.load = load;
  api.markdown = api.markdown || loadMarkdown;
  api.widgets = api.widgets || [];
  window.CaptivateChat = api;

  // Captivate's own widget snippet.
  var captivate = window.Captivate || {};
  var connectCallbacks = [];
  captivate.init = function (options) {
    var h = init(options);
    api.widgets.push(h);
    captivate.widget = h;
    h.on('connection', function (state) {
      if (state === 'online') connectCallbacks.forEach(function (cb) { try { cb(); } catch (e) { console.error(e); } });
    });
    return h;
  };
  captivate.onConnect = function (cb) {
    connectCallbacks.push(cb);
    if (captivate.widget && captivate.widget.isConnected) cb();
  };
  Object.defineProperty(captivate, 'isConnected', { configurable: true, get: function () { return !!captivate.widget && captivate.widget.isConnected; } });
  window.Captivate = captivate;

  if (script && script.dataset.apiKey) api.widgets.push(init(fromDataset(script.dataset)));
})();
