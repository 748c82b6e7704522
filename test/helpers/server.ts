import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { pino } from 'pino';
import { ServerFrameReader, type ServerFrame } from '../../scripts/lib/frames.ts';
import { headersOf, responseHead, upgradeRequest } from '../../scripts/lib/upgrade.ts';
import { sampleUntil, sleep, until } from '../../scripts/lib/wait.ts';
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

// The client kit (scripts/lib/), under the names the tests have always imported from here.
export { sampleUntil, sleep, until, upgradeRequest };

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

  /** The same over TLS (wss://), trusting `ca`; resolves once the TLS handshake is done. */
  static async connectTls(port: number, ca: string, host = '127.0.0.1'): Promise<RawClient> {
    const socket = tlsConnect({ port, host, ca, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  write(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  /** The HTTP response head received so far, or null until it is complete. */
  responseHead(): { status: number; headers: Record<string, string>; rest: Buffer } | null {
    const h = responseHead(this.data);
    return h === null ? null : { status: h.status, headers: headersOf(h.head), rest: h.rest };
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

/** A raw client past the upgrade: send client frames, read server frames. */
export class FrameClient {
  readonly raw: RawClient;
  private readonly reader = new ServerFrameReader();
  private consumed = 0;
  readonly frames: ServerFrame[] = [];

  private constructor(raw: RawClient) {
    this.raw = raw;
  }

  static async open(port: number, path = '/echo', headers: Record<string, string> = {}): Promise<FrameClient> {
    const raw = await RawClient.connect(port);
    await raw.upgrade(path, headers);
    return new FrameClient(raw);
  }

  /** Parses whatever arrived since the last call. */
  poll(): ServerFrame[] {
    const fresh = this.raw.data.subarray(this.consumed);
    this.consumed = this.raw.data.length;
    if (fresh.length > 0) this.frames.push(...this.reader.push(Buffer.from(fresh)));
    return this.frames;
  }

  async waitFrames(n: number, ms = 5000): Promise<ServerFrame[]> {
    await until(() => this.poll().length >= n, ms, `${n} frame(s)`);
    return this.frames;
  }

  send(frame: Buffer): void {
    this.raw.write(frame);
  }
}
