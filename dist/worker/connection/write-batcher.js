import { outputResumes } from '../../shared/protocol/flow-control.js';
const dirty = [];
let scheduled = false;
function flushAll() {
    scheduled = false;
    // A flush may queue more (a write callback pushing again): those get the next tick.
    const batch = dirty.splice(0, dirty.length);
    for (const item of batch)
        item.flush();
}
export function scheduleFlush(item) {
    dirty.push(item);
    if (!scheduled) {
        scheduled = true;
        process.nextTick(flushAll);
    }
}
let turn = 1;
let turnEnding = false;
function endTurn() {
    turnEnding = false;
    turn++;
}
/**
 * A number that stays the same until the flushes of this turn have run (one process.nextTick
 * per turn, not per connection): a connection written directly once in a turn queues the rest
 * of that turn, so a burst still leaves in one write.
 */
export function currentTurn() {
    if (!turnEnding) {
        turnEnding = true;
        process.nextTick(endTurn);
    }
    return turn;
}
/** Below this total, copying the queued frames into one buffer is cheaper than a writev. */
export const CONCAT_LIMIT = 64 * 1024;
/** One buffer out of many small ones (the common case: a few small frames). */
export function concatSmall(chunks, total) {
    const out = Buffer.allocUnsafe(total);
    let offset = 0;
    for (const c of chunks) {
        c.copy(out, offset);
        offset += c.length;
    }
    return out;
}
const EMPTY = Buffer.alloc(0);
/**
 * One connection's output: frames queued during a turn leave in one write (one buffer below
 * CONCAT_LIMIT, corked writes above), a broadcast's shared frame may go straight to the
 * socket, and while the output is over the high watermark ("full") every write reports its
 * completion so the connection learns when it drains. The connection shell extends it.
 */
export class BatchedOutput {
    socket;
    bytesOut = 0;
    /** The worker's totals (one property increment beside this connection's own). */
    traffic;
    lastSendTime = 0;
    out = [];
    outBytes = 0;
    flushQueued = false;
    /** The turn of this connection's last direct (broadcast) write. */
    directTurn = 0;
    endAfterFlushing = false;
    full = false;
    highWatermark;
    /** Made once the output first gets full: writes then report when they are done. */
    onWritten = null;
    /**
     * What was handed to the socket since it last held nothing, kept only while the socket holds
     * something (a write the kernel did not take at once): the bytes not sent yet are the end of
     * these (unsentOutput), which a connection moving to another process must carry. Null for
     * every connection that keeps up: nothing is retained then.
     */
    unacked = null;
    unackedArmed = false;
    constructor(socket, highWatermark, traffic) {
        this.socket = socket;
        this.traffic = traffic;
        this.highWatermark = highWatermark;
    }
    /** Bytes accepted for this connection and not yet handed to the kernel. */
    get bufferedAmount() {
        return this.outBytes + this.waitingBytes() + this.socket.writableLength;
    }
    /** Bytes this queue and the socket hold. */
    heldBytes() {
        return this.outBytes + this.socket.writableLength;
    }
    /** Queues bytes for this turn's write. */
    write(buf) {
        this.out.push(buf);
        this.outBytes += buf.length;
        if (!this.flushQueued) {
            this.flushQueued = true;
            scheduleFlush(this);
        }
    }
    /**
     * A broadcast's frame to a connection with nothing queued goes to the socket at once: the
     * fan-out is one loop of writes, the first recipients served while the rest are written.
     * Once per turn: later frames of the same turn queue and leave together.
     */
    writeShared(frame) {
        if (frame.length !== 1 || this.flushQueued || this.directTurn === currentTurn()) {
            for (const b of frame)
                this.write(b);
            return;
        }
        const buf = frame[0];
        this.directTurn = currentTurn();
        if (this.socket.destroyed)
            return;
        const idle = this.socket.writableLength === 0;
        this.socket.write(buf, this.full ? this.writtenCallback() : undefined);
        this.track(idle, buf);
        this.bytesOut += buf.length;
        this.traffic.bytesOut += buf.length;
        this.lastSendTime = Date.now();
    }
    /** Half-closes TCP once everything queued is written (now, if nothing is). */
    endAfterFlush() {
        this.endAfterFlushing = true;
        if (!this.flushQueued)
            this.flush();
    }
    /** Called once per event-loop turn by the write batcher: one write for everything queued. */
    flush() {
        this.flushQueued = false;
        const out = this.out;
        const total = this.outBytes;
        this.out = [];
        this.outBytes = 0;
        const socket = this.socket;
        if (socket.destroyed)
            return;
        // While full, the last write says when it is done (see outputProgress).
        const done = this.full ? this.writtenCallback() : undefined;
        const idle = socket.writableLength === 0;
        if (out.length === 1) {
            socket.write(out[0], done);
            this.track(idle, out[0]);
        }
        else if (out.length > 1) {
            if (total <= CONCAT_LIMIT) {
                const one = concatSmall(out, total);
                socket.write(one, done);
                this.track(idle, one);
            }
            else {
                socket.cork();
                const last = out.length - 1;
                for (let i = 0; i < last; i++)
                    socket.write(out[i]);
                socket.write(out[last], done);
                socket.uncork();
                if (idle)
                    this.unacked = null;
                if (socket.writableLength > 0)
                    for (const b of out)
                        this.track(false, b);
            }
        }
        if (total > 0) {
            this.bytesOut += total;
            this.traffic.bytesOut += total;
            this.lastSendTime = Date.now();
        }
        else if (done)
            this.outputProgress();
        if (this.endAfterFlushing)
            socket.end();
    }
    /** Keeps `buf` (just written) while the socket holds anything (see `unacked`). */
    track(wasIdle, buf) {
        if (wasIdle)
            this.unacked = null;
        if (this.socket.writableLength === 0)
            return;
        (this.unacked ??= []).push(buf);
        if (!this.unackedArmed) {
            this.unackedArmed = true;
            // An empty write behind the rest: when it is done the socket may hold nothing any more.
            this.socket.write(EMPTY, () => this.unackedWritten());
        }
    }
    unackedWritten() {
        this.unackedArmed = false;
        if (this.socket.destroyed)
            return;
        if (this.socket.writableLength === 0)
            this.unacked = null;
        else if (this.unacked !== null) {
            this.unackedArmed = true;
            this.socket.write(EMPTY, () => this.unackedWritten());
        }
    }
    /**
     * The output not yet sent to the peer, in order: the bytes the socket still holds (libuv's
     * queue and the stream's buffer: the end of what was handed to it) then this turn's queue.
     * Null when the socket holds bytes this queue did not write (the 101 still queued): then
     * the unsent bytes cannot be told. Called with reading stopped, just before the descriptor
     * is closed here (the move), so nothing is written in between.
     */
    unsentOutput() {
        const socket = this.socket;
        const handle = socket._handle;
        let unsent = handle?.writeQueueSize ?? 0;
        for (const entry of socket.writableBuffer)
            unsent += typeof entry.chunk === 'string' ? Buffer.byteLength(entry.chunk, 'latin1') : entry.chunk.length;
        const tail = [];
        for (let i = (this.unacked?.length ?? 0) - 1; i >= 0 && unsent > 0; i--) {
            const b = this.unacked[i];
            const part = b.length <= unsent ? b : b.subarray(b.length - unsent);
            tail.unshift(part);
            unsent -= part.length;
        }
        if (unsent > 0)
            return null;
        return [...tail, ...this.out];
    }
    /** Drops what is queued (the connection closed). */
    discardOutput() {
        this.out = [];
        this.outBytes = 0;
    }
    /** After an accepted send: above the high watermark the output is full and the send `queued`. */
    noteQueued() {
        if (this.bufferedAmount <= this.highWatermark)
            return 'written';
        this.markFull();
        return 'queued';
    }
    markFull() {
        if (this.full)
            return;
        this.full = true;
        this.outputFull();
        // From now on every write reports its completion. One already with the socket does not,
        // and 'drain' comes only after a write that passed the socket's own high-water mark: an
        // empty write behind it tells us when it is done.
        const socket = this.socket;
        if (socket.writableLength > 0 && !socket.writableNeedDrain && !socket.destroyed)
            socket.write(EMPTY, this.writtenCallback());
    }
    writtenCallback() {
        return (this.onWritten ??= () => this.outputProgress());
    }
    /** A write completed or the socket drained (only watched while full). */
    outputProgress() {
        if (!this.full || this.outputClosed())
            return;
        const queued = this.bufferedAmount;
        if (outputResumes(queued, this.highWatermark))
            this.outputBelowWatermark();
        if (queued === 0) {
            this.full = false;
            this.outputEmpty();
        }
    }
}
//# sourceMappingURL=write-batcher.js.map