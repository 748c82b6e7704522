import type { Socket } from 'node:net';
import type { Config } from '../shared/config.ts';
import type { ProtocolError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { CloseCode, Opcode } from '../shared/protocol/constants.ts';
import { FrameParser, type ParserSink } from '../shared/protocol/frame-parser.ts';
import { inboundBacklogLimit, outputResumes, overOutputCap, pausesForOutput, ReadPause } from '../shared/protocol/flow-control.ts';
import { closeFrame, encodeSmallFrame, frameHeader, pingFrame, pongFrame } from '../shared/protocol/frame-encoder.ts';
import type { MessageCodec } from '../shared/protocol/extension.ts';
import { loopTurn } from './loop-turn.ts';
import { CONCAT_LIMIT, concatSmall, currentTurn, scheduleFlush, type Flushable } from './write-batcher.ts';

/** Swoole's WEBSOCKET_STATUS_* numbers, as getClientInfo reports them. */
export const WebSocketStatus = { Connection: 1, Handshake: 2, Active: 3, Closing: 4, Closed: 5 } as const;

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

/** Messages waiting behind an in-flight compression, so frames leave in the order they were sent. */
interface Deferred {
  opcode: number;
  payload: Buffer;
  compress: boolean;
}

/** Payloads at or below this are copied next to their header; larger ones are written as-is. */
const INLINE_PAYLOAD = 1024;
const EMPTY = Buffer.alloc(0);

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

const OWNER = Symbol('switchyard.connection');
type OwnedSocket = Socket & { [OWNER]: Connection };

// Socket listeners shared by every connection (`this` is the socket): five closures per
// connection would be a fifth of an idle connection's heap.
function onSocketData(this: OwnedSocket, chunk: Buffer): void {
  this[OWNER].onData(chunk);
}
function onSocketDrain(this: OwnedSocket): void {
  this[OWNER].onDrain();
}
function onSocketEnd(this: OwnedSocket): void {
  this[OWNER].onEnd();
}
function onSocketError(this: OwnedSocket, err: Error): void {
  this[OWNER].onSocketError(err);
}
function onSocketClose(this: OwnedSocket): void {
  this[OWNER].onSocketClose();
}
function continueParsing(conn: Connection): void {
  conn.continueParsing();
}
function repause(conn: Connection): void {
  conn.repause();
}

/**
 * One established WebSocket connection: the thin I/O shell around the pure FrameParser.
 * All protocol state lives in plain fields so it can be captured at a message boundary.
 */
export class Connection implements ParserSink, Flushable {
  readonly fd: number;
  readonly socket: Socket;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly path: string;
  readonly protocol: string;
  readonly extensions: string;
  readonly connectTime = Date.now();
  lastRecvTime = this.connectTime;
  lastSendTime = 0;
  bytesIn = 0;
  bytesOut = 0;
  messagesIn = 0;
  messagesOut = 0;
  status: number = WebSocketStatus.Active;
  /** Exempt from the heartbeat (Swoole's protect()). */
  protected = false;
  /** Last ping round trip in ms; -1 until a pong answers one of our pings. */
  rtt = -1;
  pingSentAt = 0;

  private readonly host: ConnectionHost;
  private readonly config: Config;
  private readonly log: Logger;
  private readonly parser: FrameParser;
  private readonly deflate: MessageCodec | null;
  private out: Buffer[] = [];
  private outBytes = 0;
  private flushQueued = false;
  /** The write-batcher turn of this connection's last direct (broadcast) write. */
  private directTurn = 0;
  private endAfterFlush = false;
  private deferred: Deferred[] | null = null;
  private deferredBytes = 0;
  private full = false;
  private closeInfo: CloseInfo | null = null;
  private closeTimer: NodeJS.Timeout | null = null;
  private pendingCallbacks = 0;
  /** Why the socket is not read (ReadPause bits); 0: reading. */
  private paused = 0;
  /** The loop turn whose read budget the parser is spending. */
  private budgetTurn = 0;
  /** Made once the connection first gets full: writes then report when they are done. */
  private onWritten: (() => void) | null = null;
  /** With openWebsocketCloseFrame the app's disconnect() is the reply to a close already received. */
  private closeOnlyReply = false;

  constructor(init: ConnectionInit) {
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
      budgetFrames: this.config.readBudgetFrames,
      budgetBytes: this.config.readBudgetBytes,
    });
    const socket = init.socket as OwnedSocket;
    socket.setNoDelay(true);
    socket[OWNER] = this;
    socket.on('data', onSocketData);
    socket.on('drain', onSocketDrain);
    socket.on('end', onSocketEnd);
    socket.on('error', onSocketError);
    socket.on('close', onSocketClose);
  }

  /** Bytes read from the socket. */
  onData(chunk: Buffer): void {
    this.bytesIn += chunk.length;
    this.lastRecvTime = Date.now();
    const turn = loopTurn();
    if (turn !== this.budgetTurn) {
      this.budgetTurn = turn;
      this.parser.refill(this.config.readBudgetFrames, this.config.readBudgetBytes);
    }
    this.parser.push(chunk);
    this.afterParse();
  }

  /** Bytes accepted for this connection and not yet handed to the kernel. */
  get bufferedAmount(): number {
    return this.outBytes + this.deferredBytes + this.socket.writableLength;
  }

  /** Feeds bytes that arrived with the upgrade request, before any 'data' event. */
  receive(head: Buffer): void {
    if (head.length === 0) return;
    this.onData(head);
    // The upgrade resumes the socket right after handing us its head: pause again behind it.
    if (this.paused !== 0) process.nextTick(repause, this);
  }

  // ---- sending -------------------------------------------------------------

  send(payload: Buffer, opcode: number): PushStatus {
    return this.sendShared(payload, opcode, null);
  }

  /**
   * send() with the frame already encoded by the caller (a broadcast encodes once per worker
   * and queues the same bytes on every connection). Compressing connections still deflate
   * `payload` themselves: their contexts differ.
   */
  sendShared(payload: Buffer, opcode: number, frame: readonly Buffer[] | null): PushStatus {
    if (this.status !== WebSocketStatus.Active) return 'closed';
    if (this.overCap(payload.length)) return 'dropped';
    this.messagesOut++;
    const compress =
      this.deflate !== null && payload.length >= this.config.compressionThreshold && opcode <= Opcode.Binary;
    if (compress || this.deferred !== null) this.defer({ opcode, payload, compress });
    else if (frame !== null && frame.length === 1 && !this.flushQueued && this.directTurn !== currentTurn()) this.writeShared(frame[0]!);
    else if (frame !== null) for (const b of frame) this.queueBytes(b);
    else this.queueFrame(opcode, payload, false);
    return this.noteQueued();
  }

  /** A ping; it counts against bufferOutputSize like a message (over it: `dropped`, the policy applies). */
  ping(payload?: Buffer): PushStatus {
    if (this.status !== WebSocketStatus.Active) return 'closed';
    const frame = pingFrame(payload);
    if (this.overCap(frame.length)) return 'dropped';
    if (this.pingSentAt === 0) this.pingSentAt = Date.now();
    this.queueRaw(frame);
    return this.noteQueued();
  }

  /**
   * Answers a ping by hand (openWebsocketPingFrame) or sends an unsolicited pong; also our
   * automatic answer. Over bufferOutputSize it is not sent: RFC 6455 §5.5.3 lets a pong answer
   * only the latest of several pings, and a peer that does not read is not read either.
   */
  pong(payload?: Buffer): PushStatus {
    if (this.status !== WebSocketStatus.Active) return 'closed';
    const frame = pongFrame(payload);
    if (this.overCap(frame.length)) return 'dropped';
    this.queueRaw(frame);
    return this.noteQueued();
  }

  /**
   * Starts the closing handshake (RFC 6455 §7.1.2): our close frame goes out after what is
   * already queued, then we wait up to closeTimeoutMs for the peer's close before destroying.
   * A close frame is never refused for the output cap (it is the way out). A code that may not
   * be sent or a reason over 123 bytes throws RangeError before anything changes.
   */
  disconnect(code: number, reason: string): boolean {
    const frame = closeFrame(code, reason);
    if (this.closeOnlyReply) return this.replyToClose(frame);
    if (this.status !== WebSocketStatus.Active) return false;
    this.status = WebSocketStatus.Closing;
    this.closeInfo = { code, reason, closedBy: 'server', wasClean: false };
    this.queueRaw(frame);
    this.armCloseTimer();
    return true;
  }

  /** Closes TCP without a close frame (Swoole's close()). */
  close(): void {
    this.closeInfo ??= { code: CloseCode.Abnormal, reason: '', closedBy: 'server', wasClean: false };
    this.status = WebSocketStatus.Closing;
    this.parser.stop();
    this.socket.destroy();
  }

  /**
   * Whether `bytes` more would pass bufferOutputSize (data and control frames alike). Then the
   * policy applies: `close` fails the slow consumer with 1008, `drop` drops what would pass;
   * either way it is not read while its output is backed up (until it is back at
   * bufferHighWatermark): a client that does not read does not get to make us write, be it
   * echoes or pongs, nor read.
   */
  private overCap(bytes: number): boolean {
    const queued = this.bufferedAmount;
    if (!overOutputCap(queued, bytes, this.config.bufferOutputSize)) return false;
    const closing = this.config.bufferFullPolicy === 'close';
    if (closing) {
      this.log.warn({ fd: this.fd, queued }, 'slow consumer closed');
      this.disconnect(CloseCode.PolicyViolation, 'slow consumer');
    }
    // Under either policy, not read while backed up. Closing, its close frame waits behind
    // output it does not read: reading on until closeTimeoutMs would only let it make us
    // read (and discard) at full speed. If it drains after all, reading resumes for its close.
    if ((this.paused & ReadPause.Output) === 0 && pausesForOutput(queued, this.config.bufferHighWatermark)) {
      if (!closing) this.log.warn({ fd: this.fd, queued }, 'slow consumer: not read until its output drains');
      this.markFull();
      this.pauseReading(ReadPause.Output);
    }
    return true;
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
   * A write completed or the socket drained (only watched while full): reading resumes at
   * bufferHighWatermark, and bufferEmpty pairs the bufferFull once nothing is left anywhere —
   * queued frames, messages waiting for compression, the socket's buffer.
   */
  private outputProgress(): void {
    if (!this.full || this.status === WebSocketStatus.Closed) return;
    const queued = this.bufferedAmount;
    if (outputResumes(queued, this.config.bufferHighWatermark)) this.resumeReading(ReadPause.Output);
    if (queued === 0) {
      this.full = false;
      this.host.bufferEmpty(this);
    }
  }

  private defer(item: Deferred): void {
    const first = this.deferred === null;
    (this.deferred ??= []).push(item);
    this.deferredBytes += item.payload.length;
    if (first) this.drainDeferred();
  }

  /** Works through deferred messages in order; suspends while a compression is in flight. */
  private drainDeferred(): void {
    const queue = this.deferred;
    while (queue !== null && queue.length > 0) {
      const item = queue[0]!;
      if (!item.compress) {
        queue.shift();
        this.deferredBytes -= item.payload.length;
        if (item.opcode === -1) this.queueBytes(item.payload);
        else this.queueFrame(item.opcode, item.payload, false);
        continue;
      }
      this.deflate!.compress(item.payload, (err, compressed) => {
        if (this.deferred !== queue) return; // connection closed meanwhile
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
  private queueRaw(frame: Buffer): void {
    if (this.deferred !== null) this.defer({ opcode: -1, payload: frame, compress: false });
    else this.queueBytes(frame);
  }

  private queueFrame(opcode: number, payload: Buffer, rsv1: boolean): void {
    for (const b of encodeForQueue(opcode, payload, rsv1)) this.queueBytes(b);
  }

  /**
   * A broadcast's frame to a connection with nothing queued goes to the socket at once: the
   * fan-out is one loop of writes, the first recipients served while the rest are written.
   * Once per turn: later frames of the same turn queue and leave together (write-batcher.ts).
   */
  private writeShared(buf: Buffer): void {
    this.directTurn = currentTurn();
    if (this.socket.destroyed) return;
    this.socket.write(buf, this.full ? this.writtenCallback() : undefined);
    this.bytesOut += buf.length;
    this.lastSendTime = Date.now();
  }

  private queueBytes(buf: Buffer): void {
    this.out.push(buf);
    this.outBytes += buf.length;
    if (!this.flushQueued) {
      this.flushQueued = true;
      scheduleFlush(this);
    }
  }

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
    if (this.endAfterFlush && this.deferred === null) this.socket.end();
  }

  /** Half-closes TCP once everything queued (including our close frame) is written. */
  private endSoon(): void {
    this.endAfterFlush = true;
    if (!this.flushQueued && this.deferred === null) this.flush();
  }

  private armCloseTimer(): void {
    if (this.closeTimer) return;
    this.closeTimer = setTimeout(() => {
      this.log.debug({ fd: this.fd }, 'close timeout: destroying socket');
      this.socket.destroy();
    }, this.config.closeTimeoutMs);
  }

  /** @internal the socket drained. */
  onDrain(): void {
    this.outputProgress();
  }

  // ---- inbound backpressure and fairness -----------------------------------------

  /** The app started an async callback for this connection. */
  callbackStarted(): void {
    if (++this.pendingCallbacks > this.config.maxPendingCallbacks) this.pauseReading(ReadPause.Callbacks);
  }

  callbackSettled(): void {
    this.pendingCallbacks--;
    if (this.pendingCallbacks <= this.config.maxPendingCallbacks >> 1) this.resumeReading(ReadPause.Callbacks);
  }

  /**
   * After the parser ran: a spent budget yields the turn (no reading, the rest parsed in the
   * next one); a backlog over inboundBacklogLimit (raw bytes piling up behind an inflate)
   * stops reading until the parser has worked it off.
   */
  private afterParse(): void {
    const parser = this.parser;
    if (parser.yielded && (this.paused & ReadPause.Budget) === 0) {
      this.pauseReading(ReadPause.Budget);
      setImmediate(continueParsing, this);
    }
    if (parser.backlog > inboundBacklogLimit(this.config.packageMaxLength)) this.pauseReading(ReadPause.Backlog);
    else if ((this.paused & ReadPause.Backlog) !== 0) this.resumeReading(ReadPause.Backlog);
  }

  /** @internal the turn after the parser yielded: a fresh budget; reading resumes once it has caught up. */
  continueParsing(): void {
    if (this.status === WebSocketStatus.Closed) return;
    this.budgetTurn = loopTurn();
    this.parser.refill(this.config.readBudgetFrames, this.config.readBudgetBytes);
    if (this.parser.yielded) setImmediate(continueParsing, this);
    else this.resumeReading(ReadPause.Budget);
    this.afterParse();
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

  // ---- ParserSink ---------------------------------------------------------------

  onMessage(data: Buffer, binary: boolean): void {
    this.messagesIn++;
    // After our close frame, the peer may still send data (§5.5.1); it is not delivered.
    if (this.status !== WebSocketStatus.Active) return;
    this.host.deliverMessage(this, data, binary);
  }

  onPing(payload: Buffer): void {
    if (this.config.openWebsocketPingFrame) this.host.deliverControl(this, Opcode.Ping, payload);
    else this.pong(payload);
  }

  onPong(payload: Buffer): void {
    if (this.pingSentAt !== 0) {
      this.rtt = Date.now() - this.pingSentAt;
      this.pingSentAt = 0;
    }
    if (this.config.openWebsocketPongFrame) this.host.deliverControl(this, Opcode.Pong, payload);
  }

  onClose(code: number, reason: string): void {
    if (this.status === WebSocketStatus.Closing) {
      // The peer answered our close: the handshake is complete, the server closes TCP first (§7.1.1).
      if (this.closeInfo) this.closeInfo.wasClean = true;
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

  onSettled(): void {
    this.afterParse();
  }

  onError(error: ProtocolError): void {
    this.log.debug({ fd: this.fd, err: error.code, closeCode: error.closeCode }, 'protocol error');
    this.fail(error.closeCode, error.message);
  }

  /** Fails the connection (§7.1.7): our close frame with the code, no more reading, TCP closed. */
  fail(code: number, reason: string): void {
    if (this.status === WebSocketStatus.Closed) return;
    // Keep reading (into a stopped parser) so the peer's FIN is still seen: the parser holds
    // nothing any more, so its own reasons not to read are gone.
    this.parser.stop();
    this.resumeReading(ReadPause.Backlog | ReadPause.Budget);
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
  onEnd(): void {
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
  onSocketError(err: Error): void {
    this.log.debug({ fd: this.fd, err: (err as NodeJS.ErrnoException).code ?? err.message }, 'socket error');
    this.closeInfo ??= { code: CloseCode.Abnormal, reason: '', closedBy: 'client', wasClean: false };
  }

  /** @internal */
  onSocketClose(): void {
    if (this.status === WebSocketStatus.Closed) return;
    this.status = WebSocketStatus.Closed;
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.closeTimer = null;
    this.parser.stop();
    this.deferred = null;
    this.deferredBytes = 0;
    this.out = [];
    this.outBytes = 0;
    this.deflate?.dispose();
    this.host.connectionClosed(
      this,
      this.closeInfo ?? { code: CloseCode.Abnormal, reason: '', closedBy: 'client', wasClean: false },
    );
  }

  /** disconnect() after a close frame was delivered to the app (openWebsocketCloseFrame). */
  private replyToClose(frame: Buffer): boolean {
    this.closeOnlyReply = false;
    this.status = WebSocketStatus.Closing;
    this.queueRaw(frame);
    this.endSoon();
    return true;
  }
}

/** A frame as queued: small ones in one buffer with their header, large payloads by reference. */
export function encodeForQueue(opcode: number, payload: Buffer, rsv1 = false): Buffer[] {
  if (payload.length <= INLINE_PAYLOAD) return [encodeSmallFrame(opcode, payload, rsv1)];
  return [frameHeader(opcode, payload.length, true, rsv1), payload];
}

/** Close reasons are at most 123 bytes (§5.5: 125 minus the code); cut on a code point boundary. */
export function truncateReason(reason: string): string {
  if (Buffer.byteLength(reason) <= 123) return reason;
  let out = '';
  let bytes = 0;
  for (const ch of reason) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > 123) break;
    out += ch;
    bytes += n;
  }
  return out;
}
