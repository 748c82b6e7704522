import { CloseCode, Opcode } from '../shared/protocol/constants.js';
import { FrameParser } from '../shared/protocol/frame-parser.js';
import { closeFrame, encodeSmallFrame, frameHeader, pingFrame, pongFrame } from '../shared/protocol/frame-encoder.js';
import { CONCAT_LIMIT, concatSmall, currentTurn, scheduleFlush } from './write-batcher.js';
/** Swoole's WEBSOCKET_STATUS_* numbers, as getClientInfo reports them. */
export const WebSocketStatus = { Connection: 1, Handshake: 2, Active: 3, Closing: 4, Closed: 5 };
/** Payloads at or below this are copied next to their header; larger ones are written as-is. */
const INLINE_PAYLOAD = 1024;
const OWNER = Symbol('switchyard.connection');
// Socket listeners shared by every connection (`this` is the socket): five closures per
// connection would be a fifth of an idle connection's heap.
function onSocketData(chunk) {
    this[OWNER].onData(chunk);
}
function onSocketDrain() {
    this[OWNER].onDrain();
}
function onSocketEnd() {
    this[OWNER].onEnd();
}
function onSocketError(err) {
    this[OWNER].onSocketError(err);
}
function onSocketClose() {
    this[OWNER].onSocketClose();
}
/**
 * One established WebSocket connection: the thin I/O shell around the pure FrameParser.
 * All protocol state lives in plain fields so it can be captured at a message boundary.
 */
export class Connection {
    fd;
    socket;
    remoteAddress;
    remotePort;
    path;
    protocol;
    extensions;
    connectTime = Date.now();
    lastRecvTime = this.connectTime;
    lastSendTime = 0;
    bytesIn = 0;
    bytesOut = 0;
    messagesIn = 0;
    messagesOut = 0;
    status = WebSocketStatus.Active;
    /** Exempt from the heartbeat (Swoole's protect()). */
    protected = false;
    /** Last ping round trip in ms; -1 until a pong answers one of our pings. */
    rtt = -1;
    pingSentAt = 0;
    host;
    config;
    log;
    parser;
    deflate;
    out = [];
    outBytes = 0;
    flushQueued = false;
    /** The write-batcher turn of this connection's last direct (broadcast) write. */
    directTurn = 0;
    endAfterFlush = false;
    deferred = null;
    deferredBytes = 0;
    full = false;
    closeInfo = null;
    closeTimer = null;
    pendingCallbacks = 0;
    readPaused = false;
    /** With openWebsocketCloseFrame the app's disconnect() is the reply to a close already received. */
    closeOnlyReply = false;
    constructor(init) {
        this.fd = init.fd;
        this.socket = init.socket;
        this.host = init.host;
        this.config = init.host.config;
        this.log = init.log;
        this.deflate = init.deflate;
        this.path = init.path;
        this.protocol = init.protocol;
        this.extensions = init.extensions;
        this.remoteAddress = init.socket.remoteAddress ?? '';
        this.remotePort = init.socket.remotePort ?? 0;
        this.parser = new FrameParser(this, {
            maxMessageSize: this.config.packageMaxLength,
            inflater: init.deflate,
        });
        const socket = init.socket;
        socket.setNoDelay(true);
        socket[OWNER] = this;
        socket.on('data', onSocketData);
        socket.on('drain', onSocketDrain);
        socket.on('end', onSocketEnd);
        socket.on('error', onSocketError);
        socket.on('close', onSocketClose);
    }
    /** Bytes read from the socket. */
    onData(chunk) {
        this.bytesIn += chunk.length;
        this.lastRecvTime = Date.now();
        this.parser.push(chunk);
    }
    /** Bytes accepted for this connection and not yet handed to the kernel. */
    get bufferedAmount() {
        return this.outBytes + this.deferredBytes + this.socket.writableLength;
    }
    /** Feeds bytes that arrived with the upgrade request, before any 'data' event. */
    receive(head) {
        if (head.length === 0)
            return;
        this.bytesIn += head.length;
        this.parser.push(head);
    }
    // ---- sending -------------------------------------------------------------
    send(payload, opcode) {
        return this.sendShared(payload, opcode, null);
    }
    /**
     * send() with the frame already encoded by the caller (a broadcast encodes once per worker
     * and queues the same bytes on every connection). Compressing connections still deflate
     * `payload` themselves: their contexts differ.
     */
    sendShared(payload, opcode, frame) {
        if (this.status !== WebSocketStatus.Active)
            return 'closed';
        if (this.bufferedAmount + payload.length > this.config.bufferOutputSize) {
            if (this.config.bufferFullPolicy === 'close') {
                this.log.warn({ fd: this.fd, queued: this.bufferedAmount }, 'slow consumer closed');
                this.disconnect(CloseCode.PolicyViolation, 'slow consumer');
            }
            return 'dropped';
        }
        this.messagesOut++;
        const compress = this.deflate !== null && payload.length >= this.config.compressionThreshold && opcode <= Opcode.Binary;
        if (compress || this.deferred !== null)
            this.defer({ opcode, payload, compress });
        else if (frame !== null && frame.length === 1 && !this.flushQueued && this.directTurn !== currentTurn())
            this.writeShared(frame[0]);
        else if (frame !== null)
            for (const b of frame)
                this.queueBytes(b);
        else
            this.queueFrame(opcode, payload, false);
        if (this.bufferedAmount > this.config.bufferHighWatermark) {
            if (!this.full) {
                this.full = true;
                this.host.bufferFull(this);
            }
            return 'queued';
        }
        return 'written';
    }
    ping(payload) {
        if (this.status !== WebSocketStatus.Active)
            return false;
        if (this.pingSentAt === 0)
            this.pingSentAt = Date.now();
        this.queueRaw(pingFrame(payload));
        return true;
    }
    /** Answers a ping by hand (openWebsocketPingFrame) or sends an unsolicited pong. */
    pong(payload) {
        if (this.status !== WebSocketStatus.Active)
            return false;
        this.queueRaw(pongFrame(payload));
        return true;
    }
    /**
     * Starts the closing handshake (RFC 6455 §7.1.2): our close frame goes out after what is
     * already queued, then we wait up to closeTimeoutMs for the peer's close before destroying.
     */
    disconnect(code, reason) {
        if (this.closeOnlyReply)
            return this.replyToClose(code, reason);
        if (this.status !== WebSocketStatus.Active)
            return false;
        this.status = WebSocketStatus.Closing;
        this.closeInfo = { code, reason, closedBy: 'server', wasClean: false };
        this.queueRaw(closeFrame(code, reason));
        this.armCloseTimer();
        return true;
    }
    /** Closes TCP without a close frame (Swoole's close()). */
    close() {
        this.closeInfo ??= { code: CloseCode.Abnormal, reason: '', closedBy: 'server', wasClean: false };
        this.status = WebSocketStatus.Closing;
        this.parser.stop();
        this.socket.destroy();
    }
    defer(item) {
        const first = this.deferred === null;
        (this.deferred ??= []).push(item);
        this.deferredBytes += item.payload.length;
        if (first)
            this.drainDeferred();
    }
    /** Works through deferred messages in order; suspends while a compression is in flight. */
    drainDeferred() {
        const queue = this.deferred;
        while (queue !== null && queue.length > 0) {
            const item = queue[0];
            if (!item.compress) {
                queue.shift();
                this.deferredBytes -= item.payload.length;
                if (item.opcode === -1)
                    this.queueBytes(item.payload);
                else
                    this.queueFrame(item.opcode, item.payload, false);
                continue;
            }
            this.deflate.compress(item.payload, (err, compressed) => {
                if (this.deferred !== queue)
                    return; // connection closed meanwhile
                queue.shift();
                this.deferredBytes -= item.payload.length;
                if (err || !compressed) {
                    this.log.error({ fd: this.fd, err }, 'compression failed');
                    this.deferred = null;
                    this.fail(CloseCode.InternalError, 'compression failed');
                    return;
                }
                this.queueFrame(item.opcode, compressed, true);
                this.drainDeferred();
            });
            return;
        }
        this.deferred = null;
    }
    /** A pre-encoded control frame, kept in order behind deferred (compressing) messages. */
    queueRaw(frame) {
        if (this.deferred !== null)
            this.defer({ opcode: -1, payload: frame, compress: false });
        else
            this.queueBytes(frame);
    }
    queueFrame(opcode, payload, rsv1) {
        for (const b of encodeForQueue(opcode, payload, rsv1))
            this.queueBytes(b);
    }
    /**
     * A broadcast's frame to a connection with nothing queued goes to the socket at once: the
     * fan-out is one loop of writes, the first recipients served while the rest are written.
     * Once per turn: later frames of the same turn queue and leave together (write-batcher.ts).
     */
    writeShared(buf) {
        this.directTurn = currentTurn();
        if (this.socket.destroyed)
            return;
        this.socket.write(buf);
        this.bytesOut += buf.length;
        this.lastSendTime = Date.now();
    }
    queueBytes(buf) {
        this.out.push(buf);
        this.outBytes += buf.length;
        if (!this.flushQueued) {
            this.flushQueued = true;
            scheduleFlush(this);
        }
    }
    /** Called once per event-loop turn by the write batcher: one write for everything queued. */
    flush() {
        this.flushQueued = false;
        const out = this.out;
        const total = this.outBytes;
        this.out = [];
        this.outBytes = 0;
        if (this.socket.destroyed)
            return;
        if (out.length === 1)
            this.socket.write(out[0]);
        else if (out.length > 1) {
            if (total <= CONCAT_LIMIT)
                this.socket.write(concatSmall(out, total));
            else {
                this.socket.cork();
                for (const b of out)
                    this.socket.write(b);
                this.socket.uncork();
            }
        }
        if (total > 0) {
            this.bytesOut += total;
            this.lastSendTime = Date.now();
        }
        if (this.endAfterFlush && this.deferred === null)
            this.socket.end();
    }
    /** Half-closes TCP once everything queued (including our close frame) is written. */
    endSoon() {
        this.endAfterFlush = true;
        if (!this.flushQueued && this.deferred === null)
            this.flush();
    }
    armCloseTimer() {
        if (this.closeTimer)
            return;
        this.closeTimer = setTimeout(() => {
            this.log.debug({ fd: this.fd }, 'close timeout: destroying socket');
            this.socket.destroy();
        }, this.config.closeTimeoutMs);
    }
    /** @internal the socket drained. */
    onDrain() {
        if (this.full && this.bufferedAmount === 0) {
            this.full = false;
            this.host.bufferEmpty(this);
        }
    }
    // ---- inbound backpressure ---------------------------------------------------
    /** The app started an async callback for this connection. */
    callbackStarted() {
        if (++this.pendingCallbacks > this.config.maxPendingCallbacks && !this.readPaused) {
            this.readPaused = true;
            this.socket.pause();
        }
    }
    callbackSettled() {
        this.pendingCallbacks--;
        if (this.readPaused && this.pendingCallbacks <= this.config.maxPendingCallbacks >> 1) {
            this.readPaused = false;
            this.socket.resume();
        }
    }
    // ---- ParserSink ---------------------------------------------------------------
    onMessage(data, binary) {
        this.messagesIn++;
        // After our close frame, the peer may still send data (§5.5.1); it is not delivered.
        if (this.status !== WebSocketStatus.Active)
            return;
        this.host.deliverMessage(this, data, binary);
    }
    onPing(payload) {
        if (this.config.openWebsocketPingFrame)
            this.host.deliverControl(this, Opcode.Ping, payload);
        else if (this.status === WebSocketStatus.Active)
            this.queueRaw(pongFrame(payload));
    }
    onPong(payload) {
        if (this.pingSentAt !== 0) {
            this.rtt = Date.now() - this.pingSentAt;
            this.pingSentAt = 0;
        }
        if (this.config.openWebsocketPongFrame)
            this.host.deliverControl(this, Opcode.Pong, payload);
    }
    onClose(code, reason) {
        if (this.status === WebSocketStatus.Closing) {
            // The peer answered our close: the handshake is complete, the server closes TCP first (§7.1.1).
            if (this.closeInfo)
                this.closeInfo.wasClean = true;
            this.endSoon();
            return;
        }
        this.status = WebSocketStatus.Closing;
        this.closeInfo = { code, reason, closedBy: 'client', wasClean: true };
        this.armCloseTimer();
        if (this.config.openWebsocketCloseFrame) {
            // The app answers (disconnect/close); the timer ends it if it never does.
            this.status = WebSocketStatus.Active;
            this.closeOnlyReply = true;
            this.host.deliverControl(this, Opcode.Close, Buffer.alloc(0), code, reason);
            return;
        }
        // Echo the status code (§5.5.1); an empty close is answered with an empty one.
        this.queueRaw(code === CloseCode.NoStatus ? closeFrame() : closeFrame(code));
        this.endSoon();
    }
    onError(error) {
        this.log.debug({ fd: this.fd, err: error.code, closeCode: error.closeCode }, 'protocol error');
        this.fail(error.closeCode, error.message);
    }
    /** Fails the connection (§7.1.7): our close frame with the code, no more reading, TCP closed. */
    fail(code, reason) {
        if (this.status === WebSocketStatus.Closed)
            return;
        // Keep reading (into a stopped parser) so the peer's FIN is still seen.
        this.parser.stop();
        this.closeOnlyReply = false;
        if (this.status === WebSocketStatus.Active) {
            this.closeInfo = { code, reason, closedBy: 'server', wasClean: true };
            this.status = WebSocketStatus.Closing;
            this.queueRaw(closeFrame(code, truncateReason(reason)));
        }
        this.armCloseTimer();
        this.endSoon();
    }
    // ---- socket events ------------------------------------------------------------
    /** @internal the peer sent FIN. */
    onEnd() {
        // The peer half-closed: nothing more will arrive, finish our side.
        this.closeInfo ??= { code: CloseCode.Abnormal, reason: '', closedBy: 'client', wasClean: false };
        this.status = WebSocketStatus.Closing;
        // Nothing left to send: close at once (our FIN goes with it), no half-close to wait on.
        if (this.outBytes === 0 && this.deferred === null && this.socket.writableLength === 0) {
            this.socket.destroy();
            return;
        }
        this.endSoon();
        this.armCloseTimer();
    }
    /** @internal */
    onSocketError(err) {
        this.log.debug({ fd: this.fd, err: err.code ?? err.message }, 'socket error');
        this.closeInfo ??= { code: CloseCode.Abnormal, reason: '', closedBy: 'client', wasClean: false };
    }
    /** @internal */
    onSocketClose() {
        if (this.status === WebSocketStatus.Closed)
            return;
        this.status = WebSocketStatus.Closed;
        if (this.closeTimer)
            clearTimeout(this.closeTimer);
        this.closeTimer = null;
        this.parser.stop();
        this.deferred = null;
        this.deferredBytes = 0;
        this.out = [];
        this.outBytes = 0;
        this.deflate?.dispose();
        this.host.connectionClosed(this, this.closeInfo ?? { code: CloseCode.Abnormal, reason: '', closedBy: 'client', wasClean: false });
    }
    /** disconnect() after a close frame was delivered to the app (openWebsocketCloseFrame). */
    replyToClose(code, reason) {
        this.closeOnlyReply = false;
        this.status = WebSocketStatus.Closing;
        this.queueRaw(closeFrame(code, reason));
        this.endSoon();
        return true;
    }
}
/** A frame as queued: small ones in one buffer with their header, large payloads by reference. */
export function encodeForQueue(opcode, payload, rsv1 = false) {
    if (payload.length <= INLINE_PAYLOAD)
        return [encodeSmallFrame(opcode, payload, rsv1)];
    return [frameHeader(opcode, payload.length, true, rsv1), payload];
}
/** Close reasons are at most 123 bytes (§5.5: 125 minus the code); cut on a code point boundary. */
export function truncateReason(reason) {
    if (Buffer.byteLength(reason) <= 123)
        return reason;
    let out = '';
    let bytes = 0;
    for (const ch of reason) {
        const n = Buffer.byteLength(ch);
        if (bytes + n > 123)
            break;
        out += ch;
        bytes += n;
    }
    return out;
}
//# sourceMappingURL=connection.js.map