/**
 * The driver of the cross-node attacks: one WebSocket session (a `ws` client: a handful of
 * commands, no load) on the sending node, running scripts/apps/hostile-app.ts. It learns
 * which worker holds it (its pid: the process whose memory the flood grows) and sends the
 * app's commands, waiting for their replies.
 */
import WebSocket from 'ws';
import type { Hello } from './clients/misc.ts';

export class Driver {
  private readonly replies: Array<Record<string, unknown>> = [];
  private readonly waiters = new Set<() => void>();
  closed = false;

  private constructor(
    private readonly ws: WebSocket,
    readonly hello: Hello,
  ) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      try {
        this.replies.push(JSON.parse(data.toString()) as Record<string, unknown>);
      } catch {
        return;
      }
      for (const w of this.waiters) w();
    });
    ws.on('close', () => {
      this.closed = true;
      for (const w of this.waiters) w();
    });
  }

  static async connect(url: string, timeoutMs: number): Promise<Driver> {
    const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeoutMs });
    const hello = await new Promise<Hello>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no hello from ${url} within ${timeoutMs} ms`)), timeoutMs);
      ws.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      ws.once('message', (data) => {
        clearTimeout(timer);
        const h = JSON.parse(data.toString()) as Hello & { type: string };
        resolve({ fd: h.fd, worker: h.worker, node: h.node, pid: h.pid });
      });
    });
    ws.on('error', () => {});
    return new Driver(ws, hello);
  }

  send(command: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(command));
  }

  /** The next reply of `type`; rejects after `ms`, or when the session closes. */
  reply(type: string, ms: number): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const i = this.replies.findIndex((r) => r.type === type);
        if (i >= 0) return done(() => resolve(this.replies.splice(i, 1)[0]!));
        if (this.closed) done(() => reject(new Error(`the driver's session closed before "${type}"`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`no "${type}" within ${ms} ms`))), ms);
      const done = (f: () => void): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        f();
      };
      this.waiters.add(check);
      check();
    });
  }

  close(): void {
    this.ws.terminate();
  }
}
