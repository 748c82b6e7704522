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
export declare const CUT_MARKER: Buffer<ArrayBuffer>;
export declare function isCutMarker(msg: Incoming, from: WorkerAddress, self: WorkerAddress): boolean;
export declare class BusHandover {
    private readonly self;
    private readonly run;
    private state;
    private held;
    private released;
    private onCut;
    /** Messages dropped before the cut (the old worker ran them) and held after it. */
    readonly counts: {
        dropped: number;
        held: number;
    };
    constructor(self: WorkerAddress, run: MessageHandler, role: HandoverRole);
    /** The bus's onMessage. */
    receive(msg: Incoming, from: WorkerAddress): void;
    /** The old worker: resolves once its own marker came back (everything before it has run here). */
    waitCut(publish: () => boolean, timeoutMs: number): Promise<boolean>;
    /** The replacement: the move link was read to its end; run what was held (after the cut) and go live. */
    release(): void;
    /** The replacement never saw the marker (Redis was down, the old worker died): live from now. */
    forceLive(): void;
    get cutSeen(): boolean;
    private cut;
    private goLive;
}
//# sourceMappingURL=bus-handover.d.ts.map