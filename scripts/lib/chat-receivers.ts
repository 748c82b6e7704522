/**
 * The `/chat` clients of `load:push`, in receiver processes of their own (so that counting
 * what arrives does not slow the process measuring HTTP latency): the coordinator's handle on
 * them. Each process opens its share of the clients (chat-receiver-process.ts) and, when asked,
 * hands back the delivery latency of every push id it received (NaN where none arrived).
 */
import type { ChildProcess } from 'node:child_process';
import { onCore } from './cpu.ts';
import { launch } from './processes.ts';

export interface OpenPlan {
  host: string;
  port: number;
  count: number;
  /** Handshakes in flight. */
  concurrency: number;
  /** Source addresses used in turn (empty: the kernel's choice). */
  addresses: string[];
}

/** A client as its welcome described it. */
export interface ReceiverClient {
  fd: number;
  worker: number;
  node: number;
}

export interface Counts {
  /** Distinct ids received by the fd they were pushed to. */
  delivered: number;
  duplicates: number;
  /** Pushes that arrived at another fd than the one in their text. */
  wrongFd: number;
  malformed: number;
  warm: number;
  /** Texts that were not pushes (chat messages). */
  other: number;
  /** Clients the server (or the kernel) closed while we were not closing them. */
  clientsLost: number;
}

/** One process's collection: `latency` is a base64 Float32Array indexed by push id. */
export interface Collected extends Counts {
  latency: string;
}

export type ToReceiver = { t: 'open'; plan: OpenPlan } | { t: 'count' } | { t: 'collect' } | { t: 'close' };
export type FromReceiver =
  | { t: 'ready' }
  | { t: 'opened'; clients: ReceiverClient[]; failures: Record<string, number> }
  | { t: 'count'; delivered: number }
  | { t: 'collected'; collected: Collected }
  | { t: 'closed' };

/** Every process's collection merged: per-id latency (NaN: not delivered) and summed counts. */
export interface Merged extends Counts {
  latency: Float32Array;
  /** Ids two processes both delivered (counted in `duplicates` too). */
  crossDuplicates: number;
}

class Receiver {
  private readonly waiting = new Map<FromReceiver['t'], Array<(m: FromReceiver) => void>>();

  constructor(readonly child: ChildProcess) {
    child.on('message', (m: FromReceiver) => {
      const queue = this.waiting.get(m.t);
      queue?.shift()?.(m);
    });
  }

  next<T extends FromReceiver['t']>(t: T, timeoutMs: number): Promise<Extract<FromReceiver, { t: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`receiver process ${this.child.pid}: no "${t}" within ${timeoutMs} ms`)), timeoutMs);
      const onExit = () => reject(new Error(`receiver process ${this.child.pid} exited while we waited for "${t}"`));
      // 'close', not 'exit': 'exit' can come before the last IPC messages are emitted.
      this.child.once('close', onExit);
      const queue = this.waiting.get(t) ?? [];
      this.waiting.set(t, queue);
      queue.push((m) => {
        clearTimeout(timer);
        this.child.off('close', onExit);
        resolve(m as Extract<FromReceiver, { t: T }>);
      });
    });
  }

  ask<T extends FromReceiver['t']>(m: ToReceiver, reply: T, timeoutMs: number): Promise<Extract<FromReceiver, { t: T }>> {
    const answer = this.next(reply, timeoutMs);
    this.child.send(m);
    return answer;
  }
}

export class ChatReceivers {
  private constructor(private readonly procs: Receiver[]) {}

  /** `core`: pinned there (taskset), or anywhere when null. */
  static async start(processes: number, core: number | null = null): Promise<ChatReceivers> {
    const procs = Array.from({ length: processes }, () => {
      const [command, args] = onCore(core, ['--import', 'tsx', 'scripts/lib/chat-receiver-process.ts']);
      const child = launch(command, args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      return new Receiver(child);
    });
    await Promise.all(procs.map((p) => p.next('ready', 30_000)));
    return new ChatReceivers(procs);
  }

  pids(): number[] {
    return this.procs.map((p) => p.child.pid!).filter((pid) => pid !== undefined);
  }

  /** Opens `plan.count` clients split over the processes; every failure by reason. */
  async open(plan: OpenPlan): Promise<{ clients: ReceiverClient[]; failures: Record<string, number> }> {
    const n = this.procs.length;
    const replies = await Promise.all(
      this.procs.map((p, i) => {
        const count = Math.floor(plan.count / n) + (i < plan.count % n ? 1 : 0);
        const timeoutMs = 30_000 + count * 10;
        return p.ask({ t: 'open', plan: { ...plan, count, addresses: rotate(plan.addresses, i) } }, 'opened', timeoutMs);
      }),
    );
    const failures: Record<string, number> = {};
    for (const r of replies) for (const [why, k] of Object.entries(r.failures)) failures[why] = (failures[why] ?? 0) + k;
    return { clients: replies.flatMap((r) => r.clients), failures };
  }

  /** Pushes delivered so far (since the last collect). */
  async delivered(): Promise<number> {
    const replies = await Promise.all(this.procs.map((p) => p.ask({ t: 'count' }, 'count', 10_000)));
    return replies.reduce((a, r) => a + r.delivered, 0);
  }

  /** Everything delivered since the last collect, merged over the processes; they start afresh. */
  async collect(): Promise<Merged> {
    const replies = await Promise.all(this.procs.map((p) => p.ask({ t: 'collect' }, 'collected', 60_000)));
    const parts = replies.map((r) => {
      const bytes = Buffer.from(r.collected.latency, 'base64');
      return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    });
    const latency = new Float32Array(Math.max(0, ...parts.map((p) => p.length))).fill(NaN);
    let crossDuplicates = 0;
    for (const part of parts) {
      for (let id = 0; id < part.length; id++) {
        const v = part[id]!;
        if (Number.isNaN(v)) continue;
        if (Number.isNaN(latency[id]!)) latency[id] = v;
        else crossDuplicates++;
      }
    }
    const sum = (k: keyof Counts) => replies.reduce((a, r) => a + r.collected[k], 0);
    return {
      latency,
      delivered: sum('delivered') - crossDuplicates,
      duplicates: sum('duplicates') + crossDuplicates,
      wrongFd: sum('wrongFd'),
      malformed: sum('malformed'),
      warm: sum('warm'),
      other: sum('other'),
      clientsLost: sum('clientsLost'),
      crossDuplicates,
    };
  }

  /** Closes every client and lets the processes exit. */
  async close(): Promise<void> {
    await Promise.all(
      this.procs.map(async (p) => {
        if (p.child.exitCode !== null || p.child.signalCode !== null || !p.child.connected) return;
        const exited = new Promise<void>((r) => p.child.once('exit', () => r()));
        await p.ask({ t: 'close' }, 'closed', 10_000).catch(() => p.child.kill('SIGKILL'));
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      }),
    );
  }
}

/** Each process starts at another source address. */
function rotate<T>(xs: T[], by: number): T[] {
  return xs.length === 0 ? xs : xs.map((_, i) => xs[(i + by) % xs.length]!);
}
