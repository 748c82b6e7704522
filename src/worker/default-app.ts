import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerMatches, parseAdminRoute } from '../shared/admin/admin-api.ts';
import { json, readBody } from '../shared/admin/http-io.ts';
import { runAdmin } from './admin-ops.ts';
import type { AppHost, ServerApi } from './app-contract.ts';
import { upgradeRequired } from './handshake/upgrade-required.ts';
import { HOME_PAGE } from './home-page.ts';

/** The WebSocket endpoints: a plain request there gets 426 Upgrade Required. */
const WEBSOCKET_PATHS = new Set(['/echo', '/chat']);

/** Room every /chat session joins: a chat message is one room push across the cluster. */
const CHAT = 'chat';

/**
 * The app `npm start` runs without --app:
 * - WebSocket `/echo` echoes every message with its opcode;
 * - WebSocket `/chat`: a welcome with fd, worker and node on open; every text message goes to
 *   every /chat session of the cluster as {"type":"message","from":fd,"text":...};
 * - `GET /` a page to try both, `GET /stats` the cluster's figures;
 * - `POST /push/:fd` and `POST /broadcast` (only with --admin-token, as a Bearer token): the
 *   admin API's own implementation (admin-ops.ts; README "Admin server"), served here too; a
 *   push answers {fd, status, worker, node}: its outcome and the worker that took the request.
 * Other WebSocket paths get 404 in the handshake; a plain request to /echo or /chat gets 426.
 */
export default function defaultApp(server: AppHost): void {
  server.on('handshake', (request, response) => {
    if (!WEBSOCKET_PATHS.has(request.path)) {
      response.status(404).end('no WebSocket endpoint at this path; try /echo or /chat');
    }
  });
  server.on('open', (srv, request) => {
    if (request.path !== '/chat') return;
    srv.join(request.fd, CHAT);
    srv.push(request.fd, JSON.stringify({ type: 'welcome', fd: request.fd, worker: srv.workerId, node: srv.node }));
  });
  server.on('message', (srv, frame) => {
    const path = srv.localClientInfo(frame.fd)?.path;
    if (path === '/chat') {
      if (typeof frame.data === 'string') srv.to(CHAT).push(JSON.stringify({ type: 'message', from: frame.fd, text: frame.data }));
      return;
    }
    srv.push(frame.fd, frame.data, frame.opcode);
  });
  server.on('request', (req, res, srv) => handleHttp(req, res, srv));
}

async function handleHttp(req: IncomingMessage, res: ServerResponse, srv: ServerApi): Promise<void> {
  const url = req.url ?? '/';
  // A browser or curl opening a WebSocket endpoint as a page: say what it takes.
  if (WEBSOCKET_PATHS.has(url.split('?', 1)[0]!)) return upgradeRequired(res);
  if (req.method === 'GET' && (url === '/' || url === '/index.html')) return send(res, 200, HOME_PAGE, 'text/html; charset=utf-8');
  if (req.method === 'GET' && url === '/stats') return json(res, 200, await srv.stats());
  const path = url.split('?', 1)[0]!;
  if (req.method === 'POST' && (path.startsWith('/push/') || path === '/broadcast')) {
    const token = srv.config.adminToken;
    if (token === undefined) return json(res, 404, { error: 'admin endpoints are off: start with --admin-token' });
    if (!bearerMatches(req.headers.authorization, token)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return json(res, 401, { error: 'missing or wrong bearer token' });
    }
    // The admin API's own parsing and its one implementation (admin-ops.ts), as the master's admin server runs them.
    const route = parseAdminRoute(req.method, url);
    if (route.kind === 'refused') return json(res, route.status, { error: route.error });
    if (route.kind !== 'worker') return send(res, 404, 'not found\n', 'text/plain; charset=utf-8');
    const body = await readBody(req, srv.config.packageMaxLength);
    if (body === null) return json(res, 413, { error: `body over ${srv.config.packageMaxLength} bytes` });
    const request = route.make(body);
    if ('kind' in request) return json(res, request.status, { error: request.error });
    const answer = await runAdmin(srv, request);
    if (answer.retryAfter !== undefined) res.setHeader('Retry-After', String(answer.retryAfter));
    return json(res, answer.status, answer.body);
  }
  send(res, 404, 'not found\n', 'text/plain; charset=utf-8');
}

function send(res: ServerResponse, status: number, body: string, type: string): void {
  res.writeHead(status, { 'Content-Type': type });
  res.end(body);
}
