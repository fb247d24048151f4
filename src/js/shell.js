// The thin JS shell of the drop-in: what wasm-bindgen classes cannot do by themselves.
// `new CaptivateChatAPI(k) === new CaptivateChatAPI(k)` (one instance per key and mode),
// `create()`, the `fileManager` property, `CaptivateChatFileManager`'s array-like Proxy,
// `CaptivateChatManager`'s composition, and the window globals. Sockets, HTTP, routing,
// reconnects, the outbox and every wire format live in the wasm core (`core`).
// Node without a global WebSocket (20 without `--experimental-websocket`): the `ws` package,
// loaded by the first connect(), as 7.0.0 falls back to it. The core's `new WebSocket(url)`
// finds this binding before the global one; it takes the global one whenever there is one,
// looked up at each connection (a page or test that replaces it is honoured).
let captivateNodeWebSocket = null;
function WebSocket(url, protocols) {
  const Impl = globalThis.WebSocket || captivateNodeWebSocket;
  if (!Impl) throw new Error('WebSocket not available in this environment and ws module could not be loaded');
  return protocols === undefined ? new Impl(url) : new Impl(url, protocols);
}
async function captivateLoadWebSocket() {
  if (globalThis.WebSocket || captivateNodeWebSocket) return;
  if (typeof process !== 'object' || !process.versions || !process.versions.node) return;
  try {
    // Hidden from bundlers (a browser build has a global WebSocket and never gets here).
    const ws = await import(/* webpackIgnore: true */ /* @vite-ignore */ String('ws'));
    captivateNodeWebSocket = ws.WebSocket || ws.default || null;
  } catch { /* the first connection reports it */ }
}

// A page's listener, called as 7.0.0 calls it (`cb(a)` or `cb(a, b)`) by the core
// (src/js/conversation/listeners.rs); what it throws is logged and goes no further, so that the other
// listeners still hear the event. One call from wasm per listener, with no exception
// plumbing across the boundary.
function captivateCallListener(cb, a, b) {
  try {
    if (b === undefined) cb(a);
    else cb(a, b);
  } catch (e) {
    console.error('[CaptivateChatAPI] A listener threw:', e);
  }
}

// A bot or agent message's listener (src/js/conversation/listeners.rs): `cb(content, 'ai_agent')` or
// `cb(content, 'human_agent')`, the content read from the parsed payload here, as 7.0.0
// reads it per listener: no value and no string crosses back into wasm for it.
function captivateHearMessage(cb, payload, human) {
  captivateCallListener(cb, payload === undefined ? undefined : payload.content, human ? 'human_agent' : 'ai_agent');
}

function captivateShell(core) {
  'use strict';
  const registry = new Map();
  const keyOf = (apiKey, mode) => `${apiKey}-${mode}`;

  class CaptivateChatAPI extends core.CaptivateChatAPICore {
    constructor(apiKey, mode = 'prod', options = undefined) {
      const existing = registry.get(keyOf(apiKey, mode));
      if (existing) return existing;
      super(apiKey, mode, options);
      registry.set(keyOf(apiKey, mode), this);
    }
    static async create(apiKey, mode = 'prod', options = undefined) {
      const api = new CaptivateChatAPI(apiKey, mode, options);
      if (!api.isSocketActive()) await api.connect();
      return api;
    }
    async connect() {
      await captivateLoadWebSocket();
      return super.connect();
    }
    async reconnect() {
      await captivateLoadWebSocket();
      return super.reconnect();
    }
    static getInstance(apiKey, mode = 'prod') { return registry.get(keyOf(apiKey, mode)); }
    static hasInstance(apiKey, mode = 'prod') { return registry.has(keyOf(apiKey, mode)); }
    static setDebugMode(enabled) { core.setDebugMode(!!enabled); }
    static getDebugMode() { return core.getDebugMode(); }
    createConversation(userId, userBasicInfo = {}, metadata = {}, autoConversationStart = 'bot-first', privateMetadata = {}) {
      return super.createConversation(userId, userBasicInfo, metadata, autoConversationStart, privateMetadata);
    }
    deleteUserConversations(userId, options = {}) { return super.deleteUserConversations(userId, options); }
    dispose() {
      super.dispose();
      const key = keyOf(this.apiKey, this.mode);
      if (registry.get(key) === this) registry.delete(key);
    }
  }

  const Conversation = core.Conversation;
  const sendAction = Conversation.prototype.sendAction;
  Conversation.prototype.sendAction = function (actionId, data = {}) { return sendAction.call(this, actionId, data); };
  const remove = Conversation.prototype.delete;
  Conversation.prototype.delete = function (options = {}) { return remove.call(this, options); };

  const isFile = (f) => typeof File !== 'undefined' && f instanceof File;

  class CaptivateChatFileManager {
    constructor(file, textContent, type) {
      this.type = 'files';
      this.files = [{ filename: textContent.metadata.originalFileName, type, file, textContent }];
    }
    static async create(options) {
      const file = options.file;
      const storage = options.storage !== undefined ? options.storage : true;
      if (storage === false && !options.url) {
        throw new Error('URL is required when storage is false for sendMessage compatibility');
      }
      const fileName = options.fileName || (isFile(file) ? file.name : `attachment_${Date.now()}`);
      const type = options.fileType || (isFile(file) ? file.type : (file && file.type) || 'application/octet-stream');
      const result = options.conversation
        ? await options.conversation.uploadFile(file, fileName, storage)
        : await core.convertFileToText(file, fileName, storage, options.apiKey, options.conversationId, options.ttlDays);
      const instance = new CaptivateChatFileManager(file, {
        type: 'file_content',
        text: result.text,
        metadata: { source: 'file_attachment', originalFileName: fileName, storageType: 'direct' },
      }, type);
      if (storage && result.storageInfo) instance.files[0].storage = result.storageInfo;
      if (storage === false && options.url) instance.files[0].url = options.url;
      return CaptivateChatFileManager.createProxy(instance);
    }
    static async createFile(options) {
      return (await CaptivateChatFileManager.create(options)).getFirstFile();
    }
    static async createMultiple(options) {
      const storage = options.storage !== undefined ? options.storage : true;
      if (storage === false && (!options.urls || options.urls.length !== options.files.length)) {
        throw new Error('URLs array is required when storage is false and must match the number of files');
      }
      const made = await Promise.all(options.files.map((file, i) => CaptivateChatFileManager.create({
        file, storage, url: storage === false ? options.urls[i] : undefined,
        apiKey: options.apiKey, conversationId: options.conversationId, ttlDays: options.ttlDays,
        conversation: options.conversation,
      })));
      const combined = new CaptivateChatFileManager(options.files[0], {
        type: 'file_content', text: '',
        metadata: { source: 'file_attachment', originalFileName: 'multiple_files', storageType: 'direct' },
      }, 'application/octet-stream');
      combined.files = made.flatMap((m) => m.files);
      return CaptivateChatFileManager.createProxy(combined);
    }
    // Index access (`fm[0]`) and iteration work here (both are broken in 7.0.0).
    static createProxy(instance) {
      return new Proxy(instance, {
        get(target, prop) {
          if (typeof prop === 'string' && /^(0|[1-9]\d*)$/.test(prop)) return target.files[Number(prop)];
          const value = Reflect.get(target, prop, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
        has(target, prop) {
          if (typeof prop === 'string' && /^(0|[1-9]\d*)$/.test(prop)) return Number(prop) < target.files.length;
          return Reflect.has(target, prop);
        },
      });
    }
    static getSecureFileUrl(fileKey, expiresIn = 7200) { return core.getSecureFileUrl(fileKey, expiresIn); }
    getFirstFile() { return this.files[0]; }
    getFilename() { return this.files[0] && this.files[0].filename; }
    getTextContent() { return (this.files[0] && this.files[0].textContent && this.files[0].textContent.text) || ''; }
    getFileType() { return this.files[0] && this.files[0].type; }
    toFilesArray() { return this.files; }
    *[Symbol.iterator]() { yield* this.files; }
    get [Symbol.toStringTag]() { return 'Array'; }
    get length() { return this.files.length; }
    async refreshSecureUrl(expiresIn = 7200) {
      const first = this.files[0];
      if (!first || !first.storage || !first.storage.fileKey) return undefined;
      return CaptivateChatFileManager.getSecureFileUrl(first.storage.fileKey, expiresIn);
    }
  }

  Object.defineProperty(Conversation.prototype, 'fileManager', {
    configurable: true,
    get() {
      const conversation = this;
      const bind = (options) => ({ ...options, conversation });
      return {
        create: (options) => CaptivateChatFileManager.create(bind(options)),
        createFile: (options) => CaptivateChatFileManager.createFile(bind(options)),
        createMultiple: (options) => CaptivateChatFileManager.createMultiple(bind(options)),
      };
    },
  });

  class CaptivateChatManager {
    constructor(apiKeys, mode = 'prod') {
      this.apiInstances = {};
      for (const key of [...new Set(apiKeys)]) this.apiInstances[key] = new CaptivateChatAPI(key, mode);
    }
    static async create(apiKeys, mode = 'prod') {
      const manager = Object.create(CaptivateChatManager.prototype);
      manager.apiInstances = {};
      for (const key of [...new Set(apiKeys)]) manager.apiInstances[key] = await CaptivateChatAPI.create(key, mode);
      return manager;
    }
    async connectAll() {
      await Promise.all(Object.values(this.apiInstances).map((api) => (api.isSocketActive() ? undefined : api.connect())));
    }
    async getUserConversations(options) {
      const apiKeys = options.apiKeys || Object.keys(this.apiInstances);
      const api = this.apiInstances[apiKeys[0]];
      if (!api) throw new Error(`No CaptivateChatAPI instance for apiKey: ${apiKeys[0]}`);
      const { apiKeys: _ignored, ...rest } = options;
      const result = await api.getUserConversations({ ...rest, apiKeys });
      // Each conversation is bound to its own key's instance (socket, socket id and mode).
      const conversations = result.conversations.map((conv) => {
        const instance = this.apiInstances[conv.apiKey];
        if (!instance) throw new Error(`No CaptivateChatAPI instance for apiKey: ${conv.apiKey}`);
        if (!instance.getSocket()) throw new Error(`WebSocket not initialized for apiKey: ${conv.apiKey}`);
        return instance === api ? conv : instance.getConversation(conv.getConversationId());
      });
      return { conversations, pagination: result.pagination };
    }
    getApiInstance(apiKey) { return this.apiInstances[apiKey]; }
    dispose(apiKey) {
      const api = this.apiInstances[apiKey];
      if (api) { api.dispose(); delete this.apiInstances[apiKey]; }
    }
    disposeAll() {
      for (const api of Object.values(this.apiInstances)) api.dispose();
      this.apiInstances = {};
    }
  }

  // Diagnostics (not in 7.0.0, not enumerable): `{ wasmBytes, liveBytes }` of the wasm core.
  Object.defineProperty(CaptivateChatAPI, 'memoryStats', { value: () => core.memoryStats(), writable: true, configurable: true });

  const api = { CaptivateChatAPI, CaptivateChatManager, CaptivateChatFileManager };
  if (typeof window !== 'undefined') Object.assign(window, api);
  return api;
}
