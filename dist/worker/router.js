import { decodeFd } from '../shared/session-id.js';
/** Why a remote call did not get an answer: the bus could not carry it, or no reply came in time. */
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
    waiting = new Map();
    nextRid = 0;
    constructor(opts) {
        this.self = opts.self;
        this.embedded = opts.embedded;
        this.redis = opts.redis;
        this.handler = opts.handler;
        this.log = opts.log;
        this.timeoutMs = opts.timeoutMs;
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
    /** Fire-and-forget: true when a bus took the message. */
    send(to, msg) {
        const bus = to.node === this.self.node ? this.embedded : this.redis;
        return bus !== null && bus.send(to, msg);
    }
    /** Request/response: resolves with the remote handler's result, rejects with a RemoteCallError. */
    request(to, msg) {
        const rid = ++this.nextRid;
        return new Promise((resolve, reject) => {
            if (!this.send(to, { ...msg, rid })) {
                reject(new RemoteCallError('ERR_UNREACHABLE', `worker ${to.node}/${to.slot} is unreachable`));
                return;
            }
            const timer = setTimeout(() => {
                this.waiting.delete(rid);
                reject(new RemoteCallError('ERR_TIMEOUT', `worker ${to.node}/${to.slot} did not answer within ${this.timeoutMs} ms`));
            }, this.timeoutMs);
            this.waiting.set(rid, { resolve, reject, timer });
        });
    }
    /** Every other worker of the cluster (this node over the embedded bus, others over Redis); false if a bus could not carry it. */
    broadcast(msg) {
        let ok = true;
        if (this.embedded && !this.embedded.broadcast(msg))
            ok = false;
        if (this.redis && !this.redis.broadcast(msg))
            ok = false;
        return ok;
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
            clearTimeout(w.timer);
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
    /** Rejects everything still waiting (shutdown). */
    close() {
        for (const [rid, w] of this.waiting) {
            clearTimeout(w.timer);
            w.reject(new RemoteCallError('ERR_UNREACHABLE', 'server stopping'));
            this.waiting.delete(rid);
        }
    }
}
//# sourceMappingURL=router.js.map