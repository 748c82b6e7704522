import { readResult } from '../shared/handoff/native-pipe.js';
import { MAX_PREFIX } from '../shared/handoff/wire.js';
import { parseProxyHeader } from '../shared/proxy/proxy-protocol.js';
const ignoreRead = () => { };
/**
 * The thin shell around parseProxyHeader (shared/proxy/proxy-protocol.ts): reads the raw TCP
 * handle until the header is complete, malformed, the peer leaves, or `timeoutMs` pass, then
 * STOPS reading and reports once. Bytes read past the header (the HTTP request's start often
 * comes in the same segment) are the outcome's `prefix`: they travel with the hand-off and the
 * worker reads them first; anything not read yet stays in the kernel for the worker. The
 * caller closes the handle on a failure.
 */
export function readProxyHeader(handle, timeoutMs, done) {
    let bytes = Buffer.alloc(0);
    let settled = false;
    const finish = (outcome) => {
        if (settled)
            return;
        settled = true;
        clearTimeout(timer);
        handle.readStop();
        handle.onread = ignoreRead;
        done(outcome);
    };
    const timer = setTimeout(() => finish({ ok: false, reason: 'timeout', detail: `no complete PROXY header within ${timeoutMs} ms (${bytes.length} bytes read)` }), timeoutMs);
    timer.unref();
    handle.onread = (buffer) => {
        const chunk = readResult(buffer);
        if (typeof chunk === 'number') {
            if (bytes.length === 0)
                finish({ ok: false, reason: 'probe', detail: 'closed before sending anything' });
            else
                finish({ ok: false, reason: 'closed', detail: `the connection ended before its PROXY header was complete (errno ${chunk})` });
            return;
        }
        if (chunk.length === 0)
            return;
        bytes = bytes.length === 0 ? Buffer.from(chunk) : Buffer.concat([bytes, chunk]);
        const parsed = parseProxyHeader(bytes);
        if (parsed.kind === 'need')
            return;
        if (parsed.kind === 'error') {
            finish({ ok: false, reason: 'malformed', detail: parsed.reason });
            return;
        }
        const prefix = bytes.subarray(parsed.length);
        if (prefix.length > MAX_PREFIX) {
            finish({ ok: false, reason: 'oversized', detail: `${prefix.length} bytes after the PROXY header before any answer (at most ${MAX_PREFIX})` });
            return;
        }
        finish({ ok: true, source: parsed.source, prefix });
    };
    const err = handle.readStart();
    if (err !== 0)
        queueMicrotask(() => finish({ ok: false, reason: 'closed', detail: `cannot read the connection (errno ${err})` }));
}
//# sourceMappingURL=proxy-header-reader.js.map