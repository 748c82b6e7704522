import type { AppHost } from './server.ts';
import { ECHO_PAGE } from './echo-page.ts';

/**
 * The app `npm start` runs without --app: WebSocket `/echo` echoes every message with its
 * opcode, other WebSocket paths get 404 in the handshake, `GET /` serves a page to try it,
 * `GET /stats` the cluster's figures as JSON.
 */
export default function echoApp(server: AppHost): void {
  server.on('handshake', (request, response) => {
    if (request.path !== '/echo') {
      response.status(404).end('no WebSocket endpoint at this path; try /echo');
    }
  });
  server.on('message', (srv, frame) => {
    srv.push(frame.fd, frame.data, frame.opcode);
  });
  server.on('request', async (req, res, srv) => {
    if (req.method === 'GET' && req.url === '/stats') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(await srv.stats()));
      return;
    }
    if (req.method === 'GET' && (req.url === '/' || req.url === '/index.html')) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(ECHO_PAGE);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('not found\n');
  });
}
