import { pino } from 'pino';
import { SessionTableError, SwitchyardError } from '../errors.js';
import { checkPrefixName, ClusterKeys } from '../redis-keys.js';
import { decodeFd, nodeOf, slotOf } from '../session-id.js';
import { APPLY, PRUNE_NODE, PURGE, SCAN } from './redis-scripts.js';
import { ResyncScheduler } from './resync-scheduler.js';
const CHUNK_OPS = 1000;
const PURGE_STEP = 500;
/** A re-write queues this many sessions, then waits for them to land: it never floods maxPendingOps. */
const RESYNC_SLICE = 5000;
export class RedisSessionTable {
    redis;
    keys;
    isAlive;
    log;
    ownsClient;
    aliveCacheMs;
    timeoutMs;
    maxPendingOps;
    aliveCache = new Map();
    /** Queued writes, in order; each chunk is for one node's partition (its prefix p) and notes whether it writes sessions. */
    chunks = [];
    scheduled = false;
    pendingOps = 0;
    inflight = new Set();
    failing = false;
    overloaded = false;
    counts = { batches: 0, written: 0, failed: 0, dropped: 0, resyncs: 0 };
    closed = null;
    leaseKey;
    resyncer = null;
    constructor(options) {
        const { prefix } = options;
        checkPrefixName(prefix, 'session table');
        this.redis = options.redis;
        this.keys = ClusterKeys.of(prefix, options.hashTag, options.partitioned);
        this.isAlive = options.isAlive;
        this.log = (options.log ?? pino({ level: 'silent' })).child({ sessionTable: 'redis' });
        this.ownsClient = options.ownsClient ?? false;
        this.aliveCacheMs = options.aliveCacheMs ?? 1000;
        this.timeoutMs = options.timeoutMs ?? 2000;
        this.maxPendingOps = options.maxPendingOps ?? 100_000;
        this.leaseKey = options.leaseKey ?? null;
    }
    /** Whether its Redis connection is up now (the admin server's /readyz asks every worker). */
    get connected() {
        return this.redis.status === 'ready';
    }
    stats() {
        return { ...this.counts, resyncs: this.resyncer?.count ?? 0 };
    }
    keepInSync(owner) {
        if (this.resyncer)
            throw new SessionTableError('ERR_SESSION_TABLE_STATE', 'keepInSync() called twice');
        this.resyncer = new ResyncScheduler({
            connected: () => this.redis.status === 'ready',
            leaseHeld: () => this.alive(owner.node, true),
            rewrite: () => this.rewrite(owner),
        }, this.log);
        // A dropped connection may mean a restarted (emptied) or failed-over Redis: re-write once back.
        this.redis.on('close', () => this.resyncer?.markDirty('the Redis connection dropped'));
        this.redis.on('ready', () => this.resyncer?.wake());
    }
    resync(reason) {
        this.resyncer?.markDirty(reason, true);
    }
    add(s) {
        const parts = decodeFd(s.fd);
        if (!parts || parts.node !== s.node || parts.slot !== s.slot)
            return void this.counts.dropped++;
        this.enqueue(s.fd, 'a', s.node, s.slot, s.remoteAddress, s.remotePort, s.connectTime);
    }
    remove(fd) {
        this.enqueue(fd, 'r', nodeOf(fd), slotOf(fd));
    }
    bind(fd, uid) {
        this.enqueue(fd, 'b', uid);
    }
    unbind(fd) {
        this.enqueue(fd, 'u');
    }
    fdsByUid(uid) {
        return this.read('fdsByUid', async () => {
            if (!this.keys.partitioned)
                return this.live((await this.redis.smembers(this.keys.uidSessions(uid))).map(Number));
            const nodes = await this.sessionNodes();
            const sets = await Promise.all(nodes.map((n) => this.redis.smembers(this.keys.uidSessions(uid, n))));
            return this.live(sets.flat().map(Number));
        });
    }
    get(fd) {
        return this.read('get', async () => {
            if (!decodeFd(fd))
                return null;
            const [h, alive] = await Promise.all([this.redis.hgetall(this.keys.session(fd)), this.alive(nodeOf(fd))]);
            if (!alive || h.node === undefined)
                return null;
            return { fd, node: Number(h.node), slot: Number(h.slot), remoteAddress: h.addr ?? '', remotePort: Number(h.port), connectTime: Number(h.t), uid: h.uid ?? null };
        });
    }
    all() {
        return this.read('all', async () => this.live((await this.perPartition((p) => this.redis.eval(SCAN, 1, p, p, 'fds'))).map(Number)));
    }
    count() {
        return this.read('count', async () => {
            const flat = await this.perPartition((p) => this.redis.eval(SCAN, 1, p, p, 'count'));
            const perWorker = [];
            for (let i = 0; i < flat.length; i += 2) {
                const n = Number(flat[i + 1]);
                perWorker.push(this.alive(Number(flat[i])).then((alive) => (alive ? n : 0)));
            }
            return (await Promise.all(perWorker)).reduce((a, b) => a + b, 0);
        });
    }
    async purgeWorker(node, slot) {
        if (!Number.isInteger(node) || !Number.isInteger(slot))
            return 0;
        return this.purge(node, String(slot));
    }
    async purgeDeadNodes() {
        const nodes = await this.read('purgeDeadNodes', () => this.sessionNodes());
        // A fresh answer, never the cache: purging is not undone if we were wrong.
        const alive = await this.read('purgeDeadNodes', () => Promise.all(nodes.map((n) => this.alive(n, true))));
        const dead = nodes.filter((_, i) => !alive[i]);
        const dropped = await Promise.all(dead.map((n) => this.purge(n, '', this.leaseKey?.(n) ?? '')));
        if (this.keys.partitioned && this.leaseKey) {
            // P:sn is outside the node's partition: pruned (by a script on P's slot) only while the node still has no lease.
            await Promise.all(dead.map((n) => this.read('purgeDeadNodes', () => this.redis.eval(PRUNE_NODE, 2, this.keys.sessionNodes, this.leaseKey(n), n))));
        }
        if (dead.length > 0)
            this.log.info({ nodes: dead, sessions: dropped.reduce((a, b) => a + b, 0) }, 'purged the sessions of dead nodes');
        return dead.sort((a, b) => a - b);
    }
    close() {
        this.closed ??= this.shutdown();
        return this.closed;
    }
    /** Runs PURGE steps until the node (or its one worker) is empty, or `lease` exists again. */
    async purge(node, slot, lease = '') {
        let dropped = 0;
        const p = this.keys.nodePrefix(node);
        for (;;) {
            // Partitioned, the lease is in another slot: checked before each step rather than inside it.
            if (this.keys.partitioned && lease !== '' && (await this.read('purge', () => this.redis.exists(lease))) === 1)
                return dropped;
            const inScript = this.keys.partitioned ? '' : lease;
            const [n, done] = await this.read('purge', () => this.redis.eval(PURGE, 1, p, p, String(node), slot, PURGE_STEP, inScript));
            dropped += n ?? 0;
            if (done === 1)
                return dropped;
        }
    }
    /**
     * The worker's live sessions written again (uids with them), in slices; then what else the
     * worker's set holds is removed. Sessions that close meanwhile are safe: a closed one is
     * skipped (its remove was queued already) or its remove is queued after our write; fds are
     * never reused, so removing a stale one cannot touch a newer session.
     */
    async rewrite(owner) {
        const fds = [...owner.fds()];
        let written = 0;
        for (let i = 0; i < fds.length; i += RESYNC_SLICE) {
            for (const fd of fds.slice(i, i + RESYNC_SLICE)) {
                const r = owner.record(fd);
                if (!r)
                    continue;
                this.enqueue(fd, 's', r.node, r.slot, r.remoteAddress, r.remotePort, r.connectTime, r.uid ?? '');
                written++;
            }
            await this.landed();
        }
        const members = await this.read('resync', () => this.redis.smembers(this.keys.workerSessions(owner.node, owner.slot)));
        let stale = 0;
        for (const fd of members.map(Number)) {
            if (owner.record(fd))
                continue;
            this.enqueue(fd, 'r', owner.node, owner.slot);
            stale++;
        }
        await this.landed();
        return { written, stale };
    }
    /** Sends what is queued and waits (within timeoutMs) until every write in flight settled. */
    async landed() {
        this.flush();
        let timer;
        const late = new Promise((resolve) => (timer = setTimeout(resolve, this.timeoutMs, true)));
        const timedOut = await Promise.race([Promise.allSettled([...this.inflight]).then(() => false), late]);
        clearTimeout(timer);
        if (timedOut)
            throw unavailable('resync', `writes not settled within ${this.timeoutMs} ms`);
    }
    /** The nodes with sessions (P:sn). */
    async sessionNodes() {
        return (await this.redis.smembers(this.keys.sessionNodes)).map(Number);
    }
    /** A script's answers from every partition with sessions (one, P, unless partitioned), concatenated. */
    async perPartition(run) {
        if (!this.keys.partitioned)
            return run(this.keys.prefix);
        const nodes = await this.sessionNodes();
        return (await Promise.all(nodes.map((n) => run(this.keys.nodePrefix(n))))).flat();
    }
    /** The fds of live nodes, ascending. */
    async live(fds) {
        const nodes = [...new Set(fds.map(nodeOf))];
        const alive = await Promise.all(nodes.map((n) => this.alive(n)));
        const dead = new Set(nodes.filter((_, i) => !alive[i]));
        return fds.filter((fd) => !dead.has(nodeOf(fd))).sort((a, b) => a - b);
    }
    alive(node, fresh = false) {
        const now = Date.now();
        const cached = this.aliveCache.get(node);
        if (!fresh && cached && cached.until > now)
            return cached.alive;
        const alive = Promise.resolve().then(() => this.isAlive(node));
        const entry = { until: now + this.aliveCacheMs, alive };
        this.aliveCache.set(node, entry);
        alive.catch(() => this.aliveCache.get(node) === entry && this.aliveCache.delete(node)); // never cache a failure
        return alive;
    }
    /** Sends pending writes (so this read sees them), then runs `work` within timeoutMs. */
    read(what, work) {
        if (this.closed)
            return Promise.reject(new SessionTableError('ERR_SESSION_TABLE_CLOSED', `session table closed: ${what} refused`));
        this.flush();
        if (this.redis.status === 'end')
            return Promise.reject(unavailable(what, 'the Redis connection is closed for good'));
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(unavailable(what, `no answer from Redis within ${this.timeoutMs} ms`)), this.timeoutMs);
            work().then((value) => (clearTimeout(timer), resolve(value)), (err) => (clearTimeout(timer), reject(err instanceof SwitchyardError ? err : unavailable(what, err.message))));
        });
    }
    /** Queues one op for APPLY: op name, fd, then its arguments (all sent as strings). */
    enqueue(fd, op, ...args) {
        if (this.closed || !decodeFd(fd))
            return void this.counts.dropped++;
        if (this.pendingOps >= this.maxPendingOps) {
            if (!this.overloaded)
                this.log.error({ maxPendingOps: this.maxPendingOps }, 'session table writes dropped: too many awaiting Redis (logged once until there is room)');
            this.overloaded = true;
            return void this.counts.dropped++;
        }
        this.overloaded = false;
        this.pendingOps++;
        const node = nodeOf(fd);
        const p = this.keys.nodePrefix(node);
        let last = this.chunks[this.chunks.length - 1];
        if (!last || last.ops >= CHUNK_OPS || last.p !== p)
            this.chunks.push((last = { p, node, args: [], ops: 0, adds: false }));
        if (op === 'a' || op === 's')
            last.adds = true;
        last.args.push(op, String(fd));
        for (const a of args)
            last.args.push(String(a));
        last.ops++;
        if (!this.scheduled)
            setImmediate(() => this.flush());
        this.scheduled = true;
    }
    /** Sends every queued write now (not in a microtask: a read issued next must queue behind them), one EVAL per chunk. */
    flush() {
        this.scheduled = false;
        if (this.chunks.length === 0)
            return;
        this.counts.batches++;
        for (const { p, node, args, ops, adds } of this.chunks.splice(0)) {
            let reply;
            try {
                reply = this.redis.eval(APPLY, 1, p, p, ...args);
                // Partitioned, P:sn is in another slot: the node is listed there after its sessions are written.
                if (adds && this.keys.partitioned)
                    reply = reply.then((missed) => this.redis.sadd(this.keys.sessionNodes, node).then(() => missed));
            }
            catch (err) {
                reply = Promise.reject(err);
            }
            const sent = reply.then((missed) => this.settle(sent, ops, null, Number(missed) || 0), (err) => this.settle(sent, ops, err, 0));
            this.inflight.add(sent);
        }
    }
    /** Counts a chunk's outcome; failures are logged once per streak. Lost writes call for a re-write. */
    settle(sent, ops, err, missedBinds) {
        this.inflight.delete(sent);
        this.pendingOps -= ops;
        if (missedBinds > 0)
            this.resyncer?.markDirty('a bind found its session gone from Redis');
        if (err)
            this.resyncer?.markDirty('session table writes failed');
        if (err) {
            this.counts.failed += ops;
            if (!this.failing)
                this.log.warn({ err: err.message, ops }, 'session table writes failed (lost; logged once until they work again)');
        }
        else {
            this.counts.written += ops;
            if (this.failing)
                this.log.info({ failed: this.counts.failed }, 'session table writes work again');
        }
        this.failing = err !== null;
    }
    async shutdown() {
        this.resyncer?.stop();
        this.flush();
        let timer;
        const timedOut = new Promise((resolve) => (timer = setTimeout(resolve, this.timeoutMs, true)));
        if (await Promise.race([Promise.allSettled([...this.inflight]).then(() => false), timedOut])) {
            this.log.warn({ ops: this.pendingOps }, 'session table closed with writes still awaiting Redis');
        }
        clearTimeout(timer);
        if (!this.ownsClient)
            return;
        if (this.redis.status !== 'ready')
            return void this.redis.disconnect();
        await this.redis.quit().catch(() => this.redis.disconnect());
    }
}
function unavailable(what, why) {
    return new SessionTableError('ERR_SESSION_TABLE_UNAVAILABLE', `session table ${what} failed: ${why}`);
}
//# sourceMappingURL=redis-session-table.js.map