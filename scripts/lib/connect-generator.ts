/**
 * One connection generator of `load:connect`: opens its share of WebSocket connections over
 * raw TCP (upgrade request, wait for the response head), `concurrency` handshakes in flight,
 * each from the next source address in turn. In `hold` mode it keeps every connection open
 * (flowing, bytes discarded) until close(); in `storm` mode it closes each right after its 101.
 * Runs inside the coordinator or in a generator process (connect-generator-process.ts); the
 * coordinator drives both through connect-fleet.ts.
 */
import { connect, type Socket } from 'node:net';
import { clientFrame, OPCODE } from './frames.ts';
import { responseHead, upgradeRequest } from './upgrade.ts';

export type ConnectMode = 'hold' | 'storm';

export interface GeneratorPlan {
  host: string;
  port: number;
  path: string;
  mode: ConnectMode;
  /** Connections this generator opens. */
  count: number;
  /** Its handshakes in flight. */
  concurrency: number;
  /** Source addresses, used in turn from `addressOffset` (processes start at different ones). */
  addresses: string[];
  addressOffset: number;
  /**
   * Local ports: this generator's n-th port on an address is
   * `low + (start + index + n * stride) mod (high - low + 1)` — generators of one run (index
   * 0..stride-1) never pick the same one. We choose them because the kernel's choice for a
   * bound socket (bind to port 0, as localAddress does) scans the ports in use on that address:
   * past ~7,000 per address each connect costs milliseconds (measured here: 0.3 ms at 6,000,
   * 2.9 ms at 8,000), and a 100 k run crawled.
   */
  ports: { low: number; high: number; start: number; index: number; stride: number };
  /** Epoch ms (see `now`) after which no new connection is started. */
  deadline: number;
}

export interface GeneratorCounts {
  /** Handshakes answered with 101. */
  opened: number;
  /** Handshakes that did not get a 101 (see `failures`). */
  failed: number;
  inflight: number;
  /** Connections open now (hold mode). */
  held: number;
  /** Held connections that the server (or the kernel) closed before we did. */
  dropped: number;
}

export interface GeneratorResult extends GeneratorCounts {
  /** Local ports found taken (by another program, or a TIME_WAIT) and skipped: not failures. */
  portRetries: number;
  /** Failed handshakes by reason: `HTTP <status>`, an errno code, `timeout`, `closed before response`. */
  failures: Record<string, number>;
  /** connect() to the 101's head, ms, one per opened connection. */
  latenciesMs: number[];
  /** Epoch ms: first connect, end of the last handshake (either way), last 101 (0: none). */
  startedAt: number;
  endedAt: number;
  lastOpenAt: number;
}

export interface CloseResult {
  /** Connections the server closed after our close frame. */
  clean: number;
  /** Connections destroyed after CLOSE_WAIT_MS without the server's close. */
  forced: number;
}

/** Messages between the coordinator and a generator process. */
export type ToGenerator = { t: 'run'; plan: GeneratorPlan } | { t: 'close' };
export type FromGenerator =
  | { t: 'ready' }
  | { t: 'counts'; counts: GeneratorCounts }
  | { t: 'opened'; result: GeneratorResult }
  | { t: 'closed'; result: CloseResult };

/** Epoch milliseconds with sub-ms resolution, comparable between processes on one machine. */
export const now = (): number => performance.timeOrigin + performance.now();

/** No 101 by then: nothing is coming (the server itself gives up on a handshake after 10 s). */
export const HANDSHAKE_TIMEOUT_MS = 15_000;

/** After our close frame, how long the server gets to close its end before we destroy ours. */
export const CLOSE_WAIT_MS = 20_000;

/** A local port found taken is skipped for the next one, this many times per connection. */
const PORT_ATTEMPTS = 64;
/** What a taken local port (or a 4-tuple still in TIME_WAIT) looks like. */
const PORT_TAKEN = new Set(['EADDRINUSE', 'EADDRNOTAVAIL']);

/** Close 1000 (normal), masked once: the generator sends the same frame on every connection. */
const CLOSE_FRAME = clientFrame(OPCODE.close, Buffer.from([0x03, 0xe8]));

export class ConnectGenerator {
  private started = 0;
  private readonly c: GeneratorCounts = { opened: 0, failed: 0, inflight: 0, held: 0, dropped: 0 };
  private readonly failures: Record<string, number> = {};
  private readonly latencies: number[] = [];
  private readonly open = new Set<Socket>();
  private closing = false;
  private lastOpenAt = 0;
  private portRetries = 0;
  /** Ports taken so far, per address. */
  private readonly portsUsed: number[];

  constructor(private readonly plan: GeneratorPlan) {
    this.portsUsed = plan.addresses.map(() => 0);
  }

  counts(): GeneratorCounts {
    return { ...this.c, held: this.open.size };
  }

  /** Opens the share (or as much of it as the deadline allows); resolves when none is in flight. */
  async run(): Promise<GeneratorResult> {
    const startedAt = now();
    const lane = async (): Promise<void> => {
      while (this.started < this.plan.count && now() < this.plan.deadline) await this.one();
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.plan.concurrency, this.plan.count)) }, lane));
    const latenciesMs = this.latencies.map((x) => Math.round(x * 100) / 100);
    return { ...this.counts(), portRetries: this.portRetries, failures: { ...this.failures }, latenciesMs, startedAt, endedAt: now(), lastOpenAt: this.lastOpenAt };
  }

  /** Sends a close frame on every held connection and waits (bounded) for the server to close. */
  async close(): Promise<CloseResult> {
    this.closing = true;
    const sockets = [...this.open];
    const closed = sockets.map((s) => new Promise<void>((r) => (s.destroyed ? r() : s.once('close', () => r()))));
    for (const s of sockets) s.write(CLOSE_FRAME);
    let forced = 0;
    const timer = setTimeout(() => {
      for (const s of this.open) {
        forced++;
        s.destroy();
      }
    }, CLOSE_WAIT_MS);
    await Promise.all(closed);
    clearTimeout(timer);
    return { clean: sockets.length - forced, forced };
  }

  /** One connection: its handshake, retried on another local port while the port is taken. */
  private async one(): Promise<void> {
    const address = (this.plan.addressOffset + this.started++) % this.plan.addresses.length;
    this.c.inflight++;
    const t0 = performance.now();
    let outcome: { socket: Socket; failure: string | null };
    for (let attempt = 1; ; attempt++) {
      outcome = await this.handshake(this.plan.addresses[address]!, this.nextPort(address));
      if (outcome.failure === null || !PORT_TAKEN.has(outcome.failure) || attempt === PORT_ATTEMPTS) break;
      this.portRetries++;
    }
    this.c.inflight--;
    const { socket, failure } = outcome;
    if (failure === null) {
      this.latencies.push(performance.now() - t0);
      this.c.opened++;
      this.lastOpenAt = now();
      if (this.plan.mode === 'storm') socket.destroy();
      else this.keep(socket);
    } else {
      this.c.failed++;
      this.failures[failure] = (this.failures[failure] ?? 0) + 1;
      socket.destroy();
    }
  }

  private nextPort(address: number): number {
    const { low, high, start, index, stride } = this.plan.ports;
    return low + ((start + index + this.portsUsed[address]!++ * stride) % (high - low + 1));
  }

  /** Connects from `localAddress:localPort`, sends the upgrade, reads the response head. */
  private handshake(localAddress: string, localPort: number): Promise<{ socket: Socket; failure: string | null }> {
    const { host, port, path } = this.plan;
    return new Promise((resolve) => {
      let settled = false;
      let buf: Buffer | null = null;
      const s = connect({ host, port, localAddress, localPort, noDelay: true });
      const end = (failure: string | null): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        s.off('data', onData);
        resolve({ socket: s, failure });
      };
      const onData = (d: Buffer): void => {
        buf = buf === null ? d : Buffer.concat([buf, d]);
        const head = responseHead(buf);
        if (head) end(head.status === 101 ? null : `HTTP ${head.status}`);
      };
      const timer = setTimeout(() => end('timeout'), HANDSHAKE_TIMEOUT_MS);
      s.on('data', onData);
      s.once('connect', () => s.write(upgradeRequest(path, { Host: host })));
      // Stays for the socket's life: errors on a held connection end in 'close' (counted there).
      s.on('error', (err: NodeJS.ErrnoException) => end(err.code ?? err.message));
      s.once('close', () => end('closed before response'));
    });
  }

  /** A held connection: flowing (whatever the server sends is dropped), watched for closes. */
  private keep(s: Socket): void {
    this.open.add(s);
    s.once('close', () => {
      this.open.delete(s);
      if (!this.closing) this.c.dropped++;
    });
  }
}
