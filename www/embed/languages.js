// The language picker of languages.html: each language the widget has, named in its own
// language (Intl.DisplayNames); choosing one reloads the page with ?locale=…, which embeds the
// widget with data-locale (or through CaptivateChat.init with `init`).
const params = new URLSearchParams(location.search);
const languages = ['ar', 'de', 'en', 'es', 'fa', 'fr', 'he', 'hi', 'id', 'it', 'ja', 'ko', 'nl', 'pl', 'pt', 'ru', 'tr', 'uk', 'ur', 'zh-CN', 'zh-TW'];
const select = document.getElementById('language');
for (const lang of languages) {
  const option = document.createElement('option');
  option.value = lang;
  option.lang = lang;
  option.textContent = `${new Intl.DisplayNames([lang], { type: 'language' }).of(lang)} (${lang})`;
  select.append(option);
}
const locale = params.get('locale') || '';
select.value = locale;
document.getElementById('chosen').textContent = locale
  ? `The chat below is in ${new Intl.DisplayNames(['en'], { type: 'language' }).of(locale)}.`
  : `The chat below is in the first of your browser's languages it has (yours: ${navigator.languages.join(', ')}).`;
window.embedFromAddress({
  apiKey: params.get('key') || 'demo-key',
  locale: locale || null,
  theme: params.get('theme'),
  open: params.has('open') ? 'true' : null,
  emoji: params.get('emoji') === 'off' ? null : 'true',
}, ({ open, emoji, ...rest }) => ({ ...rest, open: open === 'true', emoji: emoji === 'true' }));
