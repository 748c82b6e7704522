import type { AppHost } from './app-contract.ts';
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
export default function defaultApp(server: AppHost): void;
//# sourceMappingURL=default-app.d.ts.map