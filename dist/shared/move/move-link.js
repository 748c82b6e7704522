import { rmSync } from 'node:fs';
import { ReloadError } from '../errors.js';
import { connectIpcPipe, listenIpcPipe, readResult, writeWithHandle } from '../handoff/native-pipe.js';
import { encodeMoveRecord, MoveRecordDecoder } from './move-wire.js';
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
    pipe;
    closed = false;
    /** Writes not completed yet. */
    inflight = 0;
    acked = false;
    constructor(pipe) {
        this.pipe = pipe;
        // The replacement writes one byte back once it has taken the last record (see ack()).
        pipe.onread = (buffer) => {
            const chunk = readResult(buffer);
            if (typeof chunk !== 'number' && chunk.length > 0)
                this.acked = true;
            else
                pipe.readStop();
        };
        pipe.readStart();
    }
    /** Waits until the replacement says it has read everything (its ack), at most `timeoutMs`. */
    async waitAck(timeoutMs) {
        const deadline = Date.now() + timeoutMs;
        while (!this.acked && Date.now() < deadline)
            await new Promise((r) => setTimeout(r, 5));
        return this.acked;
    }
    static async connect(path) {
        try {
            return new MoveSender(await connectIpcPipe(path));
        }
        catch (err) {
            throw new ReloadError('ERR_MOVE_LINK', `cannot connect the move link at ${path}: ${err.message}`);
        }
    }
    /** Sends a record, with a descriptor (a raw handle) when given; `done(status)` once written (status < 0: failed). */
    send(record, handle, done) {
        if (this.closed) {
            if (done)
                queueMicrotask(() => done(-32));
            return;
        }
        this.inflight++;
        writeWithHandle(this.pipe, encodeMoveRecord(record, handle !== undefined), handle, (status) => {
            this.inflight--;
            done?.(status);
        });
    }
    /** Resolves once every write has completed. */
    async drained(timeoutMs) {
        const deadline = Date.now() + timeoutMs;
        while (this.inflight > 0 && Date.now() < deadline)
            await new Promise((r) => setTimeout(r, 5));
        return this.inflight === 0;
    }
    close() {
        if (this.closed)
            return;
        this.closed = true;
        this.pipe.close();
    }
}
/** The replacement's end: listens at `path`, takes the first connection, reads records. */
export class MoveListener {
    server = null;
    pipe = null;
    /** The accepted connection's handle (see listenIpcPipe): kept while the pipe lives. */
    static kept = [];
    static async listen(path, events) {
        rmSync(path, { force: true });
        const listener = new MoveListener();
        listener.server = listenIpcPipe(path, (pipe) => listener.accept(pipe, events));
        MoveListener.kept.push(listener);
        return listener;
    }
    accept(pipe, events) {
        this.server?.close();
        this.pipe = pipe;
        const decoder = new MoveRecordDecoder();
        pipe.onread = (buffer) => {
            const handle = (pipe.pendingHandle ?? undefined);
            pipe.pendingHandle = null;
            const chunk = readResult(buffer);
            if (typeof chunk === 'number') {
                pipe.readStop();
                for (const h of decoder.leftoverHandles())
                    h.close();
                events.end();
                return;
            }
            for (const { record, handle: h } of decoder.push(chunk, handle))
                events.record(record, h);
        };
        pipe.readStart();
    }
    /** Tells the old worker every record was taken: it may close its end and exit. */
    ack() {
        if (this.pipe)
            writeWithHandle(this.pipe, Buffer.from([1]), undefined, () => { });
    }
    close() {
        this.server?.close();
        this.server = null;
        // The pipe stays open (its descriptor is shared with the kept accepted handle); it has read EOF.
    }
}
//# sourceMappingURL=move-link.js.map