// captivate-chat-widget: the Captivate chat bubble. `init` is the `CaptivateChat.init` of the
// embed script; every option also exists as a `data-*` attribute of the script tag (and an
// attribute of <captivate-chat>), in kebab case.

/** What a page can set. Only `apiKey` is required. */
export interface CaptivateChatOptions {
  /** Your Captivate API key. */
  apiKey: string;
  /** Captivate's hosts: `prod` (default) or `dev`. */
  mode?: 'prod' | 'dev';
  /** A self-hosted or local server instead of Captivate's (an origin). */
  baseUrl?: string;
  /** The socket, API and file URLs, each on its own (instead of `baseUrl`). */
  socketUrl?: string;
  apiUrl?: string;
  fileUrl?: string;
  /** Who the visitor is to your bot; else an anonymous id kept in the browser. */
  userId?: string;
  /** Who speaks first in a new conversation (`bot-first` by default). */
  start?: 'bot-first' | 'user-first';
  /** The panel's title. */
  title?: string;
  /** The corner of the floating launcher (`right` by default). */
  position?: 'right' | 'left';
  /** `light`, `dark`, or `auto` (the visitor's system). */
  theme?: 'light' | 'dark' | 'auto';
  /** A CSS colour: `#rgb`, `#rrggbb`, `rgb(…)`. */
  accent?: string;
  /** The widget's language: ar, de, en, es, fa, fr, he, hi, id, it, ja, ko, nl, pl, pt, ru, tr, uk, ur, zh-CN,
   * zh-TW (by language: `pt-BR` is `pt`; ar, fa, he, ur right to left). Without it, the first of the visitor's
   * browser languages (`navigator.languages`) the widget has, else English. */
  locale?: string;
  /** Any of the widget's texts, by key (docs/widget.md lists them). */
  strings?: Record<string, string>;
  /** Open at start. */
  open?: boolean;
  /** `eager`: open the socket as the page loads (default: when it is needed). */
  connect?: 'eager';
  /** Where the visitor's id and conversation are kept (`local` by default). */
  storage?: 'local' | 'session' | 'none';
  /** Days after which what was kept is forgotten (30). */
  maxAge?: number | string;
  /** Hosts whose images in bot markup load at once (else on a click); `*` for any. */
  imageHosts?: string | string[];
  /** A chime when the bot or an agent writes while the visitor is elsewhere. */
  sound?: boolean | string;
  /** Lets the visitor turn on system notifications from the panel's menu. */
  notifications?: boolean | string;
  /** Who the visitor is, if the page knows: a new conversation's `userBasicInfo`. */
  user?: { name?: string; email?: string };
  userName?: string;
  userEmail?: string;
  /** A form before the first conversation (`['name', 'email']`, or `"name,email"`). */
  prechat?: string | Array<'name' | 'email'>;
  /** The pre-chat fields that must be filled (a list, or `true` for all). */
  prechatRequired?: boolean | string | Array<'name' | 'email'>;
  /** Ask the visitor to rate a conversation that ended: 1–5 stars (`true`) or 👎 / 👍
   * (`'thumbs'`: 1 or 2 of 2), and a comment. */
  rating?: boolean | 'thumbs';
  /** Thumbs up and down under each bot message, sent as the action `message_feedback`. */
  feedback?: boolean | string;
  /** A Copy button under each bot and agent message (shown on hover and focus). */
  copy?: boolean | string;
  /** An emoji picker in the composer: the common emoji by category, named and searched in the widget's language,
   * inserted at the caret; its table is fetched when the visitor first opens it. */
  emoji?: boolean | string;
  /** The page's address and title in the conversation's metadata (`context: { url, title }`). */
  pageContext?: boolean | string;
  /** "Ask about this" beside text the visitor selects on the page: the chat opens with it quoted. */
  askAboutSelection?: boolean | string;
  /** A short line beside the launcher after `greetingDelay` seconds on the page. */
  greeting?: string;
  greetingDelay?: number | string;
  /** The pages the greeting shows on: paths, `*` for any text. */
  greetingPages?: string | string[];
  /** Days before the greeting shows again (1; 0: on every page). */
  greetingEvery?: number | string;
  /** A CSP nonce for browsers without constructable stylesheets. */
  nonce?: string;
  /** An element to show the panel in, inline, instead of a floating bubble. */
  container?: Element;
  /** Your own rendering of custom content types: `{ type: (item) => Node | string }`. */
  renderers?: Record<string, (item: any) => Node | string>;
}

/** A bot or agent message, as shown. */
export interface CaptivateMessageEvent {
  from: 'bot' | 'agent';
  /** The message's content, as Captivate sent it (text, or an array of items). */
  content: unknown;
  conversationId: string;
}

/** The visitor's rating of a conversation. */
export interface CaptivateRatingEvent {
  conversationId: string;
  score: number;
  /** 5 for stars, 2 for thumbs (👎 1, 👍 2). */
  scale: 5 | 2;
  comment?: string;
}

/** The events a widget emits, and what each listener receives. */
export interface CaptivateChatEvents {
  message: CaptivateMessageEvent;
  open: undefined;
  close: undefined;
  /** The bot's actions (`{ id, data }` items), as Captivate sent them. */
  action: unknown[];
  /** A message (text), or Captivate's error payload. */
  error: string | Record<string, unknown>;
  connection: 'offline' | 'connecting' | 'online' | 'reconnecting';
  rating: CaptivateRatingEvent;
  end: { conversationId: string };
  /** The visitor's choice on a bot message (its `ch_msg_id`); a changed choice comes again. */
  feedback: { conversationId: string; messageId: string; value: 'up' | 'down' };
}

export type CaptivateChatEvent = keyof CaptivateChatEvents;

/** A mounted widget. Calls made before the WebAssembly has loaded are queued. */
export interface CaptivateChatHandle {
  /** Resolves once the widget itself has loaded (the launcher shows before it). */
  readonly ready: Promise<unknown>;
  open(): void;
  close(): void;
  toggle(): void;
  sendMessage(text: string): void;
  setMetadata(metadata: Record<string, unknown>): Promise<void>;
  on<E extends CaptivateChatEvent>(event: E, listener: (payload: CaptivateChatEvents[E]) => void): void;
  /** Opens the socket now (else when it is needed). */
  connect(): void;
  /** Forgets the visitor: their id, conversation and anything kept (e.g. on logout). */
  reset(): void;
  /** Removes the widget from the page and closes its socket. */
  destroy(): void;
  readonly isConnected: boolean;
  readonly isOpen: boolean;
  /** The API key it was mounted with. */
  readonly apiKey: string;
}

/** The events a widget emits, by name. */
export declare const events: readonly CaptivateChatEvent[];

/** Mounts a widget. In a browser only: on a server (no `window`) it throws. */
export declare function init(options: CaptivateChatOptions): CaptivateChatHandle;
/** Loads the widget's parts now. */
export declare function load(): Promise<unknown>;
/** Forgets the visitor in every widget on the page. Does nothing on a server. */
export declare function reset(): void;
/** A greeting beside the launcher of every floating widget whose chat is closed, now. */
export declare function greet(text: string): void;
/** Defines <captivate-chat> (`captivate-chat` by default). Does nothing on a server. */
export declare function defineElement(name?: string): void;
