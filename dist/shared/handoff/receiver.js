import { decodeHandoffRead } from './wire.js';
import { openIpcPipe, readResult } from './native-pipe.js';
/**
 * The worker's end of its hand-off pipe (an inherited descriptor, see sender.ts):
 * every read is one connection's record (session id, client address) with the socket's raw
 * TCP handle attached. `self` is this worker: records naming another one are rejected.
 */
export function receiveHandoffs(descriptor, self, events) {
    const pipe = openIpcPipe(descriptor);
    pipe.onread = (buffer) => {
        const handle = (pipe.pendingHandle ?? undefined);
        pipe.pendingHandle = null;
        const chunk = readResult(buffer);
        if (typeof chunk === 'number') {
            // The master is gone (EOF): nothing more will come.
            pipe.readStop();
            pipe.close();
            events.end();
            return;
        }
        if (chunk.length === 0 && !handle)
            return;
        const read = decodeHandoffRead(chunk, self);
        if (read.handed) {
            events.connection(read.handed, handle);
            return;
        }
        // Which record the descriptor belongs to is not certain: a socket under the wrong session
        // id would be worse than a closed one.
        handle?.close();
        const bytes = read.rejected.reduce((n, r) => n + r.bytes, 0);
        const why = read.rejected[0]?.why ?? (read.orphans.length > 1 ? 'several' : 'torn');
        events.rejected({ bytes, why, records: read.orphans.length, closed: handle !== undefined });
        for (const record of read.orphans)
            events.connection(record, undefined);
    };
    pipe.readStart();
    // The master's IPC channel keeps the worker alive, not this pipe.
    pipe.unref();
}
//# sourceMappingURL=receiver.js.map