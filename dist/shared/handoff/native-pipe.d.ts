/** The C++ side of an IPC pipe (a LibuvStreamWrap), as much of it as we use. */
export interface NativePipe {
    open(fd: number): number;
    connect(req: object, path: string): number;
    readStart(): number;
    readStop(): number;
    writeBuffer(req: WriteRequest, data: Buffer, handle?: object): number;
    close(cb?: () => void): void;
    /** Read callback: the chunk's ArrayBuffer, or undefined at EOF/error (see readResult). */
    onread: ((buffer: ArrayBuffer | undefined) => void) | null;
    /** The handle that came with the chunk being read (set by C++ just before `onread`). */
    pendingHandle: object | null;
    ref(): void;
    unref(): void;
}
/**
 * A pending write: `oncomplete(status)` runs once it is written (status < 0: an errno).
 * `buffer` and `handle` are ours: what must stay alive until then (see writeWithHandle).
 */
export interface WriteRequest {
    oncomplete: (status: number) => void;
    buffer?: Buffer | null;
    handle?: object | null;
}
/** An IPC pipe (may carry handles) on an inherited file descriptor. */
export declare function openIpcPipe(fd: number): NativePipe;
/**
 * Listens at `path` and gives the first connection as an IPC pipe. libuv accepts into a pipe
 * that is not in IPC mode (it would drop descriptors): its descriptor is opened again as an
 * IPC pipe, and the accepted handle is kept, never read nor closed, while the pipe lives
 * (closing it would close the descriptor under the pipe). No net.Socket wraps it: one that
 * started reading would take the descriptor's events from the IPC pipe.
 */
export declare function listenIpcPipe(path: string, onPipe: (pipe: NativePipe) => void): {
    close(): void;
};
/** An IPC pipe connected to the Unix socket at `path`. */
export declare function connectIpcPipe(path: string): Promise<NativePipe>;
/**
 * Writes `data` with `handle` attached (one sendmsg carrying the descriptor). `done` runs once
 * it is written or failed (status < 0); the sender's own copy of the handle must stay open
 * until then, as libuv reads its descriptor when the write actually happens.
 *
 * libuv also reads `data` only then: when the pipe is full (the worker is behind), writeBuffer
 * queues a pointer to the bytes and returns. Node's C++ keeps only the request (and, on it,
 * the handle), not the Buffer: the caller must, as Node's own stream code does (`req.buffer`
 * in lib/internal/stream_base_commons.js, child_process's IPC writer likewise). Without that a
 * garbage collection could free the bytes mid-queue — a small record is a slice of Buffer's
 * shared 8 KiB pool, freed with its last slice and soon reused by a later pool — and the
 * worker then read another record's bytes, or garbage, with this socket attached.
 */
export declare function writeWithHandle(pipe: NativePipe, data: Buffer, handle: object | undefined, done: (status: number) => void): void;
/** What `onread` was given: the chunk's bytes, or the negative errno (EOF included) that ended reading. */
export declare function readResult(buffer: ArrayBuffer | undefined): Buffer | number;
//# sourceMappingURL=native-pipe.d.ts.map