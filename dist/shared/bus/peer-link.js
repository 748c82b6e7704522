/**
 * One worker's outgoing connection to one peer of the embedded bus: connects, reconnects with
 * back-off, and corks every frame queued in one event-loop turn into one socket write.
 * Frames only ever flow this way on this connection, so per-peer order is the stream's order.
 */
import { connect } from 'node:net';
/** First retry after 25 ms (a peer that is just starting is listening a moment later),
 * doubling up to 1 s (a dead peer costs one failed connect per second), ±20 % jitter so the
 * workers of a node do not retry in lockstep. An incoming connection retries at once (retryNow). */
export const RETRY_MIN_MS = 25;
export const RETRY_MAX_MS = 1000;
/** Below this total, one copy into a single buffer is cheaper than a writev of many pieces. */
const CONCAT_LIMIT = 64 * 1024;
/** How long a graceful close waits for queued bytes to drain before it resets the socket. */
const CLOSE_GRACE_MS = 1000;
export class PeerLink {
    slot;
    path;
    state = 'down';
    counters = { writes: 0, framesOut: 0, bytesOut: 0, connects: 0 };
    log;
    retry;
    socket = null;
    pending = [];
    pendingBytes = 0;
    flushScheduled = false;
    attempts = 0;
    timer = null;
    settleFirst = null;
    constructor(slot, path, log, retry = { minMs: RETRY_MIN_MS, maxMs: RETRY_MAX_MS }) {
        this.slot = slot;
        this.path = path;
        this.log = log;
        this.retry = retry;
    }
    /** Starts connecting; resolves once the first attempt has succeeded or failed. */
    start() {
        const first = new Promise((resolve) => (this.settleFirst = resolve));
        this.connect();
        return first;
    }
    /** Bytes accepted but not yet taken by the kernel: queued this turn plus the socket's buffer. */
    get queuedBytes() {
        return this.pendingBytes + (this.socket?.writableLength ?? 0);
    }
    /** Queues one frame (header and payload, not copied) for this turn's write. Caller checks state. */
    write(header, payload) {
        this.pending.push(header, payload);
        this.pendingBytes += header.length + payload.length;
        this.counted();
    }
    /** A frame already carrying its length prefix (one buffer). */
    writeFrame(frame) {
        this.pending.push(frame);
        this.pendingBytes += frame.length;
        this.counted();
    }
    /** Writes what is queued now instead of at the end of the turn (a broadcast: the peer starts
     * its share while this worker writes its own). Order is kept: everything queued goes first. */
    flushNow() {
        if (this.socket !== null && this.state === 'open')
            this.writePending(this.socket);
    }
    counted() {
        this.counters.framesOut++;
        if (!this.flushScheduled) {
            this.flushScheduled = true;
            process.nextTick(() => this.flush());
        }
    }
    /** A peer just connected to us: it may be a restarted worker, so skip the back-off wait. */
    retryNow() {
        if (this.state !== 'down')
            return;
        if (this.timer !== null)
            clearTimeout(this.timer);
        this.timer = null;
        this.attempts = 0;
        this.connect();
    }
    /** Stops for good: graceful flushes what is queued and ends the stream; otherwise resets. */
    close(graceful) {
        this.state = 'closed';
        if (this.timer !== null)
            clearTimeout(this.timer);
        this.timer = null;
        this.settle();
        const socket = this.socket;
        if (socket === null || socket.destroyed)
            return Promise.resolve();
        return new Promise((resolve) => {
            socket.once('close', () => resolve());
            if (!graceful)
                return void socket.destroy();
            this.writePending(socket);
            socket.end();
            setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
        });
    }
    connect() {
        if (this.state === 'closed')
            return;
        this.state = 'connecting';
        const socket = connect(this.path);
        this.socket = socket;
        socket.on('connect', () => {
            if (this.socket !== socket || this.state === 'closed')
                return;
            this.state = 'open';
            const again = this.counters.connects++ > 0;
            this.attempts = 0;
            this.log[again ? 'info' : 'debug']({ peer: this.slot }, 'bus peer connected');
            this.settle();
        });
        // Nothing is expected from the peer on this one-way link; reading just notices its EOF.
        socket.on('data', () => { });
        socket.on('error', (err) => {
            this.log.debug({ peer: this.slot, code: err.code }, 'bus peer connection error');
        });
        socket.on('close', () => this.onClose(socket));
    }
    onClose(socket) {
        if (this.socket !== socket)
            return;
        this.socket = null;
        // At most once: frames queued for a dead connection are dropped, never replayed.
        this.pending = [];
        this.pendingBytes = 0;
        if (this.state === 'closed')
            return;
        if (this.state === 'open')
            this.log.info({ peer: this.slot }, 'bus peer lost');
        this.state = 'down';
        this.settle();
        const delay = Math.min(this.retry.maxMs, this.retry.minMs * 2 ** this.attempts) * (0.8 + 0.4 * Math.random());
        this.attempts = Math.min(this.attempts + 1, 16);
        this.timer = setTimeout(() => {
            this.timer = null;
            this.connect();
        }, delay);
        this.timer.unref();
    }
    flush() {
        this.flushScheduled = false;
        const socket = this.socket;
        if (socket !== null && this.state === 'open')
            this.writePending(socket);
    }
    writePending(socket) {
        const chunks = this.pending;
        const total = this.pendingBytes;
        if (chunks.length === 0)
            return;
        this.pending = [];
        this.pendingBytes = 0;
        this.counters.writes++;
        this.counters.bytesOut += total;
        if (total <= CONCAT_LIMIT) {
            socket.write(Buffer.concat(chunks, total));
            return;
        }
        socket.cork();
        for (const chunk of chunks)
            socket.write(chunk);
        socket.uncork();
    }
    settle() {
        const settle = this.settleFirst;
        this.settleFirst = null;
        settle?.();
    }
}
//# sourceMappingURL=peer-link.js.map