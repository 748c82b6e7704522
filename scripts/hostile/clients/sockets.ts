/**
 * What the hostile client roles share: opening a WebSocket over a raw socket (the upgrade and
 * its response head, with a deadline), one raw request and its answer, and the server's
 * close frame found in a byte stream (RFC 6455 §5.5.1).
 */
import { connect, type Socket } from 'node:net';
import { readFrames, responseHead, upgradeRequest } from '../../lib/frames.ts';

export interface Endpoint {
  host: string;
  port: number;
}

export interface OpenOptions extends Endpoint {
  path: string;
  /** Sec-WebSocket-Extensions to offer. */
  extensions?: string;
  localAddress?: string;
  deadlineMs: number;
}

export type Opened =
  | { ok: true; socket: Socket; head: string; rest: Buffer; ms: number }
  /** failure: `HTTP <status>`, an errno code, `timeout` or `closed before response`. */
  | { ok: false; failure: string; ms: number };

/** Connects, sends the upgrade and waits for the response head; a 101 leaves the socket open. */
export function openWebSocket(o: OpenOptions): Promise<Opened> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    let buf: Buffer | null = null;
    let settled = false;
    const s = connect({ host: o.host, port: o.port, noDelay: true, ...(o.localAddress ? { localAddress: o.localAddress } : {}) });
    const end = (r: Opened): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      s.off('data', onData);
      if (!r.ok) s.destroy();
      resolve(r);
    };
    const fail = (failure: string) => end({ ok: false, failure, ms: performance.now() - t0 });
    const onData = (d: Buffer): void => {
      buf = buf === null ? d : Buffer.concat([buf, d]);
      const head = responseHead(buf);
      if (head === null) return;
      if (head.status === 101) end({ ok: true, socket: s, head: head.head, rest: head.rest, ms: performance.now() - t0 });
      else fail(`HTTP ${head.status}`);
    };
    const timer = setTimeout(() => fail('timeout'), o.deadlineMs);
    s.on('data', onData);
    s.once('connect', () => s.write(upgradeRequest({ path: o.path, host: `${o.host}:${o.port}`, ...(o.extensions ? { extensions: o.extensions } : {}) })));
    s.on('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
    s.once('close', () => fail('closed before response'));
  });
}

export interface Answer {
  /** The response's status, or null without one. */
  status: number | null;
  /** `HTTP <status>`, `closed without an answer`, `reset` (or another errno), `no answer within N ms`. */
  outcome: string;
  /** From the write to the answer (or the close / the deadline). */
  ms: number;
}

/** Writes `bytes` on a new connection and waits for the status line of the answer. */
export function exchange(at: Endpoint, bytes: Buffer, deadlineMs: number): Promise<Answer> {
  return new Promise((resolve) => {
    let t0 = performance.now();
    let buf = Buffer.alloc(0);
    let settled = false;
    const s = connect({ host: at.host, port: at.port, noDelay: true });
    const end = (status: number | null, outcome: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      s.destroy();
      resolve({ status, outcome, ms: Math.round((performance.now() - t0) * 10) / 10 });
    };
    const timer = setTimeout(() => end(null, `no answer within ${deadlineMs} ms`), deadlineMs);
    s.once('connect', () => {
      t0 = performance.now();
      s.write(bytes);
    });
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const line = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(buf.subarray(0, 64).toString('latin1'));
      if (line) end(Number(line[1]), `HTTP ${line[1]}`);
      else if (buf.includes('\r\n') || buf.length >= 64) end(null, `not HTTP: ${JSON.stringify(buf.subarray(0, 24).toString('latin1'))}`);
    });
    s.on('error', (err: NodeJS.ErrnoException) => end(null, err.code === 'ECONNRESET' ? 'reset' : (err.code ?? err.message)));
    s.once('close', () => end(null, 'closed without an answer'));
  });
}

/**
 * Reads server frames off a stream, remembering the first close frame's code (1005 when it
 * carries none). Whole frames only; payloads are not kept.
 */
export class CloseWatcher {
  private rest: Buffer | null = null;
  closeCode: number | null = null;
  frames = 0;
  bytes = 0;

  feed(chunk: Buffer): void {
    this.bytes += chunk.length;
    this.rest = readFrames(this.rest, chunk, (opcode, payload) => {
      this.frames++;
      if (opcode === 0x8 && this.closeCode === null) this.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
    });
  }
}

/** How a socket ended, as seen by the client. */
export function endedBy(err: NodeJS.ErrnoException | null): string {
  if (err === null) return 'closed';
  return err.code === 'ECONNRESET' ? 'reset' : (err.code ?? err.message);
}

export const seconds = (ms: number): number => Math.round(ms / 10) / 100;
