import type { SessionRecord, SessionTable } from './types.ts';
export interface MemorySessionTableOptions {
    /** Whether a node is alive; its sessions are hidden from reads while it is not. Default: all alive. */
    isAlive?: (node: number) => boolean;
}
/**
 * The session table of one process (a single-node server, or tests): plain maps, every write
 * applied at once. Same semantics as RedisSessionTable, minus the network.
 */
export declare class MemorySessionTable implements SessionTable {
    private readonly sessions;
    private readonly byUid;
    private readonly isAlive;
    private closed;
    private invalid;
    constructor(options?: MemorySessionTableOptions);
    /** Writes ignored because their fd (or its node/slot) was malformed, or after close(). */
    stats(): {
        invalid: number;
    };
    add(s: Omit<SessionRecord, 'uid'>): void;
    remove(fd: number): void;
    bind(fd: number, uid: string): void;
    /** Nothing to do: writes land at once and are never lost. */
    keepInSync(): void;
    resync(): void;
    unbind(fd: number): void;
    fdsByUid(uid: string): Promise<number[]>;
    get(fd: number): Promise<SessionRecord | null>;
    all(): Promise<number[]>;
    count(): Promise<number>;
    purgeWorker(node: number, slot: number): Promise<number>;
    purgeDeadNodes(): Promise<number[]>;
    close(): Promise<void>;
    private visible;
    /** True if there was a session to forget. */
    private drop;
    private unbindRecord;
    private assertOpen;
}
//# sourceMappingURL=memory-session-table.d.ts.map