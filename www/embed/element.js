// The element's events, logged; a changed attribute (theme) mounts the chat again with it; a
// move to another place in the page keeps the same chat and conversation.
const chat = document.querySelector('captivate-chat');
const log = document.getElementById('log');
for (const name of ['message', 'open', 'close', 'connection', 'action', 'error', 'end', 'rating']) {
  document.addEventListener(`captivate-${name}`, (e) => {
    const li = document.createElement('li');
    const detail = e.detail === undefined ? '' : `: ${JSON.stringify(e.detail).slice(0, 120)}`;
    li.textContent = `captivate-${name}${detail}`;
    log.append(li);
  });
}
document.getElementById('theme').addEventListener('click', (e) => {
  const dark = chat.getAttribute('theme') !== 'dark';
  chat.setAttribute('theme', dark ? 'dark' : 'light');
  e.target.textContent = dark ? 'Switch to light' : 'Switch to dark';
});
document.getElementById('move').addEventListener('click', () => {
  const to = chat.parentElement.id === 'first' ? 'second' : 'first';
  document.getElementById(to).append(chat);
});
