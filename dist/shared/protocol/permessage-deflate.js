/**
 * permessage-deflate (RFC 7692). Negotiation is pure string work; the codec runs on
 * node:zlib raw deflate streams, one per direction, created on first use.
 */
import zlib from 'node:zlib';
import { ProtocolError } from '../errors.js';
import { isToken } from './handshake.js';
export const DEFAULT_DEFLATE_SETTINGS = Object.freeze({
    /** Keeping our window across messages makes repeated keys of JSON messages nearly free. */
    serverNoContextTakeover: false,
    /** Same benefit for the client's messages; costs us one 32 KiB inflate window per connection. */
    clientNoContextTakeover: false,
    /** Full window: the best ratio, and the only size every client must support (§7.1.2.1). */
    serverMaxWindowBits: 15,
    clientMaxWindowBits: 15,
    /** Below ~1 KiB the deflate block overhead and the CPU cost outweigh the bytes saved. */
    threshold: 1024,
    /**
     * Levels 1-3 use zlib's fast strategy (no lazy matching): most of level 6's ratio on
     * text/JSON for a fraction of its CPU, which matters when every push is compressed.
     */
    level: 3,
    /** zlib's default: 128 KiB of hash state, the usual speed/memory balance. */
    memLevel: 8,
});
const EXTENSION_NAME = 'permessage-deflate';
/** §7.2.1: a sync flush ends with an empty stored block, 00 00 ff ff, which is not sent. */
const TRAILER = Buffer.from([0x00, 0x00, 0xff, 0xff]);
/** §7.1.2.1/§7.1.2.2: "a decimal integer value without leading zeroes between 8 to 15". */
const WINDOW_BITS_PATTERN = /^(?:[89]|1[0-5])$/;
/**
 * Parses Sec-WebSocket-Extensions (RFC 6455 §9.1): a comma list of
 * `token *( ";" token [ "=" ( token | quoted-string ) ] )`, with optional whitespace
 * between items. A quoted value must be a token once unescaped (§9.1). Empty list
 * elements are skipped (RFC 7230 §7). Returns null when the value is malformed.
 */
export function parseExtensionHeader(value) {
    let i = 0;
    const skipSpace = () => {
        while (value[i] === ' ' || value[i] === '\t')
            i++;
    };
    const readToken = () => {
        const start = i;
        while (i < value.length && isToken(value[i]))
            i++;
        return i > start ? value.slice(start, i) : null;
    };
    const readQuoted = () => {
        let out = '';
        for (i++; i < value.length; i++) {
            const c = value[i];
            if (c === '"') {
                i++;
                return out;
            }
            if (c === '\\')
                i++;
            if (i >= value.length)
                return null;
            out += value[i];
        }
        return null;
    };
    const offers = [];
    skipSpace();
    while (i < value.length) {
        if (value[i] === ',') {
            i++;
            skipSpace();
            continue;
        }
        const name = readToken();
        if (name === null)
            return null;
        const params = [];
        skipSpace();
        while (value[i] === ';') {
            i++;
            skipSpace();
            const param = readToken();
            if (param === null)
                return null;
            skipSpace();
            let paramValue = true;
            if (value[i] === '=') {
                i++;
                skipSpace();
                const v = value[i] === '"' ? readQuoted() : readToken();
                if (v === null || !isToken(v))
                    return null;
                paramValue = v;
                skipSpace();
            }
            params.push([param, paramValue]);
        }
        offers.push({ name, params });
        if (i < value.length && value[i] !== ',')
            return null;
    }
    return offers.length > 0 ? offers : null;
}
/** The offer's parameters, or null for an unknown, repeated or invalid one (§7: decline the offer). */
function readDeflateOffer(params) {
    const offer = {
        serverNoContextTakeover: false,
        clientNoContextTakeover: false,
        serverMaxWindowBits: undefined,
        clientMaxWindowBits: undefined,
    };
    const seen = new Set();
    for (const [name, value] of params) {
        if (seen.has(name))
            return null;
        seen.add(name);
        switch (name) {
            case 'server_no_context_takeover':
            case 'client_no_context_takeover':
                // §7.1.1.1/§7.1.1.2: these have no value.
                if (value !== true)
                    return null;
                offer[name === 'server_no_context_takeover' ? 'serverNoContextTakeover' : 'clientNoContextTakeover'] = true;
                break;
            case 'server_max_window_bits':
                // §7.1.2.1: the value is required in an offer.
                if (value === true || !WINDOW_BITS_PATTERN.test(value))
                    return null;
                offer.serverMaxWindowBits = Number(value);
                break;
            case 'client_max_window_bits':
                // §7.1.2.2: the value is optional in an offer.
                if (value !== true && !WINDOW_BITS_PATTERN.test(value))
                    return null;
                offer.clientMaxWindowBits = value === true ? true : Number(value);
                break;
            default:
                return null;
        }
    }
    return offer;
}
/** Our answer to one valid offer, or null when our settings can't honour it. */
function acceptOffer(offer, settings) {
    // zlib refuses an 8-bit window for raw deflate (node silently uses 9, zlib.h deflateInit2),
    // so a client asking for 256 bytes gets a decline rather than a window we can't promise.
    if (offer.serverMaxWindowBits === 8)
        return null;
    // §7.1.2.2: without client_max_window_bits in the offer we may not limit the client,
    // who may then use 15 bits; a smaller configured limit can't be met.
    if (offer.clientMaxWindowBits === undefined && settings.clientMaxWindowBits < 15)
        return null;
    const offeredClientBits = offer.clientMaxWindowBits === true ? 15 : offer.clientMaxWindowBits;
    const agreement = {
        // §7.1.1.1: accepting an offer with server_no_context_takeover means honouring it.
        serverNoContextTakeover: offer.serverNoContextTakeover || settings.serverNoContextTakeover,
        // §7.1.1.2: the server may add client_no_context_takeover to any response.
        clientNoContextTakeover: offer.clientNoContextTakeover || settings.clientNoContextTakeover,
        // §7.1.2.1: same or smaller than offered.
        serverMaxWindowBits: Math.min(offer.serverMaxWindowBits ?? 15, settings.serverMaxWindowBits),
        // §7.1.2.2: smaller than or equal to the offered value; absent means 15.
        clientMaxWindowBits: Math.min(offeredClientBits ?? 15, settings.clientMaxWindowBits),
    };
    const response = [EXTENSION_NAME];
    if (agreement.serverNoContextTakeover)
        response.push('server_no_context_takeover');
    if (agreement.clientNoContextTakeover)
        response.push('client_no_context_takeover');
    // §7.1.2.1: an offered server_max_window_bits is accepted by answering it; otherwise the
    // server MAY still announce a smaller window.
    if (offer.serverMaxWindowBits !== undefined || agreement.serverMaxWindowBits < 15) {
        response.push(`server_max_window_bits=${agreement.serverMaxWindowBits}`);
    }
    // §7.1.2.2: "MUST NOT include" it unless offered; 15 is what absence means anyway.
    if (offer.clientMaxWindowBits !== undefined && agreement.clientMaxWindowBits < 15) {
        response.push(`client_max_window_bits=${agreement.clientMaxWindowBits}`);
    }
    return { agreement, response: response.join('; ') };
}
/** Accepts the first acceptable permessage-deflate offer (RFC 7692 §5, §7.1); null declines all. */
export function negotiateDeflate(offerHeader, settings) {
    assertSettings(settings);
    if (offerHeader === undefined)
        return null;
    // A header we can't parse declines the extension; the handshake itself still succeeds.
    const offers = parseExtensionHeader(offerHeader);
    if (offers === null)
        return null;
    for (const { name, params } of offers) {
        if (name !== EXTENSION_NAME)
            continue;
        const offer = readDeflateOffer(params);
        const accepted = offer && acceptOffer(offer, settings);
        if (accepted)
            return accepted;
    }
    return null;
}
function assertWindowBits(what, bits, min) {
    if (!Number.isInteger(bits) || bits < min || bits > 15)
        throw new RangeError(`${what} must be ${min}..15, got ${bits}`);
}
/** Bad settings are a configuration bug, not peer input: throw. */
function assertSettings(settings) {
    assertWindowBits('serverMaxWindowBits', settings.serverMaxWindowBits, 9);
    assertWindowBits('clientMaxWindowBits', settings.clientMaxWindowBits, 9);
    if (!(settings.threshold >= 0))
        throw new RangeError(`threshold must be >= 0, got ${settings.threshold}`);
    if (!Number.isInteger(settings.level) || settings.level < 0 || settings.level > 9) {
        throw new RangeError(`level must be 0..9, got ${settings.level}`);
    }
    if (!Number.isInteger(settings.memLevel) || settings.memLevel < 1 || settings.memLevel > 9) {
        throw new RangeError(`memLevel must be 1..9, got ${settings.memLevel}`);
    }
}
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
    constructor(agreement, settings = DEFAULT_DEFLATE_SETTINGS) {
        assertSettings(settings);
        // 8 is a legal client window (§7.1.2.2); our own is never below 9 (see acceptOffer).
        assertWindowBits('agreement.serverMaxWindowBits', agreement.serverMaxWindowBits, 9);
        assertWindowBits('agreement.clientMaxWindowBits', agreement.clientMaxWindowBits, 8);
        this.#agreement = { ...agreement };
        this.#settings = { ...settings };
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
        stream.write(job.data);
        // §7.2.2: the sender removed the trailing empty block; put it back to end the message.
        if (job.fin)
            stream.write(TRAILER);
        // On a zlib error this callback never runs; the 'error' listener finishes the job.
        stream.flush(zlib.constants.Z_SYNC_FLUSH, () => this.#inflated(stream, job));
    }
    #openInflate() {
        // A client told to use 8 bits still deflates with zlib's 9 (zlib.h: "use 9 with
        // inflateInit2()"), so never inflate with less; a larger window reads smaller ones.
        const stream = zlib.createInflateRaw({ windowBits: Math.max(9, this.#agreement.clientMaxWindowBits) });
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
        }
        else if (job.fin && this.#agreement.clientNoContextTakeover) {
            // §7.1.1.2: the client starts every message with an empty window; so do we.
            stream.reset();
        }
        this.#finishInflate(null, Buffer.concat(job.chunks, job.size));
    }
    #failInflate(err) {
        // The context is now unusable (or deliberately abandoned): discard it.
        this.#inflate?.destroy();
        this.#inflate = null;
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
        stream.write(job.data);
        stream.flush(zlib.constants.Z_SYNC_FLUSH, () => this.#deflated(stream, job));
    }
    #openDeflate() {
        const stream = zlib.createDeflateRaw({
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
//# sourceMappingURL=permessage-deflate.js.map