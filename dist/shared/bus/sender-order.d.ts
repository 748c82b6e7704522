/**
 * A sender's order across the generations of a worker slot on the embedded bus, sans I/O.
 *
 * A reload replaces slot s's worker by a new process (a newer generation of s). For a while both
 * have a connection to every peer, and a moved client's messages are handled first in the old
 * process, then in the new one: two sockets, no order between them at the receiver. So each
 * outbound connection says who it is, and both processes mark the move in their own streams:
 *
 *   hello(gen)  first frame of every connection: the sender's generation (higher is newer)
 *   follow      the new process, at the move's first record: what follows may come from moved
 *               connections, so it goes behind everything its predecessor sent
 *   done        the old process, once every connection has moved: nothing it sends from here
 *               is about a moved connection
 *
 * The receiver holds what a stream sends after its `follow` while a connection from an older
 * generation of the same slot is open and has not said `done`; that one's `done` or its close
 * (EOF: everything it sent was read first) releases them, in order. Bounded: past `maxHeldBytes`
 * (every stream's together) or `holdMs` after its first held frame, a stream takes over: what it
 * holds is delivered and it is never held again (the shell logs a warn). A frame from an older
 * generation that comes after a newer one took over is delivered, late, never dropped. A worker
 * restarted after a crash is no successor: it sends no `follow` and nothing of it waits for the
 * dead one's socket.
 *
 * Markers are 'send' envelopes whose body starts with 0xff, an op no cluster operation has (as
 * the Redis bus's cut marker): a worker of an older release logs an unknown op and drops it; its
 * connection stays up.
 */
export type Marker = {
    t: 'hello';
    generation: number;
} | {
    t: 'follow';
} | {
    t: 'done';
};
/** A marker's body (the shell wraps it in a 'send' envelope from its own address). */
export declare function markerBody(marker: Marker): Buffer;
/**
 * The marker a 'send' body carries; null when it is none (an ordinary message); 'invalid' for
 * one that starts like a marker and is not one (peer input: dropped, never thrown).
 */
export declare function markerOf(body: Buffer): Marker | 'invalid' | null;
/** Why held frames were let go. */
export type ReleaseWhy = 'predecessor-done' | 'deadline' | 'bytes' | 'closed';
export interface Release<K> {
    key: K;
    /** The held frames (copies of the envelopes), in the order they came. */
    frames: Buffer[];
    why: ReleaseWhy;
    /** When the first of them came (ms). */
    since: number;
}
/** What a receiver knows of one inbound connection that said hello. */
export interface StreamState {
    slot: number;
    generation: number;
    following: boolean;
    done: boolean;
    /** Held once too long or too much: never held again. */
    takenOver: boolean;
    held: Buffer[];
    heldBytes: number;
    /** When its first frame now held came (ms). */
    since: number;
}
export declare class SenderOrder<K> {
    private readonly limits;
    private readonly streams;
    /** The same streams by sender slot: a frame's check looks at its own slot's (one or two) only. */
    private readonly bySlot;
    private heldBytes;
    readonly counts: {
        held: number;
        takeovers: number;
    };
    constructor(limits: {
        maxHeldBytes: number;
        holdMs: number;
    });
    hello(key: K, slot: number, generation: number): void;
    /** Frames from `key` after this may come from moved connections. Unknown streams are ignored. */
    follow(key: K): void;
    /** `key`'s predecessor work is over: what it blocked goes. */
    done(key: K): Array<Release<K>>;
    /** `key` closed (its EOF was read, or it broke): its own held frames go, and what it blocked. */
    closed(key: K): Array<Release<K>>;
    /** Whether a frame from `key` must wait now (behind what it holds, or behind an older stream). */
    mustHold(key: K): boolean;
    /** Holds a copy of `frame` (mustHold said so). Past the byte bound the stream takes over:
     * its release (this frame last) is returned. */
    hold(key: K, frame: Buffer, now: number): Release<K> | null;
    /** Streams held for `holdMs` take over. */
    expire(now: number): Array<Release<K>>;
    /** When the next expire() has something to do (ms), or null when nothing is held. */
    nextDeadline(): number | null;
    /** Takes `key` out unreleased (its connection moves to another process, which is told this). */
    detach(key: K): StreamState | null;
    get bytesHeld(): number;
    /** An older connection of `s.slot` open and not done blocks `s`. */
    private blocked;
    private index;
    private unindex;
    /** Streams of `slot` holding frames and blocked no more, oldest generation first. */
    private unblocked;
    private takeOver;
    private take;
}
//# sourceMappingURL=sender-order.d.ts.map