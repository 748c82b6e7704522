import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import type { Config } from '../../src/shared/config.ts';
import { Server } from '../../src/worker/server.ts';

export interface Running {
  server: Server;
  port: number;
  url: string;
  stop(): Promise<void>;
}

/** A real server on a real port (0: picked by the kernel), logging nothing unless LOG_LEVEL says so. */
export async function startServer(config: Partial<Config> = {}, setup?: (server: Server) => void): Promise<Running> {
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
  const server = new Server({ port: 0, ...config }, { logger });
  setup?.(server);
  const address = await server.listen(0, '127.0.0.1');
  return {
    server,
    port: address.port,
    url: `ws://127.0.0.1:${address.port}`,
    stop: () => server.shutdown(200),
  };
}

/** Resolves when `predicate` holds, polling; rejects after `ms`. */
export async function until(predicate: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A raw TCP client that reads everything the server sends. */
export class RawClient {
  readonly socket: Socket;
  data = Buffer.alloc(0);
  ended = false;
  closed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.data = Buffer.concat([this.data, d]);
    });
    socket.on('end', () => {
      this.ended = true;
    });
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => {});
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    const socket = connect(port, host);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  write(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  /** The HTTP response head received so far, or null until it is complete. */
  responseHead(): { status: number; headers: Record<string, string>; rest: Buffer } | null {
    const end = this.data.indexOf('\r\n\r\n');
    if (end === -1) return null;
    const lines = this.data.subarray(0, end).toString('latin1').split('\r\n');
    const status = Number(lines[0]!.split(' ')[1]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      const k = line.slice(0, i).trim().toLowerCase();
      headers[k] = headers[k] ? `${headers[k]}, ${line.slice(i + 1).trim()}` : line.slice(i + 1).trim();
    }
    return { status, headers, rest: this.data.subarray(end + 4) };
  }

  async head(ms = 5000): Promise<{ status: number; headers: Record<string, string>; rest: Buffer }> {
    await until(() => this.responseHead() !== null || this.closed, ms, 'HTTP response head');
    const h = this.responseHead();
    if (!h) throw new Error(`connection closed without a response head: ${JSON.stringify(this.data.toString('latin1'))}`);
    return h;
  }

  /** Sends a valid upgrade request for `path` (extra headers override) and waits for the 101. */
  async upgrade(path = '/echo', headers: Record<string, string> = {}): Promise<Buffer> {
    this.write(upgradeRequest(path, headers));
    const h = await this.head();
    if (h.status !== 101) throw new Error(`expected 101, got ${h.status}`);
    const rest = h.rest;
    this.data = Buffer.from(rest);
    return rest;
  }

  close(): void {
    this.socket.destroy();
  }
}

export function upgradeRequest(path = '/echo', headers: Record<string, string> = {}): string {
  const all: Record<string, string> = {
    Host: '127.0.0.1',
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    'Sec-WebSocket-Version': '13',
    ...headers,
  };
  let req = `GET ${path} HTTP/1.1\r\n`;
  for (const [k, v] of Object.entries(all)) if (v !== '') req += `${k}: ${v}\r\n`;
  return `${req}\r\n`;
}

/** A raw client past the upgrade: send client frames, read server frames. */
export class FrameClient {
  readonly raw: RawClient;
  private reader: import('./client-frames.ts').ServerFrameReader;
  private consumed = 0;
  readonly frames: import('./client-frames.ts').ServerFrame[] = [];

  private constructor(raw: RawClient, reader: import('./client-frames.ts').ServerFrameReader) {
    this.raw = raw;
    this.reader = reader;
  }

  static async open(port: number, path = '/echo', headers: Record<string, string> = {}): Promise<FrameClient> {
    const { ServerFrameReader } = await import('./client-frames.ts');
    const raw = await RawClient.connect(port);
    await raw.upgrade(path, headers);
    return new FrameClient(raw, new ServerFrameReader());
  }

  /** Parses whatever arrived since the last call. */
  poll(): import('./client-frames.ts').ServerFrame[] {
    const fresh = this.raw.data.subarray(this.consumed);
    this.consumed = this.raw.data.length;
    if (fresh.length > 0) this.frames.push(...this.reader.push(Buffer.from(fresh)));
    return this.frames;
  }

  async waitFrames(n: number, ms = 5000): Promise<import('./client-frames.ts').ServerFrame[]> {
    await until(() => this.poll().length >= n, ms, `${n} frame(s)`);
    return this.frames;
  }

  send(frame: Buffer): void {
    this.raw.write(frame);
  }
}
