import { createServer, type Server, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import { ReloadError } from '../errors.ts';
import { connectIpcPipe, openIpcPipe, readResult, writeWithHandle, type NativePipe } from '../handoff/native-pipe.ts';
import { encodeMoveRecord, MoveRecordDecoder } from './move-wire.ts';

/**
 * The move link: one Unix stream socket from an old worker to its replacement, in libuv's IPC
 * mode on both ends so that records may carry descriptors (SCM_RIGHTS), as the master's
 * hand-off pipe does (shared/handoff/native-pipe.ts). Writes are pipelined, in order, no
 * acknowledgement; the sender learns when each write reached the kernel (`done`).
 *
 * The replacement listens (MoveListener) at a path in the master's private directory; the old
 * worker connects (MoveSender). An accepted socket of a net.Server is not in IPC mode, so the
 * listener takes its descriptor into an IPC pipe of its own: the accepted socket is kept
 * (paused, never read nor closed) for as long as the pipe lives, as it owns the descriptor.
 */
export class MoveSender {
  private closed = false;
  /** Writes not completed yet. */
  inflight = 0;
  private constructor(private readonly pipe: NativePipe) {}

  static async connect(path: string): Promise<MoveSender> {
    try {
      return new MoveSender(await connectIpcPipe(path));
    } catch (err) {
      throw new ReloadError('ERR_MOVE_LINK', `cannot connect the move link at ${path}: ${(err as Error).message}`);
    }
  }

  /** Sends a record, with a descriptor (a raw handle) when given; `done(status)` once written (status < 0: failed). */
  send(record: unknown, handle: object | undefined, done?: (status: number) => void): void {
    if (this.closed) {
      if (done) queueMicrotask(() => done(-32));
      return;
    }
    this.inflight++;
    writeWithHandle(this.pipe, encodeMoveRecord(record, handle !== undefined), handle, (status) => {
      this.inflight--;
      done?.(status);
    });
  }

  /** Resolves once every write has completed. */
  async drained(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.inflight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    return this.inflight === 0;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pipe.close();
  }
}

export interface MoveEvents {
  record(record: unknown, handle: object | undefined): void;
  /** The old worker closed the link (it is done, or it died). */
  end(): void;
}

/** The replacement's end: listens at `path`, takes the first connection, reads records. */
export class MoveListener {
  private readonly server: Server;
  private accepted: Socket | null = null;
  private pipe: NativePipe | null = null;

  private constructor(server: Server) {
    this.server = server;
  }

  static async listen(path: string, events: MoveEvents): Promise<MoveListener> {
    rmSync(path, { force: true });
    const server = createServer({ pauseOnConnect: true });
    const listener = new MoveListener(server);
    server.on('connection', (socket) => listener.accept(socket, events));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return listener;
  }

  private accept(socket: Socket, events: MoveEvents): void {
    if (this.accepted !== null) return void socket.destroy();
    this.accepted = socket;
    this.server.close();
    const fd = (socket as unknown as { _handle: { fd: number } })._handle.fd;
    const pipe = openIpcPipe(fd);
    this.pipe = pipe;
    const decoder = new MoveRecordDecoder();
    pipe.onread = (buffer) => {
      const handle = (pipe.pendingHandle ?? undefined) as object | undefined;
      pipe.pendingHandle = null;
      const chunk = readResult(buffer);
      if (typeof chunk === 'number') {
        pipe.readStop();
        for (const h of decoder.leftoverHandles()) (h as { close(): void }).close();
        events.end();
        return;
      }
      for (const { record, handle: h } of decoder.push(chunk, handle)) events.record(record, h);
    };
    pipe.readStart();
  }

  close(): void {
    this.server.close();
    this.pipe?.close();
    this.pipe = null;
  }
}
