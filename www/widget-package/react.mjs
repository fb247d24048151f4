// captivate-chat-widget/react: <CaptivateChat apiKey="…" {...options} onMessage={…} /> and
// useCaptivateChat(). No JSX here (the package ships no build step of its own).
import { createContext, createElement, useContext, useEffect, useRef, useState } from 'react';
import { events, init } from './index.mjs';

const Handle = createContext(null);
// onMessage -> message, onConnection -> connection, …
const eventOf = (prop) => (/^on[A-Z]/.test(prop) ? prop[2].toLowerCase() + prop.slice(3) : null);

/**
 * The widget, mounted while the component is: floating (the launcher and panel in a corner
 * of the page) or, with `inline`, inside a <div> the component renders (`className`,
 * `style`). Every other prop is an `init` option, or a listener (`onMessage`, `onOpen`,
 * `onClose`, `onAction`, `onError`, `onConnection`, `onRating`, `onEnd`, `onFeedback`) whose latest value
 * is called. A change of options mounts the widget again with them; a change of listeners
 * does not. `children` get the handle through useCaptivateChat().
 */
export function CaptivateChat({ children, inline = false, className, style, ...props }) {
  const options = {};
  const listeners = {};
  for (const [key, value] of Object.entries(props)) {
    const event = eventOf(key);
    if (event && typeof value === 'function') listeners[event] = value;
    else options[key] = value;
  }
  const latest = useRef(listeners);
  latest.current = listeners;
  const current = useRef(options);
  current.current = options;
  // What mounts a new widget: the options as JSON (functions, such as renderers, are taken
  // as they are at mount).
  const key = JSON.stringify(options);
  const box = useRef(null);
  const [handle, setHandle] = useState(null);
  useEffect(() => {
    const chat = init({ ...current.current, ...(inline ? { container: box.current } : {}) });
    for (const event of events) chat.on(event, (...args) => latest.current[event]?.(...args));
    setHandle(chat);
    return () => {
      chat.destroy();
      setHandle(null);
    };
  }, [key, inline]);
  return createElement(
    Handle.Provider,
    { value: handle },
    inline ? createElement('div', { ref: box, className, style }) : null,
    children ?? null,
  );
}

/** The handle of the enclosing <CaptivateChat> (null until it has mounted). */
export function useCaptivateChat() {
  return useContext(Handle);
}

