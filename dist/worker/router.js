import { worse } from '../shared/bus/types.js';
import { decodeFd } from '../shared/session-id.js';
export class RemoteCallError extends Error {
    code;
    constructor(code, message) {
        super(message);
        this.name = 'RemoteCallError';
        this.code = code;
    }
}
/**
 * Routes operations on fds to the worker that owns them, by the fd alone (it encodes node and
 * slot, Swoole's session -> reactor mapping): same worker -> done here, same node -> the
 * embedded bus, another node -> the Redis bus. Requests that want an answer carry a `rid` and
 * wait for the `reply`, bounded by a timeout: a dead peer or a lost bus never leaves a caller
 * hanging.
 */
export class Router {
    self;
    embedded;
    redis;
    handler;
    log;
    timeoutMs;
    maxPending;
    /** By rid, in the order sent: the first entry is the oldest (Map keeps insertion order). */
    waiting = new Map();
    timer = null;
    nextRid = 0;
    constructor(opts) {
        this.self = opts.self;
        this.embedded = opts.embedded;
        this.redis = opts.redis;
        this.handler = opts.handler;
        this.log = opts.log;
        this.timeoutMs = opts.timeoutMs;
        this.maxPending = opts.maxPendingRequests;
        const onMessage = (msg, from) => this.receive(msg, from);
        if (this.embedded)
            this.embedded.onMessage = onMessage;
        if (this.redis)
            this.redis.onMessage = onMessage;
    }
    /** The worker that holds fd, or null for a malformed fd. */
    owner(fd) {
        const parts = decodeFd(fd);
        return parts ? { node: parts.node, slot: parts.slot } : null;
    }
    isSelf(to) {
        return to.node === this.self.node && to.slot === this.self.slot;
    }
    /** Fire-and-forget: 'ok' when a bus took the message (no bus to that node: 'down'). */
    send(to, msg) {
        const bus = to.node === this.self.node ? this.embedded : this.redis;
        return bus === null ? 'down' : bus.send(to, msg);
    }
    /** Calls awaiting their answer (bounded by maxPendingRequests). */
    get pendingRequests() {
        return this.waiting.size;
    }
    /**
     * Request/response: resolves with the remote handler's result, rejects with a RemoteCallError.
     * At most maxPendingRequests wait at once: each holds its promise and caller until the answer
     * or busTimeoutMs, so calls to an owner that does not answer (a node that died without
     * leaving) must not pile up at the bus's drain rate.
     */
    request(to, msg) {
        if (this.waiting.size >= this.maxPending) {
            return Promise.reject(new RemoteCallError('ERR_CONGESTED', `${this.waiting.size} calls already await an answer (maxPendingRequests)`));
        }
        const rid = ++this.nextRid;
        const sent = this.send(to, { ...msg, rid });
        if (sent === 'congested')
            return Promise.reject(new RemoteCallError('ERR_CONGESTED', `the bus to worker ${to.node}/${to.slot} is congested`));
        if (sent === 'down')
            return Promise.reject(new RemoteCallError('ERR_UNREACHABLE', `worker ${to.node}/${to.slot} is unreachable`));
        return new Promise((resolve, reject) => {
            this.waiting.set(rid, { resolve, reject, deadline: Date.now() + this.timeoutMs, to });
            this.timer ??= this.armTimer(this.timeoutMs);
        });
    }
    /** Every other worker of the cluster (this node over the embedded bus, others over Redis);
     * the worse outcome of the two buses. */
    broadcast(msg) {
        let result = 'ok';
        if (this.embedded)
            result = worse(result, this.embedded.broadcast(msg));
        if (this.redis)
            result = worse(result, this.redis.broadcast(msg));
        return result;
    }
    /** Writes what the buses queued this turn now (see ClusterCalls.fanOut). */
    flush() {
        this.embedded?.flush?.();
        this.redis?.flush?.();
    }
    receive(msg, from) {
        if (msg.t === 'reply') {
            const w = this.waiting.get(msg.rid);
            if (!w)
                return; // timed out already
            this.waiting.delete(msg.rid);
            w.resolve(msg.value);
            return;
        }
        const rid = 'rid' in msg ? msg.rid : undefined;
        let result;
        try {
            result = this.handler.execute(msg, from);
        }
        catch (err) {
            this.log.error({ err, t: msg.t }, 'bus message failed');
            result = null;
        }
        if (rid === undefined || rid === 0)
            return;
        Promise.resolve(result).then((value) => this.send(from, { t: 'reply', rid, value }), (err) => {
            this.log.error({ err, t: msg.t }, 'bus request failed');
            this.send(from, { t: 'reply', rid, value: null });
        });
    }
    armTimer(delayMs) {
        return setTimeout(() => this.expire(), delayMs);
    }
    /** Rejects the calls past their deadline (the oldest first), then waits for the next one. */
    expire() {
        this.timer = null;
        const now = Date.now();
        for (const [rid, w] of this.waiting) {
            if (w.deadline > now) {
                this.timer = this.armTimer(w.deadline - now);
                return;
            }
            this.waiting.delete(rid);
            w.reject(new RemoteCallError('ERR_TIMEOUT', `worker ${w.to.node}/${w.to.slot} did not answer within ${this.timeoutMs} ms`));
        }
    }
    /** Rejects everything still waiting (shutdown). */
    close() {
        if (this.timer !== null)
            clearTimeout(this.timer);
        this.timer = null;
        for (const [rid, w] of this.waiting) {
            w.reject(new RemoteCallError('ERR_UNREACHABLE', 'server stopping'));
            this.waiting.delete(rid);
        }
    }
}
//# sourceMappingURL=router.js.map