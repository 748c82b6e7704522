import { ConnectionCore, WebSocketStatus } from '../../shared/protocol/connection-core.js';
import { pausesForOutput } from '../../shared/protocol/flow-control.js';
import { ReadFlow } from './read-flow.js';
export { WebSocketStatus } from '../../shared/protocol/connection-core.js';
export { encodeForQueue, truncateReason } from '../../shared/protocol/frame-encoder.js';
const OWNER = Symbol('switchyard.connection');
// Socket listeners and timer callbacks shared by every connection (`this` is the socket):
// closures per connection would be a fifth of an idle connection's heap.
function onSocketData(chunk) {
    this[OWNER].onData(chunk);
}
function onSocketDrain() {
    this[OWNER].outputProgress();
}
function onSocketEnd() {
    this[OWNER].core.receiveEof();
}
function onSocketError(err) {
    this[OWNER].onSocketError(err);
}
function onSocketClose() {
    this[OWNER].onSocketClose();
}
const closeTimedOut = (conn) => conn.closeTimedOut();
/**
 * One established WebSocket connection: the I/O shell around its ConnectionCore, which holds
 * the protocol (closing handshake included). The shell moves bytes between the socket and the
 * core and keeps the close timer; when to read is ReadFlow's (read-flow.ts), how writes are
 * batched BatchedOutput's (write-batcher.ts).
 */
export class Connection extends ReadFlow {
    fd;
    remoteAddress;
    remotePort;
    /** The proxy that spoke for the client (PROXY protocol or a believed Forwarded header), or null. */
    proxyAddress;
    path;
    protocol;
    extensions;
    connectTime;
    core;
    lastRecvTime;
    bytesIn = 0;
    /** Exempt from the heartbeat (Swoole's protect()). */
    protected = false;
    /** Last ping round trip in ms; -1 until a pong answers one of our pings. */
    rtt = -1;
    pingSentAt = 0;
    host;
    log;
    closeTimer = null;
    /** Handed to another worker (a reload): this shell no longer reads, writes or reports. */
    movedAway = false;
    /** Frozen for a move: not even the bytes already read are parsed any more (an inflate could start). */
    frozen = false;
    constructor(init) {
        super(init.socket, init.host.config, init.host.traffic);
        this.fd = init.fd;
        this.host = init.host;
        this.log = init.log;
        this.path = init.path;
        this.protocol = init.protocol;
        this.extensions = init.extensions;
        const moved = init.moved;
        // A moved connection's client comes with its state (adopt.ts passes it as init.client).
        this.remoteAddress = init.client.remoteAddress;
        this.remotePort = init.client.remotePort;
        this.proxyAddress = init.client.proxyAddress;
        this.connectTime = moved?.connectTime ?? Date.now();
        this.lastRecvTime = moved?.lastRecvTime ?? this.connectTime;
        if (moved) {
            this.bytesIn = moved.bytesIn;
            this.bytesOut = moved.bytesOut;
            this.lastSendTime = moved.lastSendTime;
            this.protected = moved.protected;
            this.rtt = moved.rtt;
            this.pingSentAt = moved.pingSentAt;
            // What the old worker had not sent goes first, before anything the restored core writes.
            for (const b of moved.output)
                if (b.length > 0)
                    this.write(b);
        }
        this.core = moved ? ConnectionCore.restore(moved.core, this, this.config, init.deflate) : new ConnectionCore(this, this.config, init.deflate);
        const socket = init.socket;
        socket.setNoDelay(true);
        socket[OWNER] = this;
        socket.on('data', onSocketData);
        socket.on('drain', onSocketDrain);
        socket.on('end', onSocketEnd);
        socket.on('error', onSocketError);
        socket.on('close', onSocketClose);
    }
    get status() {
        return this.core.status;
    }
    get messagesIn() {
        return this.core.messagesIn;
    }
    get messagesOut() {
        return this.core.messagesOut;
    }
    /** @internal bytes read from the socket. */
    onData(chunk) {
        this.bytesIn += chunk.length;
        this.traffic.bytesIn += chunk.length;
        this.lastRecvTime = Date.now();
        this.read(chunk);
    }
    // ---- moving to another worker (a reload: src/worker/reload/) ----------------------------
    /**
     * Why this connection cannot move now, or null. `cannot move: …` never will: TLS (its
     * session keys live inside OpenSSL, not in data we could carry) — the reload closes it 1012.
     */
    moveRefusal() {
        if (this.socket.encrypted === true)
            return 'cannot move: TLS (the session keys live inside OpenSSL)';
        const refusal = this.core.snapshotRefusal();
        return refusal === 'permessage-deflate contexts are not plain data' ? `cannot move: ${refusal}` : refusal;
    }
    /** The reload is coming for this connection: see ConnectionCore.prepareMove. */
    prepareMove() {
        this.core.prepareMove();
    }
    /** It will not move after all (it closes here): see ConnectionCore.abandonMove. */
    abandonMove() {
        if (!this.frozen && !this.movedAway)
            this.core.abandonMove();
    }
    /**
     * Stops reading for good here (what the kernel holds is read by the next owner) and stops
     * reporting: the socket's events no longer reach this shell. Sends still queue until capture.
     */
    freeze() {
        this.frozen = true;
        const socket = this.socket;
        socket.removeListener('data', onSocketData);
        socket.removeListener('end', onSocketEnd);
        socket.removeListener('close', onSocketClose);
        socket.removeListener('error', onSocketError);
        this.haltReading();
        socket.pause();
        const handle = socket._handle;
        if (handle) {
            handle.reading = false;
            handle.readStop();
        }
    }
    /**
     * The state to carry (after freeze(), once the descriptor is on its way): null when the
     * output not yet sent cannot be told (see unsentOutput), the connection then stays here.
     * On success this shell is done: its timer cleared, its socket closed without a FIN (the
     * other process holds the descriptor).
     */
    capture() {
        const output = this.unsentOutput();
        if (output === null || this.core.snapshotRefusal() !== null)
            return null;
        const input = [];
        const readable = this.socket.readableBuffer;
        if (readable)
            for (const chunk of readable)
                input.push(chunk);
        const moved = {
            fd: this.fd,
            remoteAddress: this.remoteAddress,
            remotePort: this.remotePort,
            proxyAddress: this.proxyAddress,
            path: this.path,
            protocol: this.protocol,
            extensions: this.extensions,
            connectTime: this.connectTime,
            lastRecvTime: this.lastRecvTime,
            lastSendTime: this.lastSendTime,
            bytesIn: this.bytesIn,
            bytesOut: this.bytesOut,
            protected: this.protected,
            rtt: this.rtt,
            pingSentAt: this.pingSentAt,
            core: this.core.snapshot(),
            output,
            input,
        };
        this.movedAway = true;
        if (this.closeTimer)
            clearTimeout(this.closeTimer);
        this.closeTimer = null;
        this.discardOutput();
        this.socket.destroy();
        return moved;
    }
    /** The moved connection's first steps here: the bytes it had read, then reading. */
    resumeAfterMove(input) {
        if (input.length > 0)
            this.read(input.length === 1 ? input[0] : Buffer.concat(input));
        this.parserSettled();
        this.socket.resume();
        this.repauseSoon();
    }
    /** Feeds bytes that arrived with the upgrade request, before any 'data' event. */
    receive(head) {
        if (head.length === 0)
            return;
        this.onData(head);
        this.repauseSoon();
    }
    // ---- the app's operations: the core decides, the shell reports backpressure -----------
    send(payload, opcode) {
        return this.sendShared(payload, opcode, null);
    }
    /** send() with the frame already encoded by the caller (a broadcast encodes once per worker). */
    sendShared(payload, opcode, frame) {
        const outcome = this.core.send(payload, opcode, frame);
        return outcome === 'written' ? this.noteQueued() : outcome;
    }
    /** A ping; it counts against bufferOutputSize like a message (over it: `dropped`, the policy applies). */
    ping(payload) {
        const outcome = this.core.ping(payload);
        if (outcome !== 'written')
            return outcome;
        if (this.pingSentAt === 0)
            this.pingSentAt = Date.now();
        return this.noteQueued();
    }
    /** Answers a ping by hand (openWebsocketPingFrame) or sends an unsolicited pong. */
    pong(payload) {
        const outcome = this.core.pong(payload);
        return outcome === 'written' ? this.noteQueued() : outcome;
    }
    /** Starts the closing handshake (ConnectionCore.disconnect); RangeError for a code or reason that may not be sent. */
    disconnect(code, reason) {
        return this.core.disconnect(code, reason);
    }
    /** Closes TCP without a close frame (Swoole's close()). */
    close() {
        this.core.close();
    }
    /** Fails the connection (§7.1.7): our close frame with the code, no more reading, TCP ended. */
    fail(code, reason) {
        this.core.fail(code, reason);
    }
    // ---- ConnectionIo: what the core reports and asks (write, endAfterFlush: BatchedOutput) ----
    /** @internal */
    deliverMessage(data, binary) {
        this.host.deliverMessage(this, data, binary);
    }
    /** @internal */
    deliverControl(opcode, payload, code, reason) {
        this.host.deliverControl(this, opcode, payload, code, reason);
    }
    /** @internal */
    pongArrived() {
        if (this.pingSentAt === 0)
            return;
        this.rtt = Date.now() - this.pingSentAt;
        this.pingSentAt = 0;
    }
    /** @internal */
    protocolFailed(error) {
        this.log.debug({ fd: this.fd, err: error.code, closeCode: error.closeCode }, 'protocol error');
    }
    /** @internal */
    compressionFailed(err) {
        this.log.error({ fd: this.fd, err }, 'compression failed');
    }
    /**
     * @internal a send passed bufferOutputSize. Under either policy the peer is not read while
     * backed up: closing, its close frame waits behind output it does not read, and reading on
     * until closeTimeoutMs would only let it make us read (and discard) at full speed.
     */
    outputOverCap(queued, closing) {
        if (closing)
            this.log.warn({ fd: this.fd, queued }, 'slow consumer closed');
        if (!pausesForOutput(queued, this.config.bufferHighWatermark) || !this.pauseForOutput())
            return;
        if (!closing)
            this.log.warn({ fd: this.fd, queued }, 'slow consumer: not read until its output drains');
    }
    /** @internal */
    abort() {
        this.socket.destroy();
    }
    /** @internal */
    armCloseTimer(ms) {
        this.closeTimer ??= setTimeout(closeTimedOut, ms, this);
    }
    /** @internal the close deadline passed. */
    closeTimedOut() {
        this.log.debug({ fd: this.fd }, 'close timeout: destroying socket');
        this.core.closeTimeout();
    }
    // ---- BatchedOutput hooks ----------------------------------------------------------------
    waitingBytes() {
        return this.core.deferredBytes;
    }
    outputFull() {
        this.host.bufferFull(this);
    }
    outputEmpty() {
        this.host.bufferEmpty(this);
    }
    outputClosed() {
        return this.movedAway || this.frozen || this.core.status === WebSocketStatus.Closed;
    }
    // ---- socket events --------------------------------------------------------------------
    /** @internal */
    onSocketError(err) {
        this.log.debug({ fd: this.fd, err: err.code ?? err.message }, 'socket error');
        this.core.transportError();
    }
    /** @internal */
    onSocketClose() {
        const info = this.core.connectionLost();
        if (info === null)
            return;
        if (this.closeTimer)
            clearTimeout(this.closeTimer);
        this.closeTimer = null;
        this.discardOutput();
        this.host.connectionClosed(this, info);
    }
}
//# sourceMappingURL=connection.js.map