import type { ReactElement, ReactNode, CSSProperties } from 'react';
import type { CaptivateChatEvents, CaptivateChatHandle, CaptivateChatOptions } from './index.js';

type Listeners = {
  [E in keyof CaptivateChatEvents as `on${Capitalize<E & string>}`]?: (payload: CaptivateChatEvents[E]) => void;
};

export type CaptivateChatProps = Omit<CaptivateChatOptions, 'container'> & Listeners & {
  /** The panel inside a <div> this component renders, instead of a floating bubble. */
  inline?: boolean;
  className?: string;
  style?: CSSProperties;
  children?: ReactNode;
};

/** The widget, mounted while this component is. */
export declare function CaptivateChat(props: CaptivateChatProps): ReactElement;
/** The handle of the enclosing <CaptivateChat> (null until it has mounted). */
export declare function useCaptivateChat(): CaptivateChatHandle | null;
