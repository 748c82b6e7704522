import { type Handoff, type RejectReason } from './wire.ts';
/** A read of the hand-off pipe that did not decode to exactly one valid record. */
export interface RejectedRead {
    /** Bytes of the read that held no valid record. */
    bytes: number;
    /** Why the first bad span failed its check; `several`: only valid records, but more than one. */
    why: RejectReason | 'several';
    /** Valid records in the read (handed on without a descriptor). */
    records: number;
    /** Whether a descriptor came with the read (it was closed). */
    closed: boolean;
}
export interface HandoffEvents {
    /** A connection: `handle` undefined when its descriptor did not come (the worker is out of files, say): counted as missing. */
    connection(handoff: Handoff, handle: object | undefined): void;
    /** A read that failed the record check (see wire.ts): its descriptor, if any, is already closed. */
    rejected(read: RejectedRead): void;
    /** The master closed the pipe (EOF): nothing more will come. */
    end(): void;
}
/**
 * The worker's end of its hand-off pipe (an inherited descriptor, see sender.ts):
 * every read is one connection's record (session id, client address) with the socket's raw
 * TCP handle attached. `self` is this worker: records naming another one are rejected.
 */
export declare function receiveHandoffs(descriptor: number, self: {
    slot: number;
    node: number;
}, events: HandoffEvents): void;
//# sourceMappingURL=receiver.d.ts.map