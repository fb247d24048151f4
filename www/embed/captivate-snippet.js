// The calls of Captivate's own widget snippet work against this widget.
Captivate.init({ apiKey: 'demo-key', baseUrl: location.origin, title: 'Snippet demo' });
Captivate.onConnect(() => {
  window.snippetConnected = Captivate.isConnected;
  document.getElementById('state').textContent = 'Connected.';
});
