import type { DefineComponent, ShallowRef } from 'vue';
import type { CaptivateChatHandle, CaptivateChatOptions } from './index.js';

/** The widget, mounted while this component is; attributes are `init` options, listeners its events. */
export declare const CaptivateChat: DefineComponent<Omit<CaptivateChatOptions, 'container'> & { inline?: boolean }>;
/** The handle of the enclosing <CaptivateChat>, as a ref (null until it has mounted). */
export declare function useCaptivateChat(): ShallowRef<CaptivateChatHandle | null>;
