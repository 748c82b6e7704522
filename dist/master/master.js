import { createServer } from 'node:net';
import { CUMULATIVE_FIELDS, SUMMED_FIELDS, reloadMoveTimeoutMs } from '../shared/cluster-messages.js';
import { alwaysInfo } from '../shared/logger.js';
import { FdAllocator } from '../shared/session-id.js';
import { createDispatchPolicy } from './dispatch.js';
import { WorkerPool } from './worker-pool.js';
import { workerSecretEnv } from '../shared/secrets.js';
import { readProxyHeader } from './proxy-header-reader.js';
import { AddressSet } from '../shared/proxy/address-match.js';
import { addWorkerMetrics, emptyWorkerMetrics, renderMetrics } from '../shared/metrics/catalogue.js';
import { ADMIN_TIMEOUT_MARGIN_MS, AdminServer } from './admin/admin-server.js';
import { AdminForwarder } from './admin/forwarder.js';
import { Admission, clientKey } from './admission.js';
import { ConnectionLedger } from './connection-ledger.js';
import { RefusalWriter, refusalResponse } from './refusals.js';
import { ReloadError } from '../shared/errors.js';
import { join } from 'node:path';
/** A new worker that is not ready within this (its app loading, workerStart) aborts the reload. */
const RELOAD_START_TIMEOUT_MS = 60_000;
/** Fresh counters are asked of every worker for a stats request; a silent one is not waited for longer. */
const COUNTERS_TIMEOUT_MS = 500;
const EMPTY = Buffer.alloc(0);
/** The refusal the master writes itself when no worker can take a connection. */
const UNAVAILABLE = refusalResponse(503, 1, 'no worker is available');
/** The answers of admission's refusals (src/master/admission.ts), by reason. */
const REFUSALS = {
    maxConnection: refusalResponse(503, 1, 'too many connections'),
    perIp: refusalResponse(429, 1, 'too many connections from this address'),
};
/** The answer to new connections while the node drains (server.drain, switchyard drain). */
const DRAINING = refusalResponse(503, 1, 'this node is draining.');
/**
 * The master: owns the listening socket (paused sockets, it never reads a byte but a trusted
 * proxy's PROXY header: proxy-header-reader.ts), gives each
 * connection its fd and a worker, hands it over, supervises the workers and answers
 * cluster-wide stats. Exits 0 after a graceful shutdown.
 */
export class Master {
    config;
    log;
    hooks;
    pool;
    policy;
    fds;
    startTime = Date.now();
    listener = createServer({ pauseOnConnect: true, noDelay: true });
    counters = { accepted: 0, handoffFailed: 0, unavailable: 0, proxyHeaderFailed: 0 };
    /** Sources whose PROXY headers are believed (config.trustProxy). */
    trustProxy;
    counterRequests = new Map();
    /** The node's connection limits (maxConnection, per address, rate), before dispatch. */
    admission;
    /** What each worker holds of the admitted connections, to release them when it reports or dies. */
    ledger;
    refusals = new RefusalWriter();
    /** By slot. */
    meters;
    nextRequest = 0;
    stopping = null;
    onStopped;
    nodeId;
    /** Other nodes' published figures (multi-node only). */
    peers;
    publishTimer = null;
    /** The admin server (--admin-port), and the IPC path its session operations take to a worker. */
    admin;
    adminForwarder;
    /** Whether this node's Redis connection is up (multi-node only: /readyz reads it). */
    redisReady;
    listening = false;
    busDir;
    reloading = null;
    /** Set by drain(): readiness 503, new connections refused with 503. */
    draining = false;
    constructor(config, log, hooks, opts) {
        this.redisReady = opts.redisReady ?? null;
        this.busDir = opts.busDir;
        const nodeId = opts.nodeId;
        this.nodeId = nodeId;
        this.peers = opts.peers ?? null;
        this.onStopped = opts.onStopped;
        this.config = config;
        this.log = log;
        this.hooks = hooks;
        this.trustProxy = AddressSet.parse(config.trustProxy).set;
        this.fds = new FdAllocator(nodeId, opts.seqBlock, opts.nextSeqBlock ?? null, () => this.log.warn({ node: nodeId }, 'session id block used up before the next one arrived from Redis'));
        this.admission = new Admission(config);
        this.ledger = new ConnectionLedger(config.workers);
        this.meters = Array.from({ length: config.workers }, () => ({ current: null, retired: emptyWorkerMetrics() }));
        this.policy = createDispatchPolicy(config.dispatchMode, config.workers, hooks.dispatch, (why) => this.log.warn({ why }, 'dispatch hook gave a bad answer: least-connections used'));
        this.pool = new WorkerPool(config.workers, nodeId, opts.busDir, log, {
            message: (slot, msg) => this.onWorkerMessage(slot, msg),
            exit: (slot, pid, code, signal) => {
                // Its counters survive in the slot's totals (as the stats' do), from its last report.
                const m = this.meters[slot.slot];
                if (m.current)
                    m.retired = addWorkerMetrics(m.retired, { ...m.current, slowConsumers: 0, slowConsumerBytes: 0, residentBytes: 0 });
                m.current = null;
                this.adminForwarder.workerGone(slot.slot);
                // Its sockets died with it: they count no more.
                for (const address of this.ledger.releaseSlot(slot.slot))
                    this.admission.released(address);
                this.callHook(() => this.hooks.workerExit?.(slot.slot, pid, code, signal));
                if (code !== 0 || signal !== null)
                    this.callHook(() => this.hooks.workerError?.(slot.slot, pid, code, signal));
            },
        }, config.workerSemiSpaceMb, workerSecretEnv(config));
        this.adminForwarder = new AdminForwarder(() => this.pool.slots, (slot, msg) => this.pool.send(slot, msg), config.busTimeoutMs + ADMIN_TIMEOUT_MARGIN_MS);
        this.admin =
            config.adminPort === undefined
                ? null
                : new AdminServer({
                    config,
                    log,
                    forward: (request) => this.adminForwarder.forward(request),
                    readiness: () => this.readiness(),
                    stats: () => this.stats(),
                    metrics: (scope) => this.metrics(scope),
                });
    }
    /** What /readyz answers: listening, every worker slot up, not shutting down, (with Redis) connected. */
    readiness() {
        const up = this.pool.slots.filter((s) => s.up).length;
        const workers = { up, total: this.pool.slots.length };
        // With Redis: the master's own connection, and every live worker's bus and session table
        // (from its last load report, at most 250 ms old; a worker not reported yet counts as down).
        const redisWorkersDown = this.redisReady === null ? 0 : this.pool.slots.filter((s) => s.up && s.redisUp !== true).length;
        const redis = this.redisReady === null ? undefined : this.redisReady() && redisWorkersDown === 0;
        const reason = this.stopping
            ? 'shutting down'
            : this.draining
                ? 'draining'
                : !this.listening
                    ? 'not listening yet'
                    : up < workers.total
                        ? `${workers.total - up} of ${workers.total} worker slots are down`
                        : redis === false
                            ? redisWorkersDown > 0
                                ? `${redisWorkersDown} worker(s) not connected to Redis (bus or session table)`
                                : 'not connected to Redis'
                            : null;
        return { ready: reason === null, reason, listening: this.listening, shuttingDown: this.stopping !== null, workers, ...(redis === undefined ? {} : { redis }) };
    }
    /** Redis lost this node's data: every worker re-writes its sessions and uids (see RedisSessionTable). */
    /** SIGHUP: every worker reads the TLS files again (each logs the outcome; a bad file keeps the old certificate). */
    reloadTls() {
        this.log.info({ event: 'tls-reload' }, 'asking every worker to reload the TLS certificates');
        for (const slot of this.pool.slots)
            this.pool.send(slot, { t: 'tls-reload' });
    }
    resyncWorkers(reason) {
        this.log.warn({ event: 'resync', reason }, 'asking every worker to re-write its sessions');
        for (const slot of this.pool.slots)
            this.pool.send(slot, { t: 'resync', reason });
    }
    /** Forks the workers, waits for them, then listens: the first client finds workers ready. */
    async start() {
        // First: /healthz answers while the workers start, and /readyz says why it is not ready yet.
        await this.admin?.start();
        await this.pool.start();
        await new Promise((resolve, reject) => {
            this.listener.once('error', reject);
            this.listener.listen({ host: this.config.host, port: this.config.port, backlog: 4096 }, () => {
                this.listener.off('error', reject);
                resolve();
            });
        });
        // Take connections at the handle level (see onHandle).
        const listenHandle = this.listener._handle;
        listenHandle.onconnection = (err, h) => this.onHandle(err, h);
        this.listening = true;
        const address = this.listener.address();
        alwaysInfo(this.log).info({ event: 'listening', host: address.address, port: address.port, workers: this.config.workers, dispatchMode: this.policy.name }, 'listening');
        await this.callHookAsync(() => this.hooks.start?.({ host: address.address, port: address.port, workers: this.config.workers }));
        if (this.peers) {
            const peers = this.peers;
            const publish = () => void this.nodeStats()
                .then((s) => Promise.all([peers.publish(s), peers.publishMetrics(this.nodeMetrics())]))
                .catch((err) => this.log.warn({ err: err.message }, 'cannot publish node stats'));
            publish();
            this.publishTimer = setInterval(publish, 1000);
            this.publishTimer.unref();
        }
        return address;
    }
    /**
     * A new connection, as the raw TCP handle libuv accepted (node:cluster's round-robin does the
     * same): no net.Socket is built here, nothing is read, and the handle travels to the worker
     * as-is — no per-socket bookkeeping messages between master and worker. With proxyProtocol,
     * a trusted source's handle is first read up to the end of its PROXY header (and no further
     * than libuv's read), so dispatch sees the client's address.
     */
    onHandle(err, handle) {
        if (err !== 0 || !handle) {
            if (err !== 0)
                this.log.warn({ errno: err }, 'accept failed');
            return;
        }
        this.counters.accepted++;
        if (this.stopping) {
            handle.close();
            return;
        }
        if (this.draining) {
            this.counters.unavailable++;
            this.refusals.refuse(handle, DRAINING);
            return;
        }
        const peer = {};
        handle.getpeername(peer);
        const remote = { address: peer.address ?? '', port: peer.port ?? 0 };
        // Other sources are not read: a PROXY header from them reaches the worker's HTTP parser (400).
        if (!this.config.proxyProtocol || !this.trustProxy.matches(remote.address)) {
            this.admit(handle, remote, null, EMPTY);
            return;
        }
        readProxyHeader(handle, this.config.proxyHeaderTimeoutMs, (outcome) => {
            if (!outcome.ok) {
                handle.close();
                // A TCP health check of the proxy (connect, close): nothing to count.
                if (outcome.reason === 'probe')
                    return;
                // Never dispatched under the proxy's address: the proxy sees the connection close.
                this.counters.proxyHeaderFailed++;
                this.log.warn({ event: 'proxy-header-failed', reason: outcome.reason, detail: outcome.detail, proxy: remote.address }, 'PROXY protocol header missing or malformed: connection closed');
                return;
            }
            if (this.stopping) {
                handle.close();
                return;
            }
            this.admit(handle, outcome.source ?? remote, outcome.source ? remote : null, outcome.prefix);
        });
    }
    /**
     * Dispatches a connection and hands it over: `remote` is the client (the PROXY header's
     * source, or the TCP peer), `proxy` the peer whose PROXY header named it (null: none),
     * `prefix` the bytes already read from the socket (the worker reads them first).
     */
    admit(handle, remote, proxy, prefix) {
        // The limits, with the client's address (the PROXY header's source when there is one),
        // before a worker is picked (src/master/admission.ts).
        const key = clientKey(remote.address);
        const verdict = this.admission.admit(key, performance.now());
        if (verdict.kind !== 'admit') {
            this.refuse(handle, verdict, key);
            return;
        }
        const base = this.fds.reserve(this.policy.fdModulus);
        const slot = this.policy.pick({ remoteAddress: remote.address, remotePort: remote.port, fd: base }, this.pool.slots);
        if (slot === -1) {
            this.admission.released(key);
            this.counters.unavailable++;
            this.log.warn({ event: 'unavailable' }, 'no worker is up: connection refused with 503');
            this.refusals.refuse(handle, UNAVAILABLE);
            return;
        }
        const target = this.pool.slots[slot];
        const fd = base + slot;
        this.ledger.add(slot, fd, key);
        this.pool.handoff(target, handle, fd, remote, (e) => {
            this.counters.handoffFailed++;
            this.log.warn({ fd, slot, err: e.message }, 'hand-off failed: connection dropped');
            handle.close();
            this.release(slot, fd);
        }, proxy === null && prefix.length === 0 ? undefined : { proxy: proxy ?? undefined, prefix });
    }
    /** A connection admission did not let in: answered 503/429 with Retry-After, or (a flood) closed unanswered. */
    refuse(handle, verdict, address) {
        if (verdict.kind === 'drop') {
            handle.close();
            return;
        }
        this.log.debug({ event: 'refused', reason: verdict.reason, status: verdict.status, address }, 'connection refused by the master');
        const response = verdict.reason === 'rate' ? refusalResponse(429, verdict.retryAfter, 'too many new connections from this address') : REFUSALS[verdict.reason];
        if (!this.refusals.refuse(handle, response)) {
            // Too many refusals in flight: closed unanswered, counted as a flood.
            this.admission.recount(verdict.reason, 'flood');
        }
    }
    /** A handed-over connection ended: its worker reported it, or its hand-off failed. */
    release(slot, fd) {
        const address = this.ledger.release(slot, fd);
        if (address !== undefined)
            this.admission.released(address);
    }
    onWorkerMessage(slot, msg) {
        switch (msg.t) {
            case 'counters': {
                this.meters[slot.slot].current = msg.metrics;
                const req = this.counterRequests.get(msg.id);
                if (req?.slot === slot)
                    req.done();
                return;
            }
            case 'load':
                this.meters[slot.slot].current = msg.metrics;
                slot.redisUp = msg.redis;
                this.maybeRecycle(slot);
                return;
            case 'drain?':
                this.drain(msg.seconds).catch((err) => this.log.error({ err: err.message }, 'drain failed'));
                return;
            case 'stats?':
                void this.stats().then((stats) => this.pool.send(slot, { t: 'stats', id: msg.id, stats }));
                return;
            case 'shutdown?':
                void this.shutdown('requested by worker ' + slot.slot);
                return;
            case 'admin':
                this.adminForwarder.answered(slot.slot, msg.id, msg.answer);
                return;
            case 'released':
                for (const fd of msg.fds)
                    this.release(slot.slot, fd);
                return;
            case 'reload?':
                this.reload(`requested by worker ${slot.slot}`).catch((err) => this.log.error({ err: err.message }, 'reload failed'));
                return;
            case 'ready':
            case 'start-failed':
            case 'moved':
            case 'adopted':
                return;
        }
    }
    /**
     * This node's figures, fresh from every worker; with several nodes, plus every other live
     * node's published figures and the cluster totals.
     */
    async stats() {
        const own = await this.nodeStats();
        if (!this.peers)
            return own;
        let others = [];
        try {
            others = (await this.peers.read()).filter((n) => n.node !== own.node);
        }
        catch (err) {
            this.log.warn({ err: err.message }, 'other nodes\' stats unavailable');
        }
        const nodes = [own, ...others].sort((a, b) => a.node - b.node);
        const total = { ...own, nodes };
        // A node of an older version may lack a newer field (proxyHeaderFailed): 0, not NaN.
        for (const f of SUMMED_FIELDS)
            total[f] = nodes.reduce((n, x) => n + (x[f] ?? 0), 0);
        return total;
    }
    /**
     * The Prometheus text exposition (format 0.0.4) of the cluster: every worker slot of this
     * node, fresh (asked now, as for stats), and with several nodes every other live node's last
     * published figures (at most a second old), each labelled with its node and slot. `scope:
     * 'node'` leaves the other nodes out (for a Prometheus that scrapes every node).
     */
    async metrics(scope = 'cluster') {
        await this.refreshCounters();
        const own = this.nodeMetrics();
        let others = [];
        if (this.peers && scope === 'cluster') {
            try {
                others = (await this.peers.readMetrics()).filter((n) => n.node !== own.node);
            }
            catch (err) {
                this.log.warn({ err: err.message }, 'other nodes\' metrics unavailable');
            }
        }
        return renderMetrics([own, ...others]);
    }
    /** This node's metric figures from the workers' last reports (refreshCounters() makes them fresh). */
    nodeMetrics() {
        const cpu = process.cpuUsage();
        return {
            node: this.nodeId,
            startTime: this.startTime / 1000,
            accepted: this.counters.accepted,
            handoffFailed: this.counters.handoffFailed,
            unavailable: this.counters.unavailable,
            nodeConnections: this.admission.connections,
            refused: { ...this.admission.refused },
            proxyHeaderFailed: this.counters.proxyHeaderFailed,
            residentBytes: process.memoryUsage.rss(),
            cpuSeconds: (cpu.user + cpu.system) / 1e6,
            workers: this.pool.slots.map((s) => {
                const m = this.meters[s.slot];
                const counters = { ...s.counters };
                for (const f of CUMULATIVE_FIELDS)
                    counters[f] += s.retired[f];
                return { slot: s.slot, up: s.up, restarts: s.restarts, counters, metrics: m.current ? addWorkerMetrics(m.retired, m.current) : m.retired };
            }),
        };
    }
    /** Asks every live worker for fresh counters and metrics (bounded wait: a silent one is not waited for longer). */
    async refreshCounters() {
        await Promise.all(this.pool.slots
            .filter((s) => s.worker !== null)
            .map((slot) => new Promise((resolve) => {
            const id = ++this.nextRequest;
            const done = () => {
                clearTimeout(timer);
                this.counterRequests.delete(id);
                resolve();
            };
            const timer = setTimeout(done, COUNTERS_TIMEOUT_MS);
            this.counterRequests.set(id, { slot, done });
            if (!this.pool.send(slot, { t: 'counters?', id }))
                done();
        })));
    }
    /** Asks every live worker for fresh counters (bounded wait), then adds them up. */
    async nodeStats() {
        await this.refreshCounters();
        const totals = {};
        for (const f of CUMULATIVE_FIELDS)
            totals[f] = this.pool.slots.reduce((n, s) => n + s.counters[f] + s.retired[f], 0);
        return {
            workers: this.pool.slots.map((s) => ({
                id: s.slot,
                pid: s.pid,
                up: s.up,
                connections: s.counters.connections,
                pendingHandshakes: s.counters.pendingHandshakes,
                restarts: s.restarts,
                lagMs: s.counters.lagMs,
                messagesIn: s.counters.messagesIn,
                messagesOut: s.counters.messagesOut,
            })),
            connections: this.pool.slots.reduce((n, s) => n + s.counters.connections, 0),
            ...totals,
            // The master counts accepted sockets itself (workers only see the ones handed over).
            accepted: this.counters.accepted,
            handoffFailed: this.counters.handoffFailed,
            unavailable: this.counters.unavailable,
            nodeConnections: this.admission.connections,
            refusedMaxConnection: this.admission.refused.maxConnection,
            refusedPerIp: this.admission.refused.perIp,
            refusedRate: this.admission.refused.rate,
            refusedFlood: this.admission.refused.flood,
            trackedAddresses: this.admission.trackedAddresses,
            proxyHeaderFailed: this.counters.proxyHeaderFailed,
            dispatchMode: this.policy.name,
            workerRestarts: this.pool.slots.reduce((n, s) => n + s.restarts, 0),
            uptime: (Date.now() - this.startTime) / 1000,
            node: this.nodeId,
        };
    }
    /**
     * Zero-drop reload (SIGUSR1, `switchyard reload`, a worker's server.reload()): slot by slot, a
     * new worker with the app loaded afresh takes the slot's new connections, and the old one
     * hands it every live connection (WorkerPool.replace). The master itself is not replaced. A
     * new worker that fails to start rejects with its error (ERR_RELOAD_START_FAILED): that slot
     * and those after it keep their old worker (on the first slot: nothing changed at all).
     */
    reload(why) {
        if (this.stopping)
            return Promise.reject(new ReloadError('ERR_RELOAD_STOPPING', 'shutting down: no reload'));
        if (this.reloading)
            return Promise.reject(new ReloadError('ERR_RELOAD_BUSY', 'a reload, recycle or drain is already under way'));
        if (this.draining)
            return Promise.reject(new ReloadError('ERR_RELOAD_STOPPING', 'draining: no reload'));
        const run = async () => {
            const started = Date.now();
            this.log.info({ event: 'reload', why }, 'reload: replacing every worker');
            const report = { ms: 0, slots: [] };
            for (const slot of this.pool.slots) {
                const moveTimeout = reloadMoveTimeoutMs(this.config);
                const r = await this.pool.replace(slot, join(this.busDir, `move-${slot.slot}.sock`), RELOAD_START_TIMEOUT_MS, moveTimeout);
                report.slots.push({ slot: slot.slot, oldPid: r.oldPid, newPid: r.newPid, ...r.report });
                this.log.info({ event: 'reloaded-slot', slot: slot.slot, oldPid: r.oldPid, newPid: r.newPid, moved: r.report.moved, failed: r.report.failed.length, ms: Math.round(r.report.ms) }, 'reload: slot replaced');
            }
            report.ms = Date.now() - started;
            return report;
        };
        const running = run().finally(() => (this.reloading = null));
        this.reloading = running;
        return running;
    }
    /**
     * maxRequest / maxWorkerLifetime (Swoole's max_request): a worker past either is replaced
     * the way a reload replaces it (its connections move), one slot at a time, never during a
     * reload or a drain.
     */
    maybeRecycle(slot) {
        const { maxRequest, maxWorkerLifetime } = this.config;
        if ((maxRequest === 0 && maxWorkerLifetime === 0) || this.stopping || this.draining || this.reloading || slot.other !== null || !slot.up)
            return;
        const byRequests = maxRequest > 0 && slot.counters.messagesIn >= maxRequest;
        const byAge = maxWorkerLifetime > 0 && slot.startedAt > 0 && Date.now() - slot.startedAt >= maxWorkerLifetime * 1000;
        if (!byRequests && !byAge)
            return;
        const why = byRequests ? `maxRequest (${slot.counters.messagesIn} messages)` : `maxWorkerLifetime (${Math.round((Date.now() - slot.startedAt) / 1000)} s)`;
        this.log.info({ event: 'recycle', slot: slot.slot, why }, 'recycling a worker, connections kept');
        const moveTimeout = reloadMoveTimeoutMs(this.config);
        const run = this.pool
            .replace(slot, join(this.busDir, `move-${slot.slot}.sock`), RELOAD_START_TIMEOUT_MS, moveTimeout)
            .then((r) => this.log.info({ event: 'recycled', slot: slot.slot, oldPid: r.oldPid, newPid: r.newPid, moved: r.report.moved, failed: r.report.failed.length, ms: Math.round(r.report.ms) }, 'worker recycled'))
            .catch((err) => this.log.error({ event: 'recycle-failed', slot: slot.slot, err: err.message }, 'recycle failed: the old worker keeps serving'))
            .finally(() => (this.reloading = null));
        this.reloading = run;
    }
    /**
     * A drain before a whole-node restart (`switchyard drain`, server.drain()): /readyz answers
     * 503, new connections are refused with 503, and every worker closes its established
     * connections with 1012 (Service Restart) spread evenly over `seconds`, so that clients
     * reconnect to other nodes without a storm. Resolves once the window (and the closing
     * handshakes) are over; the node keeps running, refusing, until it is stopped.
     */
    async drain(seconds) {
        if (this.stopping)
            throw new ReloadError('ERR_RELOAD_STOPPING', 'shutting down: no drain');
        if (this.draining)
            throw new ReloadError('ERR_RELOAD_BUSY', 'already draining');
        this.draining = true;
        await this.reloading?.catch(() => { });
        const before = await this.nodeStats();
        const ms = Math.max(0, seconds) * 1000;
        this.log.info({ event: 'drain', seconds, connections: before.connections }, 'draining: new connections refused, established ones closed with 1012 over the window');
        for (const slot of this.pool.slots)
            this.pool.send(slot, { t: 'drain', ms });
        await new Promise((r) => setTimeout(r, ms + this.config.closeTimeoutMs));
        return { seconds, connections: before.connections };
    }
    /**
     * Graceful shutdown: stop accepting, every worker closes its clients with 1001 and waits up
     * to maxWaitTime for the closing handshakes, then exits; stragglers are killed.
     */
    shutdown(why) {
        this.stopping ??= (async () => {
            this.log.info({ event: 'shutdown', why }, 'shutting down');
            this.listener.close();
            if (this.publishTimer)
                clearInterval(this.publishTimer);
            await this.pool.stop(this.config.maxWaitTime * 1000 + 2000);
            await this.callHookAsync(() => this.hooks.shutdown?.());
            // Open until now: /healthz says the master lives, /readyz that it is shutting down.
            this.admin?.close();
            this.log.info({ event: 'stopped' }, 'all workers stopped');
            this.onStopped();
        })();
        return this.stopping;
    }
    callHook(fn) {
        try {
            fn();
        }
        catch (err) {
            this.log.error({ err }, 'master hook failed');
        }
    }
    async callHookAsync(fn) {
        try {
            await fn();
        }
        catch (err) {
            this.log.error({ err }, 'master hook failed');
        }
    }
}
//# sourceMappingURL=master.js.map