// The embed loader's core, which the script tag (embed.js) and the package's ES module
// (module.js) share; scripts/loader.mjs puts it in each. `captivateWidgets(instantiate,
// widgets)` mounts widgets: `instantiate()` gives the widget's main part (its wasm-bindgen
// glue, instantiated); `widgets` is the list of every widget of the page (kept across two
// copies of the loader). `captivateOptions(get)` reads the options of the data-* attributes
// (and of the custom element's attributes): `get(name)` gives the attribute of an option's
// camel-case name, or undefined.

// data-api-key, data-mode, data-base-url, data-user-id, data-start, data-title, data-position,
// data-theme, data-accent, data-locale, data-open, data-nonce, data-connect, data-storage,
// data-max-age, data-image-hosts, data-sound, data-notifications, data-greeting,
// data-greeting-delay, data-greeting-pages, data-greeting-every, data-rating, data-feedback,
// data-copy, data-page-context, data-ask-about-selection, data-user-name,
// data-user-email, data-prechat, data-prechat-required
var captivateOptionNames = ['apiKey', 'mode', 'baseUrl', 'userId', 'start', 'title', 'position', 'theme', 'accent', 'locale', 'open', 'nonce', 'connect',
  'storage', 'maxAge', 'imageHosts', 'socketUrl', 'apiUrl', 'fileUrl', 'sound', 'notifications', 'greeting', 'greetingDelay',
  'greetingPages', 'greetingEvery', 'rating', 'feedback', 'copy', 'pageContext', 'askAboutSelection', 'userName', 'userEmail', 'prechat', 'prechatRequired'];

function captivateOptions(get) {
  var o = {};
  captivateOptionNames.forEach(function (k) { var v = get(k); if (v !== undefined && v !== null) o[k] = v; });
  if (o.baseUrl !== undefined) o.baseUrl = new URL(o.baseUrl || '/', location.href).origin;
  if (o.open !== undefined) o.open = o.open === '' || o.open === 'true';
  return o;
}

function captivateWidgets(instantiate, widgets) {
  // The module: its main part (the launcher) first; the widget's own part when it is asked
  // for (the page is idle, the visitor clicks, the page calls the handle).
  var main = null;
  function loadMain() {
    if (!main) {
      main = instantiate();
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
        // Destroyed while the widget's part loaded (a framework's component mounted and
        // unmounted at once, as React's StrictMode does): nothing mounts, no socket opens.
        if (destroyed) return;
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
    var handle = { ready: ready, apiKey: String(options.apiKey || '') };
    ['open', 'close', 'toggle', 'sendMessage', 'setMetadata', 'on', 'connect', 'reset', 'destroy'].forEach(function (n) { handle[n] = later(n); });
    Object.defineProperty(handle, 'isConnected', { get: function () { return !!real && real.isConnected; } });
    Object.defineProperty(handle, 'isOpen', { get: function () { return real ? real.isOpen : false; } });
    return handle;
  }

  function whenIdle(fn) {
    if (window.requestIdleCallback) window.requestIdleCallback(fn, { timeout: 5000 });
    else setTimeout(fn, 1500);
  }

  // Single-page sites: a page that swaps its <body> for another (Turbo, Astro's view
  // transitions, a router of its own) keeps its floating widgets, with their sockets and open
  // conversations: they move into the new body. (An inline widget is the page's content and
  // goes with it; a router that only calls history.pushState leaves the body alone.)
  var watching = false;
  function keepOnSwap() {
    if (watching || typeof MutationObserver === 'undefined') return;
    watching = true;
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.removedNodes.forEach(function (old) {
          if (old.nodeName !== 'BODY' || !document.body) return;
          old.querySelectorAll('[data-captivate-chat].cc-floating').forEach(function (host) { document.body.appendChild(host); });
        });
      });
    }).observe(document.documentElement, { childList: true });
  }

  // The destroyed widgets of `key`, out of the page's list.
  var gone = new WeakSet();
  function forget(key) {
    for (var i = widgets.length - 1; i >= 0; i--) {
      if (widgets[i].apiKey === key && gone.has(widgets[i])) widgets.splice(i, 1);
    }
  }

  return {
    // Every widget of the page, however it was mounted (the tag, init, Captivate.init, a
    // component), so that reset() reaches them all, destroyed ones too (the visitor's records
    // stay after the widget goes) until another widget of their key is there, whose reset()
    // forgets the same: a component mounted again and again adds none.
    init: function (options) {
      var h = init(options);
      var destroy = h.destroy;
      h.destroy = function () {
        gone.add(h);
        if (widgets.some(function (w) { return w.apiKey === h.apiKey && !gone.has(w); })) forget(h.apiKey);
        return destroy.apply(h, arguments);
      };
      forget(h.apiKey);
      widgets.push(h);
      keepOnSwap();
      return h;
    },
    load: load,
    // Forgets the visitor in every widget on the page (Chatwoot's reset(), Intercom's shutdown).
    reset: function () { widgets.slice().forEach(function (w) { w.reset(); }); },
    // A greeting beside the launcher of every floating widget whose chat is closed, now.
    greet: function (text) { loadMain().then(function (m) { m.greet(String(text)); }); },
    widgets: widgets,
    options: captivateOptions,
    names: captivateOptionNames
  };
}
