import type { Logger } from '../logger.ts';
export interface ResyncSteps {
    /** Whether the connection can take the re-write now (when it comes back, call wake()). */
    connected(): boolean;
    /** Whether this worker's node holds its lease: sessions written before it does would be
     * hidden from reads and purged as a dead node's by the other nodes. */
    leaseHeld(): Promise<boolean>;
    /** Re-writes the worker's sessions; resolves when every write settled. */
    rewrite(): Promise<{
        written: number;
        stale: number;
    }>;
}
/**
 * When and how often a session table re-writes its worker's sessions: once per loss
 * (`dirty`, whatever the reason), when connected and the node's lease is back, one re-write at
 * a time; a re-write during which more was lost (a write failed, the connection dropped) is
 * followed by another, with a back-off, so a Redis that keeps refusing writes is not hammered.
 */
export declare class ResyncScheduler {
    private readonly steps;
    private readonly log;
    /** Why the next re-write is needed; null while the table is in step. */
    private dirty;
    private running;
    private timer;
    private failures;
    private waitingLogged;
    private stopped;
    /** Re-writes completed. */
    count: number;
    constructor(steps: ResyncSteps, log: Logger);
    /** Writes may have been lost: a re-write is due. `now` cuts a retry back-off short (the
     * node has just re-claimed its lease: the wait for it is over). */
    markDirty(reason: string, now?: boolean): void;
    /** The connection is back: a due re-write can run. */
    wake(): void;
    stop(): void;
    private schedule;
    private run;
}
//# sourceMappingURL=resync-scheduler.d.ts.map