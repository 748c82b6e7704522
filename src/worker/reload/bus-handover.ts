import type { Incoming, MessageHandler, WorkerAddress } from '../../shared/bus/types.ts';

/**
 * Who runs the Redis bus's messages for a worker slot during a reload, sans I/O.
 *
 * The old worker and its replacement listen on the same channels (the slot's own, and the
 * cluster's broadcasts) from the moment the replacement is up until the old one exits: without
 * a rule both would run every message (a push to a moving fd delivered twice: once by the old
 * worker, forwarded behind the connection, once by the new one). The rule is a cut in the
 * stream: the old worker publishes a marker on the slot's own channel once every connection
 * is on its way. Redis runs publishes one at a time and hands every subscriber of a channel the
 * same sequence, so both see the marker at the same place among the messages:
 *   - the old worker runs everything before it (forwarding what is for moved fds behind them,
 *     in order) and, after it, only replies to its own requests;
 *   - the replacement drops everything before it (the old worker ran it) except replies, and
 *     holds what comes after it until the move link is read to its end (what the old worker
 *     forwarded runs first), then runs it and goes live.
 * The two channels are cut by the one marker because one subscriber connection (or, sharded,
 * one shard) delivers both channels in one order. Replies are never cut: each worker keeps its
 * own (request ids start at a random point per process, so the two do not answer each other's).
 */
export type HandoverRole = 'live' | 'predecessor' | 'successor';

/** The marker's body. Only the marker comes on Redis from this very slot: the router sends to
 * workers of its own node on the embedded bus, and to itself not at all. */
export const CUT_MARKER = Buffer.from('\xffswitchyard:reload-cut', 'latin1');

export function isCutMarker(msg: Incoming, from: WorkerAddress, self: WorkerAddress): boolean {
  return msg.kind === 'send' && from.node === self.node && from.slot === self.slot && msg.body.equals(CUT_MARKER);
}

export class BusHandover {
  private state: 'live' | 'before-cut' | 'holding' | 'after-cut';
  private held: Array<{ msg: Incoming; from: WorkerAddress }> = [];
  private released = false;
  private onCut: (() => void) | null = null;
  /** Messages dropped before the cut (the old worker ran them) and held after it. */
  readonly counts = { dropped: 0, held: 0 };

  constructor(
    private readonly self: WorkerAddress,
    private readonly run: MessageHandler,
    role: HandoverRole,
  ) {
    this.state = role === 'successor' ? 'before-cut' : 'live';
  }

  /** The bus's onMessage. */
  receive(msg: Incoming, from: WorkerAddress): void {
    if (isCutMarker(msg, from, this.self)) return this.cut();
    if (msg.kind === 'reply' || this.state === 'live') return this.run(msg, from);
    if (this.state === 'before-cut' || this.state === 'after-cut') {
      this.counts.dropped++;
      return;
    }
    // Holding: the body is a view of the transport's buffer, valid during this call only.
    this.counts.held++;
    this.held.push({ msg: { kind: msg.kind, rid: msg.rid, body: Buffer.from(msg.body) }, from });
  }

  /** The old worker: resolves once its own marker came back (everything before it has run here). */
  waitCut(publish: () => boolean, timeoutMs: number): Promise<boolean> {
    if (this.state !== 'live') return Promise.resolve(false);
    if (!publish()) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.onCut = null;
        resolve(false);
      }, timeoutMs);
      this.onCut = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }

  /** The replacement: the move link was read to its end; run what was held (after the cut) and go live. */
  release(): void {
    this.released = true;
    if (this.state === 'holding') this.goLive();
  }

  /** The replacement never saw the marker (Redis was down, the old worker died): live from now. */
  forceLive(): void {
    if (this.state === 'before-cut') this.goLive();
  }

  get cutSeen(): boolean {
    return this.state === 'holding' || this.state === 'after-cut' || (this.state === 'live' && this.released);
  }

  private cut(): void {
    if (this.state === 'before-cut') {
      this.state = 'holding';
      if (this.released) this.goLive();
    } else if (this.state === 'live' && this.onCut) {
      // The old worker: from here on, the replacement runs what comes.
      this.state = 'after-cut';
      const done = this.onCut;
      this.onCut = null;
      done();
    }
  }

  private goLive(): void {
    this.state = 'live';
    this.released = true;
    const held = this.held;
    this.held = [];
    for (const h of held) this.run(h.msg, h.from);
  }
}
