/**
 * The connections the master handed to each worker and has not heard the end of: fd -> the
 * client address its limits counted. A worker reports the fds whose sockets closed (`released`,
 * batched per event-loop turn); a worker that dies releases all of its own. Each fd is released
 * once whatever reports it (a late report of an fd already released is ignored): session ids are
 * never reused.
 */
export class ConnectionLedger {
    slots;
    constructor(workers) {
        this.slots = Array.from({ length: workers }, () => new Map());
    }
    add(slot, fd, address) {
        this.slots[slot]?.set(fd, address);
    }
    /** The address of fd if it was live on slot (it is not any more), else undefined. */
    release(slot, fd) {
        const live = this.slots[slot];
        const address = live?.get(fd);
        if (address !== undefined)
            live.delete(fd);
        return address;
    }
    /** Every address still live on slot (its worker is gone); the slot starts empty. */
    releaseSlot(slot) {
        const live = this.slots[slot];
        if (live === undefined)
            return [];
        const addresses = [...live.values()];
        live.clear();
        return addresses;
    }
    /** Live connections of one slot. */
    size(slot) {
        return this.slots[slot]?.size ?? 0;
    }
}
//# sourceMappingURL=connection-ledger.js.map