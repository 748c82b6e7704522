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
export declare class BusHandover {
    private readonly self;
    private readonly run;
    /** The streams cut apart: 'direct' alone carries everything when the bus keeps one order. */
    readonly streams: readonly CutStream[];
    private readonly state;
    private held;
    private released;
    /** The old worker: streams whose marker has not come back yet, and who waits for them. */
    private awaiting;
    private onCut;
    /** Messages dropped before the cut (the old worker ran them) and held after it. */
    readonly counts: {
        dropped: number;
        held: number;
    };
    constructor(self: WorkerAddress, run: MessageHandler, role: HandoverRole, options?: {
        splitBroadcasts?: boolean;
    });
    /** The bus's onMessage. */
    receive(msg: Incoming, from: WorkerAddress, via?: Via): void;
    /**
     * The old worker: `publish(stream)` sends the marker on that stream. Resolves once each
     * marker came back (everything before it has run here), or after timeoutMs, with the streams
     * whose marker did not come back (or could not be published): [] when the cut is whole.
     */
    waitCut(publish: (stream: CutStream) => boolean, timeoutMs: number): Promise<CutStream[]>;
    /** The replacement: the move link was read to its end; run what was held (after the cut) and go live. */
    release(): void;
    /** The replacement never saw a marker (Redis was down, the old worker died): live from now.
     * Called after release() (what is held then is nothing). */
    forceLive(): void;
    private streamOf;
    private cut;
}
//# sourceMappingURL=bus-handover.d.ts.map