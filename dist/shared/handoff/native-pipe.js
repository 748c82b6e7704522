/**
 * libuv's IPC pipe as Node's own child_process channel uses it, through the internal
 * `pipe_wrap` and `stream_wrap` bindings (`process.binding`, stable since Node 12 and what
 * node:cluster itself is built on). We need it because Node's public channel sends one socket
 * handle per round trip (it waits for the receiver's NODE_HANDLE_ACK before the next one);
 * over a pipe of our own, hand-offs are pipelined: one sendmsg each, no acknowledgement.
 *
 * This file is the only place that touches those bindings. Unix only (SCM_RIGHTS).
 */
import { HandoffError } from '../errors.js';
const legacyBinding = process.binding;
const pipeBinding = legacyBinding('pipe_wrap');
const streamBinding = legacyBinding('stream_wrap');
/** An IPC pipe (may carry handles) on an inherited file descriptor. */
export function openIpcPipe(fd) {
    const pipe = new pipeBinding.Pipe(pipeBinding.constants.IPC);
    const err = pipe.open(fd);
    if (err !== 0)
        throw new HandoffError('ERR_HANDOFF_PIPE_OPEN', `cannot open file descriptor ${fd} as an IPC pipe (errno ${err})`, err);
    return pipe;
}
/**
 * Listens at `path` and gives the first connection as an IPC pipe. libuv accepts into a pipe
 * that is not in IPC mode (it would drop descriptors): its descriptor is opened again as an
 * IPC pipe, and the accepted handle is kept, never read nor closed, while the pipe lives
 * (closing it would close the descriptor under the pipe). No net.Socket wraps it: one that
 * started reading would take the descriptor's events from the IPC pipe.
 */
export function listenIpcPipe(path, onPipe) {
    const server = new pipeBinding.Pipe(pipeBinding.constants.SERVER);
    let err = server.bind(path);
    if (err === 0)
        err = server.listen(16);
    if (err !== 0) {
        server.close();
        throw new HandoffError('ERR_HANDOFF_PIPE_OPEN', `cannot listen at ${path} (errno ${err})`, err);
    }
    let taken = false;
    const keep = [];
    server.onconnection = (status, client) => {
        if (status !== 0 || !client)
            return;
        if (taken)
            return void client.close();
        taken = true;
        keep.push(client);
        onPipe(openIpcPipe(client.fd));
    };
    return {
        close: () => {
            server.close();
            void keep;
        },
    };
}
/** An IPC pipe connected to the Unix socket at `path`. */
export function connectIpcPipe(path) {
    const pipe = new pipeBinding.Pipe(pipeBinding.constants.IPC);
    // The request needs no reference of ours: a dispatched libuv request is held by Node until it completes.
    const req = new pipeBinding.PipeConnectWrap();
    return new Promise((resolve, reject) => {
        const fail = (status) => {
            pipe.close();
            reject(new HandoffError('ERR_HANDOFF_CONNECT', `cannot connect the hand-off pipe (errno ${status})`, status));
        };
        req.oncomplete = (status) => (status < 0 ? fail(status) : resolve(pipe));
        const err = pipe.connect(req, path);
        if (err !== 0)
            fail(err);
    });
}
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
export function writeWithHandle(pipe, data, handle, done) {
    const req = new streamBinding.WriteWrap();
    req.buffer = data;
    req.handle = handle ?? null;
    req.oncomplete = (status) => {
        req.buffer = null;
        req.handle = null;
        done(status);
    };
    const err = pipe.writeBuffer(req, data, handle);
    // A write refused at once never completes: report it the same way, but asynchronously.
    if (err !== 0)
        queueMicrotask(() => req.oncomplete(err));
    // Written at once without a request (never with a handle attached, but that is Node's choice): no oncomplete either.
    else if (streamBinding.streamBaseState[streamBinding.kLastWriteWasAsync] === 0)
        queueMicrotask(() => req.oncomplete(0));
}
/** What `onread` was given: the chunk's bytes, or the negative errno (EOF included) that ended reading. */
export function readResult(buffer) {
    const state = streamBinding.streamBaseState;
    const n = state[streamBinding.kReadBytesOrError];
    if (buffer === undefined || n < 0)
        return n < 0 ? n : -1;
    return Buffer.from(buffer, state[streamBinding.kArrayBufferOffset], n);
}
//# sourceMappingURL=native-pipe.js.map