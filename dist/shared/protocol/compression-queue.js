/**
 * With permessage-deflate, sends wait here while a compression is in flight, so that frames
 * leave in the order they were sent (a ping or a close queued behind a compressed message
 * goes after it). Idle, it costs nothing: sends go straight to the shell.
 */
export class CompressionQueue {
    /** Payload bytes waiting (they count against the output cap). */
    bytes = 0;
    items = null;
    /** A compression is in flight (its result goes out before anything waiting). */
    compressing = false;
    /** A move is coming (hold()): no further compression starts, what waits is carried as data. */
    holding = false;
    owner;
    io;
    deflater;
    constructor(owner, io, deflater) {
        this.owner = owner;
        this.io = io;
        this.deflater = deflater;
    }
    /** Whether nothing waits: a send that needs no compression may go straight out. */
    get idle() {
        return this.items === null;
    }
    push(opcode, payload, compress) {
        const first = this.items === null;
        (this.items ??= []).push({ opcode, payload, compress });
        this.bytes += payload.length;
        if (first)
            this.drain();
    }
    /** Whether a compression is in flight (its deflater's state is zlib's, not data). */
    get busy() {
        return this.compressing;
    }
    /**
     * Start no further compression: the one in flight finishes and goes out, the rest waits, to
     * be carried to another worker (waitingItems) and compressed there by a fresh deflater — a
     * stream with no back-references is valid for the peer's inflater (RFC 7692 §7.2.1).
     */
    hold() {
        this.holding = true;
    }
    /** The move is off: compress on. */
    release() {
        if (!this.holding)
            return;
        this.holding = false;
        if (this.items !== null && !this.compressing)
            this.drain();
    }
    /** What waits, in order (for a snapshot: only once not busy). */
    waitingItems() {
        return this.items ?? [];
    }
    /** The connection is gone: nothing waiting goes out, a compression finishing later is ignored. */
    drop() {
        this.items = null;
        this.bytes = 0;
        this.compressing = false;
    }
    /** Works through the queue in order; suspends while a compression is in flight. */
    drain() {
        const queue = this.items;
        while (queue !== null && queue.length > 0) {
            const item = queue[0];
            if (!item.compress) {
                queue.shift();
                this.bytes -= item.payload.length;
                if (item.opcode === -1)
                    this.io.write(item.payload);
                else
                    this.owner.writeDataFrame(item.opcode, item.payload, false);
                continue;
            }
            if (this.holding)
                return;
            this.compressing = true;
            this.deflater.compress(item.payload, (err, compressed) => {
                if (this.items !== queue)
                    return; // dropped meanwhile
                this.compressing = false;
                queue.shift();
                this.bytes -= item.payload.length;
                if (err || !compressed) {
                    this.drop();
                    this.owner.compressionFailed(err);
                    return;
                }
                this.owner.writeDataFrame(item.opcode, compressed, true);
                this.drain();
            });
            return;
        }
        this.items = null;
        this.owner.queueDrained();
    }
}
//# sourceMappingURL=compression-queue.js.map