/**
 * The connections the master handed to each worker and has not heard the end of: fd -> the
 * client address its limits counted. A worker reports the fds whose sockets closed (`released`,
 * batched per event-loop turn); a worker that dies releases all of its own. Each fd is released
 * once whatever reports it (a late report of an fd already released is ignored): session ids are
 * never reused.
 */
export declare class ConnectionLedger {
    private readonly slots;
    constructor(workers: number);
    add(slot: number, fd: number, address: string): void;
    /** The address of fd if it was live on slot (it is not any more), else undefined. */
    release(slot: number, fd: number): string | undefined;
    /** Every address still live on slot (its worker is gone); the slot starts empty. */
    releaseSlot(slot: number): string[];
    /** Live connections of one slot. */
    size(slot: number): number;
}
//# sourceMappingURL=connection-ledger.d.ts.map