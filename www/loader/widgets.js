// The embed loader's core, which the script tag (embed.js) and the package's ES module
// (module.js) share; scripts/loader.mjs puts it in each. `captivateWidgets(instantiate,
// widgets, languages, textsUrl)` mounts widgets: `instantiate()` gives the widget's main part
// (its wasm-bindgen glue, instantiated); `widgets` is the list of every widget of the page
// (kept across two copies of the loader); `languages` the languages whose texts are a file
// beside the wasm (every one but English; separated by spaces), `fileUrl(name)` the address of
// such a file (`texts-<lang>`, `emoji-<lang>`).
// `captivateOptions(values)` makes the options of attributes (the tag's data-* ones, the
// custom element's), all text, what `init` takes.

function captivateOptions(o) {
  if (o.baseUrl !== undefined) o.baseUrl = new URL(o.baseUrl || '/', location.href).origin;
  if (o.open !== undefined) o.open = o.open === '' || o.open === 'true';
  return o;
}

// The widget's language: `locale` if the page gave one, else the first of the visitor's
// languages (navigator.languages) the widget has; by language (pt-BR: pt), Chinese by script
// (zh-Hant, zh-TW, zh-HK, zh-MO: zh-TW; zh-Hans, zh, zh-SG: zh-CN); else English.
function captivateLanguage(locale, languages) {
  var wanted = locale ? [locale] : navigator.languages || [navigator.language];
  for (var i = 0; i < wanted.length; i++) {
    var tag = String(wanted[i]).toLowerCase().replace(/_/g, '-');
    var lang = tag.split('-')[0];
    if (lang === 'zh') lang = /-(hant|tw|hk|mo)\b/.test(tag) ? 'zh-TW' : 'zh-CN';
    if (lang === 'en' || (' ' + languages + ' ').indexOf(' ' + lang + ' ') >= 0) return lang;
  }
  return 'en';
}

function captivateWidgets(instantiate, widgets, languages, fileUrl) {
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

  // A language's texts (but English's, which the parts carry), fetched once: the launcher's
  // (`texts-<lang>`) with the main part, the panel's (`panel-<lang>`) with the widget's part;
  // a file that cannot load leaves its texts in English.
  var texts = {};
  function textsOf(kind, lang) {
    var name = kind + lang;
    return texts[name] || (texts[name] = lang === 'en' ? Promise.resolve(null) : fetch(fileUrl(name)).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).catch(function (e) {
      console.warn('[CaptivateChat] No ' + name + ', English instead:', e);
      return null;
    }));
  }

  // Calls `then` a moment after the press under way ends, wherever it ends (the click comes
  // after the release).
  var releases = ['pointerup', 'pointercancel', 'keyup', 'blur'];
  function whenReleased(then) {
    var end = function () {
      releases.forEach(function (t) { window.removeEventListener(t, end, true); });
      setTimeout(then, 0);
    };
    releases.forEach(function (t) { window.addEventListener(t, end, true); });
  }

  // Removes a launcher the widget has taken the place of; a keyboard visitor on it stays on
  // the widget's launcher (inserted just before it). Not while it is pressed: a click is a
  // press and a release on one element, and one swapped in between would be lost (the
  // visitor clicked as the widget arrived); the launcher goes once the press ends, after
  // its click.
  function handOver(launcher, keepFocus) {
    if (launcher.pressed) {
      whenReleased(function () {
        launcher.pressed = false;
        handOver(launcher, keepFocus);
      });
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
    // The options with the language's texts (`texts`), that language (`locale`) and its emoji
    // table's address (`emojiUrl`, which the picker fetches when it opens).
    var lang = captivateLanguage(options.locale, languages);
    var table = textsOf('texts-', lang);
    function localized(texts) {
      var o = {};
      for (var k in options) o[k] = options[k];
      o.locale = texts ? lang : 'en';
      o.texts = texts;
      o.emojiUrl = fileUrl('emoji-' + o.locale);
      return o;
    }
    function start() {
      if (started || destroyed) return;
      started = true;
      Promise.all([load(), table, textsOf('panel-', lang)]).then(function (loaded) {
        var m = loaded[0];
        // Destroyed while the widget's part loaded (a framework's component mounted and
        // unmounted at once, as React's StrictMode does): nothing mounts, no socket opens.
        if (destroyed) return;
        var o = localized(loaded[1] && Object.assign({}, loaded[2], loaded[1]));
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
      launcher = Promise.all([loadMain(), table]).then(function (loaded) {
        var m = loaded[0];
        if (real || destroyed) return null;
        // A click once the widget is there (its launcher about to take this one's place) opens it.
        shown = m.mountLauncher(localized(loaded[1]), function () { if (real) real.open(); else { open = true; start(); } });
        // Pressed from a press on it until that press ends.
        ['pointerdown', 'keydown'].forEach(function (t) {
          shown.host.addEventListener(t, function () {
            shown.pressed = true;
            whenReleased(function () { shown.pressed = false; });
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
    options: captivateOptions
  };
}
