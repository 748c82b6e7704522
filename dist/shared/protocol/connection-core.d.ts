import { type ProtocolError } from '../errors.ts';
import { type CloseInfo, type ConnectionIo, type CoreSettings, type CoreSnapshot, type SendOutcome } from './connection-io.ts';
import type { MessageCodec } from './extension.ts';
import { type CompressionQueueOwner } from './compression-queue.ts';
import { type ParserSink } from './frame-parser.ts';
export { WebSocketStatus, type CloseInfo, type ConnectionIo, type CoreSettings, type CoreSnapshot, type PushStatus, type SendOutcome } from './connection-io.ts';
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
export declare class ConnectionCore implements ParserSink, CompressionQueueOwner {
    status: number;
    messagesIn: number;
    messagesOut: number;
    private closeInfo;
    /** With openWebsocketCloseFrame the app's disconnect() is the reply to a close already received. */
    private closeOnlyReply;
    private closeTimerArmed;
    /** TCP is to be half-closed once the output (sends waiting for a compression included) is out. */
    private endRequested;
    private readonly io;
    private readonly settings;
    private readonly codec;
    private readonly parser;
    /** Only with permessage-deflate: sends waiting behind a compression. */
    private readonly waiting;
    constructor(io: ConnectionIo, settings: CoreSettings, codec?: MessageCodec | null);
    /** Bytes read from TCP. Takes ownership of `chunk` (payloads are unmasked in place). */
    receiveData(chunk: Buffer): void;
    /** A new loop turn: a fresh read budget; a parser that had yielded goes on now. */
    newTurn(): void;
    /** The budget is spent with bytes waiting: the shell stops reading and calls newTurn() next turn. */
    get yielded(): boolean;
    /** Raw bytes held for the peer (flow-control.ts inboundBacklogLimit bounds it). */
    get backlog(): number;
    /** Messages waiting for a compression, counted against the output cap. */
    get deferredBytes(): number;
    /** Whether TCP is expected to close soon (python-websockets' close_expected): a close is under way. */
    get closeExpected(): boolean;
    /** The peer sent FIN: nothing more will arrive; finish our side. */
    receiveEof(): void;
    /** TCP reported an error; the close that follows is abnormal unless a close was already under way. */
    transportError(): void;
    /** TCP is gone: the connection is Closed. Returns how it closed, or null if it already had. */
    connectionLost(): CloseInfo | null;
    /** The close deadline passed (armed through ConnectionIo.armCloseTimer): drop TCP. */
    closeTimeout(): void;
    /**
     * A data message (or, with `frame`, the same message already encoded by a broadcast: a
     * compressing connection still deflates `payload` itself, its context differs).
     */
    send(payload: Buffer, opcode: number, frame: readonly Buffer[] | null): SendOutcome;
    /** A ping; it counts against bufferOutputSize like a message (over it: `dropped`, the policy applies). */
    ping(payload?: Buffer): SendOutcome;
    /**
     * A pong: the app's answer (openWebsocketPingFrame), an unsolicited one, or our automatic
     * answer. Over bufferOutputSize it is not sent: RFC 6455 §5.5.3 lets a pong answer only the
     * latest of several pings, and a peer that does not read is not read either.
     */
    pong(payload?: Buffer): SendOutcome;
    /**
     * Starts the closing handshake (RFC 6455 §7.1.2): our close frame goes out after what is
     * already queued, then the peer has closeTimeoutMs to answer. A close frame is never refused
     * for the output cap (it is the way out). A code that may not be sent or a reason over 123
     * bytes throws RangeError before anything changes. With openWebsocketCloseFrame, after the
     * peer's close, this is the reply to it and TCP ends behind it.
     */
    disconnect(code: number, reason: string): boolean;
    /** Drops TCP without a close frame (Swoole's close()). */
    close(): void;
    /** Fails the connection (§7.1.7): our close frame with the code, no more reading, TCP ended. */
    fail(code: number, reason: string): void;
    /**
     * Whether `bytes` more would pass bufferOutputSize (data and control frames alike). Policy
     * `close` fails the slow consumer with 1008; either way the shell stops reading it while
     * its output is backed up (outputOverCap).
     */
    private overCap;
    private sendControl;
    /** @internal a data frame, in order (CompressionQueueOwner). */
    writeDataFrame(opcode: number, payload: Buffer, rsv1: boolean): void;
    /** @internal (CompressionQueueOwner) */
    compressionFailed(err: Error | null): void;
    /** @internal (CompressionQueueOwner) */
    queueDrained(): void;
    /** An encoded control frame, kept in order behind sends waiting for a compression. */
    private queueRaw;
    /** Half-closes TCP once everything queued (our close frame included) is written. */
    private endSoon;
    private armCloseTimer;
    onMessage(data: Buffer, binary: boolean): void;
    onPing(payload: Buffer): void;
    onPong(payload: Buffer): void;
    onClose(code: number, reason: string): void;
    onSettled(): void;
    onError(error: ProtocolError): void;
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
    snapshotRefusal(): string | null;
    /**
     * A move is coming: parse no further than the end of the message under way and start no
     * further compression (what waits is carried). From then on snapshotRefusal() turns null as
     * soon as the inflate and the compression in flight are done — bounded, however busy the
     * peer or the app are. The connection then moves, or abandonMove() lets it go on here.
     */
    prepareMove(): void;
    /** The move is off (the connection stays, or closes here): parse and compress on. */
    abandonMove(): void;
    /**
     * The protocol state as plain data (a data message half received included). The shell
     * carries its output itself (bytes it still holds are not in the snapshot). Throws
     * SnapshotRefusedError (see snapshotRefusal) or once closed.
     */
    snapshot(): CoreSnapshot;
    private deflateSnapshot;
    /**
     * A core that carries on from `snap` with a new shell. What the snapshot had asked of its
     * shell is asked again: the close deadline (it restarts now) and the end of TCP. Bytes that
     * were not parsed yet are parsed at the shell's next newTurn() (`yielded` says so).
     */
    static restore(snap: CoreSnapshot, io: ConnectionIo, settings: CoreSettings, codec?: MessageCodec | null): ConnectionCore;
}
//# sourceMappingURL=connection-core.d.ts.map