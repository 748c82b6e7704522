import { isCutMarker, isOwnCutMarker } from '../../shared/bus/cut-marker.ts';
import type { Incoming, MessageHandler, Via, WorkerAddress } from '../../shared/bus/types.ts';

export { CUT_MARKER } from '../../shared/bus/cut-marker.ts';

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
 * One subscriber connection (standalone Redis, or --redis-sharded's one slot) delivers both
 * channels in one order: one marker cuts both. On a Redis Cluster the broadcast channel is
 * another slot, in no order against the slot's own: it is a second stream, cut by a second
 * marker published on it, each stream on its own (`splitBroadcasts`, the bus says which
 * subscription brought a message). Every worker of every node receives that marker: it is
 * dropped here, unseen, by all but the slot's two (one small message per reloaded slot).
 * Replies are never cut: each worker keeps its own (request ids start at a random point per
 * process, so the two do not answer each other's).
 */
export type HandoverRole = 'live' | 'predecessor' | 'successor';

/** A stream with an order of its own: the slot's channel, and on a Redis Cluster the broadcasts'. */
export type CutStream = Via;

type StreamState = 'live' | 'before-cut' | 'holding' | 'after-cut';

export class BusHandover {
  /** The streams cut apart: 'direct' alone carries everything when the bus keeps one order. */
  readonly streams: readonly CutStream[];
  private readonly state: Record<CutStream, StreamState>;
  private held: Array<{ msg: Incoming; from: WorkerAddress; via: Via | undefined }> = [];
  private released = false;
  /** The old worker: streams whose marker has not come back yet, and who waits for them. */
  private awaiting = new Set<CutStream>();
  private onCut: (() => void) | null = null;
  /** Messages dropped before the cut (the old worker ran them) and held after it. */
  readonly counts = { dropped: 0, held: 0 };

  constructor(
    private readonly self: WorkerAddress,
    private readonly run: MessageHandler,
    role: HandoverRole,
    options: { splitBroadcasts?: boolean } = {},
  ) {
    this.streams = options.splitBroadcasts ? ['direct', 'broadcast'] : ['direct'];
    const initial = role === 'successor' ? 'before-cut' : 'live';
    this.state = { direct: initial, broadcast: initial };
  }

  /** The bus's onMessage. */
  receive(msg: Incoming, from: WorkerAddress, via?: Via): void {
    if (isCutMarker(msg)) {
      // Another worker's marker (on the broadcast channel, every worker hears it): not ours to see.
      if (isOwnCutMarker(msg, from, this.self)) this.cut(this.streamOf(via));
      return;
    }
    if (msg.kind === 'reply') return this.run(msg, from, via);
    switch (this.state[this.streamOf(via)]) {
      case 'live':
        return this.run(msg, from, via);
      case 'before-cut':
      case 'after-cut':
        this.counts.dropped++;
        return;
      case 'holding':
        // The body is a view of the transport's buffer, valid during this call only.
        this.counts.held++;
        this.held.push({ msg: { kind: msg.kind, rid: msg.rid, body: Buffer.from(msg.body) }, from, via });
        return;
    }
  }

  /**
   * The old worker: `publish(stream)` sends the marker on that stream. Resolves once each
   * marker came back (everything before it has run here), or after timeoutMs, with the streams
   * whose marker did not come back (or could not be published): [] when the cut is whole.
   */
  waitCut(publish: (stream: CutStream) => boolean, timeoutMs: number): Promise<CutStream[]> {
    if (this.streams.some((s) => this.state[s] !== 'live') || this.onCut) return Promise.resolve([...this.streams]);
    const missed: CutStream[] = [];
    for (const s of this.streams) {
      if (publish(s)) this.awaiting.add(s);
      else missed.push(s);
    }
    if (this.awaiting.size === 0) return Promise.resolve(missed);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.onCut = null;
        const late = [...this.awaiting];
        this.awaiting.clear();
        resolve([...missed, ...late]);
      }, timeoutMs);
      this.onCut = () => {
        clearTimeout(timer);
        resolve(missed);
      };
    });
  }

  /** The replacement: the move link was read to its end; run what was held (after the cut) and go live. */
  release(): void {
    this.released = true;
    let any = false;
    for (const s of this.streams) {
      if (this.state[s] !== 'holding') continue;
      this.state[s] = 'live';
      any = true;
    }
    if (!any) return;
    // In arrival order: each stream's own order is kept (the two have none between them).
    const held = this.held;
    this.held = [];
    for (const h of held) this.run(h.msg, h.from, h.via);
  }

  /** The replacement never saw a marker (Redis was down, the old worker died): live from now.
   * Called after release() (what is held then is nothing). */
  forceLive(): void {
    for (const s of this.streams) if (this.state[s] === 'before-cut') this.state[s] = 'holding';
    this.release();
  }

  private streamOf(via: Via | undefined): CutStream {
    return via === 'broadcast' && this.streams.length === 2 ? 'broadcast' : 'direct';
  }

  private cut(stream: CutStream): void {
    const state = this.state[stream];
    if (state === 'before-cut') {
      // The replacement: what follows is ours; held until the move link is read, unless it was already.
      this.state[stream] = this.released ? 'live' : 'holding';
    } else if (state === 'live' && this.awaiting.has(stream)) {
      // The old worker: from here on, the replacement runs what comes on this stream.
      this.state[stream] = 'after-cut';
      this.awaiting.delete(stream);
      if (this.awaiting.size > 0) return;
      const done = this.onCut;
      this.onCut = null;
      done?.();
    }
  }
}
