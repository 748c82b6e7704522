/**
 * With permessage-deflate, sends wait here while a compression is in flight, so that frames
 * leave in the order they were sent (a ping or a close queued behind a compressed message
 * goes after it). Idle, it costs nothing: sends go straight to the shell.
 */
export class CompressionQueue {
    /** Payload bytes waiting (they count against the output cap). */
    bytes = 0;
    items = null;
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
    /** The connection is gone: nothing waiting goes out, a compression finishing later is ignored. */
    drop() {
        this.items = null;
        this.bytes = 0;
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
            this.deflater.compress(item.payload, (err, compressed) => {
                if (this.items !== queue)
                    return; // dropped meanwhile
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