import { decodeHandoffs } from '../shared/handoff-wire.js';
import { openIpcPipe, readResult } from '../shared/native-pipe.js';
/**
 * The worker's end of its hand-off pipe (an inherited descriptor, see master/handoff-link):
 * every record is a connection's session id and client address, with the socket's raw TCP
 * handle attached. `onConnection(record, undefined)` for a record whose descriptor did not arrive (the worker
 * could not take one more file, say): the caller counts it as missing.
 */
export function receiveHandoffs(descriptor, onConnection, onEnd) {
    const pipe = openIpcPipe(descriptor);
    let rest = null;
    pipe.onread = (buffer) => {
        const handle = pipe.pendingHandle ?? undefined;
        pipe.pendingHandle = null;
        const chunk = readResult(buffer);
        if (typeof chunk === 'number') {
            // The master is gone (EOF): nothing more will come.
            pipe.readStop();
            pipe.close();
            onEnd();
            return;
        }
        const decoded = decodeHandoffs(rest ? Buffer.concat([rest, chunk]) : chunk);
        rest = decoded.rest;
        const last = decoded.records.length - 1;
        // Cannot happen (a descriptor travels with its whole record), but never leak one.
        if (last < 0 && handle)
            handle.close();
        for (let i = 0; i <= last; i++)
            onConnection(decoded.records[i], i === last ? handle : undefined);
    };
    pipe.readStart();
    // The master's IPC channel keeps the worker alive, not this pipe.
    pipe.unref();
}
//# sourceMappingURL=handoff-receiver.js.map