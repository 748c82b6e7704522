import { type Socket } from 'node:net';
import { type HandoffExtras } from './wire.ts';
/**
 * The master's end of one worker's hand-off pipe. Each hand-off is one write carrying the
 * socket's descriptor; nothing comes back, so many are in flight at once and a slow worker
 * only grows its own queue (`inflight`), never the accept loop's.
 *
 * Made before the worker is forked: a connected Unix socket pair, our end an IPC pipe, the
 * other end (`childEnd`) given to the fork as an extra stdio descriptor, then closed here.
 */
export declare class HandoffLink {
    /** Hand-offs written (or queued by libuv) whose write has not completed. */
    inflight: number;
    private closed;
    private readonly pipe;
    private constructor();
    /** A connected pair through a short-lived Unix socket at `path` (in the master's private directory). */
    static create(path: string): Promise<{
        link: HandoffLink;
        childEnd: Socket;
    }>;
    /**
     * Sends `handle` (a raw libuv handle: the master's accepted TCP handle) as connection `fd` from the client at `peer`. `done(null)` once written (the worker's copy is in
     * the kernel: the caller closes its own), `done(error)` if the worker is gone. `extras`: the
     * proxy that declared `peer` and the bytes already read from the socket (see wire.ts).
     */
    send(fd: number, peer: {
        address: string;
        port: number;
    }, handle: object, done: (err: Error | null) => void, extras?: HandoffExtras): void;
    close(): void;
}
//# sourceMappingURL=sender.d.ts.map