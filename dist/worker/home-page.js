/** The page `GET /` serves: tries /echo and /chat (the browser test drives window.echo and window.chat). */
export const HOME_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Switchyard</title>
<style>body{font:14px system-ui,sans-serif;max-width:44em;margin:2em auto}.log{white-space:pre-wrap;border:1px solid #ccc;padding:.5em;min-height:6em;max-height:20em;overflow:auto}</style>
</head>
<body>
<h1>Switchyard</h1>
<h2>Echo</h2>
<p>Status: <b id="status">connecting</b> <span id="ext"></span></p>
<form id="form"><input id="text" value="hello" autocomplete="off"> <button>Send text</button> <button type="button" id="bin">Send binary</button> <button type="button" id="close">Close</button></form>
<div id="log" class="log"></div>
<h2>Chat <small id="me"></small></h2>
<form id="chatform"><input id="chattext" value="hi all" autocomplete="off"> <button>Say</button></form>
<div id="chatlog" class="log"></div>
<script>
const wsUrl = (path) => (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + path;
const log = (id, s) => { document.getElementById(id).textContent += s + '\\n'; };

const ws = new WebSocket(wsUrl('/echo'));
ws.binaryType = 'arraybuffer';
window.echo = { ws, received: [], closed: null };
ws.onopen = () => { document.getElementById('status').textContent = 'open'; document.getElementById('ext').textContent = ws.extensions; };
ws.onmessage = (e) => {
  const v = typeof e.data === 'string' ? e.data : Array.from(new Uint8Array(e.data));
  window.echo.received.push(v);
  log('log', '< ' + (typeof v === 'string' ? v : '[binary ' + v.length + ' bytes]'));
};
ws.onclose = (e) => { window.echo.closed = { code: e.code, reason: e.reason, wasClean: e.wasClean }; document.getElementById('status').textContent = 'closed ' + e.code; };
document.getElementById('form').onsubmit = (e) => { e.preventDefault(); const t = document.getElementById('text').value; ws.send(t); log('log', '> ' + t); };
document.getElementById('bin').onclick = () => { ws.send(new Uint8Array([1, 2, 3, 250])); log('log', '> [binary 4 bytes]'); };
document.getElementById('close').onclick = () => ws.close(1000, 'bye');

const chat = new WebSocket(wsUrl('/chat'));
window.chat = { ws: chat, received: [] };
chat.onmessage = (e) => {
  const m = JSON.parse(e.data);
  window.chat.received.push(m);
  if (m.type === 'welcome') document.getElementById('me').textContent = '(you are fd ' + m.fd + ' on worker ' + m.worker + ', node ' + m.node + ')';
  else log('chatlog', m.from + ': ' + m.text);
};
document.getElementById('chatform').onsubmit = (e) => { e.preventDefault(); chat.send(document.getElementById('chattext').value); };
</script>
</body>
</html>
`;
//# sourceMappingURL=home-page.js.map