import type { ProtocolError } from '../errors.ts';
import type { ParserSnapshot } from './frame-parser.ts';
import type { DeflateAgreement } from './permessage-deflate.ts';
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
/** What the core did with a send: `written` means accepted (the shell tells written from queued). */
export type SendOutcome = 'written' | 'dropped' | 'closed';
export interface CloseInfo {
    /** The close code of the closing handshake: the peer's if it closed first, ours otherwise; 1006 if TCP just dropped. */
    code: number;
    reason: string;
    closedBy: 'client' | 'server';
    /** True when close frames were exchanged (or a protocol failure was announced with one). */
    wasClean: boolean;
}
/** The settings the core reads (a structural subset of Config: the server passes its Config). */
export interface CoreSettings {
    /** A reassembled (and inflated) message over this fails with 1009. */
    readonly packageMaxLength: number;
    /** The parser's budget per loop turn (the shell calls newTurn()). */
    readonly readBudgetFrames: number;
    readonly readBudgetBytes: number;
    /** How long after our close frame (or the peer's FIN) TCP is dropped if it is still open. */
    readonly closeTimeoutMs: number;
    /** Hand pings, pongs and the peer's close to the app instead of answering them ourselves. */
    readonly openWebsocketPingFrame: boolean;
    readonly openWebsocketPongFrame: boolean;
    readonly openWebsocketCloseFrame: boolean;
    /** Data messages at least this long are compressed when permessage-deflate was negotiated. */
    readonly compressionThreshold: number;
    /** Output a connection may hold; past it a send is dropped or the peer closed (policy). */
    readonly bufferOutputSize: number;
    readonly bufferFullPolicy: 'drop' | 'close';
}
/**
 * The shell around a ConnectionCore: what the core reports (events) and asks for (bytes to
 * write, TCP to end or drop, a deadline). The core calls these synchronously; it holds no
 * socket and no timer. Implemented by the worker's Connection itself (no object per call).
 */
export interface ConnectionIo {
    /** A complete data message (text already UTF-8-checked), while the connection is open. */
    deliverMessage(data: Buffer, binary: boolean): void;
    /** A control frame the app asked for (openWebsocket*Frame); a close carries its code and reason. */
    deliverControl(opcode: number, payload: Buffer, code?: number, reason?: string): void;
    /** Any pong arrived (the shell measures round trips). */
    pongArrived(): void;
    /** The peer broke the protocol: logged by the shell; the core then fails the connection. */
    protocolFailed(error: ProtocolError): void;
    /** A compression job failed (our side): logged by the shell; the core then fails with 1011. */
    compressionFailed(err: Error | null): void;
    /** Bytes the shell holds and has not handed to the kernel (its queue plus the socket's buffer). */
    heldBytes(): number;
    /** A send was refused for bufferOutputSize; `closing` when the policy closes the peer (already done). */
    outputOverCap(queued: number, closing: boolean): void;
    /** Bytes of a frame, in order after everything before them. */
    write(bytes: Buffer): void;
    /** A frame encoded once for many connections (a broadcast): the same bytes, never modified. */
    writeShared(frame: readonly Buffer[]): void;
    /** Half-close TCP once everything written so far has gone out (RFC 6455 §7.1.1: the server closes first). */
    endAfterFlush(): void;
    /** Drop TCP now; what is still queued is lost. */
    abort(): void;
    /** Call the core's closeTimeout() after `ms` unless TCP closed first (asked at most once). */
    armCloseTimer(ms: number): void;
    /** The parser stopped for good: its reasons not to read (backlog, budget) are gone; read on to see the FIN. */
    parserStopped(): void;
    /** The parser went on by itself (an inflate finished) and stopped again: `backlog` and `yielded` may have changed. */
    parserSettled(): void;
}
/**
 * A connection's protocol state as plain data (JSON-safe), taken at a message boundary with
 * nothing in flight (ConnectionCore.snapshot()). What the shell holds (socket, timers,
 * counters of bytes) is not in it.
 */
export interface CoreSnapshot {
    v: 1;
    status: number;
    closeInfo: CloseInfo | null;
    closeOnlyReply: boolean;
    closeTimerArmed: boolean;
    endRequested: boolean;
    messagesIn: number;
    messagesOut: number;
    parser: ParserSnapshot;
    /**
     * permessage-deflate (absent: none): the agreement and the inflater's window, base64 (see
     * CodecMoveState), and the sends that waited for a compression (payload base64; opcode -1: an
     * encoded control frame), compressed by the next owner.
     */
    deflate?: {
        agreement: DeflateAgreement;
        window: string | null;
        waiting?: Array<{
            opcode: number;
            payload: string;
            compress: boolean;
        }>;
    };
}
//# sourceMappingURL=connection-io.d.ts.map