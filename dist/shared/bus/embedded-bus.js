/**
 * The embedded bus: a Unix-socket mesh between the workers of one node, so pushes between
 * workers never queue behind connection hand-offs on the master's IPC channels (only one
 * handle travels per channel at a time; every later message waits for its ACK).
 *
 *   worker s listens on  <dir>/w<s>.sock   (inbound: frames from every other worker)
 *   worker s connects to <dir>/w<p>.sock   for every other slot p (outbound, one-way)
 *
 * One direction per connection keeps ordering trivial: everything from s to p goes down one
 * stream. A reload gives slot s two processes, and p two streams from s, for a while: every
 * connection opens with the sender's generation, and p delivers what the new process sends after
 * its move began behind everything from the old one (sender-order.ts, ordered-inbound.ts).
 * Outbound links reconnect by themselves (peer-link.ts); a send to a peer that is not connected
 * fails fast ('down') instead of queueing, and one past the peer's queue budget is 'congested'.
 */
import { mkdir, unlink } from 'node:fs/promises';
import { connect, createServer, Socket } from 'node:net';
import { join } from 'node:path';
import { SETTINGS } from '../config-table.js';
import { BusError } from '../errors.js';
import { createLogger } from '../logger.js';
import { DEFAULT_MAX_FRAME_BYTES, FRAME_HEADER_BYTES, FrameDecoder, decodeEnvelope, encodeEnvelope, encodeStreamFrame, frameHeader } from './codec.js';
import { CHUNK_OVERHEAD_BYTES, PeerLink, RETRY_MAX_MS, RETRY_MIN_MS } from './peer-link.js';
import { OrderedInbound, markerFrame } from './ordered-inbound.js';
import { worse } from './types.js';
/** A peer that has not taken this (8 MiB) yet is not keeping up: sends to it are 'congested'
 * rather than pile up (about 250k small pushes, a few hundred ms of a slow worker's backlog).
 * Counted at what the queue really holds (PeerLink.queuedBytes), so it also bounds this
 * process's memory. The setting's default (config-table.ts), also when no config is given. */
export const DEFAULT_MAX_QUEUED_BYTES = SETTINGS.embeddedBusMaxQueuedBytes.default;
/** How long frames of a reload's new worker may wait behind its predecessor's connection (see
 * sender-order.ts) when none is given: the master's move timeout with the default settings
 * (maxWaitTime 3 s + closeTimeoutMs 5 s + 15 s): by then the old worker is done or killed. */
export const DEFAULT_ORDER_HOLD_MS = 23_000;
/** sun_path holds 108 bytes on Linux (104 on macOS), NUL included. */
const MAX_SOCKET_PATH_BYTES = 103;
/** The socket file of one slot. */
export function socketPath(dir, slot) {
    return join(dir, `w${slot}.sock`);
}
export class EmbeddedBus {
    self;
    onMessage = null;
    path;
    dir;
    log;
    maxQueuedBytes;
    maxFrameBytes;
    /** Outbound links by slot; undefined for our own slot. */
    links;
    inbound = new Map();
    server = null;
    state = 'new';
    counts = { framesIn: 0, refused: 0, congested: 0, malformed: 0 };
    generation;
    /** A reload's replacement since the move began (sends `follow`), and the old worker once it is over (`done`). */
    following = false;
    handedOver = false;
    ordered;
    constructor(options) {
        const { self, slots, dir } = options;
        if (!Number.isInteger(slots) || slots < 1)
            throw new RangeError(`bus slots out of range: ${slots}`);
        if (!Number.isInteger(self.slot) || self.slot < 0 || self.slot >= slots)
            throw new RangeError(`bus slot ${self.slot} not in 0..${slots - 1}`);
        this.self = { node: self.node, slot: self.slot };
        this.dir = dir;
        this.path = socketPath(dir, self.slot);
        if (Buffer.byteLength(socketPath(dir, slots - 1)) > MAX_SOCKET_PATH_BYTES) {
            throw new BusError('ERR_BUS_PATH_TOO_LONG', `bus socket path too long for a Unix socket: ${socketPath(dir, slots - 1)}`);
        }
        this.log = (options.log ?? createLogger('info', { role: 'bus' })).child({ bus: 'embedded' });
        this.maxQueuedBytes = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
        this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
        this.generation = options.generation ?? Date.now();
        if (!Number.isSafeInteger(this.generation) || this.generation < 0)
            throw new RangeError(`bus generation out of range: ${this.generation}`);
        this.ordered = new OrderedInbound({
            maxHeldBytes: this.maxQueuedBytes,
            holdMs: options.orderHoldMs ?? DEFAULT_ORDER_HOLD_MS,
            log: this.log,
            deliver: (envelope) => this.deliver(envelope.msg, envelope.from),
            live: () => this.state === 'started',
        });
        const greeting = () => this.greeting();
        this.links = Array.from({ length: slots }, (_, slot) => slot === self.slot ? undefined : new PeerLink(slot, socketPath(dir, slot), this.log, options.retry ?? { minMs: RETRY_MIN_MS, maxMs: RETRY_MAX_MS }, greeting));
    }
    /**
     * Listens on our socket file (replacing a stale one), then starts connecting to every peer.
     * Resolves once listening and once the first connect to each peer has succeeded or failed:
     * peers already listening are connected, the others are retried in the background.
     * Rejects with ERR_BUS_SLOT_IN_USE if a live process already listens on our path.
     */
    async start(options = {}) {
        if (this.state !== 'new')
            throw new BusError('ERR_BUS_STATE', `bus already ${this.state}`);
        this.state = 'started';
        // A reload's replacement worker: its predecessor still listens on our path; it hands over
        // its inbound connections (adoptInbound) and we listen once it is gone (listenLater).
        if (options.listen === false) {
            await Promise.all(this.peerLinks().map((link) => link.start()));
            return;
        }
        try {
            await this.listen();
        }
        catch (err) {
            this.state = 'closed';
            this.server?.close();
            throw err;
        }
        // close() while we were setting up: it found no server to close, so close it here.
        if (this.state === 'closed')
            return void this.server?.close();
        await Promise.all(this.peerLinks().map((link) => link.start()));
        this.log.info({ path: this.path }, 'bus listening'); // the worker's logger carries its slot
    }
    send(to, msg) {
        const link = to.node === this.self.node ? this.links[to.slot] : undefined;
        if (this.state !== 'started' || link === undefined || link.state !== 'open')
            return this.refuse('down');
        const frame = encodeStreamFrame(this.self, msg);
        if (frame.length - FRAME_HEADER_BYTES > this.maxFrameBytes)
            return this.tooBig(frame.length - FRAME_HEADER_BYTES);
        if (!this.fits(link, frame.length))
            return this.refuse('congested');
        link.writeFrame(frame);
        return 'ok';
    }
    broadcast(msg) {
        if (this.state !== 'started')
            return this.refuse('down');
        let result = 'ok';
        let payload = null;
        let header = null;
        for (const link of this.peerLinks()) {
            if (link.state !== 'open') {
                result = worse(result, this.refuse('down'));
                continue;
            }
            // Encoded once, for the first peer that can take it; every peer's write shares it.
            if (payload === null) {
                payload = encodeEnvelope(this.self, msg);
                if (payload.length > this.maxFrameBytes)
                    return this.tooBig(payload.length);
                header = frameHeader(payload.length);
            }
            if (!this.fits(link, FRAME_HEADER_BYTES + payload.length)) {
                result = worse(result, this.refuse('congested'));
                continue;
            }
            link.write(header, payload);
        }
        return result;
    }
    /** Listens now (after start({ listen: false }), once the predecessor has stopped listening). */
    async listenLater() {
        if (this.state !== 'started' || this.server !== null)
            return;
        await this.listen();
        for (const link of this.peerLinks())
            link.retryNow();
        this.log.info({ path: this.path }, 'bus listening');
    }
    /**
     * A reload: stops listening (the socket file goes; the replacement listens next) and takes
     * every inbound connection out of this process unread: its descriptor and the bytes read but
     * not decoded (FrameDecoder.remainder). The caller sends each handle to the replacement and
     * then calls `release`, which closes our copy without touching the connection.
     */
    detachInbound() {
        const server = this.server;
        this.server = null;
        const closed = server ? new Promise((resolve) => server.close(() => resolve())) : Promise.resolve();
        this.ordered.stop();
        const connections = [];
        for (const [socket, decoder] of this.inbound) {
            this.inbound.delete(socket);
            socket.removeAllListeners('data');
            socket.removeAllListeners('close');
            socket.pause();
            // What this process knew of the stream goes first, as its sender would have said it, then
            // the frames it held: the replacement reads on from the same place (sender-order.ts).
            const replayed = this.ordered.detach(socket, this.self.node);
            const handle = socket._handle;
            if (!handle)
                continue;
            handle.reading = false;
            handle.readStop();
            const parts = [...replayed, decoder.remainder()];
            const readable = socket.readableBuffer;
            if (readable)
                for (const chunk of readable)
                    parts.push(chunk);
            connections.push({ handle, remainder: Buffer.concat(parts), release: () => socket.destroy() });
        }
        return { connections, closed };
    }
    /** The replacement's side of detachInbound(): a peer's connection, read on from `remainder`. */
    adoptInbound(handle, remainder) {
        const socket = new Socket({ handle, readable: true, writable: true });
        this.accept(socket, remainder);
    }
    /**
     * A reload's replacement, at the move's first record: what this worker sends from now on may
     * come from moved connections, so every peer delivers it behind what the old worker sent
     * (until the old one's `done` or the end of its connection; sender-order.ts).
     */
    followPredecessor() {
        if (this.following)
            return;
        this.following = true;
        this.mark({ t: 'follow' });
    }
    /** The old worker, once every connection has moved: what it sends from now on is about no
     * moved connection; its successor's frames that peers hold go now. */
    predecessorDone() {
        if (this.handedOver)
            return;
        this.handedOver = true;
        this.mark({ t: 'done' });
    }
    /** Writes what is queued for every peer now instead of at the end of the turn. */
    flush() {
        for (const link of this.peerLinks())
            link.flushNow();
    }
    /** True when the outbound link to `to` is up (a send would be handed to the socket). */
    isConnected(to) {
        const link = to.node === this.self.node ? this.links[to.slot] : undefined;
        return link?.state === 'open';
    }
    /** Waits until every peer is connected; false if `timeoutMs` passes first (they keep retrying). */
    async waitForPeers(timeoutMs) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            if (this.state !== 'started')
                return false;
            if (this.peerLinks().every((link) => link.state === 'open'))
                return true;
            if (Date.now() >= deadline)
                return false;
            await new Promise((resolve) => setTimeout(resolve, 10));
        }
    }
    stats() {
        const out = { writes: 0, framesOut: 0, bytesOut: 0, connects: 0, ...this.counts, held: this.ordered.counts.held, holdsExpired: this.ordered.counts.takeovers };
        for (const link of this.peerLinks()) {
            out.writes += link.counters.writes;
            out.framesOut += link.counters.framesOut;
            out.bytesOut += link.counters.bytesOut;
            out.connects += link.counters.connects;
        }
        return out;
    }
    /**
     * Stops listening (Node removes the socket file), flushes and ends outbound links, drops
     * inbound connections. Later sends return 'down'. Idempotent.
     */
    async close() {
        if (this.state === 'closed')
            return;
        const wasStarted = this.state === 'started';
        this.state = 'closed';
        if (!wasStarted)
            return;
        const server = this.server;
        this.server = null;
        const closed = server ? new Promise((resolve) => server.close(() => resolve())) : Promise.resolve();
        this.ordered.stop();
        for (const socket of this.inbound.keys())
            socket.destroy();
        await Promise.all([closed, ...this.peerLinks().map((link) => link.close(true))]);
        this.log.info({ path: this.path }, 'bus closed');
    }
    async listen() {
        await mkdir(this.dir, { recursive: true });
        if (await isListening(this.path)) {
            throw new BusError('ERR_BUS_SLOT_IN_USE', `another process listens on ${this.path}`);
        }
        await unlink(this.path).catch((err) => {
            if (err.code !== 'ENOENT')
                throw err;
        });
        const server = createServer((socket) => this.accept(socket));
        this.server = server;
        await new Promise((resolve, reject) => {
            server.once('error', reject);
            server.listen(this.path, () => {
                server.off('error', reject);
                server.on('error', (err) => this.log.error({ err }, 'bus server error'));
                resolve();
            });
        });
    }
    peerLinks() {
        return this.links.filter((link) => link !== undefined);
    }
    /** Whether a frame of `bytes` may join the peer's queue: within the budget, or the queue is
     * empty (a message larger than the budget alone still goes, one at a time). */
    fits(link, bytes) {
        const queued = link.queuedBytes;
        return queued === 0 || queued + bytes + CHUNK_OVERHEAD_BYTES <= this.maxQueuedBytes;
    }
    refuse(reason) {
        this.counts.refused++;
        if (reason === 'congested')
            this.counts.congested++;
        return reason;
    }
    /** No frame of this bus can carry it, now or later: no transport for it ('down'). */
    tooBig(length) {
        this.log.warn({ bytes: length, max: this.maxFrameBytes }, 'bus message too big, not sent');
        return this.refuse('down');
    }
    accept(socket, remainder) {
        if (this.state !== 'started')
            return void socket.destroy();
        const decoder = new FrameDecoder(this.maxFrameBytes);
        this.inbound.set(socket, decoder);
        // Whoever connected may be a restarted peer: links waiting out a back-off retry now.
        if (remainder === undefined)
            for (const link of this.peerLinks())
                link.retryNow();
        else if (remainder.length > 0)
            this.receive(socket, decoder, remainder);
        socket.on('data', (chunk) => this.receive(socket, decoder, chunk));
        socket.on('error', (err) => this.log.debug({ code: err.code }, 'bus inbound connection error'));
        socket.on('close', () => {
            // A detached connection closes here too: it is no longer ours, nor its frames.
            if (!this.inbound.delete(socket))
                return;
            this.ordered.closed(socket);
        });
    }
    receive(socket, decoder, chunk) {
        for (const frame of decoder.push(chunk)) {
            const envelope = decodeEnvelope(frame);
            if (envelope === null)
                return this.reject(socket, 'ERR_BUS_MALFORMED', `malformed bus envelope (${frame.length} bytes)`);
            // Markers are taken there; messages delivered now or held behind an older generation.
            if (this.ordered.frame(socket, envelope, frame))
                this.counts.framesIn++;
            if (socket.destroyed)
                return;
        }
        if (decoder.error !== null)
            this.reject(socket, decoder.error.code, decoder.error.message);
    }
    /** What opens each of our outbound connections: who we are, and where this process is in a reload. */
    greeting() {
        const markers = [{ t: 'hello', generation: this.generation }];
        if (this.following)
            markers.push({ t: 'follow' });
        if (this.handedOver)
            markers.push({ t: 'done' });
        return Buffer.concat(markers.map((m) => markerFrame(this.self, m)));
    }
    /** A marker to every connected peer, in order with the frames already queued for it. */
    mark(marker) {
        if (this.state !== 'started')
            return;
        const frame = markerFrame(this.self, marker);
        for (const link of this.peerLinks())
            if (link.state === 'open')
                link.writeMarker(frame);
    }
    deliver(msg, from) {
        const handler = this.onMessage;
        if (handler === null)
            return;
        try {
            handler(msg, from);
        }
        catch (err) {
            // A bug above the bus must not cost the frames behind it on this connection.
            this.log.error({ err, kind: msg.kind, from }, 'bus message handler threw');
        }
    }
    reject(socket, code, message) {
        this.counts.malformed++;
        this.log.warn({ code }, `${message}: closing the connection`);
        socket.destroy();
    }
}
/** Whether something accepts connections on `path` (a stale socket file refuses them). */
function isListening(path) {
    return new Promise((resolve) => {
        const probe = connect(path);
        probe.once('connect', () => {
            probe.destroy();
            resolve(true);
        });
        probe.once('error', () => resolve(false));
    });
}
//# sourceMappingURL=embedded-bus.js.map