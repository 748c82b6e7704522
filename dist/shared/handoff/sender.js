import { createServer } from 'node:net';
import { rmSync } from 'node:fs';
import { HandoffError } from '../errors.js';
import { encodeHandoff } from './wire.js';
import { connectIpcPipe, readResult, writeWithHandle } from './native-pipe.js';
/**
 * The master's end of one worker's hand-off pipe. Each hand-off is one write carrying the
 * socket's descriptor; nothing comes back, so many are in flight at once and a slow worker
 * only grows its own queue (`inflight`), never the accept loop's.
 *
 * Made before the worker is forked: a connected Unix socket pair, our end an IPC pipe, the
 * other end (`childEnd`) given to the fork as an extra stdio descriptor, then closed here.
 */
export class HandoffLink {
    /** Hand-offs written (or queued by libuv) whose write has not completed. */
    inflight = 0;
    closed = false;
    pipe;
    constructor(pipe) {
        this.pipe = pipe;
        // The worker never writes; reading only tells us when it is gone (EOF), and lets libuv
        // notice the peer closing. Unref'd: the link must not keep the master alive.
        pipe.onread = (buffer) => {
            if (typeof readResult(buffer) === 'number')
                this.close();
        };
        pipe.readStart();
        pipe.unref();
    }
    /** A connected pair through a short-lived Unix socket at `path` (in the master's private directory). */
    static async create(path) {
        rmSync(path, { force: true });
        const server = createServer();
        try {
            await new Promise((resolve, reject) => {
                server.once('error', reject);
                server.listen(path, resolve);
            });
            const accepted = new Promise((resolve) => server.once('connection', resolve));
            const pipe = await connectIpcPipe(path);
            const childEnd = await accepted;
            childEnd.pause();
            return { link: new HandoffLink(pipe), childEnd };
        }
        finally {
            server.close();
        }
    }
    /**
     * Sends `handle` (a raw libuv handle: the master's accepted TCP handle) as connection `fd` from the client at `peer`. `done(null)` once written (the worker's copy is in
     * the kernel: the caller closes its own), `done(error)` if the worker is gone. `extras`: the
     * proxy that declared `peer` and the bytes already read from the socket (see wire.ts).
     */
    send(fd, peer, handle, done, extras) {
        if (this.closed) {
            done(new HandoffError('ERR_HANDOFF_PIPE_CLOSED', 'hand-off pipe closed'));
            return;
        }
        this.inflight++;
        writeWithHandle(this.pipe, encodeHandoff(fd, peer.address, peer.port, extras), handle, (status) => {
            this.inflight--;
            done(status < 0 ? new HandoffError('ERR_HANDOFF_WRITE', `hand-off write failed (errno ${status})`, status) : null);
        });
    }
    close() {
        if (this.closed)
            return;
        this.closed = true;
        this.pipe.readStop();
        // Writes still queued complete with an error (ECANCELED): their handles are closed then.
        this.pipe.close();
    }
}
//# sourceMappingURL=sender.js.map