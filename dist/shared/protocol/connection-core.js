import { SnapshotRefusedError } from '../errors.js';
import { CloseCode, Opcode } from './constants.js';
import { WebSocketStatus } from './connection-io.js';
import { overOutputCap } from './flow-control.js';
import { CompressionQueue } from './compression-queue.js';
import { closeFrame, encodeSmallFrame, frameHeader, INLINE_PAYLOAD, pingFrame, pongFrame, truncateReason } from './frame-encoder.js';
import { FrameParser } from './frame-parser.js';
export { WebSocketStatus } from './connection-io.js';
const EMPTY = Buffer.alloc(0);
/**
 * One WebSocket connection's protocol, sans I/O (after python-websockets' `protocol.py`):
 * bytes in (receiveData), events and bytes out (through ConnectionIo), and every decision of
 * the closing handshake — which close code, when to stop reading, when TCP may end
 * (closeExpected), the reply to the peer's close, fail(), auto-pong, the output cap. It holds
 * no socket and no timer: it asks the shell to arm the close deadline and is called back
 * (closeTimeout()). Its state is plain fields; snapshot()/restore() carry it as data.
 *
 * Statuses (Swoole's numbers): Active -> Closing (a close frame sent or received, a FIN, a
 * failure) -> Closed (TCP gone). With openWebsocketCloseFrame a peer's close leaves the
 * connection Active until the app answers (closeOnlyReply).
 */
export class ConnectionCore {
    status = WebSocketStatus.Active;
    messagesIn = 0;
    messagesOut = 0;
    closeInfo = null;
    /** With openWebsocketCloseFrame the app's disconnect() is the reply to a close already received. */
    closeOnlyReply = false;
    closeTimerArmed = false;
    /** TCP is to be half-closed once the output (sends waiting for a compression included) is out. */
    endRequested = false;
    io;
    settings;
    codec;
    parser;
    /** Only with permessage-deflate: sends waiting behind a compression. */
    waiting;
    constructor(io, settings, codec = null) {
        this.io = io;
        this.settings = settings;
        this.codec = codec;
        this.waiting = codec === null ? null : new CompressionQueue(this, io, codec);
        this.parser = new FrameParser(this, {
            maxMessageSize: settings.packageMaxLength,
            inflater: codec,
            budgetFrames: settings.readBudgetFrames,
            budgetBytes: settings.readBudgetBytes,
        });
    }
    // ---- input ----------------------------------------------------------------------
    /** Bytes read from TCP. Takes ownership of `chunk` (payloads are unmasked in place). */
    receiveData(chunk) {
        this.parser.push(chunk);
    }
    /** A new loop turn: a fresh read budget; a parser that had yielded goes on now. */
    newTurn() {
        this.parser.refill(this.settings.readBudgetFrames, this.settings.readBudgetBytes);
    }
    /** The budget is spent with bytes waiting: the shell stops reading and calls newTurn() next turn. */
    get yielded() {
        return this.parser.yielded;
    }
    /** Raw bytes held for the peer (flow-control.ts inboundBacklogLimit bounds it). */
    get backlog() {
        return this.parser.backlog;
    }
    /** Messages waiting for a compression, counted against the output cap. */
    get deferredBytes() {
        return this.waiting === null ? 0 : this.waiting.bytes;
    }
    /** Whether TCP is expected to close soon (python-websockets' close_expected): a close is under way. */
    get closeExpected() {
        return this.status >= WebSocketStatus.Closing;
    }
    /** The peer sent FIN: nothing more will arrive; finish our side. */
    receiveEof() {
        this.closeInfo ??= { code: CloseCode.Abnormal, reason: '', closedBy: 'client', wasClean: false };
        this.status = WebSocketStatus.Closing;
        // Nothing left to send: drop TCP at once (our FIN goes with it), no half-close to wait on.
        if ((this.waiting === null || this.waiting.idle) && this.io.heldBytes() === 0) {
            this.io.abort();
            return;
        }
        this.endSoon();
        this.armCloseTimer();
    }
    /** TCP reported an error; the close that follows is abnormal unless a close was already under way. */
    transportError() {
        this.closeInfo ??= { code: CloseCode.Abnormal, reason: '', closedBy: 'client', wasClean: false };
    }
    /** TCP is gone: the connection is Closed. Returns how it closed, or null if it already had. */
    connectionLost() {
        if (this.status === WebSocketStatus.Closed)
            return null;
        this.status = WebSocketStatus.Closed;
        this.parser.stop();
        this.waiting?.drop();
        this.codec?.dispose();
        return this.closeInfo ?? { code: CloseCode.Abnormal, reason: '', closedBy: 'client', wasClean: false };
    }
    /** The close deadline passed (armed through ConnectionIo.armCloseTimer): drop TCP. */
    closeTimeout() {
        if (this.status !== WebSocketStatus.Closed)
            this.io.abort();
    }
    // ---- output -----------------------------------------------------------------------
    /**
     * A data message (or, with `frame`, the same message already encoded by a broadcast: a
     * compressing connection still deflates `payload` itself, its context differs).
     */
    send(payload, opcode, frame) {
        if (this.status !== WebSocketStatus.Active)
            return 'closed';
        if (this.overCap(payload.length))
            return 'dropped';
        this.messagesOut++;
        const waiting = this.waiting;
        if (waiting !== null) {
            const compress = payload.length >= this.settings.compressionThreshold && opcode <= Opcode.Binary;
            if (compress || !waiting.idle) {
                waiting.push(opcode, payload, compress);
                return 'written';
            }
        }
        if (frame !== null)
            this.io.writeShared(frame);
        else
            this.writeDataFrame(opcode, payload, false);
        return 'written';
    }
    /** A ping; it counts against bufferOutputSize like a message (over it: `dropped`, the policy applies). */
    ping(payload) {
        if (this.status !== WebSocketStatus.Active)
            return 'closed';
        return this.sendControl(pingFrame(payload));
    }
    /**
     * A pong: the app's answer (openWebsocketPingFrame), an unsolicited one, or our automatic
     * answer. Over bufferOutputSize it is not sent: RFC 6455 §5.5.3 lets a pong answer only the
     * latest of several pings, and a peer that does not read is not read either.
     */
    pong(payload) {
        if (this.status !== WebSocketStatus.Active)
            return 'closed';
        return this.sendControl(pongFrame(payload));
    }
    /**
     * Starts the closing handshake (RFC 6455 §7.1.2): our close frame goes out after what is
     * already queued, then the peer has closeTimeoutMs to answer. A close frame is never refused
     * for the output cap (it is the way out). A code that may not be sent or a reason over 123
     * bytes throws RangeError before anything changes. With openWebsocketCloseFrame, after the
     * peer's close, this is the reply to it and TCP ends behind it.
     */
    disconnect(code, reason) {
        const frame = closeFrame(code, reason);
        if (this.closeOnlyReply) {
            this.closeOnlyReply = false;
            this.status = WebSocketStatus.Closing;
            this.queueRaw(frame);
            this.endSoon();
            return true;
        }
        if (this.status !== WebSocketStatus.Active)
            return false;
        this.status = WebSocketStatus.Closing;
        this.closeInfo = { code, reason, closedBy: 'server', wasClean: false };
        this.queueRaw(frame);
        this.armCloseTimer();
        return true;
    }
    /** Drops TCP without a close frame (Swoole's close()). */
    close() {
        this.closeInfo ??= { code: CloseCode.Abnormal, reason: '', closedBy: 'server', wasClean: false };
        this.status = WebSocketStatus.Closing;
        this.parser.stop();
        this.io.abort();
    }
    /** Fails the connection (§7.1.7): our close frame with the code, no more reading, TCP ended. */
    fail(code, reason) {
        if (this.status === WebSocketStatus.Closed)
            return;
        this.parser.stop();
        // Keep reading (into a stopped parser) so the peer's FIN is still seen.
        this.io.parserStopped();
        this.closeOnlyReply = false;
        if (this.status === WebSocketStatus.Active) {
            this.closeInfo = { code, reason, closedBy: 'server', wasClean: true };
            this.status = WebSocketStatus.Closing;
            this.queueRaw(closeFrame(code, truncateReason(reason)));
        }
        this.armCloseTimer();
        this.endSoon();
    }
    /**
     * Whether `bytes` more would pass bufferOutputSize (data and control frames alike). Policy
     * `close` fails the slow consumer with 1008; either way the shell stops reading it while
     * its output is backed up (outputOverCap).
     */
    overCap(bytes) {
        const queued = this.io.heldBytes() + this.deferredBytes;
        if (!overOutputCap(queued, bytes, this.settings.bufferOutputSize))
            return false;
        const closing = this.settings.bufferFullPolicy === 'close';
        if (closing)
            this.disconnect(CloseCode.PolicyViolation, 'slow consumer');
        this.io.outputOverCap(queued, closing);
        return true;
    }
    sendControl(frame) {
        if (this.overCap(frame.length))
            return 'dropped';
        this.queueRaw(frame);
        return 'written';
    }
    /** @internal a data frame, in order (CompressionQueueOwner). */
    writeDataFrame(opcode, payload, rsv1) {
        if (payload.length <= INLINE_PAYLOAD)
            this.io.write(encodeSmallFrame(opcode, payload, rsv1));
        else {
            this.io.write(frameHeader(opcode, payload.length, true, rsv1));
            this.io.write(payload);
        }
    }
    /** @internal (CompressionQueueOwner) */
    compressionFailed(err) {
        this.io.compressionFailed(err);
        this.fail(CloseCode.InternalError, 'compression failed');
    }
    /** @internal (CompressionQueueOwner) */
    queueDrained() {
        if (this.endRequested)
            this.io.endAfterFlush();
    }
    /** An encoded control frame, kept in order behind sends waiting for a compression. */
    queueRaw(frame) {
        if (this.waiting !== null && !this.waiting.idle)
            this.waiting.push(-1, frame, false);
        else
            this.io.write(frame);
    }
    /** Half-closes TCP once everything queued (our close frame included) is written. */
    endSoon() {
        this.endRequested = true;
        if (this.waiting === null || this.waiting.idle)
            this.io.endAfterFlush();
    }
    armCloseTimer() {
        if (this.closeTimerArmed)
            return;
        this.closeTimerArmed = true;
        this.io.armCloseTimer(this.settings.closeTimeoutMs);
    }
    // ---- ParserSink: what the peer sent ------------------------------------------------
    onMessage(data, binary) {
        this.messagesIn++;
        // After our close frame the peer may still send data (§5.5.1); it is not delivered.
        if (this.status === WebSocketStatus.Active)
            this.io.deliverMessage(data, binary);
    }
    onPing(payload) {
        if (this.settings.openWebsocketPingFrame)
            this.io.deliverControl(Opcode.Ping, payload);
        else
            this.pong(payload);
    }
    onPong(payload) {
        this.io.pongArrived();
        if (this.settings.openWebsocketPongFrame)
            this.io.deliverControl(Opcode.Pong, payload);
    }
    onClose(code, reason) {
        if (this.status === WebSocketStatus.Closing) {
            // The peer answered our close: the handshake is complete, the server ends TCP first (§7.1.1).
            if (this.closeInfo)
                this.closeInfo.wasClean = true;
            this.endSoon();
            return;
        }
        this.status = WebSocketStatus.Closing;
        this.closeInfo = { code, reason, closedBy: 'client', wasClean: true };
        this.armCloseTimer();
        if (this.settings.openWebsocketCloseFrame) {
            // The app answers (disconnect/close); the close timer ends it if it never does.
            this.status = WebSocketStatus.Active;
            this.closeOnlyReply = true;
            this.io.deliverControl(Opcode.Close, EMPTY, code, reason);
            return;
        }
        // Echo the status code (§5.5.1); an empty close is answered with an empty one.
        this.queueRaw(code === CloseCode.NoStatus ? closeFrame() : closeFrame(code));
        this.endSoon();
    }
    onSettled() {
        this.io.parserSettled();
    }
    onError(error) {
        this.io.protocolFailed(error);
        this.fail(error.closeCode, error.message);
    }
    // ---- state as data ------------------------------------------------------------------
    /**
     * Why snapshot() would refuse now, or null. Refused:
     * - once closed: there is nothing to carry on;
     * - with permessage-deflate, while a compression or an inflate is in flight (it is taken
     *   once they are done: the codec's moveState() carries the agreement and the inflater's
     *   window, sends waiting behind it go as data; a codec without moveState() cannot move);
     * - inside a compressed message: the inflater is mid-stream there, its state is zlib's.
     * Anywhere else — between messages, inside a fragmented text or binary message, mid-way
     * through a frame's header or payload — the state is numbers and bytes (ParserSnapshot).
     */
    snapshotRefusal() {
        if (this.status === WebSocketStatus.Closed)
            return 'the connection is closed';
        if (this.codec === null)
            return this.parser.snapshotRefusal();
        if (this.codec.moveState === undefined)
            return 'permessage-deflate contexts are not plain data';
        return this.parser.snapshotRefusal() ?? (this.waiting.busy || this.codec.moveState() === null ? 'a compression is in flight' : null);
    }
    /**
     * A move is coming: parse no further than the end of the message under way and start no
     * further compression (what waits is carried). From then on snapshotRefusal() turns null as
     * soon as the inflate and the compression in flight are done — bounded, however busy the
     * peer or the app are. The connection then moves, or abandonMove() lets it go on here.
     */
    prepareMove() {
        this.parser.holdAtBoundary();
        this.waiting?.hold();
    }
    /** The move is off (the connection stays, or closes here): parse and compress on. */
    abandonMove() {
        this.waiting?.release();
        this.parser.releaseHold();
        this.io.parserSettled();
    }
    /**
     * The protocol state as plain data (a data message half received included). The shell
     * carries its output itself (bytes it still holds are not in the snapshot). Throws
     * SnapshotRefusedError (see snapshotRefusal) or once closed.
     */
    snapshot() {
        const refusal = this.snapshotRefusal();
        if (refusal !== null)
            throw new SnapshotRefusedError(refusal);
        const info = this.closeInfo;
        return {
            v: 1,
            status: this.status,
            closeInfo: info === null ? null : { code: info.code, reason: info.reason, closedBy: info.closedBy, wasClean: info.wasClean },
            closeOnlyReply: this.closeOnlyReply,
            closeTimerArmed: this.closeTimerArmed,
            endRequested: this.endRequested,
            messagesIn: this.messagesIn,
            messagesOut: this.messagesOut,
            parser: this.parser.snapshot(),
            ...(this.codec === null ? {} : { deflate: this.deflateSnapshot() }),
        };
    }
    deflateSnapshot() {
        const state = this.codec.moveState();
        const waiting = this.waiting.waitingItems().map((w) => ({ opcode: w.opcode, payload: w.payload.toString('base64'), compress: w.compress }));
        return { agreement: { ...state.agreement }, window: state.window === null ? null : state.window.toString('base64'), ...(waiting.length > 0 ? { waiting } : {}) };
    }
    /**
     * A core that carries on from `snap` with a new shell. What the snapshot had asked of its
     * shell is asked again: the close deadline (it restarts now) and the end of TCP. Bytes that
     * were not parsed yet are parsed at the shell's next newTurn() (`yielded` says so).
     */
    static restore(snap, io, settings, codec = null) {
        if (snap.v !== 1)
            throw new RangeError(`unknown connection snapshot version ${String(snap.v)}`);
        if ((snap.deflate !== undefined) !== (codec !== null))
            throw new RangeError('a snapshot with permessage-deflate needs a codec made from its agreement and window (and only then)');
        const core = new ConnectionCore(io, settings, codec);
        core.status = snap.status;
        core.closeInfo = snap.closeInfo === null ? null : { ...snap.closeInfo };
        core.closeOnlyReply = snap.closeOnlyReply;
        core.messagesIn = snap.messagesIn;
        core.messagesOut = snap.messagesOut;
        core.parser.restore(snap.parser);
        // Sends that were waiting for a compression there, in order, before anything sent here.
        for (const w of snap.deflate?.waiting ?? [])
            core.waiting.push(w.opcode, Buffer.from(w.payload, 'base64'), w.compress);
        if (snap.closeTimerArmed)
            core.armCloseTimer();
        if (snap.endRequested)
            core.endSoon();
        return core;
    }
}
//# sourceMappingURL=connection-core.js.map