// captivate-chat-widget/vue: <CaptivateChat api-key="…" title="…" @message="…" /> and
// useCaptivateChat(), for Vue 3. No SFC here (the package ships no build step of its own).
import { defineComponent, h, inject, onBeforeUnmount, onMounted, onUpdated, provide, ref, shallowRef } from 'vue';
import { events, init } from './index.mjs';

const key = Symbol('captivate-chat');
const camel = (name) => name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());

/**
 * The widget, mounted while the component is: floating or, with `inline`, inside a <div>
 * the component renders. Every attribute is an `init` option (kebab or camel case); every
 * listener (@message, @open, @close, @action, @error, @connection, @rating, @end, @feedback) hears that
 * event. A change of options mounts the widget again with them. The default slot's
 * components get the handle through useCaptivateChat().
 */
export const CaptivateChat = defineComponent({
  name: 'CaptivateChat',
  inheritAttrs: false,
  props: { inline: { type: Boolean, default: false } },
  setup(props, { attrs, slots }) {
    const box = ref(null);
    const handle = shallowRef(null);
    provide(key, handle);
    const read = () => {
      const options = {};
      const listeners = {};
      for (const [name, value] of Object.entries(attrs)) {
        if (name === 'class' || name === 'style') continue;
        if (/^on[A-Z]/.test(name) && typeof value === 'function') listeners[name[2].toLowerCase() + name.slice(3)] = value;
        else options[camel(name)] = value;
      }
      return { options, listeners };
    };
    let mounted = null;
    let latest = {};
    const mount = () => {
      const { options, listeners } = read();
      latest = listeners;
      const same = JSON.stringify(options);
      if (props.inline) options.container = box.value;
      const chat = init(options);
      for (const event of events) chat.on(event, (...args) => latest[event]?.(...args));
      mounted = { chat, same, inline: props.inline };
      handle.value = chat;
    };
    const unmount = () => {
      mounted?.chat.destroy();
      mounted = null;
      handle.value = null;
    };
    onMounted(mount);
    onUpdated(() => {
      const { options, listeners } = read();
      latest = listeners;
      if (!mounted || mounted.inline !== props.inline || mounted.same !== JSON.stringify(options)) {
        unmount();
        mount();
      }
    });
    onBeforeUnmount(unmount);
    return () => [
      props.inline ? h('div', { ref: box, class: attrs.class, style: attrs.style }) : null,
      slots.default?.(),
    ];
  },
});

/** The handle of the enclosing <CaptivateChat>, as a ref (null until it has mounted). */
export function useCaptivateChat() {
  return inject(key, shallowRef(null));
}
