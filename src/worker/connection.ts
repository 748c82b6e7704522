import type { Socket } from 'node:net';
import type { Config } from '../shared/config.ts';
import type { ProtocolError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { ConnectionCore, WebSocketStatus, type CloseInfo, type ConnectionIo, type PushStatus } from '../shared/protocol/connection-core.ts';
import type { MessageCodec } from '../shared/protocol/extension.ts';
import { inboundBacklogLimit, outputResumes, pausesForOutput, ReadPause } from '../shared/protocol/flow-control.ts';
import { loopTurn } from './loop-turn.ts';
import { CONCAT_LIMIT, concatSmall, currentTurn, scheduleFlush, type Flushable } from './write-batcher.ts';

export { encodeForQueue, truncateReason, WebSocketStatus, type CloseInfo, type PushStatus } from '../shared/protocol/connection-core.ts';

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
  deflate: MessageCodec | null;
  path: string;
  protocol: string;
  extensions: string;
}

const EMPTY = Buffer.alloc(0);
const OWNER = Symbol('switchyard.connection');
type OwnedSocket = Socket & { [OWNER]: Connection };

// Socket listeners and timer callbacks shared by every connection (`this` is the socket):
// closures per connection would be a fifth of an idle connection's heap.
function onSocketData(this: OwnedSocket, chunk: Buffer): void {
  this[OWNER].onData(chunk);
}
function onSocketDrain(this: OwnedSocket): void {
  this[OWNER].outputProgress();
}
function onSocketEnd(this: OwnedSocket): void {
  this[OWNER].core.receiveEof();
}
function onSocketError(this: OwnedSocket, err: Error): void {
  this[OWNER].onSocketError(err);
}
function onSocketClose(this: OwnedSocket): void {
  this[OWNER].onSocketClose();
}
const continueParsing = (conn: Connection): void => conn.continueParsing();
const repause = (conn: Connection): void => conn.repause();
const closeTimeout = (conn: Connection): void => conn.closeTimedOut();

/**
 * One established WebSocket connection: the I/O shell around its ConnectionCore (the protocol,
 * closing handshake included). It moves bytes between the socket and the core, keeps the
 * timers, stops and resumes reading (flow-control.ts) and batches writes (write-batcher.ts).
 */
export class Connection implements ConnectionIo, Flushable {
  readonly fd: number;
  readonly socket: Socket;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly path: string;
  readonly protocol: string;
  readonly extensions: string;
  readonly connectTime = Date.now();
  readonly core: ConnectionCore;
  lastRecvTime = this.connectTime;
  lastSendTime = 0;
  bytesIn = 0;
  bytesOut = 0;
  /** Exempt from the heartbeat (Swoole's protect()). */
  protected = false;
  /** Last ping round trip in ms; -1 until a pong answers one of our pings. */
  rtt = -1;
  pingSentAt = 0;

  private readonly host: ConnectionHost;
  private readonly config: Config;
  private readonly log: Logger;
  private out: Buffer[] = [];
  private outBytes = 0;
  private flushQueued = false;
  /** The write-batcher turn of this connection's last direct (broadcast) write. */
  private directTurn = 0;
  private endAfterFlushing = false;
  private full = false;
  private closeTimer: NodeJS.Timeout | null = null;
  private pendingCallbacks = 0;
  /** Why the socket is not read (ReadPause bits); 0: reading. */
  private paused = 0;
  /** The loop turn whose read budget the parser is spending. */
  private budgetTurn = 0;
  /** Made once the connection first gets full: writes then report when they are done. */
  private onWritten: (() => void) | null = null;

  constructor(init: ConnectionInit) {
    this.fd = init.fd;
    this.socket = init.socket;
    this.host = init.host;
    this.config = init.host.config;
    this.log = init.log;
    this.path = init.path;
    this.protocol = init.protocol;
    this.extensions = init.extensions;
    this.remoteAddress = init.socket.remoteAddress ?? '';
    this.remotePort = init.socket.remotePort ?? 0;
    this.core = new ConnectionCore(this, this.config, init.deflate);
    const socket = init.socket as OwnedSocket;
    socket.setNoDelay(true);
    socket[OWNER] = this;
    socket.on('data', onSocketData);
    socket.on('drain', onSocketDrain);
    socket.on('end', onSocketEnd);
    socket.on('error', onSocketError);
    socket.on('close', onSocketClose);
  }

  get status(): number {
    return this.core.status;
  }
  get messagesIn(): number {
    return this.core.messagesIn;
  }
  get messagesOut(): number {
    return this.core.messagesOut;
  }

  /** Bytes accepted for this connection and not yet handed to the kernel. */
  get bufferedAmount(): number {
    return this.outBytes + this.core.deferredBytes + this.socket.writableLength;
  }

  /** @internal bytes read from the socket. */
  onData(chunk: Buffer): void {
    this.bytesIn += chunk.length;
    this.lastRecvTime = Date.now();
    const turn = loopTurn();
    if (turn !== this.budgetTurn) {
      this.budgetTurn = turn;
      this.core.newTurn();
    }
    this.core.receiveData(chunk);
    this.parserSettled();
  }

  /** Feeds bytes that arrived with the upgrade request, before any 'data' event. */
  receive(head: Buffer): void {
    if (head.length === 0) return;
    this.onData(head);
    // The upgrade resumes the socket right after handing us its head: pause again behind it.
    if (this.paused !== 0) process.nextTick(repause, this);
  }

  // ---- the app's operations (the core decides) ---------------------------------------

  send(payload: Buffer, opcode: number): PushStatus {
    return this.sendShared(payload, opcode, null);
  }

  /** send() with the frame already encoded by the caller (a broadcast encodes once per worker). */
  sendShared(payload: Buffer, opcode: number, frame: readonly Buffer[] | null): PushStatus {
    const outcome = this.core.send(payload, opcode, frame);
    return outcome === 'written' ? this.noteQueued() : outcome;
  }

  /** A ping; it counts against bufferOutputSize like a message (over it: `dropped`, the policy applies). */
  ping(payload?: Buffer): PushStatus {
    const outcome = this.core.ping(payload);
    if (outcome !== 'written') return outcome;
    if (this.pingSentAt === 0) this.pingSentAt = Date.now();
    return this.noteQueued();
  }

  /** Answers a ping by hand (openWebsocketPingFrame) or sends an unsolicited pong. */
  pong(payload?: Buffer): PushStatus {
    const outcome = this.core.pong(payload);
    return outcome === 'written' ? this.noteQueued() : outcome;
  }

  /** Starts the closing handshake (ConnectionCore.disconnect); RangeError for a code or reason that may not be sent. */
  disconnect(code: number, reason: string): boolean {
    return this.core.disconnect(code, reason);
  }

  /** Closes TCP without a close frame (Swoole's close()). */
  close(): void {
    this.core.close();
  }

  /** Fails the connection (§7.1.7): our close frame with the code, no more reading, TCP ended. */
  fail(code: number, reason: string): void {
    this.core.fail(code, reason);
  }

  /** The app started an async callback for this connection. */
  callbackStarted(): void {
    if (++this.pendingCallbacks > this.config.maxPendingCallbacks) this.pauseReading(ReadPause.Callbacks);
  }

  callbackSettled(): void {
    this.pendingCallbacks--;
    if (this.pendingCallbacks <= this.config.maxPendingCallbacks >> 1) this.resumeReading(ReadPause.Callbacks);
  }

  // ---- ConnectionIo: events ---------------------------------------------------------

  /** @internal */
  deliverMessage(data: Buffer, binary: boolean): void {
    this.host.deliverMessage(this, data, binary);
  }
  /** @internal */
  deliverControl(opcode: number, payload: Buffer, code?: number, reason?: string): void {
    this.host.deliverControl(this, opcode, payload, code, reason);
  }
  /** @internal */
  pongArrived(): void {
    if (this.pingSentAt === 0) return;
    this.rtt = Date.now() - this.pingSentAt;
    this.pingSentAt = 0;
  }
  /** @internal */
  protocolFailed(error: ProtocolError): void {
    this.log.debug({ fd: this.fd, err: error.code, closeCode: error.closeCode }, 'protocol error');
  }
  /** @internal */
  compressionFailed(err: Error | null): void {
    this.log.error({ fd: this.fd, err }, 'compression failed');
  }

  // ---- ConnectionIo: output -------------------------------------------------------------

  /** @internal */
  heldBytes(): number {
    return this.outBytes + this.socket.writableLength;
  }

  /**
   * @internal a send passed bufferOutputSize. Under either policy the peer is not read while
   * backed up: closing, its close frame waits behind output it does not read, and reading on
   * until closeTimeoutMs would only let it make us read (and discard) at full speed.
   */
  outputOverCap(queued: number, closing: boolean): void {
    if (closing) this.log.warn({ fd: this.fd, queued }, 'slow consumer closed');
    if ((this.paused & ReadPause.Output) !== 0 || !pausesForOutput(queued, this.config.bufferHighWatermark)) return;
    if (!closing) this.log.warn({ fd: this.fd, queued }, 'slow consumer: not read until its output drains');
    this.markFull();
    this.pauseReading(ReadPause.Output);
  }

  /** @internal */
  write(buf: Buffer): void {
    this.out.push(buf);
    this.outBytes += buf.length;
    if (!this.flushQueued) {
      this.flushQueued = true;
      scheduleFlush(this);
    }
  }

  /**
   * @internal a broadcast's frame to a connection with nothing queued goes to the socket at
   * once: the fan-out is one loop of writes. Once per turn: later frames of the same turn
   * queue and leave together (write-batcher.ts).
   */
  writeShared(frame: readonly Buffer[]): void {
    if (frame.length === 1 && !this.flushQueued && this.directTurn !== currentTurn()) {
      const buf = frame[0]!;
      this.directTurn = currentTurn();
      if (this.socket.destroyed) return;
      this.socket.write(buf, this.full ? this.writtenCallback() : undefined);
      this.bytesOut += buf.length;
      this.lastSendTime = Date.now();
    } else for (const b of frame) this.write(b);
  }

  /** @internal */
  endAfterFlush(): void {
    this.endAfterFlushing = true;
    if (!this.flushQueued) this.flush();
  }

  /** @internal */
  abort(): void {
    this.socket.destroy();
  }

  /** @internal */
  armCloseTimer(ms: number): void {
    this.closeTimer ??= setTimeout(closeTimeout, ms, this);
  }

  /** @internal the close deadline passed. */
  closeTimedOut(): void {
    this.log.debug({ fd: this.fd }, 'close timeout: destroying socket');
    this.core.closeTimeout();
  }

  /** @internal */
  parserStopped(): void {
    this.resumeReading(ReadPause.Backlog | ReadPause.Budget);
  }

  /**
   * @internal after the parser ran: a spent budget yields the turn (no reading, the rest parsed
   * in the next one); a backlog over inboundBacklogLimit stops reading until it is worked off.
   */
  parserSettled(): void {
    const core = this.core;
    if (core.yielded && (this.paused & ReadPause.Budget) === 0) {
      this.pauseReading(ReadPause.Budget);
      setImmediate(continueParsing, this);
    }
    if (core.backlog > inboundBacklogLimit(this.config.packageMaxLength)) this.pauseReading(ReadPause.Backlog);
    else if ((this.paused & ReadPause.Backlog) !== 0) this.resumeReading(ReadPause.Backlog);
  }

  // ---- writing ------------------------------------------------------------------------

  /** Called once per event-loop turn by the write batcher: one write for everything queued. */
  flush(): void {
    this.flushQueued = false;
    const out = this.out;
    const total = this.outBytes;
    this.out = [];
    this.outBytes = 0;
    if (this.socket.destroyed) return;
    // While full, the last write says when it is done (see outputProgress).
    const done = this.full ? this.writtenCallback() : undefined;
    if (out.length === 1) this.socket.write(out[0]!, done);
    else if (out.length > 1) {
      if (total <= CONCAT_LIMIT) this.socket.write(concatSmall(out, total), done);
      else {
        this.socket.cork();
        const last = out.length - 1;
        for (let i = 0; i < last; i++) this.socket.write(out[i]!);
        this.socket.write(out[last]!, done);
        this.socket.uncork();
      }
    }
    if (total > 0) {
      this.bytesOut += total;
      this.lastSendTime = Date.now();
    } else if (done) this.outputProgress();
    if (this.endAfterFlushing) this.socket.end();
  }

  /** After queueing: above bufferHighWatermark the connection is full (bufferFull, once) and the send `queued`. */
  private noteQueued(): PushStatus {
    if (this.bufferedAmount <= this.config.bufferHighWatermark) return 'written';
    this.markFull();
    return 'queued';
  }

  private markFull(): void {
    if (this.full) return;
    this.full = true;
    this.host.bufferFull(this);
    // From now on every write reports its completion (flush, writeShared). One already with the
    // socket does not, and 'drain' comes only after a write that passed the socket's own
    // high-water mark: an empty write behind it tells us when it is done.
    const socket = this.socket;
    if (socket.writableLength > 0 && !socket.writableNeedDrain && !socket.destroyed) socket.write(EMPTY, this.writtenCallback());
  }

  private writtenCallback(): () => void {
    return (this.onWritten ??= () => this.outputProgress());
  }

  /**
   * @internal a write completed or the socket drained (only watched while full): reading
   * resumes at bufferHighWatermark, and bufferEmpty pairs the bufferFull once nothing is left
   * anywhere — queued frames, messages waiting for compression, the socket's buffer.
   */
  outputProgress(): void {
    if (!this.full || this.core.status === WebSocketStatus.Closed) return;
    const queued = this.bufferedAmount;
    if (outputResumes(queued, this.config.bufferHighWatermark)) this.resumeReading(ReadPause.Output);
    if (queued === 0) {
      this.full = false;
      this.host.bufferEmpty(this);
    }
  }

  // ---- reading ------------------------------------------------------------------------

  /** @internal the turn after the parser yielded: a fresh budget; reading resumes once it has caught up. */
  continueParsing(): void {
    if (this.core.status === WebSocketStatus.Closed) return;
    this.budgetTurn = loopTurn();
    this.core.newTurn();
    if (this.core.yielded) setImmediate(continueParsing, this);
    else this.resumeReading(ReadPause.Budget);
    this.parserSettled();
  }

  /** @internal see receive(). */
  repause(): void {
    if (this.paused !== 0) this.socket.pause();
  }

  private pauseReading(reason: number): void {
    if (this.paused === 0) this.socket.pause();
    this.paused |= reason;
  }

  private resumeReading(reason: number): void {
    if ((this.paused & reason) === 0) return;
    this.paused &= ~reason;
    if (this.paused === 0) this.socket.resume();
  }

  // ---- socket events --------------------------------------------------------------------

  /** @internal */
  onSocketError(err: Error): void {
    this.log.debug({ fd: this.fd, err: (err as NodeJS.ErrnoException).code ?? err.message }, 'socket error');
    this.core.transportError();
  }

  /** @internal */
  onSocketClose(): void {
    const info = this.core.connectionLost();
    if (info === null) return;
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.closeTimer = null;
    this.out = [];
    this.outBytes = 0;
    this.host.connectionClosed(this, info);
  }
}
