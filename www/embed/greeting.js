// Embeds the widget with a greeting taken from this page's address (the tests drive every
// option through it): as the tag's data-* attributes, or through CaptivateChat.init with `init`.
const params = new URLSearchParams(location.search);
const options = {
  apiKey: params.get('key') || 'greeting-key',
  greeting: params.get('greeting') ?? 'Questions about pricing? Ask me.',
  greetingDelay: params.get('delay') ?? '2',
  greetingPages: params.get('pages'),
  greetingEvery: params.get('every'),
  locale: params.get('locale'),
  position: params.get('position'),
  theme: params.get('theme'),
};
for (const k of Object.keys(options)) if (options[k] === null) delete options[k];
const tag = document.createElement('script');
tag.src = '../captivate-embed.js';
if (params.has('init')) {
  tag.onload = () => CaptivateChat.init({
    ...options, baseUrl: location.origin, greetingDelay: Number(options.greetingDelay),
    greetingPages: options.greetingPages?.split(','), greetingEvery: options.greetingEvery && Number(options.greetingEvery),
  });
} else {
  tag.dataset.baseUrl = '/';
  for (const [k, v] of Object.entries(options)) tag.dataset[k] = v;
}
document.body.append(tag);
document.getElementById('greet').addEventListener('click', () => CaptivateChat.greet('Need a hand with your order?'));
