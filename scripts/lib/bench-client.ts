/**
 * A minimal WebSocket client of scripts/apps/bench-app.ts on a raw socket (the client kit):
 * reading server frames costs little here, so the receivers are not what limits a figure.
 * Commands and acks go out as masked text frames; the app's hello says where it landed.
 */
import type { Socket } from 'node:net';
import { maskedText, ServerFrameReader } from './frames.ts';
import { openWebSocket } from './upgrade.ts';

/** bench-app's first message on every connection. */
export interface Hello {
  fd: number;
  worker: number;
  node: number;
  pid: number;
}

/** CLOCK_MONOTONIC in ns, shared by every process of the machine (bench-app stamps pushes with it). */
export const nowNs = (): number => {
  const [sec, ns] = process.hrtime();
  return sec * 1e9 + ns;
};

export class BenchClient {
  hello!: Hello;
  onText: ((text: string) => void) | null = null;
  onBinary: ((payload: Buffer, atNs: number) => void) | null = null;
  private readonly reader = new ServerFrameReader();

  private constructor(readonly socket: Socket) {}

  /** Connects, upgrades and waits for the hello. */
  static async open(port: number, timeoutMs = 10_000): Promise<BenchClient> {
    const opened = await openWebSocket({ port, deadlineMs: timeoutMs });
    if (!opened.ok) throw new Error(`handshake refused: ${opened.failure}`);
    const client = new BenchClient(opened.socket);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error('no hello within the time limit')), timeoutMs);
      const fail = (err: Error) => {
        clearTimeout(timer);
        client.close();
        reject(err);
      };
      opened.socket.on('error', fail);
      client.onText = (text) => {
        clearTimeout(timer);
        client.hello = JSON.parse(text) as Hello;
        client.onText = null;
        resolve(client);
      };
      opened.socket.on('data', (d: Buffer) => client.read(d));
      if (opened.rest.length > 0) client.read(opened.rest);
    });
  }

  send(value: unknown): void {
    this.socket.write(maskedText(JSON.stringify(value)));
  }

  close(): void {
    this.socket.destroy();
  }

  /** Every frame of one chunk arrived at one time. */
  private read(chunk: Buffer): void {
    const at = nowNs();
    this.reader.read(chunk, (opcode, payload) => {
      if (opcode === 2) this.onBinary?.(payload, at);
      else if (opcode === 1) this.onText?.(payload.toString('utf8'));
    });
  }
}

/**
 * Opens connections until `count` are on `worker` (round-robin dispatch alternates workers);
 * the others are kept in `spare` for later placements.
 */
export async function clientsOn(port: number, worker: number, count: number, spare: BenchClient[]): Promise<BenchClient[]> {
  const got: BenchClient[] = [];
  for (let i = spare.length - 1; i >= 0 && got.length < count; i--) {
    if (spare[i]!.hello.worker === worker) got.push(...spare.splice(i, 1));
  }
  for (let attempts = 0; got.length < count; attempts++) {
    if (attempts > 4 * count + 8) throw new Error(`could not place ${count} client(s) on worker ${worker} (round-robin dispatch expected)`);
    const c = await BenchClient.open(port);
    (c.hello.worker === worker ? got : spare).push(c);
  }
  return got;
}
