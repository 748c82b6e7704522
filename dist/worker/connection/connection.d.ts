import type { Socket } from 'node:net';
import type { Config } from '../../shared/config.ts';
import type { ProtocolError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import { ConnectionCore, type CloseInfo, type ConnectionIo, type CoreSnapshot, type PushStatus } from '../../shared/protocol/connection-core.ts';
import type { MessageCodec } from '../../shared/protocol/extension.ts';
import { ReadFlow } from './read-flow.ts';
import type { ClientAddress } from '../handshake/client-address.ts';
import type { Traffic } from './write-batcher.ts';
export { WebSocketStatus, type CloseInfo, type PushStatus } from '../../shared/protocol/connection-core.ts';
export { encodeForQueue, truncateReason } from '../../shared/protocol/frame-encoder.ts';
/** What a connection needs from the server that owns it. */
export interface ConnectionHost {
    readonly config: Config;
    /** The worker's byte totals, added to as the connection reads and writes. */
    readonly traffic: Traffic;
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
    deflate: MessageCodec | null;
    path: string;
    protocol: string;
    extensions: string;
    /** The client as the handshake resolved it (behind trusted proxies: not the socket's peer). */
    client: ClientAddress;
    /** A connection that moved here from another worker (a reload): its state there. */
    moved?: MovedConnection;
}
/**
 * One connection's state as it moves to another worker process (a reload): the core's
 * snapshot, the shell's figures, the bytes read and not parsed, the output not sent yet.
 * Structured-clone data (Buffers stay Buffers). The descriptor travels beside it.
 */
export interface MovedConnection {
    fd: number;
    remoteAddress: string;
    remotePort: number;
    /** The proxy that spoke for the client (trustProxy), or null. */
    proxyAddress: string | null;
    path: string;
    protocol: string;
    extensions: string;
    connectTime: number;
    lastRecvTime: number;
    lastSendTime: number;
    bytesIn: number;
    bytesOut: number;
    protected: boolean;
    rtt: number;
    pingSentAt: number;
    core: CoreSnapshot;
    /** Bytes queued for the peer and not sent, in order (the old socket's queue, then the shell's). */
    output: Buffer[];
    /** Bytes read from the socket the parser had not been given (a paused socket's buffer). */
    input: Buffer[];
}
/**
 * One established WebSocket connection: the I/O shell around its ConnectionCore, which holds
 * the protocol (closing handshake included). The shell moves bytes between the socket and the
 * core and keeps the close timer; when to read is ReadFlow's (read-flow.ts), how writes are
 * batched BatchedOutput's (write-batcher.ts).
 */
export declare class Connection extends ReadFlow implements ConnectionIo {
    readonly fd: number;
    readonly remoteAddress: string;
    readonly remotePort: number;
    /** The proxy that spoke for the client (PROXY protocol or a believed Forwarded header), or null. */
    readonly proxyAddress: string | null;
    readonly path: string;
    readonly protocol: string;
    readonly extensions: string;
    readonly connectTime: number;
    readonly core: ConnectionCore;
    lastRecvTime: number;
    bytesIn: number;
    /** Exempt from the heartbeat (Swoole's protect()). */
    protected: boolean;
    /** Last ping round trip in ms; -1 until a pong answers one of our pings. */
    rtt: number;
    pingSentAt: number;
    private readonly host;
    private readonly log;
    private closeTimer;
    /** Handed to another worker (a reload): this shell no longer reads, writes or reports. */
    private movedAway;
    /** Frozen for a move: not even the bytes already read are parsed any more (an inflate could start). */
    private frozen;
    constructor(init: ConnectionInit);
    get status(): number;
    get messagesIn(): number;
    get messagesOut(): number;
    /** @internal bytes read from the socket. */
    onData(chunk: Buffer): void;
    /**
     * Why this connection cannot move now, or null. `cannot move: …` never will: TLS (its
     * session keys live inside OpenSSL, not in data we could carry) — the reload closes it 1012.
     */
    moveRefusal(): string | null;
    /** The reload is coming for this connection: see ConnectionCore.prepareMove. */
    prepareMove(): void;
    /** It will not move after all (it closes here): see ConnectionCore.abandonMove. */
    abandonMove(): void;
    /**
     * Stops reading for good here (what the kernel holds is read by the next owner) and stops
     * reporting: the socket's events no longer reach this shell. Sends still queue until capture.
     */
    freeze(): void;
    /**
     * The state to carry (after freeze(), once the descriptor is on its way): null when the
     * output not yet sent cannot be told (see unsentOutput), the connection then stays here.
     * On success this shell is done: its timer cleared, its socket closed without a FIN (the
     * other process holds the descriptor).
     */
    capture(): MovedConnection | null;
    /** The moved connection's first steps here: the bytes it had read, then reading. */
    resumeAfterMove(input: Buffer[]): void;
    /** Feeds bytes that arrived with the upgrade request, before any 'data' event. */
    receive(head: Buffer): void;
    send(payload: Buffer, opcode: number): PushStatus;
    /** send() with the frame already encoded by the caller (a broadcast encodes once per worker). */
    sendShared(payload: Buffer, opcode: number, frame: readonly Buffer[] | null): PushStatus;
    /** A ping; it counts against bufferOutputSize like a message (over it: `dropped`, the policy applies). */
    ping(payload?: Buffer): PushStatus;
    /** Answers a ping by hand (openWebsocketPingFrame) or sends an unsolicited pong. */
    pong(payload?: Buffer): PushStatus;
    /** Starts the closing handshake (ConnectionCore.disconnect); RangeError for a code or reason that may not be sent. */
    disconnect(code: number, reason: string): boolean;
    /** Closes TCP without a close frame (Swoole's close()). */
    close(): void;
    /** Fails the connection (§7.1.7): our close frame with the code, no more reading, TCP ended. */
    fail(code: number, reason: string): void;
    /** @internal */
    deliverMessage(data: Buffer, binary: boolean): void;
    /** @internal */
    deliverControl(opcode: number, payload: Buffer, code?: number, reason?: string): void;
    /** @internal */
    pongArrived(): void;
    /** @internal */
    protocolFailed(error: ProtocolError): void;
    /** @internal */
    compressionFailed(err: Error | null): void;
    /**
     * @internal a send passed bufferOutputSize. Under either policy the peer is not read while
     * backed up: closing, its close frame waits behind output it does not read, and reading on
     * until closeTimeoutMs would only let it make us read (and discard) at full speed.
     */
    outputOverCap(queued: number, closing: boolean): void;
    /** @internal */
    abort(): void;
    /** @internal */
    armCloseTimer(ms: number): void;
    /** @internal the close deadline passed. */
    closeTimedOut(): void;
    protected waitingBytes(): number;
    protected outputFull(): void;
    protected outputEmpty(): void;
    protected outputClosed(): boolean;
    /** @internal */
    onSocketError(err: Error): void;
    /** @internal */
    onSocketClose(): void;
}
//# sourceMappingURL=connection.d.ts.map