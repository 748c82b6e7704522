/**
 * The zlib side of permessage-deflate (RFC 7692): node:zlib raw deflate streams, one per
 * direction, created on first use, and a process-wide job limiter. Negotiation is pure and
 * lives in src/shared/protocol/permessage-deflate.ts; the connection core sees this only
 * through the MessageCodec interface.
 */
import zlib from 'node:zlib';
import { ProtocolError } from '../../shared/errors.js';
import { assertSettings, assertWindowBits, DEFAULT_DEFLATE_SETTINGS, } from '../../shared/protocol/permessage-deflate.js';
/** §7.2.1: a sync flush ends with an empty stored block, 00 00 ff ff, which is not sent. */
const TRAILER = Buffer.from([0x00, 0x00, 0xff, 0xff]);
/**
 * Process-wide cap on zlib jobs in flight, as ws has: thousands of connections compressing at
 * once fragment memory badly (nodejs/node#8871), and a queue costs little latency. Each
 * direction of a connection still runs one job at a time; this bounds them all together.
 */
export const MAX_ZLIB_JOBS = 10;
let zlibJobs = 0;
const zlibWaiting = [];
function acquireZlib(start) {
    if (zlibJobs < MAX_ZLIB_JOBS) {
        zlibJobs++;
        start();
    }
    else
        zlibWaiting.push(start);
}
function releaseZlib() {
    const next = zlibWaiting.shift();
    if (next)
        next(); // the slot passes straight to the next job
    else
        zlibJobs--;
}
/** Gives back the slot a job holds, once (finished, failed or disposed). */
function releaseSlotOf(job) {
    if (!job?.started)
        return;
    job.started = false;
    releaseZlib();
}
/** zlib jobs holding a slot now (tests). */
export function zlibJobsInFlight() {
    return zlibJobs;
}
/**
 * One connection's compressor and decompressor. Each direction runs one job at a time
 * from a FIFO queue: a zlib stream only tells us where output ends by the flush
 * callback, so overlapping jobs could not tell whose bytes are whose.
 */
export class PerMessageDeflate {
    #agreement;
    #settings;
    #inflate = null;
    #deflate = null;
    #inflating = null;
    #deflating = null;
    #inflateQueue = [];
    #deflateQueue = [];
    #disposed = false;
    /**
     * With client context takeover: the inflater's recent output, oldest first, at least the
     * window's size once that much came (chunks shared with the messages, trimmed from the
     * front): what a connection moving to another process needs to inflate what follows.
     */
    #recent = [];
    #recentBytes = 0;
    /** A window carried from another process: the first inflate stream starts with it. */
    #restoredWindow;
    constructor(agreement, settings = DEFAULT_DEFLATE_SETTINGS, window = null) {
        assertSettings(settings);
        // 8 is a legal client window (§7.1.2.2); our own is never below 9 (see acceptOffer).
        assertWindowBits('agreement.serverMaxWindowBits', agreement.serverMaxWindowBits, 9);
        assertWindowBits('agreement.clientMaxWindowBits', agreement.clientMaxWindowBits, 8);
        this.#agreement = { ...agreement };
        this.#settings = { ...settings };
        this.#restoredWindow = window !== null && window.length > 0 ? window : null;
        if (this.#restoredWindow !== null)
            this.#remember([this.#restoredWindow], this.#restoredWindow.length);
    }
    /** The inflater's window size in bytes (see #openInflate for the 9). */
    get #windowBytes() {
        return 1 << Math.max(9, this.#agreement.clientMaxWindowBits);
    }
    #remember(chunks, size) {
        if (this.#agreement.clientNoContextTakeover || size === 0)
            return;
        for (const c of chunks)
            this.#recent.push(c);
        this.#recentBytes += size;
        const keep = this.#windowBytes;
        while (this.#recent.length > 1 && this.#recentBytes - this.#recent[0].length >= keep)
            this.#recentBytes -= this.#recent.shift().length;
    }
    #forget() {
        this.#recent = [];
        this.#recentBytes = 0;
    }
    /** See MessageCodec.moveState. */
    moveState() {
        if (this.#disposed || this.#inflating !== null || this.#deflating !== null || this.#inflateQueue.length > 0 || this.#deflateQueue.length > 0)
            return null;
        if (this.#recentBytes === 0)
            return { agreement: { ...this.#agreement }, window: null };
        const all = Buffer.concat(this.#recent, this.#recentBytes);
        const keep = this.#windowBytes;
        return { agreement: { ...this.#agreement }, window: all.length > keep ? all.subarray(all.length - keep) : all };
    }
    /** Whether a message of this size is worth compressing (settings.threshold). */
    shouldCompress(byteLength) {
        return byteLength >= this.#settings.threshold;
    }
    decompress(data, fin, limit, callback) {
        if (this.#disposed)
            return;
        this.#inflateQueue.push({ data, fin, limit, callback, chunks: [], size: 0 });
        this.#nextInflate();
    }
    compress(data, callback) {
        if (this.#disposed)
            return;
        this.#deflateQueue.push({ data, callback, chunks: [], size: 0 });
        this.#nextDeflate();
    }
    dispose() {
        this.#disposed = true;
        this.#inflateQueue.length = 0;
        this.#deflateQueue.length = 0;
        // A job that holds a zlib slot gives it back; one still waiting for a slot gives it back
        // when it gets one (see #startInflate / #startDeflate).
        releaseSlotOf(this.#inflating);
        releaseSlotOf(this.#deflating);
        this.#inflating = this.#deflating = null;
        this.#inflate?.destroy();
        this.#deflate?.destroy();
        this.#inflate = this.#deflate = null;
    }
    #nextInflate() {
        if (this.#inflating !== null || this.#disposed)
            return;
        const job = this.#inflateQueue.shift();
        if (job === undefined)
            return;
        this.#inflating = job;
        acquireZlib(() => this.#startInflate(job));
    }
    #startInflate(job) {
        if (this.#disposed || this.#inflating !== job) {
            releaseZlib();
            return;
        }
        job.started = true;
        const stream = this.#inflate ?? this.#openInflate();
        // §7.2.2: the sender removed the trailing empty block; put it back to end the message.
        const input = job.fin ? Buffer.concat([job.data, TRAILER]) : job.data;
        // One write, sync-flushed (the stream's flush mode): its callback comes once all its output
        // was emitted — a third of the zlib round trips of write, write, flush(). On a zlib error it
        // never runs; the 'error' listener finishes the job.
        if (input.length > 0)
            stream.write(input, () => this.#inflated(stream, job));
        else
            stream.flush(zlib.constants.Z_SYNC_FLUSH, () => this.#inflated(stream, job));
    }
    #openInflate() {
        // A client told to use 8 bits still deflates with zlib's 9 (zlib.h: "use 9 with
        // inflateInit2()"), so never inflate with less; a larger window reads smaller ones.
        const restored = this.#restoredWindow;
        this.#restoredWindow = null;
        const stream = zlib.createInflateRaw({ windowBits: Math.max(9, this.#agreement.clientMaxWindowBits), flush: zlib.constants.Z_SYNC_FLUSH, ...(restored ? { dictionary: restored } : {}) });
        stream.on('data', (chunk) => {
            const job = this.#inflating;
            if (stream !== this.#inflate || job === null)
                return;
            job.size += chunk.length;
            if (job.size > job.limit) {
                // Stop now: destroying the stream ends zlib's chunk loop, so a bomb never
                // allocates more than the limit plus one chunk.
                this.#failInflate(new ProtocolError('ERR_MESSAGE_TOO_BIG', 'Inflated message is too big'));
                return;
            }
            job.chunks.push(chunk);
        });
        stream.on('error', (err) => {
            if (stream !== this.#inflate)
                return;
            // Out of memory is our problem (1011); anything else is data the peer corrupted (1007).
            const code = err.code === 'Z_MEM_ERROR' ? 'ERR_INFLATE_RESOURCES' : 'ERR_INVALID_COMPRESSED_DATA';
            this.#failInflate(new ProtocolError(code, `Invalid compressed data: ${err.message}`));
        });
        this.#inflate = stream;
        return stream;
    }
    #inflated(stream, job) {
        if (stream !== this.#inflate || job !== this.#inflating)
            return;
        if (stream.readableEnded) {
            // The peer ended the deflate stream with a BFINAL block (§7.2.3.4 allows it):
            // zlib ignores anything after it, so the next message needs a fresh stream.
            this.#inflate = null;
            stream.destroy();
            this.#forget();
        }
        else {
            if (job.fin && this.#agreement.clientNoContextTakeover) {
                // §7.1.1.2: the client starts every message with an empty window; so do we.
                stream.reset();
            }
            this.#remember(job.chunks, job.size);
        }
        this.#finishInflate(null, Buffer.concat(job.chunks, job.size));
    }
    #failInflate(err) {
        // The context is now unusable (or deliberately abandoned): discard it.
        this.#inflate?.destroy();
        this.#inflate = null;
        this.#forget();
        this.#finishInflate(err);
    }
    #finishInflate(err, inflated) {
        const job = this.#inflating;
        if (job === null)
            return;
        this.#inflating = null;
        releaseSlotOf(job);
        this.#nextInflate();
        job.callback(err, inflated);
    }
    #nextDeflate() {
        if (this.#deflating !== null || this.#disposed)
            return;
        const job = this.#deflateQueue.shift();
        if (job === undefined)
            return;
        this.#deflating = job;
        acquireZlib(() => this.#startDeflate(job));
    }
    #startDeflate(job) {
        if (this.#disposed || this.#deflating !== job) {
            releaseZlib();
            return;
        }
        job.started = true;
        const stream = this.#deflate ?? this.#openDeflate();
        // As for the inflate: one sync-flushed write; an empty message is a bare flush.
        if (job.data.length > 0)
            stream.write(job.data, () => this.#deflated(stream, job));
        else
            stream.flush(zlib.constants.Z_SYNC_FLUSH, () => this.#deflated(stream, job));
    }
    #openDeflate() {
        const stream = zlib.createDeflateRaw({
            flush: zlib.constants.Z_SYNC_FLUSH,
            windowBits: this.#agreement.serverMaxWindowBits,
            level: this.#settings.level,
            memLevel: this.#settings.memLevel,
        });
        stream.on('data', (chunk) => {
            const job = this.#deflating;
            if (stream !== this.#deflate || job === null)
                return;
            job.chunks.push(chunk);
            job.size += chunk.length;
        });
        stream.on('error', (err) => {
            if (stream !== this.#deflate)
                return;
            this.#deflate = null;
            stream.destroy();
            this.#finishDeflate(err);
        });
        this.#deflate = stream;
        return stream;
    }
    #deflated(stream, job) {
        if (stream !== this.#deflate || job !== this.#deflating)
            return;
        let out = Buffer.concat(job.chunks, job.size);
        // §7.2.1: drop the 00 00 ff ff the sync flush ended with.
        if (out.length >= 4 && out.subarray(-4).equals(TRAILER))
            out = out.subarray(0, -4);
        // A flush with nothing new to flush emits nothing, but an empty message still needs
        // a block: §7.2.3.6 sends the single byte 0x00.
        if (out.length === 0)
            out = Buffer.alloc(1);
        // §7.1.1.1: each of our messages must then be decodable with an empty window.
        if (this.#agreement.serverNoContextTakeover)
            stream.reset();
        this.#finishDeflate(null, out);
    }
    #finishDeflate(err, compressed) {
        const job = this.#deflating;
        if (job === null)
            return;
        this.#deflating = null;
        releaseSlotOf(job);
        this.#nextDeflate();
        job.callback(err, compressed);
    }
}
//# sourceMappingURL=deflate-codec.js.map