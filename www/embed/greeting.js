// Embeds the widget with a greeting taken from this page's address (the tests drive every
// option through it): as the tag's data-* attributes, or through CaptivateChat.init with `init`.
const params = new URLSearchParams(location.search);
window.embedFromAddress({
  apiKey: params.get('key') || 'greeting-key',
  greeting: params.get('greeting') ?? 'Questions about pricing? Ask me.',
  greetingDelay: params.get('delay') ?? '2',
  greetingPages: params.get('pages'),
  greetingEvery: params.get('every'),
  locale: params.get('locale'),
  position: params.get('position'),
  theme: params.get('theme'),
}, (o) => ({
  ...o, greetingDelay: Number(o.greetingDelay),
  greetingPages: o.greetingPages?.split(','), greetingEvery: o.greetingEvery && Number(o.greetingEvery),
}));
document.getElementById('greet').addEventListener('click', () => CaptivateChat.greet('Need a hand with your order?'));
