import { CloseCode, Opcode } from '../shared/protocol/constants.js';
import { upgradeRequired } from './handshake/upgrade-required.js';
/**
 * The app's callbacks (Swoole's $server->on()) and how they run. Nothing an app callback does
 * escapes into the server: a failure is logged and, where a connection is involved, closes
 * that connection with 1011; everyone else keeps being served.
 */
export class AppCallbacks {
    registry = {};
    server;
    log;
    constructor(server, log) {
        this.server = server;
        this.log = log;
    }
    /**
     * Registers a callback. One per event; the last one wins. Master-only hooks are accepted and
     * kept for the master; a worker never runs them.
     */
    on(event, callback) {
        if (typeof callback !== 'function')
            throw new TypeError(`on('${String(event)}'): callback must be a function`);
        this.registry[event] = callback;
    }
    /** The handshake hook, which the upgrade flow runs itself (its failures become HTTP answers). */
    get handshake() {
        return this.registry.handshake;
    }
    /** A complete data message: text as a string, binary as a Buffer. */
    message(conn, data, binary) {
        const frame = {
            fd: conn.fd,
            data: binary ? data : data.toString('utf8'),
            opcode: binary ? Opcode.Binary : Opcode.Text,
            finish: true,
        };
        this.invoke(conn, 'message', frame);
    }
    /** A control frame the app asked for (openWebsocket*Frame); close frames carry code and reason. */
    control(conn, opcode, payload, code, reason) {
        const frame = { fd: conn.fd, data: payload, opcode, finish: true };
        if (code !== undefined) {
            frame.code = code;
            frame.reason = reason ?? '';
        }
        this.invoke(conn, 'message', frame);
    }
    /**
     * Runs an app callback for a connection. A throw or a rejected promise is logged with the fd
     * and closes that connection with 1011; everyone else keeps being served. Unsettled
     * promises count towards the connection's inbound backpressure.
     */
    invoke(conn, event, arg) {
        const cb = this.registry[event];
        if (!cb)
            return;
        try {
            const r = cb(this.server, arg);
            if (r instanceof Promise) {
                conn.callbackStarted();
                r.then(() => conn.callbackSettled(), (err) => {
                    conn.callbackSettled();
                    this.callbackFailed(conn, event, err);
                });
            }
        }
        catch (err) {
            this.callbackFailed(conn, event, err);
        }
    }
    callbackFailed(conn, event, err) {
        this.log.error({ fd: conn.fd, event, err }, 'callback failed: closing connection with 1011');
        conn.disconnect(CloseCode.InternalError, 'internal error');
    }
    /** Callbacks with no connection left to close: failures are only logged. */
    invokeDetached(event, fd, info) {
        const cb = this.registry[event];
        if (!cb)
            return;
        const fail = (err) => this.log.error({ fd, event, err }, 'callback failed');
        try {
            const r = cb(this.server, fd, info);
            if (r instanceof Promise)
                r.catch(fail);
        }
        catch (err) {
            fail(err);
        }
    }
    /** `strict`: a failure is thrown (a reload's replacement must not serve with a failed workerStart). */
    async invokeLifecycle(event, workerId, strict = false) {
        try {
            await this.registry[event]?.(this.server, workerId);
        }
        catch (err) {
            this.log.error({ event, err }, 'callback failed');
            if (strict)
                throw err;
        }
    }
    /** Another worker's sendMessage. */
    invokePipe(src, data) {
        const cb = this.registry.pipeMessage;
        if (!cb)
            return;
        try {
            const r = cb(this.server, src, data);
            if (r instanceof Promise)
                r.catch((err) => this.log.error({ err, src }, 'pipeMessage callback failed'));
        }
        catch (err) {
            this.log.error({ err, src }, 'pipeMessage callback failed');
        }
    }
    bufferFull(conn) {
        this.registry.bufferFull?.(this.server, conn.fd);
    }
    bufferEmpty(conn) {
        this.registry.bufferEmpty?.(this.server, conn.fd);
    }
    /** A plain HTTP request: the app's `request` callback, or 426 when it has none; 500 when it fails. */
    request(req, res) {
        const cb = this.registry.request;
        if (!cb) {
            upgradeRequired(res);
            return;
        }
        try {
            const r = cb(req, res, this.server);
            if (r instanceof Promise)
                r.catch((err) => this.failRequest(res, err));
        }
        catch (err) {
            this.failRequest(res, err);
        }
    }
    failRequest(res, err) {
        this.log.error({ err }, 'request callback failed');
        try {
            if (!res.headersSent)
                res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
            res.end();
        }
        catch {
            // The app left the response unfinishable (e.g. a Content-Length it did not keep to).
            res.destroy();
        }
    }
}
//# sourceMappingURL=app-callbacks.js.map