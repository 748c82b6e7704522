import type { Socket } from 'node:net';
import { outputResumes } from '../../shared/protocol/flow-control.ts';

/**
 * Coalesces every frame written to one connection within one turn of the event loop into a
 * single socket write, as uWebSockets corks: one syscall per connection per turn instead of
 * one (or two) per message. Connections with something queued are flushed together from one
 * process.nextTick, so replies to all the frames of a read chunk leave in one write.
 */
export interface Flushable {
  flush(): void;
}

const dirty: Flushable[] = [];
let scheduled = false;

function flushAll(): void {
  scheduled = false;
  // A flush may queue more (a write callback pushing again): those get the next tick.
  const batch = dirty.splice(0, dirty.length);
  for (const item of batch) item.flush();
}

export function scheduleFlush(item: Flushable): void {
  dirty.push(item);
  if (!scheduled) {
    scheduled = true;
    process.nextTick(flushAll);
  }
}

let turn = 1;
let turnEnding = false;

function endTurn(): void {
  turnEnding = false;
  turn++;
}

/**
 * A number that stays the same until the flushes of this turn have run (one process.nextTick
 * per turn, not per connection): a connection written directly once in a turn queues the rest
 * of that turn, so a burst still leaves in one write.
 */
export function currentTurn(): number {
  if (!turnEnding) {
    turnEnding = true;
    process.nextTick(endTurn);
  }
  return turn;
}

/** Below this total, copying the queued frames into one buffer is cheaper than a writev. */
export const CONCAT_LIMIT = 64 * 1024;

/** One buffer out of many small ones (the common case: a few small frames). */
export function concatSmall(chunks: Buffer[], total: number): Buffer {
  const out = Buffer.allocUnsafe(total);
  let offset = 0;
  for (const c of chunks) {
    c.copy(out, offset);
    offset += c.length;
  }
  return out;
}

const EMPTY = Buffer.alloc(0);

/** A worker's running byte counts, which every connection adds to as it reads and writes. */
export interface Traffic {
  bytesIn: number;
  bytesOut: number;
}

/**
 * One connection's output: frames queued during a turn leave in one write (one buffer below
 * CONCAT_LIMIT, corked writes above), a broadcast's shared frame may go straight to the
 * socket, and while the output is over the high watermark ("full") every write reports its
 * completion so the connection learns when it drains. The connection shell extends it.
 */
export abstract class BatchedOutput implements Flushable {
  readonly socket: Socket;
  bytesOut = 0;
  /** The worker's totals (one property increment beside this connection's own). */
  protected readonly traffic: Traffic;
  lastSendTime = 0;
  private out: Buffer[] = [];
  private outBytes = 0;
  private flushQueued = false;
  /** The turn of this connection's last direct (broadcast) write. */
  private directTurn = 0;
  private endAfterFlushing = false;
  private full = false;
  private readonly highWatermark: number;
  /** Made once the output first gets full: writes then report when they are done. */
  private onWritten: (() => void) | null = null;
  /**
   * What was handed to the socket since it last held nothing, kept only while the socket holds
   * something (a write the kernel did not take at once): the bytes not sent yet are the end of
   * these (unsentOutput), which a connection moving to another process must carry. Null for
   * every connection that keeps up: nothing is retained then.
   */
  private unacked: Buffer[] | null = null;
  private unackedArmed = false;

  constructor(socket: Socket, highWatermark: number, traffic: Traffic) {
    this.socket = socket;
    this.traffic = traffic;
    this.highWatermark = highWatermark;
  }

  /** Bytes accepted but held elsewhere before they reach this queue (compression). */
  protected abstract waitingBytes(): number;
  /** The output went above the high watermark (once, until it is empty again). */
  protected abstract outputFull(): void;
  /** While full: the output is back at the high watermark. */
  protected abstract outputBelowWatermark(): void;
  /** The output that was full is empty: nothing queued, waiting or in the socket. */
  protected abstract outputEmpty(): void;
  /** The connection is closed: progress is no longer reported. */
  protected abstract outputClosed(): boolean;

  /** Bytes accepted for this connection and not yet handed to the kernel. */
  get bufferedAmount(): number {
    return this.outBytes + this.waitingBytes() + this.socket.writableLength;
  }

  /** Bytes this queue and the socket hold. */
  heldBytes(): number {
    return this.outBytes + this.socket.writableLength;
  }

  /** Queues bytes for this turn's write. */
  write(buf: Buffer): void {
    this.out.push(buf);
    this.outBytes += buf.length;
    if (!this.flushQueued) {
      this.flushQueued = true;
      scheduleFlush(this);
    }
  }

  /**
   * A broadcast's frame to a connection with nothing queued goes to the socket at once: the
   * fan-out is one loop of writes, the first recipients served while the rest are written.
   * Once per turn: later frames of the same turn queue and leave together.
   */
  writeShared(frame: readonly Buffer[]): void {
    if (frame.length !== 1 || this.flushQueued || this.directTurn === currentTurn()) {
      for (const b of frame) this.write(b);
      return;
    }
    const buf = frame[0]!;
    this.directTurn = currentTurn();
    if (this.socket.destroyed) return;
    const idle = this.socket.writableLength === 0;
    this.socket.write(buf, this.full ? this.writtenCallback() : undefined);
    this.track(idle, buf);
    this.bytesOut += buf.length;
    this.traffic.bytesOut += buf.length;
    this.lastSendTime = Date.now();
  }

  /** Half-closes TCP once everything queued is written (now, if nothing is). */
  endAfterFlush(): void {
    this.endAfterFlushing = true;
    if (!this.flushQueued) this.flush();
  }

  /** Called once per event-loop turn by the write batcher: one write for everything queued. */
  flush(): void {
    this.flushQueued = false;
    const out = this.out;
    const total = this.outBytes;
    this.out = [];
    this.outBytes = 0;
    const socket = this.socket;
    if (socket.destroyed) return;
    // While full, the last write says when it is done (see outputProgress).
    const done = this.full ? this.writtenCallback() : undefined;
    const idle = socket.writableLength === 0;
    if (out.length === 1) {
      socket.write(out[0]!, done);
      this.track(idle, out[0]!);
    } else if (out.length > 1) {
      if (total <= CONCAT_LIMIT) {
        const one = concatSmall(out, total);
        socket.write(one, done);
        this.track(idle, one);
      } else {
        socket.cork();
        const last = out.length - 1;
        for (let i = 0; i < last; i++) socket.write(out[i]!);
        socket.write(out[last]!, done);
        socket.uncork();
        if (idle) this.unacked = null;
        if (socket.writableLength > 0) for (const b of out) this.track(false, b);
      }
    }
    if (total > 0) {
      this.bytesOut += total;
      this.traffic.bytesOut += total;
      this.lastSendTime = Date.now();
    } else if (done) this.outputProgress();
    if (this.endAfterFlushing) socket.end();
  }

  /** Keeps `buf` (just written) while the socket holds anything (see `unacked`). */
  private track(wasIdle: boolean, buf: Buffer): void {
    if (wasIdle) this.unacked = null;
    if (this.socket.writableLength === 0) return;
    (this.unacked ??= []).push(buf);
    if (!this.unackedArmed) {
      this.unackedArmed = true;
      // An empty write behind the rest: when it is done the socket may hold nothing any more.
      this.socket.write(EMPTY, () => this.unackedWritten());
    }
  }

  private unackedWritten(): void {
    this.unackedArmed = false;
    if (this.socket.destroyed) return;
    if (this.socket.writableLength === 0) this.unacked = null;
    else if (this.unacked !== null) {
      this.unackedArmed = true;
      this.socket.write(EMPTY, () => this.unackedWritten());
    }
  }

  /**
   * The output not yet sent to the peer, in order: the bytes the socket still holds (libuv's
   * queue and the stream's buffer: the end of what was handed to it) then this turn's queue.
   * Null when the socket holds bytes this queue did not write (the 101 still queued): then
   * the unsent bytes cannot be told. Called with reading stopped, just before the descriptor
   * is closed here (the move), so nothing is written in between.
   */
  unsentOutput(): Buffer[] | null {
    const socket = this.socket;
    const handle = (socket as unknown as { _handle: { writeQueueSize?: number } | null })._handle;
    let unsent = handle?.writeQueueSize ?? 0;
    for (const entry of (socket as unknown as { writableBuffer: Array<{ chunk: Buffer | string }> }).writableBuffer) unsent += typeof entry.chunk === 'string' ? Buffer.byteLength(entry.chunk, 'latin1') : entry.chunk.length;
    const tail: Buffer[] = [];
    for (let i = (this.unacked?.length ?? 0) - 1; i >= 0 && unsent > 0; i--) {
      const b = this.unacked![i]!;
      const part = b.length <= unsent ? b : b.subarray(b.length - unsent);
      tail.unshift(part);
      unsent -= part.length;
    }
    if (unsent > 0) return null;
    return [...tail, ...this.out];
  }

  /** Drops what is queued (the connection closed). */
  protected discardOutput(): void {
    this.out = [];
    this.outBytes = 0;
  }

  /** After an accepted send: above the high watermark the output is full and the send `queued`. */
  protected noteQueued(): 'written' | 'queued' {
    if (this.bufferedAmount <= this.highWatermark) return 'written';
    this.markFull();
    return 'queued';
  }

  protected markFull(): void {
    if (this.full) return;
    this.full = true;
    this.outputFull();
    // From now on every write reports its completion. One already with the socket does not,
    // and 'drain' comes only after a write that passed the socket's own high-water mark: an
    // empty write behind it tells us when it is done.
    const socket = this.socket;
    if (socket.writableLength > 0 && !socket.writableNeedDrain && !socket.destroyed) socket.write(EMPTY, this.writtenCallback());
  }

  private writtenCallback(): () => void {
    return (this.onWritten ??= () => this.outputProgress());
  }

  /** A write completed or the socket drained (only watched while full). */
  outputProgress(): void {
    if (!this.full || this.outputClosed()) return;
    const queued = this.bufferedAmount;
    if (outputResumes(queued, this.highWatermark)) this.outputBelowWatermark();
    if (queued === 0) {
      this.full = false;
      this.outputEmpty();
    }
  }
}
