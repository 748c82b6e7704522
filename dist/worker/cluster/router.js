import { RemoteCallError } from '../../shared/errors.js';
import { BytesMessage } from '../../shared/bus/codec.js';
import { worse } from '../../shared/bus/types.js';
import { WorkerMeters } from '../../shared/metrics/worker-meters.js';
/** BUS_FAILURES' slots (worker-meters.ts). */
const CONGESTED = 0;
const UNREACHABLE = 1;
const TIMEOUT = 2;
const NO_ANSWER = Buffer.alloc(0);
/**
 * Routes operations on fds to the worker that owns them, by the fd alone (it encodes node and
 * slot, Swoole's session -> reactor mapping): same node -> the embedded bus, another node ->
 * the Redis bus. Requests that want an answer carry a `rid` and wait for the reply, bounded by
 * a timeout: a dead peer or a lost bus never leaves a caller hanging. What messages mean is
 * not its business: it carries bodies (cluster-ops.ts gives them meaning).
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
    /** Starts at a random point: during a reload the old worker and its replacement share the
     * slot's Redis channel, and each must not take the other's replies for its own. */
    nextRid = Math.floor(Math.random() * 2 ** 40);
    /** Per transport: messages sent, received, failed, and request round trips. */
    embeddedMeters;
    redisMeters;
    constructor(opts) {
        this.self = opts.self;
        this.embedded = opts.embedded;
        this.redis = opts.redis;
        this.handler = opts.handler;
        this.log = opts.log;
        this.timeoutMs = opts.timeoutMs;
        this.maxPending = opts.maxPendingRequests;
        const meters = opts.meters ?? new WorkerMeters();
        const embeddedMeters = (this.embeddedMeters = meters.embedded);
        const redisMeters = (this.redisMeters = meters.redis);
        if (this.embedded) {
            this.embedded.onMessage = (msg, from) => {
                embeddedMeters.received++;
                this.receive(msg, from);
            };
        }
        if (this.redis) {
            this.redis.onMessage = (msg, from) => {
                redisMeters.received++;
                this.receive(msg, from);
            };
        }
    }
    isSelf(to) {
        return to.node === this.self.node && to.slot === this.self.slot;
    }
    /** Fire-and-forget: 'ok' when a bus took the message (no bus to that node: 'down'). */
    send(to, msg) {
        const same = to.node === this.self.node;
        const bus = same ? this.embedded : this.redis;
        const result = bus === null ? 'down' : bus.send(to, msg);
        count(same ? this.embeddedMeters : this.redisMeters, result);
        return result;
    }
    /** Calls awaiting their answer (bounded by maxPendingRequests). */
    get pendingRequests() {
        return this.waiting.size;
    }
    /**
     * Request/response: resolves with the body of the owner's reply, rejects with a RemoteCallError.
     * At most maxPendingRequests wait at once: each holds its promise and caller until the answer
     * or busTimeoutMs, so calls to an owner that does not answer (a node that died without
     * leaving) must not pile up at the bus's drain rate.
     */
    request(to, msg) {
        if (this.waiting.size >= this.maxPending) {
            return Promise.reject(new RemoteCallError('ERR_CONGESTED', `${this.waiting.size} calls already await an answer (maxPendingRequests)`));
        }
        const rid = ++this.nextRid;
        msg.kind = 'request';
        msg.rid = rid;
        const sent = this.send(to, msg);
        if (sent === 'congested')
            return Promise.reject(new RemoteCallError('ERR_CONGESTED', `the bus to worker ${to.node}/${to.slot} is congested`));
        if (sent === 'down')
            return Promise.reject(new RemoteCallError('ERR_UNREACHABLE', `worker ${to.node}/${to.slot} is unreachable`));
        const meters = to.node === this.self.node ? this.embeddedMeters : this.redisMeters;
        return new Promise((resolve, reject) => {
            this.waiting.set(rid, { resolve, reject, deadline: Date.now() + this.timeoutMs, to, sentAt: performance.now(), meters });
            this.timer ??= this.armTimer(this.timeoutMs);
        });
    }
    /** Every other worker of the cluster (this node over the embedded bus, others over Redis);
     * the worse outcome of the two buses. */
    broadcast(msg) {
        let result = 'ok';
        if (this.embedded)
            result = worse(result, count(this.embeddedMeters, this.embedded.broadcast(msg)));
        if (this.redis)
            result = worse(result, count(this.redisMeters, this.redis.broadcast(msg)));
        return result;
    }
    /** Writes what the buses queued this turn now (see ClusterCalls.all). */
    flush() {
        this.embedded?.flush?.();
        this.redis?.flush?.();
    }
    receive(msg, from) {
        if (msg.kind === 'reply') {
            const w = this.waiting.get(msg.rid);
            if (!w)
                return; // timed out already
            this.waiting.delete(msg.rid);
            w.meters.callSeconds.observe((performance.now() - w.sentAt) / 1000);
            w.resolve(Buffer.from(msg.body)); // the body is the bus's buffer: valid during this call only
            return;
        }
        const wantsReply = msg.kind === 'request';
        let result;
        try {
            result = this.handler.serve(msg.body, from, wantsReply);
        }
        catch (err) {
            this.log.error({ err, op: msg.body[0] }, 'bus message failed');
            result = NO_ANSWER;
        }
        if (!wantsReply)
            return;
        const rid = msg.rid;
        if (!(result instanceof Promise))
            return void this.send(from, new BytesMessage('reply', rid, result ?? NO_ANSWER));
        result.then((body) => this.send(from, new BytesMessage('reply', rid, body)), (err) => {
            this.log.error({ err }, 'bus request failed');
            this.send(from, new BytesMessage('reply', rid, NO_ANSWER));
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
            w.meters.failed[TIMEOUT]++;
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
/** A send's outcome in its transport's meters; returns it. */
function count(m, result) {
    if (result === 'ok')
        m.sent++;
    else
        m.failed[result === 'congested' ? CONGESTED : UNREACHABLE]++;
    return result;
}
//# sourceMappingURL=router.js.map