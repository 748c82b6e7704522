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
/**
 * A queued chunk below this size is copied together with its neighbours (a run) instead of
 * being kept as a Buffer of its own: a Buffer object and its array slot cost ~110 bytes of heap
 * besides its bytes (measured: 100k queued 34-byte push frames held 107 B of heap each, and
 * again in the socket's write queue), so a burst of tiny frames cost 4-10x its bytes.
 */
const SMALL_CHUNK = 8 * 1024;
/** A run is copied into one buffer when it holds this many chunks or bytes. */
const RUN_CHUNKS = 256;
const RUN_BYTES = CONCAT_LIMIT;
/** Heap one queued Buffer costs besides its bytes (the object and its slot; measured ~110 B). */
export const CHUNK_OVERHEAD_BYTES = 128;
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
    /** Chunks to write: large ones as given, small ones copied together into runs. */
    pending = [];
    /** Small chunks not copied into a run yet (at most RUN_CHUNKS). */
    run = [];
    runBytes = 0;
    /** Bytes of everything queued (pending and run). */
    pendingBytes = 0;
    flushScheduled = false;
    attempts = 0;
    timer = null;
    settleFirst = null;
    /** What opens every connection, ahead of any frame (the sender's markers, sender-order.ts). */
    greeting;
    constructor(slot, path, log, retry = { minMs: RETRY_MIN_MS, maxMs: RETRY_MAX_MS }, greeting = null) {
        this.slot = slot;
        this.path = path;
        this.log = log;
        this.retry = retry;
        this.greeting = greeting;
    }
    /** Starts connecting; resolves once the first attempt has succeeded or failed. */
    start() {
        const first = new Promise((resolve) => (this.settleFirst = resolve));
        this.connect();
        return first;
    }
    /**
     * What the frames accepted and not yet taken by the kernel cost this process: their bytes
     * (queued this turn, then the socket's buffer) plus the bookkeeping of each Buffer still held
     * as an object of its own. Chunks written to the socket are runs of >= RUN_CHUNKS small
     * frames or large frames, so their own bookkeeping (~2 % of their bytes at most) is left out.
     */
    get queuedBytes() {
        return this.pendingBytes + (this.pending.length + this.run.length) * CHUNK_OVERHEAD_BYTES + (this.socket?.writableLength ?? 0);
    }
    /** Queues one frame (header and payload) for this turn's write. Caller checks state. */
    write(header, payload) {
        this.add(header);
        this.add(payload);
        this.counted();
    }
    /** A frame already carrying its length prefix (one buffer). */
    writeFrame(frame) {
        this.add(frame);
        this.counted();
    }
    /** A marker frame: queued in order with the frames, not counted as one (framesOut counts messages). */
    writeMarker(frame) {
        this.add(frame);
        this.schedule();
    }
    /** Large chunks are queued by reference (a broadcast payload is shared by every peer); small
     * ones join the current run, copied into one buffer when it is full. */
    add(chunk) {
        this.pendingBytes += chunk.length;
        if (chunk.length >= SMALL_CHUNK) {
            this.seal();
            this.pending.push(chunk);
            return;
        }
        this.run.push(chunk);
        this.runBytes += chunk.length;
        if (this.run.length >= RUN_CHUNKS || this.runBytes >= RUN_BYTES)
            this.seal();
    }
    /** The current run becomes one pending chunk (a lone chunk is not copied). */
    seal() {
        const run = this.run;
        if (run.length === 0)
            return;
        this.pending.push(run.length === 1 ? run[0] : Buffer.concat(run, this.runBytes));
        this.run = [];
        this.runBytes = 0;
    }
    /** Writes what is queued now instead of at the end of the turn (a broadcast: the peer starts
     * its share while this worker writes its own). Order is kept: everything queued goes first. */
    flushNow() {
        if (this.socket !== null && this.state === 'open')
            this.writePending(this.socket);
    }
    counted() {
        this.counters.framesOut++;
        this.schedule();
    }
    schedule() {
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
            // Before any frame: nothing is queued for a link that is not open.
            if (this.greeting !== null)
                socket.write(this.greeting());
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
        this.run = [];
        this.runBytes = 0;
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
        if (this.pending.length === 0 && this.run.length === 0)
            return;
        const total = this.pendingBytes;
        // A light turn (the usual case) is one small run: copied once, below, not sealed first.
        if (total > CONCAT_LIMIT)
            this.seal();
        const chunks = this.run.length > 0 ? [...this.pending, ...this.run] : this.pending;
        this.pending = [];
        this.run = [];
        this.runBytes = 0;
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