/** The page `GET /` serves: a minimal client for /echo (also driven by the browser test). */
export const ECHO_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Switchyard echo</title>
<style>body{font:14px system-ui,sans-serif;max-width:40em;margin:2em auto}#log{white-space:pre-wrap;border:1px solid #ccc;padding:.5em;min-height:8em}</style>
</head>
<body>
<h1>Switchyard echo</h1>
<p>Status: <b id="status">connecting</b> <span id="ext"></span></p>
<form id="form"><input id="text" value="hello" autocomplete="off"> <button>Send text</button> <button type="button" id="bin">Send binary</button> <button type="button" id="close">Close</button></form>
<div id="log"></div>
<script>
const log = (s) => { document.getElementById('log').textContent += s + '\\n'; };
const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/echo');
ws.binaryType = 'arraybuffer';
window.echo = { ws, received: [], closed: null };
ws.onopen = () => { document.getElementById('status').textContent = 'open'; document.getElementById('ext').textContent = ws.extensions; };
ws.onmessage = (e) => {
  const v = typeof e.data === 'string' ? e.data : Array.from(new Uint8Array(e.data));
  window.echo.received.push(v);
  log('< ' + (typeof v === 'string' ? v : '[binary ' + v.length + ' bytes]'));
};
ws.onclose = (e) => { window.echo.closed = { code: e.code, reason: e.reason, wasClean: e.wasClean }; document.getElementById('status').textContent = 'closed ' + e.code; };
document.getElementById('form').onsubmit = (e) => { e.preventDefault(); const t = document.getElementById('text').value; ws.send(t); log('> ' + t); };
document.getElementById('bin').onclick = () => { ws.send(new Uint8Array([1, 2, 3, 250])); log('> [binary 4 bytes]'); };
document.getElementById('close').onclick = () => ws.close(1000, 'bye');
</script>
</body>
</html>
`;
