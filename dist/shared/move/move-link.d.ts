/**
 * The move link: one Unix stream socket from an old worker to its replacement, in libuv's IPC
 * mode on both ends so that records may carry descriptors (SCM_RIGHTS), as the master's
 * hand-off pipe does (shared/handoff/native-pipe.ts). Writes are pipelined, in order, no
 * acknowledgement; the sender learns when each write reached the kernel (`done`).
 *
 * The replacement listens (MoveListener) at a path in the master's private directory; the old
 * worker connects (MoveSender). An accepted socket of a net.Server is not in IPC mode, so the
 * listener takes its descriptor into an IPC pipe of its own: the accepted socket is kept
 * (paused, never read nor closed) for as long as the pipe lives, as it owns the descriptor.
 */
export declare class MoveSender {
    private readonly pipe;
    private closed;
    /** Writes not completed yet. */
    inflight: number;
    private acked;
    private constructor();
    /** Waits until the replacement says it has read everything (its ack), at most `timeoutMs`. */
    waitAck(timeoutMs: number): Promise<boolean>;
    static connect(path: string): Promise<MoveSender>;
    /** Sends a record, with a descriptor (a raw handle) when given; `done(status)` once written (status < 0: failed). */
    send(record: unknown, handle: object | undefined, done?: (status: number) => void): void;
    /** Resolves once every write has completed. */
    drained(timeoutMs: number): Promise<boolean>;
    close(): void;
}
export interface MoveEvents {
    record(record: unknown, handle: object | undefined): void;
    /** The old worker closed the link (it is done, or it died). */
    end(): void;
}
/** The replacement's end: listens at `path`, takes the first connection, reads records. */
export declare class MoveListener {
    private server;
    private pipe;
    /** The accepted connection's handle (see listenIpcPipe): kept while the pipe lives. */
    private static readonly kept;
    static listen(path: string, events: MoveEvents): Promise<MoveListener>;
    private accept;
    /** Tells the old worker every record was taken: it may close its end and exit. */
    ack(): void;
    close(): void;
}
//# sourceMappingURL=move-link.d.ts.map