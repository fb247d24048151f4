import type { CaptivateChatEvents, CaptivateChatHandle } from './index.js';

/**
 * <captivate-chat api-key="…" …>: attributes as the embed tag's data-* ones (api-key, title,
 * theme, locale, open, greeting, …); `inline` shows the panel inside the element.
 */
export interface CaptivateChatElement extends HTMLElement {
  /** The mounted widget's handle (null while the element is not in the document). */
  readonly chat: CaptivateChatHandle | null;
  open(): void;
  close(): void;
  toggle(): void;
  sendMessage(text: string): void;
  setMetadata(metadata: Record<string, unknown>): Promise<void>;
  reset(): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'captivate-chat': CaptivateChatElement;
  }
  interface HTMLElementEventMap {
    'captivate-message': CustomEvent<CaptivateChatEvents['message']>;
    'captivate-open': CustomEvent<undefined>;
    'captivate-close': CustomEvent<undefined>;
    'captivate-action': CustomEvent<CaptivateChatEvents['action']>;
    'captivate-error': CustomEvent<CaptivateChatEvents['error']>;
    'captivate-connection': CustomEvent<CaptivateChatEvents['connection']>;
    'captivate-rating': CustomEvent<CaptivateChatEvents['rating']>;
    'captivate-end': CustomEvent<CaptivateChatEvents['end']>;
    'captivate-feedback': CustomEvent<CaptivateChatEvents['feedback']>;
  }
}
