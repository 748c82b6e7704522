import type { Socket } from 'node:net';
import type { Config } from '../shared/config.ts';
import type { ProtocolError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { type ParserSink } from '../shared/protocol/frame-parser.ts';
import type { PerMessageDeflate } from '../shared/protocol/permessage-deflate.ts';
import { type Flushable } from './write-batcher.ts';
/** Swoole's WEBSOCKET_STATUS_* numbers, as getClientInfo reports them. */
export declare const WebSocketStatus: {
    readonly Connection: 1;
    readonly Handshake: 2;
    readonly Active: 3;
    readonly Closing: 4;
    readonly Closed: 5;
};
/**
 * What a push did, as uWebSockets' SendStatus: `written` (accepted, connection not backed up),
 * `queued` (accepted behind backpressure: above bufferHighWatermark), `dropped` (over
 * bufferOutputSize, not sent), `closed` (the connection is closing), `unknown` (no such fd).
 */
export type PushStatus = 'written' | 'queued' | 'dropped' | 'closed' | 'unknown';
export interface CloseInfo {
    /** The close code of the closing handshake: the peer's if it closed first, ours otherwise; 1006 if TCP just dropped. */
    code: number;
    reason: string;
    closedBy: 'client' | 'server';
    /** True when close frames were exchanged (or a protocol failure was announced with one). */
    wasClean: boolean;
}
/** What a connection needs from the server that owns it. */
export interface ConnectionHost {
    readonly config: Config;
    deliverMessage(conn: Connection, data: Buffer, binary: boolean): void;
    /** Control frames, when the app asked for them (openWebsocket*Frame). */
    deliverControl(conn: Connection, opcode: number, payload: Buffer, code?: number, reason?: string): void;
    connectionClosed(conn: Connection, info: CloseInfo): void;
    bufferFull(conn: Connection): void;
    bufferEmpty(conn: Connection): void;
}
export interface ConnectionInit {
    fd: number;
    socket: Socket;
    host: ConnectionHost;
    log: Logger;
    deflate: PerMessageDeflate | null;
    path: string;
    protocol: string;
    extensions: string;
}
/**
 * One established WebSocket connection: the thin I/O shell around the pure FrameParser.
 * All protocol state lives in plain fields so it can be captured at a message boundary.
 */
export declare class Connection implements ParserSink, Flushable {
    readonly fd: number;
    readonly socket: Socket;
    readonly remoteAddress: string;
    readonly remotePort: number;
    readonly path: string;
    readonly protocol: string;
    readonly extensions: string;
    readonly connectTime: number;
    lastRecvTime: number;
    lastSendTime: number;
    bytesIn: number;
    bytesOut: number;
    messagesIn: number;
    messagesOut: number;
    status: number;
    /** Exempt from the heartbeat (Swoole's protect()). */
    protected: boolean;
    /** Last ping round trip in ms; -1 until a pong answers one of our pings. */
    rtt: number;
    pingSentAt: number;
    private readonly host;
    private readonly config;
    private readonly log;
    private readonly parser;
    private readonly deflate;
    private out;
    private outBytes;
    private flushQueued;
    /** The write-batcher turn of this connection's last direct (broadcast) write. */
    private directTurn;
    private endAfterFlush;
    private deferred;
    private deferredBytes;
    private full;
    private closeInfo;
    private closeTimer;
    private pendingCallbacks;
    /** Why the socket is not read (ReadPause bits); 0: reading. */
    private paused;
    /** The loop turn whose read budget the parser is spending. */
    private budgetTurn;
    /** Made once the connection first gets full: writes then report when they are done. */
    private onWritten;
    /** With openWebsocketCloseFrame the app's disconnect() is the reply to a close already received. */
    private closeOnlyReply;
    constructor(init: ConnectionInit);
    /** Bytes read from the socket. */
    onData(chunk: Buffer): void;
    /** Bytes accepted for this connection and not yet handed to the kernel. */
    get bufferedAmount(): number;
    /** Feeds bytes that arrived with the upgrade request, before any 'data' event. */
    receive(head: Buffer): void;
    send(payload: Buffer, opcode: number): PushStatus;
    /**
     * send() with the frame already encoded by the caller (a broadcast encodes once per worker
     * and queues the same bytes on every connection). Compressing connections still deflate
     * `payload` themselves: their contexts differ.
     */
    sendShared(payload: Buffer, opcode: number, frame: readonly Buffer[] | null): PushStatus;
    /** A ping; it counts against bufferOutputSize like a message (over it: `dropped`, the policy applies). */
    ping(payload?: Buffer): PushStatus;
    /**
     * Answers a ping by hand (openWebsocketPingFrame) or sends an unsolicited pong; also our
     * automatic answer. Over bufferOutputSize it is not sent: RFC 6455 §5.5.3 lets a pong answer
     * only the latest of several pings, and a peer that does not read is not read either.
     */
    pong(payload?: Buffer): PushStatus;
    /**
     * Starts the closing handshake (RFC 6455 §7.1.2): our close frame goes out after what is
     * already queued, then we wait up to closeTimeoutMs for the peer's close before destroying.
     * A close frame is never refused for the output cap (it is the way out). A code that may not
     * be sent or a reason over 123 bytes throws RangeError before anything changes.
     */
    disconnect(code: number, reason: string): boolean;
    /** Closes TCP without a close frame (Swoole's close()). */
    close(): void;
    /**
     * Whether `bytes` more would pass bufferOutputSize (data and control frames alike). Then the
     * policy applies: `close` fails the slow consumer with 1008, `drop` drops what would pass;
     * either way it is not read while its output is backed up (until it is back at
     * bufferHighWatermark): a client that does not read does not get to make us write, be it
     * echoes or pongs, nor read.
     */
    private overCap;
    /** After queueing: above bufferHighWatermark the connection is full (bufferFull, once) and the send `queued`. */
    private noteQueued;
    private markFull;
    private writtenCallback;
    /**
     * A write completed or the socket drained (only watched while full): reading resumes at
     * bufferHighWatermark, and bufferEmpty pairs the bufferFull once nothing is left anywhere —
     * queued frames, messages waiting for compression, the socket's buffer.
     */
    private outputProgress;
    private defer;
    /** Works through deferred messages in order; suspends while a compression is in flight. */
    private drainDeferred;
    /** A pre-encoded control frame, kept in order behind deferred (compressing) messages. */
    private queueRaw;
    private queueFrame;
    /**
     * A broadcast's frame to a connection with nothing queued goes to the socket at once: the
     * fan-out is one loop of writes, the first recipients served while the rest are written.
     * Once per turn: later frames of the same turn queue and leave together (write-batcher.ts).
     */
    private writeShared;
    private queueBytes;
    /** Called once per event-loop turn by the write batcher: one write for everything queued. */
    flush(): void;
    /** Half-closes TCP once everything queued (including our close frame) is written. */
    private endSoon;
    private armCloseTimer;
    /** @internal the socket drained. */
    onDrain(): void;
    /** The app started an async callback for this connection. */
    callbackStarted(): void;
    callbackSettled(): void;
    /**
     * After the parser ran: a spent budget yields the turn (no reading, the rest parsed in the
     * next one); a backlog over inboundBacklogLimit (raw bytes piling up behind an inflate)
     * stops reading until the parser has worked it off.
     */
    private afterParse;
    /** @internal the turn after the parser yielded: a fresh budget; reading resumes once it has caught up. */
    continueParsing(): void;
    /** @internal see receive(). */
    repause(): void;
    private pauseReading;
    private resumeReading;
    onMessage(data: Buffer, binary: boolean): void;
    onPing(payload: Buffer): void;
    onPong(payload: Buffer): void;
    onClose(code: number, reason: string): void;
    onSettled(): void;
    onError(error: ProtocolError): void;
    /** Fails the connection (§7.1.7): our close frame with the code, no more reading, TCP closed. */
    fail(code: number, reason: string): void;
    /** @internal the peer sent FIN. */
    onEnd(): void;
    /** @internal */
    onSocketError(err: Error): void;
    /** @internal */
    onSocketClose(): void;
    /** disconnect() after a close frame was delivered to the app (openWebsocketCloseFrame). */
    private replyToClose;
}
/** A frame as queued: small ones in one buffer with their header, large payloads by reference. */
export declare function encodeForQueue(opcode: number, payload: Buffer, rsv1?: boolean): Buffer[];
/** Close reasons are at most 123 bytes (§5.5: 125 minus the code); cut on a code point boundary. */
export declare function truncateReason(reason: string): string;
//# sourceMappingURL=connection.d.ts.map