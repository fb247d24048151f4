// Embeds the widget with a pre-chat form (or the page's own user) taken from this page's
// address (the tests drive every option through it): as the tag's data-* attributes, or
// through CaptivateChat.init with `init`.
const params = new URLSearchParams(location.search);
window.embedFromAddress({
  apiKey: params.get('key') || 'prechat-key',
  prechat: params.get('prechat') ?? 'name,email',
  prechatRequired: params.get('required') ?? 'email',
  userName: params.get('name'),
  userEmail: params.get('email'),
  locale: params.get('locale'),
  theme: params.get('theme'),
}, ({ userName, userEmail, prechat, prechatRequired, ...rest }) => ({
  ...rest,
  prechat: prechat.split(','), prechatRequired: prechatRequired === 'true' ? true : prechatRequired.split(','),
  ...(userName || userEmail ? { user: { name: userName, email: userEmail } } : {}),
}));
