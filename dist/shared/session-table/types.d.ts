/**
 * The `SessionTable` seam (STYLE.md principle 3): who holds which session, across every
 * worker of every node. Implementations: `MemorySessionTable` (one process) and
 * `RedisSessionTable` (a cluster sharing one Redis); test/session-table/contract.ts is the
 * contract both pass.
 *
 * Writes are fire-and-forget and applied in the order issued by one table instance; reads
 * issued after a write on the same instance see it. Reads only show sessions of nodes the
 * table's liveness function reports alive. Reads reject with a SwitchyardError
 * (`ERR_SESSION_TABLE_UNAVAILABLE`, or `ERR_SESSION_TABLE_CLOSED` after close()) within a
 * bounded time; writes never throw.
 */
export interface SessionRecord {
    fd: number;
    node: number;
    slot: number;
    remoteAddress: string;
    remotePort: number;
    /** ms since the epoch. */
    connectTime: number;
    uid: string | null;
}
/**
 * The worker whose sessions a table instance writes (multi-node: each worker has its own
 * instance): what is live now, to re-write when the store may have lost writes.
 */
export interface SessionOwner {
    node: number;
    slot: number;
    /** The worker's live session fds. */
    fds(): Iterable<number>;
    /** A live session's record (uid included), null once it has closed. */
    record(fd: number): SessionRecord | null;
}
export interface SessionTable {
    /** A connection opened on this worker. Fire-and-forget: writes are batched/pipelined (one round trip per event-loop turn at most), never block the caller, never throw; failures are counted and logged. */
    add(s: Omit<SessionRecord, 'uid'>): void;
    remove(fd: number): void;
    /** Binds uid to fd (replacing a previous uid of that fd). */
    bind(fd: number, uid: string): void;
    unbind(fd: number): void;
    /** fds bound to uid, only of live nodes (a dead node's sessions never show, even before they are purged). */
    fdsByUid(uid: string): Promise<number[]>;
    get(fd: number): Promise<SessionRecord | null>;
    /** Every session fd of live nodes. */
    all(): Promise<number[]>;
    count(): Promise<number>;
    /** Forgets one worker's sessions (its slot restarted: those connections are gone). Returns how many. */
    purgeWorker(node: number, slot: number): Promise<number>;
    /** Forgets the sessions of nodes that are no longer alive. Returns the node ids purged. Safe to run concurrently from several nodes. */
    purgeDeadNodes(): Promise<number[]>;
    /**
     * From now on, whenever this table may have lost writes (its store restarted, was flushed or
     * failed over, a write failed, or a bind found its session gone), it re-writes `owner`'s live
     * sessions with their uids and forgets whatever else it holds for that worker. A table that
     * cannot lose writes does nothing.
     */
    keepInSync(owner: SessionOwner): void;
    /** Asks for that re-write now (the node learned the store lost data). */
    resync(reason: string): void;
    /** Waits for pending writes (bounded) and releases resources it owns. */
    close(): Promise<void>;
}
//# sourceMappingURL=types.d.ts.map