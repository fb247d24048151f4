// <captivate-chat api-key="…" …>: the widget as a custom element, for any framework or a CMS.
// Its attributes are the embed tag's data-* ones without `data-` (api-key, title, theme,
// locale, open, greeting, …); `inline` shows the panel inside the element instead of a
// floating bubble. The widget mounts when the element enters the document and goes when it
// leaves (a move within the document keeps it); a changed attribute mounts it again with the
// new options. Events: `captivate-<name>` CustomEvents (captivate-message, captivate-open,
// captivate-close, captivate-action, captivate-error, captivate-connection, captivate-rating,
// captivate-end, captivate-feedback; they bubble), the payload in `detail`; methods: open(), close(), toggle(),
// sendMessage(text), setMetadata(object), reset(); the handle itself is `element.chat`.
// Defined by the embed loader when a page asks (data-element, CaptivateChat.defineElement())
// and by the package's `captivate-chat-widget/element`.

/** The events a widget emits (chat.on(name, …)). */
export const events = ['message', 'open', 'close', 'action', 'error', 'connection', 'rating', 'end', 'feedback'];

/** Every option an attribute can give (README, "Options"), in camel case; the attribute is
 * the kebab-case name (apiKey: api-key), as the tag's data-* attribute is without `data-`. */
const options = ['apiKey', 'mode', 'baseUrl', 'userId', 'start', 'title', 'position', 'theme', 'accent', 'locale',
  'open', 'nonce', 'connect', 'storage', 'maxAge', 'imageHosts', 'socketUrl', 'apiUrl', 'fileUrl', 'sound', 'notifications',
  'greeting', 'greetingDelay', 'greetingPages', 'greetingEvery', 'rating', 'feedback', 'copy', 'pageContext',
  'askAboutSelection', 'emoji', 'userName', 'userEmail', 'prechat', 'prechatRequired'];

const kebab = (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Defines <captivate-chat> (once) with the loader's core (widgets.js). */
export function define(core, name = 'captivate-chat') {
  if (typeof customElements === 'undefined' || customElements.get(name)) return;
  const attributes = ['inline'].concat(options.map(kebab));
  class CaptivateChatElement extends HTMLElement {
    static get observedAttributes() { return attributes; }

    constructor() {
      super();
      this.chat = null;
      this._pending = false;
    }

    connectedCallback() { this._settle(); }

    disconnectedCallback() { this._settle(); }

    attributeChangedCallback(_name, before, after) {
      if (before === after || !this.chat) return;
      this._unmount();
      this._settle();
    }

    // Mounts or unmounts once the current task's DOM changes are done: a move (out, then in)
    // keeps the widget, and several attributes set together mount it once.
    _settle() {
      if (this._pending) return;
      this._pending = true;
      queueMicrotask(() => {
        this._pending = false;
        if (this.isConnected && !this.chat) this._mount();
        else if (!this.isConnected && this.chat) this._unmount();
      });
    }

    _mount() {
      const given = {};
      for (const k of options) if (this.hasAttribute(kebab(k))) given[k] = this.getAttribute(kebab(k));
      const opts = core.options(given);
      if (!opts.apiKey) {
        console.error('[CaptivateChat] <captivate-chat> needs an api-key attribute');
        return;
      }
      if (this.hasAttribute('inline')) opts.container = this;
      const chat = core.init(opts);
      for (const event of events) {
        chat.on(event, (detail) => this.dispatchEvent(new CustomEvent(`captivate-${event}`, { detail, bubbles: true })));
      }
      this.chat = chat;
    }

    _unmount() {
      const chat = this.chat;
      this.chat = null;
      if (chat) chat.destroy();
    }

    open() { this.chat?.open(); }
    close() { this.chat?.close(); }
    toggle() { this.chat?.toggle(); }
    sendMessage(text) { this.chat?.sendMessage(text); }
    setMetadata(metadata) { return this.chat ? this.chat.setMetadata(metadata) : Promise.reject(new Error('<captivate-chat> is not in the document')); }
    reset() { this.chat?.reset(); }
  }
  customElements.define(name, CaptivateChatElement);
}
