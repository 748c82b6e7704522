import { pushAnswer } from '../shared/admin/admin-api.js';
import { SessionTableError } from '../shared/errors.js';
/**
 * Runs one admin API request through the server API, wherever its sessions live (the cluster
 * operations route each call to the owner), and answers its HTTP status and JSON body. The one
 * implementation behind the master's admin server (which forwards requests here over IPC) and
 * the default app's POST /push/:fd and POST /broadcast. Never throws: the session table not
 * answering is a 503, anything else a 500.
 */
export async function runAdmin(srv, req) {
    try {
        return await run(srv, req);
    }
    catch (err) {
        // Several nodes: the session table (Redis) could not answer in time. May pass: retry.
        if (err instanceof SessionTableError)
            return { status: 503, body: { error: err.message }, retryAfter: 1 };
        srv.log.error({ err, op: req.op }, 'admin request failed');
        return { status: 500, body: { error: 'internal error' } };
    }
}
async function run(srv, req) {
    switch (req.op) {
        case 'push': {
            const status = await srv.pushAsync(req.fd, message(req));
            const { code, retryAfter } = pushAnswer(status);
            // Which worker took the request: a load test tells same-worker from cross-worker pushes.
            const body = { fd: req.fd, status, worker: srv.workerId, node: srv.node };
            return retryAfter === undefined ? { status: code, body } : { status: code, body, retryAfter };
        }
        case 'pushUid': {
            // The count is what the cluster knows of the uid now; the push goes to whoever holds it then.
            const sessions = (await srv.getFdsByUid(req.uid)).length;
            return { status: 200, body: { uid: req.uid, sessions, ok: srv.pushToUid(req.uid, message(req)) } };
        }
        case 'pushRoom':
            // Room members live in each worker: the count is not known here.
            return { status: 200, body: { room: req.room, ok: srv.to(req.room).push(message(req)) } };
        case 'broadcast':
            return { status: 200, body: { ok: srv.broadcast(message(req)) } };
        case 'disconnect': {
            // A remote disconnect is fire-and-forget: ask first whether anyone holds the fd.
            if (!(await srv.exist(req.fd)))
                return { status: 404, body: { fd: req.fd, error: 'no such session' } };
            return { status: 200, body: { fd: req.fd, disconnecting: srv.disconnect(req.fd, req.code, req.reason) } };
        }
        case 'info': {
            const info = await srv.getClientInfo(req.fd);
            return info === null ? { status: 404, body: { fd: req.fd, error: 'no such session' } } : { status: 200, body: info };
        }
        case 'list': {
            const page = await srv.getClientList({ cursor: req.cursor, limit: req.limit, ...(req.room !== undefined ? { room: req.room } : {}), ...(req.uid !== undefined ? { uid: req.uid } : {}) });
            return { status: 200, body: page };
        }
    }
}
/** The body as the message: text (checked as UTF-8 when parsed) or binary (`?binary=1`). */
function message(req) {
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength);
    return req.binary ? bytes : bytes.toString('utf8');
}
//# sourceMappingURL=admin-ops.js.map