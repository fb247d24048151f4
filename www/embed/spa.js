// A single-page site in a few lines: a link builds the next page's <body> and swaps it for the
// current one, as Turbo does (turbo:before-render, then the new body replaces the old); the
// address changes with history.pushState; Back swaps again. Handlers are delegated from the
// document, which outlives every body.
const pages = {
  home: ['Home', 'The home page, rendered again by the router.'],
  pricing: ['Pricing', 'Plans and prices. The chat in the corner is the same one, still connected.'],
  docs: ['Docs', 'Documentation. Try the browser\'s Back button too.'],
};

function render(name) {
  const [title, text] = pages[name] || pages.home;
  const body = document.createElement('body');
  const nav = document.querySelector('nav').cloneNode(true);
  const main = document.createElement('main');
  const h1 = document.createElement('h1');
  h1.textContent = title;
  const p = document.createElement('p');
  p.textContent = text;
  // On every page: a change of address alone, as a client-side router makes.
  const push = document.createElement('button');
  push.type = 'button';
  push.id = 'push';
  push.textContent = 'Change the address only (pushState)';
  main.append(h1, p, push);
  body.append(nav, main);
  document.dispatchEvent(new CustomEvent('turbo:before-render', { detail: { newBody: body } }));
  document.body.replaceWith(body);
  document.title = `${title} — a single-page site`;
}

document.addEventListener('click', (e) => {
  const link = e.target.closest && e.target.closest('a[data-page]');
  if (link) {
    e.preventDefault();
    history.pushState({ page: link.dataset.page }, '', link.href);
    render(link.dataset.page);
  } else if (e.target.id === 'push') {
    history.pushState({ page: 'home' }, '', '?page=home&pushed=1');
  }
});
addEventListener('popstate', (e) => render(e.state?.page || 'home'));
