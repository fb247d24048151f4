// Mounts the chat inside #chat, dark, in Spanish, with a renderer for a custom content type.
const chat = CaptivateChat.init({
  apiKey: 'demo-key',
  baseUrl: location.origin,
  container: document.getElementById('chat'),
  theme: 'dark',
  locale: 'es',
  open: true,
  rating: true,
  renderers: {
    custom(item) {
      const el = document.createElement('div');
      el.className = 'order';
      el.textContent = `Order ${item.order?.id ?? '?'}: ${item.order?.status ?? 'unknown'}`;
      return el;
    },
  },
});
chat.on('action', (actions) => console.log('action from the bot:', actions));
