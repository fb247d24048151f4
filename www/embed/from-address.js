// What the example pages driven by the tests share: embeds the widget with `options` (null
// values left out) as the tag's data-* attributes, or, when the address has `init`, through
// CaptivateChat.init with what `forInit(options)` makes of them.
window.embedFromAddress = function (options, forInit) {
  for (const k of Object.keys(options)) if (options[k] === null) delete options[k];
  const tag = document.createElement('script');
  tag.src = '../captivate-embed.js';
  if (new URLSearchParams(location.search).has('init')) {
    tag.onload = () => CaptivateChat.init({ ...forInit(options), baseUrl: location.origin });
  } else {
    tag.dataset.baseUrl = '/';
    for (const [k, v] of Object.entries(options)) tag.dataset[k] = v;
  }
  document.body.append(tag);
};
