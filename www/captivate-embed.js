/*! Captivate chat — embed loader. One line on any page:
 *  <script src="https://…/captivate-embed.js" data-api-key="KEY" defer></script>
 *  Loads the widget (WebAssembly) next to this file and mounts it; `CaptivateChat.init({...})`
 *  and Captivate's own `Captivate.init({ apiKey })` work too. MIT. */
(function () {
  'use strict';
  var script = document.currentScript;
  var base = new URL('.', script && script.src ? script.src : location.href);

  // A wasm module next to this file (wasm-bindgen's `web` output: its glue and its wasm),
  // instantiated. Its wasm is fetched alongside its glue rather than after it: one round trip
  // fewer. (The build gives both names with their content's hash.)
  function instantiate(glue, wasmFile) {
    var wasm = fetch(new URL(wasmFile, base).href);
    wasm.catch(function () {});
    return import(new URL(glue, base).href).then(function (m) {
      return m.default({ module_or_path: wasm }).then(function () { return m; });
    });
  }

  // The module: its main part (the launcher) first; the widget's own part when it is asked
  // for (the page is idle, the visitor clicks, the page calls the handle).
  var main = null;
  function loadMain() {
    if (!main) {
      main = instantiate('captivate-chat.js', 'captivate-chat_bg.wasm');
      main.catch(function () { main = null; });
    }
    return main;
  }
  var loading = null;
  function load() {
    if (!loading) {
      loading = loadMain().then(function (m) { return m.loadWidget().then(function () { return m; }); });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  // data-api-key, data-mode, data-base-url, data-user-id, data-start, data-title, data-position,
  // data-theme, data-accent, data-locale, data-open, data-nonce, data-connect, data-storage, data-max-age, data-image-hosts,
  // data-sound, data-notifications, data-greeting, data-greeting-delay, data-greeting-pages,
  // data-greeting-every, data-rating, data-user-name, data-user-email, data-prechat,
  // data-prechat-required
  function fromDataset(ds) {
    var o = {};
    ['apiKey', 'mode', 'userId', 'start', 'title', 'position', 'theme', 'accent', 'locale', 'nonce', 'connect', 'storage', 'maxAge', 'imageHosts', 'socketUrl', 'apiUrl', 'fileUrl', 'sound', 'notifications',
      'greeting', 'greetingDelay', 'greetingPages', 'greetingEvery', 'rating', 'userName', 'userEmail', 'prechat', 'prechatRequired']
      .forEach(function (k) { if (ds[k] !== undefined) o[k] = ds[k]; });
    if (ds.baseUrl !== undefined) o.baseUrl = new URL(ds.baseUrl || '/', location.href).origin;
    if (ds.open !== undefined) o.open = ds.open === '' || ds.open === 'true';
    return o;
  }

  // Removes a launcher the widget has taken the place of; a keyboard visitor on it stays on
  // the widget's launcher (inserted just before it). Not while it is pressed: a click is a
  // press and a release on one element, and one swapped in between would be lost (the
  // visitor clicked as the widget arrived); the launcher goes once the press ends, after
  // its click.
  function handOver(launcher, keepFocus) {
    if (launcher.pressed) {
      var release = function () {
        ['pointerup', 'pointercancel', 'keyup', 'blur'].forEach(function (t) { window.removeEventListener(t, release, true); });
        launcher.pressed = false;
        setTimeout(function () { handOver(launcher, keepFocus); }, 0);
      };
      ['pointerup', 'pointercancel', 'keyup', 'blur'].forEach(function (t) { window.addEventListener(t, release, true); });
      return;
    }
    var focused = keepFocus && document.activeElement === launcher.host;
    var next = launcher.host.previousElementSibling;
    launcher.remove();
    var button = focused && next && next.shadowRoot && next.shadowRoot.querySelector('.cc-launcher');
    if (button) button.focus();
  }

  // A handle usable at once: calls made before the widget has loaded wait for it. A floating
  // widget shows its launcher first; the widget loads when the page is idle (or at once on a
  // click, or on any call) and takes the launcher's place. Inline or open at start: the
  // widget at once.
  function init(options) {
    options = options || {};
    var real = null;
    var waiting = [];
    var open = !!options.open;
    var launcher = null;
    var shown = null;
    var started = false;
    var destroyed = false;
    var settle;
    var ready = new Promise(function (resolve, reject) { settle = { resolve: resolve, reject: reject }; });
    ready.catch(function (e) { console.error('[CaptivateChat] The chat could not start:', e); });
    function start() {
      if (started || destroyed) return;
      started = true;
      load().then(function (m) {
        var o = {};
        for (var k in options) o[k] = options[k];
        o.open = open;
        if (shown) o.replaces = shown.host;
        real = m.init(o);
        if (launcher) launcher.then(function (l) { if (l) handOver(l, !o.open); });
        waiting.forEach(function (fn) { fn(real); });
        waiting = [];
        whenIdle(function () { m.loadMarkdown(); });
        settle.resolve(real);
      }).catch(function (e) {
        // The widget's part could not load (offline, blocked): the launcher stays, and the
        // next click (or call) tries again.
        started = false;
        if (shown) shown.failed();
        settle.reject(e);
      });
    }
    if (options.container || open) {
      start();
    } else {
      launcher = loadMain().then(function (m) {
        if (real || destroyed) return null;
        // A click once the widget is there (its launcher about to take this one's place) opens it.
        shown = m.mountLauncher(options, function () { if (real) real.open(); else { open = true; start(); } });
        // Pressed from a press on it until that press ends, wherever it ends (a moment after:
        // the click comes after the release).
        var releases = ['pointerup', 'pointercancel', 'keyup', 'blur'];
        ['pointerdown', 'keydown'].forEach(function (t) {
          shown.host.addEventListener(t, function () {
            shown.pressed = true;
            var end = function () {
              releases.forEach(function (u) { window.removeEventListener(u, end, true); });
              setTimeout(function () { shown.pressed = false; }, 0);
            };
            releases.forEach(function (u) { window.addEventListener(u, end, true); });
          }, { passive: true });
        });
        // A pointer over the launcher, a touch or focus on it: the widget's part is fetched
        // now (if the page has not been idle yet), so that the click does not wait for it.
        var intent = function () { load().catch(function () {}); };
        ['pointerover', 'touchstart', 'focusin'].forEach(function (t) {
          shown.host.addEventListener(t, intent, { once: true, passive: true });
        });
        return shown;
      }).catch(function (e) {
        console.warn('[CaptivateChat] The launcher could not load; starting the widget:', e);
        start();
        return null;
      });
      whenIdle(start);
    }
    function later(name) {
      return function () {
        var args = arguments;
        if (real) return real[name].apply(real, args);
        // Forgotten at once, by the main part (the launcher's badge too), whether or not the
        // widget has loaded or is still there; a widget on its way hears it as well.
        if (name === 'reset') {
          loadMain().then(function (m) { m.forgetVisitor(String(options.apiKey || '')); if (shown) shown.forgotten(); });
          if (started && !destroyed) waiting.push(function (r) { r.reset(); });
          return;
        }
        if (destroyed) return name === 'setMetadata' ? Promise.reject(new Error('This widget was destroyed')) : undefined;
        if (name === 'destroy') {
          destroyed = true;
          if (launcher) launcher.then(function (l) { if (l) l.remove(); });
          if (started) waiting.push(function (r) { r.destroy(); });
          return;
        }
        if (name === 'open' || name === 'toggle') { open = true; start(); return; }
        if (name === 'close') { open = false; return; }
        if (name !== 'on') start();
        if (name === 'setMetadata') return ready.then(function (r) { return r.setMetadata.apply(r, args); });
        waiting.push(function (r) { r[name].apply(r, args); });
      };
    }
    var handle = { ready: ready };
    ['open', 'close', 'toggle', 'sendMessage', 'setMetadata', 'on', 'connect', 'reset', 'destroy'].forEach(function (n) { handle[n] = later(n); });
    Object.defineProperty(handle, 'isConnected', { get: function () { return !!real && real.isConnected; } });
    Object.defineProperty(handle, 'isOpen', { get: function () { return real ? real.isOpen : false; } });
    return handle;
  }

  function whenIdle(fn) {
    if (window.requestIdleCallback) window.requestIdleCallback(fn, { timeout: 5000 });
    else setTimeout(fn, 1500);
  }

  var api = window.CaptivateChat || {};
  api.widgets = api.widgets || [];
  // Every widget of the page, however it was mounted (the tag, CaptivateChat.init, Captivate.init),
  // so that reset() reaches them all.
  api.init = function (options) {
    var h = init(options);
    api.widgets.push(h);
    return h;
  };
  api.load = load;
  // Forgets the visitor in every widget on the page (Chatwoot's reset(), Intercom's shutdown).
  api.reset = function () { api.widgets.forEach(function (w) { w.reset(); }); };
  // A greeting beside the launcher of every floating widget whose chat is closed, now.
  api.greet = function (text) { loadMain().then(function (m) { m.greet(String(text)); }); };
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

  // The tag's widget; the same tag included twice (a CMS plugin and a theme both add it) mounts
  // one: a second tag with the same key and options adds nothing, another key or options another.
  if (script && script.dataset.apiKey) {
    var options = fromDataset(script.dataset);
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
})();
