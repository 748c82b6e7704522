/**
 * Swoole's custom-handshake example on Switchyard: route check, token check, subprotocol.
 * Run: npm start -- --app examples/custom-handshake.ts
 * Try: a client on ws://127.0.0.1:9501/chat?token=secret offering subprotocol "chat.v2".
 *
 * In Swoole, onHandshake must write the 101 itself (Sec-WebSocket-Accept and all) and
 * `defer` the open callback. Here the hook only decides; the server writes the 101.
 */
import type { AppHost } from 'switchyard';

/** Stands in for a database or auth service: the check may be async. */
async function userForToken(token: string | undefined): Promise<string | null> {
  await new Promise((r) => setTimeout(r, 5));
  return token === 'secret' ? 'alice' : null;
}

const users = new Map<number, string>();

export default function app(server: AppHost): void {
  server.on('handshake', async (request, response) => {
    if (request.path !== '/chat') {
      response.status(404).end('unknown route');
      return;
    }
    const token = request.query.token ?? request.headers.authorization?.replace(/^Bearer /, '');
    const user = await userForToken(token);
    if (!user) {
      response.status(401).header('WWW-Authenticate', 'Bearer').end('bad token');
      return;
    }
    users.set(request.fd, user);
    // Prefer chat.v2, fall back to chat.v1; a subprotocol the client did not offer is never sent.
    const protocol = ['chat.v2', 'chat.v1'].find((p) => request.protocols.includes(p)) ?? null;
    response.protocol(protocol).header('Set-Cookie', `user=${user}; HttpOnly`);
  });

  server.on('open', (srv, request) => {
    srv.push(request.fd, JSON.stringify({ hello: users.get(request.fd), protocol: request.protocol }));
  });

  server.on('message', (srv, frame) => {
    srv.push(frame.fd, JSON.stringify({ from: users.get(frame.fd), echo: frame.data }));
  });

  server.on('close', (_srv, fd) => {
    users.delete(fd);
  });
}
