import { createServer } from 'node:http';
import { HttpError } from '../../shared/errors.js';
import { OriginCheck } from '../../shared/protocol/origin-check.js';
import { buildHttpResponse, validateUpgrade } from '../../shared/protocol/handshake.js';
import { checkRequest, versionErrorOf } from '../../shared/protocol/request-checks.js';
import { headEnd, mayBeUpgradeHead, readUpgradeHead } from '../../shared/protocol/request-head.js';
import { HttpPhases } from './http-deadlines.js';
import { tlsHandshaking } from './tls-terminator.js';
import { clientAddressOf } from './client-address.js';
import { AddressSet } from '../../shared/proxy/address-match.js';
const FD = Symbol('switchyard.fd');
/**
 * The entry point for accepted sockets. The first bytes are read here: a plain, well-formed
 * `GET … HTTP/1.1` upgrade (what a WebSocket server mostly sees) is read by our own small
 * reader (protocol/request-head.ts) and upgraded at once; anything else — plain HTTP, other
 * methods or versions, anything malformed or unusual — goes with the bytes already read to
 * Node's own HTTP parser (llhttp) in an http.Server that never listens (emit('connection')),
 * as soon as the bytes cannot be the fast form. Node's per-request objects cost about a fifth
 * of a handshake's CPU; the upgrade does not need them. Both paths pass the same RFC 9112
 * checks (version, Host, target form), every phase has a deadline (Node's own timeouts only
 * run for listening servers), at most maxPendingHandshakes sockets are not WebSockets at a
 * time, and every malformed or refused request gets one precise status.
 *
 * Nothing per socket outlives its upgrade: one shared 'close' listener (removed at the
 * upgrade) and one timer for all deadlines. A socket that becomes a WebSocket carries no
 * closure, timer or extra property of ours from here (memory per idle connection).
 */
export class HttpEntry {
    http;
    config;
    log;
    handler;
    /** allowedOrigins / requireOrigin: a handshake from another origin gets 403 before any hook. */
    origins;
    /** Sockets accepted and not (yet) WebSockets: for shutdown and the 'disconnect' callback. */
    sockets = new Map();
    /** Deadlines of every phase, and Node's requests and responses they follow. */
    phases;
    /** Shared by every socket (`this` is the socket): no closure per connection. */
    onSocketClose;
    onRefusedClose;
    onHeadData;
    /** The bytes of request heads not complete yet, by fd (most arrive in one read). */
    partialHeads = new Map();
    /** When each socket in `sockets` arrived (performance.now()): a handshake's duration starts there. */
    arrivedAt = new Map();
    /** Proxies whose forwarding headers are believed (config.trustProxy). */
    trustProxy;
    constructor(config, log, handler) {
        this.config = config;
        this.trustProxy = AddressSet.parse(config.trustProxy).set;
        this.log = log;
        this.handler = handler;
        const origins = new OriginCheck(config.allowedOrigins, config.requireOrigin);
        this.origins = origins.active ? origins : null;
        this.http = createServer({ maxHeaderSize: config.maxHeaderSize, noDelay: true });
        // Node's header/request timers only run for listening servers: ours are the deadlines.
        // Its keep-alive value is what responses advertise (Keep-Alive: timeout=N); the idle
        // timer it arms with it is reset by every byte, so ours bounds the wait.
        this.http.requestTimeout = 0;
        this.http.headersTimeout = 0;
        this.http.keepAliveTimeout = config.keepAliveTimeoutMs;
        this.http.on('request', (req, res) => this.onRequest(req, res));
        this.http.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
        this.http.on('clientError', (err, socket) => this.onClientError(err, socket));
        this.phases = new HttpPhases(config, log, (socket) => socket?.[FD], (fd, expiry) => this.expire(fd, expiry));
        const entry = this;
        this.onSocketClose = function () {
            const fd = this[FD];
            if (fd === undefined)
                return;
            entry.forget(fd);
            entry.arrivedAt.delete(fd);
            // Still here: it never became a WebSocket (refused upgrades stay until they close).
            if (entry.sockets.delete(fd))
                entry.handler.socketClosed(fd);
        };
        this.onRefusedClose = function () {
            const fd = this[FD];
            if (fd !== undefined)
                entry.handler.socketClosed(fd);
        };
        this.onHeadData = function (chunk) {
            entry.readHead(this, chunk);
        };
    }
    /** Injects an accepted socket; `fd` is its session id from now on. */
    attach(socket, fd) {
        socket[FD] = fd;
        // Every socket that is not a WebSocket holds memory and a descriptor until a deadline
        // at most: past the cap a new one is answered at once, before a byte of it is read.
        if (this.sockets.size + this.handler.awaitingHook() >= this.config.maxPendingHandshakes) {
            this.log.debug({ fd }, 'too many connections not yet WebSockets: 503');
            socket.on('close', this.onRefusedClose);
            this.reject(socket, 503, 'too many pending connections', [['Retry-After', '1']]);
            return;
        }
        this.sockets.set(fd, socket);
        this.arrivedAt.set(fd, performance.now());
        this.phases.connected(fd);
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
            // Over the cap Node's parser answers 431, as for any request; bytes that cannot be
            // the fast form go to it now (garbage gets its 400 at once, not at the deadline).
            if (bytes.length > this.config.maxHeaderSize || !mayBeUpgradeHead(bytes, earlier?.length ?? 0))
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
    /** A deadline passed: the socket is answered (408) if that cannot garble a response, and closed. */
    expire(fd, expiry) {
        const socket = this.sockets.get(fd);
        if (socket === undefined || socket.destroyed)
            return;
        // A TLS handshake not done by the deadline: there is no channel to answer on.
        if (expiry === 'destroy' || tlsHandshaking(socket))
            socket.destroy();
        else
            this.closeWith(socket, fd, expiry.status, expiry.why);
    }
    /** Stops reading (no parser may take a late request) and closes, after `status` if given. */
    closeWith(socket, fd, status, why) {
        this.log.debug({ fd, status }, why);
        this.partialHeads.delete(fd);
        socket.off('data', this.onHeadData);
        socket.pause();
        if (status !== null)
            this.reject(socket, status, why);
        else {
            socket.end();
            setTimeout(() => socket.destroy(), 1000).unref();
        }
    }
    onRequest(req, res) {
        const fd = req.socket[FD];
        if (fd !== undefined)
            this.phases.requestStarted(fd, req, res);
        const target = checkRequest(lineOf(req));
        if (target instanceof HttpError) {
            this.log.debug({ fd, status: target.status, err: target.code }, 'bad HTTP request');
            this.handler.refused(target.status);
            answer(res, target);
            return;
        }
        useTarget(req, target);
        // A WebSocket attempt that Node did not treat as an upgrade (no Connection: upgrade):
        // answer it precisely instead of handing it to the app as a plain request.
        if (typeof req.headers.upgrade === 'string' && req.headers.upgrade.toLowerCase() === 'websocket') {
            const result = validateUpgrade(headOf(req));
            if (result instanceof HttpError) {
                this.handler.refused(result.status);
                answer(res, result);
                return;
            }
        }
        // The app's req carries the client as the upgrade's request does (per request: a proxy's
        // keep-alive connection carries many clients).
        this.handler.request(Object.assign(req, clientAddressOf(req.socket, req.headers, this.trustProxy)), res);
    }
    onUpgrade(req, socket, head) {
        const fd = socket[FD];
        if (fd === undefined) {
            socket.destroy();
            return;
        }
        const target = checkRequest(lineOf(req));
        if (target instanceof HttpError) {
            this.refuse(fd, socket, target);
            return;
        }
        useTarget(req, target);
        this.upgradeWith(fd, socket, headOf(req), req, head);
    }
    /** An upgrade request, read by either parser: validated, then handed to the server or refused. */
    upgradeWith(fd, socket, requestHead, req, head) {
        // No 'data' listener is left: hold the bytes until the connection reads them.
        socket.pause();
        this.forget(fd);
        const result = validateUpgrade(requestHead);
        // A refused upgrade stays in `sockets`: it closes as a non-WebSocket connection.
        if (result instanceof HttpError) {
            this.refuse(fd, socket, result);
            return;
        }
        const origin = requestHead.headers.origin;
        const wrongOrigin = this.origins?.check(Array.isArray(origin) ? origin.join(', ') : origin) ?? null;
        if (wrongOrigin !== null) {
            this.refuse(fd, socket, wrongOrigin);
            return;
        }
        const refusal = this.handler.refuseReason();
        if (refusal !== null) {
            this.reject(socket, 503, refusal, [['Retry-After', '1']]);
            return;
        }
        this.sockets.delete(fd);
        const arrivedAt = this.arrivedAt.get(fd) ?? performance.now();
        this.arrivedAt.delete(fd);
        socket.off('close', this.onSocketClose);
        this.handler.upgrade(fd, req, socket, head, result, arrivedAt);
    }
    refuse(fd, socket, error) {
        this.forget(fd);
        this.log.debug({ fd, status: error.status, err: error.code }, 'handshake refused');
        this.reject(socket, error.status, error.message, Object.entries(error.headers));
    }
    /** reject(), counted by status when written. */
    reject(socket, status, message, headers = []) {
        if (reject(socket, status, message, headers))
            this.handler.refused(status);
    }
    /** Drops every deadline and buffer of fd's HTTP phase. */
    forget(fd) {
        this.phases.forget(fd);
        this.partialHeads.delete(fd);
    }
    onClientError(err, socket) {
        const fd = socket[FD];
        // A response still being written would be garbled by ours: the connection just ends.
        const inflight = fd === undefined ? 0 : this.phases.inflight(fd);
        if (fd !== undefined)
            this.forget(fd);
        if (err.code === 'ECONNRESET' || !socket.writable || inflight > 0) {
            socket.destroy();
            return;
        }
        // llhttp refuses HTTP/3.0 as it refuses a malformed line: a well-formed request line
        // naming another major version is 505 (RFC 9110 §15.6.6), the rest 400.
        const version = err.code === 'HPE_INVALID_VERSION' && Buffer.isBuffer(err.rawPacket) ? versionErrorOf(err.rawPacket) : null;
        const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : (version?.status ?? 400);
        this.log.debug({ fd, err: err.code, status }, 'bad HTTP request');
        this.reject(socket, status, version?.message ?? (status === 431 ? 'request headers too large' : 'bad request'));
    }
    /** Refuses everything still waiting to become a WebSocket (shutdown). */
    closeAll() {
        for (const socket of this.sockets.values())
            this.reject(socket, 503, 'server shutting down');
    }
}
/** Writes a complete refusal and closes once it is flushed; a reset peer is just destroyed. True when the refusal was written. */
export function reject(socket, status, message, headers = []) {
    if (socket.destroyed)
        return false;
    // TLS not established yet (a refusal at once, shutdown): no channel to answer on.
    if (!socket.writable || tlsHandshaking(socket)) {
        socket.destroy();
        return false;
    }
    socket.end(buildHttpResponse(status, message, headers));
    // A peer that never reads must not pin the socket.
    setTimeout(() => socket.destroy(), 1000).unref();
    return true;
}
function headOf(req) {
    return { method: req.method ?? '', httpVersionMajor: req.httpVersionMajor, httpVersionMinor: req.httpVersionMinor, headers: req.headers };
}
function lineOf(req) {
    return { method: req.method ?? '', url: req.url ?? '', httpVersionMajor: req.httpVersionMajor, httpVersionMinor: req.httpVersionMinor, rawHeaders: req.rawHeaders };
}
/**
 * An absolute-form target routes on its path, and its authority is the request's host (RFC 9112
 * §3.2.2): the app sees origin-form in req.url and that authority in req.headers.host.
 */
function useTarget(req, target) {
    req.url = target.url;
    if (target.host !== undefined)
        req.headers.host = target.host;
}
/** A refusal through Node's response object (plain requests): the connection closes after it. */
function answer(res, error) {
    res.writeHead(error.status, { ...error.headers, 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
    res.end(error.message);
}
//# sourceMappingURL=http-entry.js.map