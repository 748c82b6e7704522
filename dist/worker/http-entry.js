import { createServer } from 'node:http';
import { HandshakeError } from '../shared/errors.js';
import { buildHttpResponse, validateUpgrade } from '../shared/protocol/handshake.js';
import { headEnd, readUpgradeHead } from '../shared/protocol/request-head.js';
const FD = Symbol('switchyard.fd');
/**
 * The entry point for accepted sockets. The first bytes are read here: a plain, well-formed
 * `GET … HTTP/1.1` upgrade (what a WebSocket server mostly sees) is read by our own small
 * reader (protocol/request-head.ts) and upgraded at once; anything else — plain HTTP, other
 * methods or versions, anything malformed or unusual — goes with the bytes already read to
 * Node's own HTTP parser (llhttp) in an http.Server that never listens (emit('connection')).
 * Node's per-request objects cost about a fifth of a handshake's CPU; the upgrade does not
 * need them. It enforces the handshake deadline and header cap and answers every malformed
 * or refused upgrade with one precise status.
 *
 * Nothing per socket outlives its upgrade: one shared 'close' listener (removed at the
 * upgrade) and one timer for all handshake deadlines. A socket that becomes a WebSocket
 * carries no closure, timer or extra property of ours from here (memory per idle connection).
 */
export class HttpEntry {
    http;
    config;
    log;
    handler;
    /** Sockets accepted and not (yet) WebSockets: for shutdown and the 'disconnect' callback. */
    sockets = new Map();
    /**
     * Handshake deadlines (fd → ms) of sockets that have not sent a request yet. Every socket
     * gets the same timeout, so insertion order is deadline order: one timer, armed for the
     * oldest, serves them all.
     */
    deadlines = new Map();
    deadlineTimer = null;
    /** Shared by every socket (`this` is the socket): no closure per connection. */
    onSocketClose;
    onHeadData;
    /** The bytes of request heads not complete yet, by fd (most arrive in one read). */
    partialHeads = new Map();
    constructor(config, log, handler) {
        this.config = config;
        this.log = log;
        this.handler = handler;
        this.http = createServer({ maxHeaderSize: config.maxHeaderSize, noDelay: true });
        // Node's own header/request timers only run for listening servers; ours is armed per socket.
        this.http.requestTimeout = 0;
        this.http.headersTimeout = 0;
        this.http.on('request', (req, res) => this.onRequest(req, res));
        this.http.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
        this.http.on('clientError', (err, socket) => this.onClientError(err, socket));
        const entry = this;
        this.onSocketClose = function () {
            const fd = this[FD];
            if (fd === undefined)
                return;
            entry.deadlines.delete(fd);
            entry.partialHeads.delete(fd);
            // Still here: it never became a WebSocket (refused upgrades stay until they close).
            if (entry.sockets.delete(fd))
                entry.handler.socketClosed(fd);
        };
        this.onHeadData = function (chunk) {
            entry.readHead(this, chunk);
        };
    }
    /** Injects an accepted socket; `fd` is its session id from now on. */
    attach(socket, fd) {
        socket[FD] = fd;
        this.sockets.set(fd, socket);
        this.deadlines.set(fd, Date.now() + this.config.handshakeTimeoutMs);
        this.armDeadline();
        socket.on('close', this.onSocketClose);
        socket.on('data', this.onHeadData);
        // pauseOnConnect sockets stay paused until someone reads: we do now.
        socket.resume();
    }
    /** Request bytes before any parser has them: an upgrade we read ourselves, or Node's parser. */
    readHead(socket, chunk) {
        const fd = socket[FD];
        const earlier = this.partialHeads.get(fd);
        const bytes = earlier === undefined ? chunk : Buffer.concat([earlier, chunk]);
        const end = headEnd(bytes, earlier?.length ?? 0);
        if (end === -1) {
            // Over the cap: Node's parser answers 431 as for any request.
            if (bytes.length > this.config.maxHeaderSize)
                this.toNodeHttp(socket, fd, bytes);
            else
                this.partialHeads.set(fd, bytes);
            return;
        }
        this.partialHeads.delete(fd);
        // Over the cap, even if complete: Node's parser gives the 431.
        const head = end <= this.config.maxHeaderSize ? readUpgradeHead(bytes, end) : null;
        if (head === null) {
            this.toNodeHttp(socket, fd, bytes);
            return;
        }
        socket.off('data', this.onHeadData);
        const source = { method: head.method, url: head.url, httpVersion: '1.1', headers: head.headers, rawHeaders: head.rawHeaders, socket };
        this.upgradeWith(fd, socket, head, source, bytes.subarray(end));
    }
    /** Everything but the fast upgrade: Node's HTTP server parses it all, from the first byte. */
    toNodeHttp(socket, fd, bytes) {
        this.partialHeads.delete(fd);
        socket.off('data', this.onHeadData);
        socket.pause();
        // Node's parser would otherwise read the handle directly (in C++) and never see the
        // bytes already read; on 'data' events it gets them first (the documented unshift pattern).
        const handle = socket._handle;
        if (handle)
            handle._consumed = true;
        socket.unshift(bytes);
        this.http.emit('connection', socket);
        socket.resume();
    }
    armDeadline() {
        if (this.deadlineTimer !== null)
            return;
        const oldest = this.deadlines.values().next();
        if (oldest.done)
            return;
        // Unref'd: the sockets keep the process alive, not their deadlines.
        this.deadlineTimer = setTimeout(() => this.expireDeadlines(), Math.max(0, oldest.value - Date.now())).unref();
    }
    expireDeadlines() {
        this.deadlineTimer = null;
        const now = Date.now();
        for (const [fd, at] of this.deadlines) {
            if (at > now)
                break;
            this.deadlines.delete(fd);
            const socket = this.sockets.get(fd);
            if (socket === undefined || socket.destroyed)
                continue;
            this.log.debug({ fd }, 'handshake timeout');
            reject(socket, 408, 'handshake timeout');
        }
        this.armDeadline();
    }
    onRequest(req, res) {
        // A plain HTTP request disarms the deadline: keep-alive idling is Node's business.
        const fd = req.socket[FD];
        if (fd !== undefined)
            this.deadlines.delete(fd);
        // A WebSocket attempt that Node did not treat as an upgrade (no Connection: upgrade):
        // answer it precisely instead of handing it to the app as a plain request.
        if (typeof req.headers.upgrade === 'string' && req.headers.upgrade.toLowerCase() === 'websocket') {
            const result = validateUpgrade(headOf(req));
            if (result instanceof HandshakeError) {
                res.writeHead(result.status, { ...result.headers, 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
                res.end(result.message);
                return;
            }
        }
        this.handler.request(req, res);
    }
    onUpgrade(req, socket, head) {
        const fd = socket[FD];
        if (fd === undefined) {
            socket.destroy();
            return;
        }
        this.upgradeWith(fd, socket, headOf(req), req, head);
    }
    /** An upgrade request, read by either parser: validated, then handed to the server or refused. */
    upgradeWith(fd, socket, requestHead, req, head) {
        // No 'data' listener is left: hold the bytes until the connection reads them.
        socket.pause();
        this.deadlines.delete(fd);
        const result = validateUpgrade(requestHead);
        // A refused upgrade stays in `sockets`: it closes as a non-WebSocket connection.
        if (result instanceof HandshakeError) {
            this.log.debug({ fd, status: result.status, err: result.code }, 'handshake refused');
            reject(socket, result.status, result.message, Object.entries(result.headers));
            return;
        }
        const refusal = this.handler.refuseReason();
        if (refusal !== null) {
            reject(socket, 503, refusal, [['Retry-After', '1']]);
            return;
        }
        this.sockets.delete(fd);
        socket.off('close', this.onSocketClose);
        this.handler.upgrade(fd, req, socket, head, result);
    }
    onClientError(err, socket) {
        if (err.code === 'ECONNRESET' || !socket.writable) {
            socket.destroy();
            return;
        }
        const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
        this.log.debug({ fd: socket[FD], err: err.code, status }, 'bad HTTP request');
        reject(socket, status, status === 431 ? 'request headers too large' : 'bad request');
    }
    /** Refuses everything still waiting to become a WebSocket (shutdown). */
    closeAll() {
        for (const socket of this.sockets.values())
            reject(socket, 503, 'server shutting down');
    }
}
/** Writes a complete refusal and closes once it is flushed; a reset peer is just destroyed. */
export function reject(socket, status, message, headers = []) {
    if (socket.destroyed)
        return;
    if (!socket.writable) {
        socket.destroy();
        return;
    }
    socket.end(buildHttpResponse(status, message, headers));
    // A peer that never reads must not pin the socket.
    setTimeout(() => socket.destroy(), 1000).unref();
}
function headOf(req) {
    return { method: req.method ?? '', httpVersionMajor: req.httpVersionMajor, httpVersionMinor: req.httpVersionMinor, headers: req.headers };
}
//# sourceMappingURL=http-entry.js.map