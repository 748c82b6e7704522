/**
 * Deadlines of sockets that are not WebSockets (yet), one timer for all of them. Each kind
 * has a fixed duration, so within a kind insertion order is deadline order: a Map per kind
 * (fd → when), its oldest entry first, and one timer armed for the earliest of those. A
 * socket has at most one deadline; arming it again (any kind) moves it to the end of its
 * kind's Map. No closure and no timer per socket: memory per connection stays flat.
 */
export class Deadlines {
    queues = new Map();
    durations;
    onExpire;
    timer = null;
    /** When the armed timer fires (Infinity: none armed). */
    timerAt = Infinity;
    /** `durations` in ms per kind; `onExpire` runs once for each deadline that passes. */
    constructor(durations, onExpire) {
        this.durations = durations;
        this.onExpire = onExpire;
        for (const kind of Object.keys(durations))
            this.queues.set(kind, new Map());
    }
    /** Gives fd the deadline `kind` from now, in place of any it had. */
    arm(fd, kind) {
        this.disarm(fd);
        const at = Date.now() + this.durations[kind];
        this.queues.get(kind).set(fd, at);
        if (at < this.timerAt)
            this.schedule(at);
    }
    /** Removes fd's deadline, if any. */
    disarm(fd) {
        for (const queue of this.queues.values())
            queue.delete(fd);
    }
    schedule(at) {
        if (this.timer !== null)
            clearTimeout(this.timer);
        this.timerAt = at;
        // Unref'd: the sockets keep the process alive, not their deadlines.
        this.timer = setTimeout(() => this.expire(), Math.max(0, at - Date.now())).unref();
    }
    expire() {
        this.timer = null;
        this.timerAt = Infinity;
        const now = Date.now();
        const due = [];
        for (const [kind, queue] of this.queues) {
            for (const [fd, at] of queue) {
                if (at > now)
                    break;
                queue.delete(fd);
                due.push([fd, kind]);
            }
        }
        // After the sweep: a handler may arm a new deadline for the socket it expires.
        for (const [fd, kind] of due)
            this.onExpire(fd, kind);
        let next = Infinity;
        for (const queue of this.queues.values()) {
            const oldest = queue.values().next();
            if (!oldest.done && oldest.value < next)
                next = oldest.value;
        }
        if (next < this.timerAt)
            this.schedule(next);
    }
}
/**
 * Which phase each socket is in and what its deadline does when it passes (`expired` acts on
 * the socket). The entry calls `connected`, Node's 'request' events `requestStarted`, and a
 * socket that upgrades, is refused or closes is `forget`-ten.
 */
export class HttpPhases {
    deadlines;
    /** Sockets Node's server has taken a request from, by fd. */
    exchanges = new Map();
    expired;
    /** Shared by every response (`this` is the response): no closure per request. */
    onResponseFinish;
    onResponseError;
    constructor(config, log, fdOf, expired) {
        this.expired = expired;
        this.deadlines = new Deadlines({ firstHead: config.handshakeTimeoutMs, body: config.bodyTimeoutMs, nextHead: config.keepAliveTimeoutMs }, (fd, phase) => this.expire(fd, phase));
        const phases = this;
        this.onResponseFinish = function () {
            phases.responseFinished(fdOf(this.req.socket));
        };
        this.onResponseError = function (err) {
            log.error({ fd: fdOf(this.req.socket), err }, 'response error (written after its end?)');
        };
    }
    /** A new socket: its first head has a deadline. */
    connected(fd) {
        this.deadlines.arm(fd, 'firstHead');
    }
    /** Node's server took a request: its body has a deadline until its response is done. */
    requestStarted(fd, req, res) {
        let exchange = this.exchanges.get(fd);
        if (exchange === undefined) {
            exchange = { socket: req.socket, inflight: 0, req: null, res: null, idleBytes: 0 };
            this.exchanges.set(fd, exchange);
        }
        exchange.inflight++;
        // Pipelined requests: the latest is the one whose body the parser is reading.
        exchange.req = req;
        exchange.res = res;
        res.on('finish', this.onResponseFinish);
        // Node emits 'error' on a response written after its end (an app calling end() twice):
        // unheard, that would end the worker and every connection on it.
        res.on('error', this.onResponseError);
        this.deadlines.arm(fd, 'body');
    }
    /** Responses on fd not written out yet. */
    inflight(fd) {
        return this.exchanges.get(fd)?.inflight ?? 0;
    }
    /** fd became a WebSocket, was refused or closed: no more deadlines. */
    forget(fd) {
        this.deadlines.disarm(fd);
        this.exchanges.delete(fd);
    }
    /** A response is written: with none left, the keep-alive wait for the next request begins. */
    responseFinished(fd) {
        const exchange = fd === undefined ? undefined : this.exchanges.get(fd);
        if (exchange === undefined || --exchange.inflight > 0 || exchange.socket.destroyed)
            return;
        exchange.req = null;
        exchange.res = null;
        exchange.idleBytes = exchange.socket.bytesRead;
        this.deadlines.arm(fd, 'nextHead');
    }
    expire(fd, phase) {
        const exchange = this.exchanges.get(fd);
        if (phase === 'body') {
            // The body is in: the app is answering, which is its business (its response re-arms us).
            if (exchange?.req?.complete !== false)
                return;
            // Mid-body with its response not begun and nothing before it still being written: 408;
            // otherwise our bytes would garble a response, and the connection just ends.
            if (exchange.inflight === 1 && exchange.res?.headersSent === false)
                this.expired(fd, { status: 408, why: 'request body timeout' });
            else
                this.expired(fd, 'destroy');
            return;
        }
        // Waiting for a keep-alive connection's next request and nothing of it came: a quiet close
        // (RFC 9112 §9.5); a request begun and not finished is answered 408.
        if (phase === 'nextHead' && exchange !== undefined && exchange.socket.bytesRead === exchange.idleBytes) {
            this.expired(fd, { status: null, why: 'keep-alive timeout' });
        }
        else
            this.expired(fd, { status: 408, why: 'request timeout' });
    }
}
//# sourceMappingURL=http-deadlines.js.map