/**
 * The client side of the opening handshake (RFC 6455 §4.1), for the tests and the load
 * scripts alike: the GET … Upgrade request, the response head, the Sec-WebSocket-Accept check,
 * and a socket opened through a 101 within a deadline.
 */
import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** A fresh Sec-WebSocket-Key: 16 random bytes, base64 (§4.1). */
export const newKey = (): string => randomBytes(16).toString('base64');

/** The Sec-WebSocket-Accept a server must answer `key` with (§4.2.2). */
export const acceptFor = (key: string): string => createHash('sha1').update(key + GUID).digest('base64');

/**
 * A valid upgrade request for `path`. `headers` override the defaults (Host 127.0.0.1, a fresh
 * key, version 13) and add to them; an empty value leaves a header out.
 */
export function upgradeRequest(path = '/', headers: Record<string, string> = {}): string {
  const all: Record<string, string> = {
    Host: '127.0.0.1',
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': newKey(),
    'Sec-WebSocket-Version': '13',
    ...headers,
  };
  let req = `GET ${path} HTTP/1.1\r\n`;
  for (const [k, v] of Object.entries(all)) if (v !== '') req += `${k}: ${v}\r\n`;
  return `${req}\r\n`;
}

export interface ResponseHead {
  /** 0 when the first line is not an HTTP status line. */
  status: number;
  /** The status line and the header lines (latin1), without the blank line. */
  head: string;
  /** Bytes after the head (the first frames, after a 101). */
  rest: Buffer;
}

/** The status line and headers of an HTTP response head, or null while it is incomplete. */
export function responseHead(buf: Buffer): ResponseHead | null {
  const end = buf.indexOf('\r\n\r\n');
  if (end === -1) return null;
  const head = buf.subarray(0, end).toString('latin1');
  return { status: Number(/^HTTP\/\d(?:\.\d)? (\d{3})/.exec(head)?.[1] ?? 0), head, rest: buf.subarray(end + 4) };
}

/** The headers of a response head, lower-cased names; repeated ones joined with ", ". */
export function headersOf(head: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n').slice(1)) {
    const i = line.indexOf(':');
    const k = line.slice(0, i).trim().toLowerCase();
    const v = line.slice(i + 1).trim();
    headers[k] = headers[k] ? `${headers[k]}, ${v}` : v;
  }
  return headers;
}

/** Why a response head does not complete the handshake for `key` (not a 101, a wrong accept), or null. */
export function upgradeProblem(head: ResponseHead, key?: string): string | null {
  if (head.status !== 101) return `expected 101, got ${head.head.split('\r\n', 1)[0]}`;
  if (key !== undefined && headersOf(head.head)['sec-websocket-accept'] !== acceptFor(key)) return 'wrong or missing Sec-WebSocket-Accept';
  return null;
}

export interface OpenOptions {
  host?: string;
  port: number;
  path?: string;
  /** Sec-WebSocket-Extensions to offer. */
  extensions?: string;
  /** Extra request headers (see upgradeRequest). */
  headers?: Record<string, string>;
  localAddress?: string;
  deadlineMs?: number;
}

export type Opened =
  | { ok: true; socket: Socket; head: string; rest: Buffer; ms: number }
  /** failure: `HTTP <status>`, an errno code, `timeout` or `closed before response`. */
  | { ok: false; failure: string; ms: number };

/**
 * Connects, sends the upgrade and waits for the response head; a 101 leaves the socket open
 * (no 'data' listener left on it: the caller reads from `rest` on), anything else destroys it.
 */
export function openWebSocket(o: OpenOptions): Promise<Opened> {
  const t0 = performance.now();
  const host = o.host ?? '127.0.0.1';
  return new Promise((resolve) => {
    let buf: Buffer | null = null;
    let settled = false;
    const s = connect({ host, port: o.port, noDelay: true, ...(o.localAddress ? { localAddress: o.localAddress } : {}) });
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
    const timer = setTimeout(() => fail('timeout'), o.deadlineMs ?? 10_000);
    s.on('data', onData);
    s.once('connect', () => s.write(upgradeRequest(o.path ?? '/', { Host: `${host}:${o.port}`, ...(o.extensions ? { 'Sec-WebSocket-Extensions': o.extensions } : {}), ...o.headers })));
    s.on('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
    s.once('close', () => fail('closed before response'));
  });
}
