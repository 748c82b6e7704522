/**
 * The admin HTTP API, the part both ends share (README, "Admin server"): its routes, what a
 * request becomes once parsed (AdminRequest: plain data that crosses the master's IPC channel
 * to a worker), what a worker answers (AdminAnswer), and the bearer-token check. The master's
 * admin server (src/master/admin/) and the default app's POST /push/:fd and /broadcast
 * (src/worker/default-app.ts) parse with the same function; a worker runs every request
 * through one function (src/worker/admin-ops.ts). No I/O here.
 */
import { isUtf8 } from 'node:buffer';
import { timingSafeEqual } from 'node:crypto';
import { checkCloseArguments } from '../protocol/frame-encoder.js';
import { decodeFd } from '../session-id.js';
/** GET /connections: the page size without `limit`, and the largest accepted. */
export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1000;
/** A uid or room in a path: rooms and uids travel as u16-length strings on the bus. */
const MAX_NAME_BYTES = 1024;
const refused = (status, error, allow) => (allow === undefined ? { kind: 'refused', status, error } : { kind: 'refused', status, error, allow });
/**
 * Parses a request line's method and target. Unknown paths 404, a known path with another
 * method 405 (with Allow), malformed fds, codes, limits, cursors and names 400.
 */
export function parseAdminRoute(method, target) {
    let url;
    try {
        url = new URL(target, 'http://admin.invalid');
    }
    catch {
        return refused(400, 'malformed request target');
    }
    const parts = url.pathname.split('/').slice(1);
    const q = url.searchParams;
    const only = (allow, route) => (allow.split(', ').includes(method) ? route() : refused(405, `${method} not allowed on ${url.pathname}`, allow));
    const [a, b, c, extra] = parts;
    if (extra !== undefined)
        return refused(404, `no admin endpoint at ${url.pathname}`);
    switch (a) {
        case 'healthz':
        case 'readyz':
        case 'metrics':
        case 'stats':
            return b === undefined ? only('GET', () => ({ kind: 'master', name: a })) : refused(404, `no admin endpoint at ${url.pathname}`);
        case 'broadcast':
            return b === undefined ? only('POST', () => withBody(q, (body, binary) => ({ op: 'broadcast', body, binary }))) : refused(404, `no admin endpoint at ${url.pathname}`);
        case 'push': {
            if (b === undefined || c !== undefined)
                return refused(404, `no admin endpoint at ${url.pathname}`);
            return only('POST', () => {
                const fd = parseFd(b);
                return fd === null ? refused(400, `malformed fd ${JSON.stringify(b.slice(0, 40))}`) : withBody(q, (body, binary) => ({ op: 'push', fd, body, binary }));
            });
        }
        case 'uids':
        case 'rooms': {
            if (b === undefined || c !== 'push')
                return refused(404, `no admin endpoint at ${url.pathname}`);
            return only('POST', () => {
                const name = parseName(b);
                if (name === null)
                    return refused(400, `malformed ${a === 'uids' ? 'uid' : 'room'} (percent-encoded UTF-8, 1-${MAX_NAME_BYTES} bytes)`);
                return withBody(q, (body, binary) => (a === 'uids' ? { op: 'pushUid', uid: name, body, binary } : { op: 'pushRoom', room: name, body, binary }));
            });
        }
        case 'connections':
            if (c !== undefined)
                return refused(404, `no admin endpoint at ${url.pathname}`);
            if (b === undefined)
                return only('GET', () => listRoute(q));
            return only('GET, DELETE', () => {
                const fd = parseFd(b);
                if (fd === null)
                    return refused(400, `malformed fd ${JSON.stringify(b.slice(0, 40))}`);
                if (method === 'GET')
                    return noBody({ op: 'info', fd });
                const code = q.has('code') ? parseInteger(q.get('code')) : 1000;
                const reason = q.get('reason') ?? '';
                try {
                    checkCloseArguments(code ?? NaN, reason);
                }
                catch (err) {
                    return refused(400, err.message);
                }
                return noBody({ op: 'disconnect', fd, code: code, reason });
            });
        default:
            return refused(404, `no admin endpoint at ${url.pathname}`);
    }
}
function noBody(request) {
    return { kind: 'worker', body: false, make: () => request };
}
/** A push route: `?binary=1` sends the body as a binary message; otherwise it must be UTF-8 (a text message). */
function withBody(q, make) {
    const flag = q.get('binary');
    if (flag !== null && flag !== '0' && flag !== '1')
        return refused(400, 'binary must be 0 or 1');
    const binary = flag === '1';
    return {
        kind: 'worker',
        body: true,
        make: (body) => (binary || isUtf8(body) ? make(body, binary) : refused(400, 'the body is not UTF-8: send ?binary=1 for a binary message')),
    };
}
function listRoute(q) {
    const cursor = q.has('cursor') && q.get('cursor') !== '' ? parseInteger(q.get('cursor')) : 0;
    if (cursor === null)
        return refused(400, 'cursor must be an fd (a non-negative integer) from the previous page');
    const limit = q.has('limit') ? parseInteger(q.get('limit')) : DEFAULT_PAGE_LIMIT;
    if (limit === null || limit < 1 || limit > MAX_PAGE_LIMIT)
        return refused(400, `limit must be an integer from 1 to ${MAX_PAGE_LIMIT}`);
    const name = (key) => (q.has(key) ? (Buffer.byteLength(q.get(key)) <= MAX_NAME_BYTES && q.get(key) !== '' ? q.get(key) : null) : undefined);
    const room = name('room');
    const uid = name('uid');
    if (room === null || uid === null)
        return refused(400, `room and uid must be 1-${MAX_NAME_BYTES} bytes`);
    return noBody({ op: 'list', room, uid, cursor, limit });
}
/** A decimal integer without sign or leading zeros, as an fd or a number is written; null otherwise. */
function parseInteger(text) {
    if (!/^(0|[1-9][0-9]{0,15})$/.test(text))
        return null;
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : null;
}
function parseFd(text) {
    const n = parseInteger(text);
    return n !== null && decodeFd(n) !== null ? n : null;
}
function parseName(segment) {
    let name;
    try {
        name = decodeURIComponent(segment);
    }
    catch {
        return null;
    }
    return name !== '' && Buffer.byteLength(name) <= MAX_NAME_BYTES ? name : null;
}
/**
 * A push outcome as an HTTP status: written/queued 200, unknown/closed 404 (nobody holds that
 * session), dropped 409 (its buffer is full), unreachable/timeout/congested 503 (congested with
 * Retry-After: the bus drains; the others may last).
 */
export function pushAnswer(status) {
    switch (status) {
        case 'written':
        case 'queued':
            return { code: 200 };
        case 'unknown':
        case 'closed':
            return { code: 404 };
        case 'dropped':
            return { code: 409 };
        case 'congested':
            return { code: 503, retryAfter: 1 };
        default:
            return { code: 503 };
    }
}
/** `Authorization: Bearer <token>` against the expected token, in constant time for tokens of the same length. */
export function bearerMatches(header, token) {
    const given = Buffer.from(header !== undefined && /^bearer /i.test(header) ? header.slice(7).trim() : '');
    const want = Buffer.from(token);
    // timingSafeEqual needs equal lengths: compare with ourselves to spend the same time, then fail.
    if (given.length !== want.length)
        return timingSafeEqual(want, want) && false;
    return timingSafeEqual(given, want);
}
/** Whether a listening address reaches only this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host) {
    const h = host.toLowerCase();
    return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}
//# sourceMappingURL=admin-api.js.map