import { ConfigError } from '../shared/errors.js';
import { resolveConfig } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { CloseCode } from '../shared/protocol/constants.js';
import { checkCloseArguments } from '../shared/protocol/frame-encoder.js';
import { WebSocketStatus } from './connection/connection.js';
import { HandshakeRequest, HandshakeResponse } from './handshake/handshake-io.js';
import { Router } from './cluster/router.js';
import { AppCallbacks } from './app-callbacks.js';
import { ClusterCalls } from './cluster/cluster-calls.js';
import { NodeLiveness } from './cluster/node-liveness.js';
import { OPS } from './cluster/cluster-ops.js';
import { LocalConnections } from './local-connections.js';
import { opcodeFor, toList } from './cluster/payload.js';
import { WorkerLifecycle } from './worker-lifecycle.js';
import { newCounters, singleProcessStats } from './worker-stats.js';
import { WorkerMeters } from '../shared/metrics/worker-meters.js';
import { UidLimit } from './uid-limit.js';
export { HandshakeRequest, HandshakeResponse, WebSocketStatus };
export { upgradeRequired } from './handshake/upgrade-required.js';
/**
 * The server object every callback receives: Swoole's WebSocket\Server API over every fd of
 * the cluster. It runs this worker's lifecycle and hands each call to ClusterCalls, which runs
 * the operation (cluster-ops.ts) here or on the worker that holds the fd.
 */
export class Server {
    isMaster = false;
    startTime = Date.now();
    config;
    log;
    workerId;
    callbacks;
    local;
    lifecycle;
    clusterStats;
    requestShutdown;
    requestReload;
    requestDrain;
    router;
    calls;
    counters = newCounters();
    /** Metric counters beyond the stats counters (src/shared/metrics/). */
    meters;
    constructor(options = {}, deps = {}) {
        this.config = resolveConfig(options);
        this.workerId = deps.workerId ?? 0;
        this.log = deps.logger ?? createLogger(this.config.logLevel, { role: 'worker', slot: this.workerId });
        this.clusterStats = deps.clusterStats;
        this.meters = deps.meters ?? new WorkerMeters();
        this.requestShutdown = deps.requestShutdown;
        this.requestReload = deps.requestReload;
        this.requestDrain = deps.requestDrain;
        this.callbacks = new AppCallbacks(this, this.log);
        this.router =
            deps.buses && (deps.buses.embedded || deps.buses.redis)
                ? new Router({
                    self: { node: deps.node ?? 0, slot: this.workerId },
                    embedded: deps.buses.embedded,
                    redis: deps.buses.redis,
                    handler: { serve: (body, from, wantsReply) => this.calls.serve(body, from, wantsReply) },
                    log: this.log,
                    timeoutMs: this.config.busTimeoutMs,
                    maxPendingRequests: this.config.busMaxPendingRequests,
                    meters: this.meters,
                })
                : null;
        const uidLimit = new UidLimit(this.config.maxConnectionsPerUid, {
            getFdsByUid: (uid) => this.getFdsByUid(uid),
            connectTime: async (fd) => (await this.getClientInfo(fd))?.connectTime ?? null,
            disconnect: (fd, code, reason) => this.disconnect(fd, code, reason),
        }, this.log);
        this.local = new LocalConnections({
            counters: this.counters,
            meters: this.meters,
            log: this.log,
            sessions: deps.sessions ?? null,
            node: this.node,
            slot: this.workerId,
            pendingSocket: (fd) => this.lifecycle.pendingSocket(fd),
            pipe: (src, data) => this.callbacks.invokePipe(src, data),
            ...(this.config.maxConnectionsPerUid > 0 ? { bound: (fd, uid) => void uidLimit.bound(fd, uid) } : {}),
        });
        this.calls = new ClusterCalls({
            router: this.router,
            workerCount: deps.workerCount ?? 1,
            sessions: deps.sessions ?? null,
            local: this.local,
            log: this.log,
            liveness: deps.nodeAlive && this.router ? new NodeLiveness(deps.nodeAlive, this.log) : null,
        });
        let next = 0;
        this.lifecycle = new WorkerLifecycle({
            config: this.config,
            log: this.log,
            server: this,
            callbacks: this.callbacks,
            local: this.local,
            counters: this.counters,
            workerId: this.workerId,
            allocateFd: deps.allocateFd ?? (() => ++next),
        });
    }
    /**
     * Registers a callback (Swoole's $server->on()). One per event; the last one wins.
     * Master-only hooks are accepted and kept for the master; a worker never runs them.
     */
    on(event, callback) {
        this.callbacks.on(event, callback);
        return this;
    }
    // ---- I/O entry and lifecycle ----------------------------------------------------------
    /** A socket handed over by the master (or its fd alone, when the client left in transit). */
    receive(socket, fd) {
        this.lifecycle.receive(socket, fd);
    }
    /** Takes an accepted socket (from our own listener or the master's hand-off). */
    attach(socket, fd) {
        this.lifecycle.attach(socket, fd);
    }
    /**
     * Reads the TLS files again (what SIGHUP to the master does in every worker): new handshakes
     * use the new certificates, established connections keep theirs. False when TLS is off or a
     * file failed its check (logged; the current certificates stay).
     */
    reloadTls() {
        return this.lifecycle.reloadTls();
    }
    /** Single-process mode: listen ourselves, as the master will (paused sockets, nothing read). */
    async listen(port = this.config.port, host = this.config.host) {
        // The master reads PROXY headers; a single process has none (trustProxy's headers work here).
        if (this.config.proxyProtocol)
            throw new ConfigError(['proxyProtocol (--proxy-protocol): needs the cluster (switchyard start): a single-process server does not read PROXY headers']);
        const address = await this.lifecycle.listen(port, host);
        await this.start();
        return address;
    }
    /** Arms the heartbeat and ping timers and runs workerStart (listen() calls it; so does a cluster worker). */
    async start(strict = false) {
        await this.lifecycle.start(strict);
    }
    /** @internal what a reload works on (src/worker/reload/, worker-main.ts). */
    get reloadParts() {
        return { local: this.local, lifecycle: this.lifecycle, callbacks: this.callbacks };
    }
    /**
     * The app's own store for a connection of this worker (created empty on first use; null for
     * an fd this worker does not hold). It moves with the connection when a reload hands it to
     * a new worker, so it must stay structured-clone data (objects, arrays, strings, numbers,
     * Buffers, Maps, Sets, Dates: no functions, sockets or class instances with behaviour).
     */
    connectionData(fd) {
        return this.local.connectionData(fd);
    }
    /**
     * Asks the master to reload every worker (new app code, connections kept: see the README).
     * Fire-and-forget from a worker (this very worker is replaced); false in a single process.
     */
    reload() {
        if (!this.requestReload)
            return false;
        this.requestReload();
        return true;
    }
    /**
     * Drains the node before a whole-node restart: readiness 503, new connections 503, every
     * established connection closed with 1012, evenly over `seconds` (default drainSeconds). In
     * a single process, this server alone.
     */
    drain(seconds = this.config.drainSeconds) {
        if (this.requestDrain)
            this.requestDrain(seconds);
        else
            this.lifecycle.drain(seconds * 1000);
        return true;
    }
    /**
     * Stops the server: in a cluster, asks the master to stop every worker (each closes its
     * clients with 1001); in a single process, does it here. Resolves when this process is done.
     */
    async shutdown(maxWaitMs = this.config.maxWaitTime * 1000) {
        if (this.requestShutdown) {
            this.requestShutdown();
            return;
        }
        await this.stop(maxWaitMs);
    }
    /** Closes every connection here with 1001 and waits for the closing handshakes, up to `maxWaitMs`. */
    async stop(maxWaitMs = this.config.maxWaitTime * 1000) {
        await this.lifecycle.stop(maxWaitMs);
    }
    // ---- the server API: any fd of the cluster -------------------------------------------
    /** Whether this worker holds fd (no bus, or the fd names this worker). */
    isLocal(fd) {
        return this.calls.isLocal(fd);
    }
    /**
     * Sends a message to any fd of the cluster: text for strings, binary for Buffers unless
     * `opcode` (1, 2, 9, 10) says otherwise. Local fds: true when written or queued. Remote fds:
     * fire-and-forget, true when the bus took it (the owner counts the outcome in stats); false
     * when it is congested or has no transport to the owner (pushStatus tells which).
     * Never throws for a bad fd.
     */
    push(fd, data, opcode) {
        const status = this.pushStatus(fd, data, opcode);
        return status === 'written' || status === 'queued' || status === 'forwarded';
    }
    /**
     * push() with its outcome: a local fd's PushStatus, or for a remote one `forwarded` (a bus took
     * it), `congested` (the bus to the owner holds its budget already: retry later) or
     * `unreachable` (no transport to the owner now).
     */
    pushStatus(fd, data, opcode) {
        return this.calls.fire(OPS.push, fd, data, opcodeFor(data, opcode));
    }
    /** push() that waits for the owner's outcome, wherever the fd lives: its PushStatus, or
     * `unreachable`, `congested` (bus or calls awaiting answers over budget) or `timeout`. */
    pushAsync(fd, data, opcode) {
        try {
            return this.calls.ask(OPS.push, fd, data, opcodeFor(data, opcode));
        }
        catch (err) {
            return Promise.reject(err);
        }
    }
    /**
     * Starts the closing handshake with `code` and `reason` (remote fds: fire-and-forget). A code
     * that may not be sent (1005, 1006, 1015, outside 1000-1003/1007-1014/3000-4999) or a reason
     * over 123 bytes of UTF-8 throws RangeError here, wherever fd lives, before anything changes.
     */
    disconnect(fd, code = CloseCode.Normal, reason = '') {
        checkCloseArguments(code, reason);
        return this.calls.fire(OPS.disconnect, fd, code, reason);
    }
    /** Closes the TCP connection without a close frame (remote fds: fire-and-forget). */
    close(fd) {
        return this.calls.fire(OPS.close, fd, undefined, undefined);
    }
    /**
     * Pings a connection (remote fds: fire-and-forget); the pong's round trip shows in
     * getClientInfo(fd).rtt. A payload over 125 bytes throws RangeError here, wherever fd lives.
     */
    ping(fd, data) {
        const payload = typeof data === 'string' ? Buffer.from(data) : data;
        if (payload && payload.length > 125)
            throw new RangeError('ping payload exceeds 125 bytes');
        return this.calls.fire(OPS.ping, fd, payload, undefined);
    }
    /** Whether the TCP connection exists anywhere in the cluster (handshake pending or established). */
    async exist(fd) {
        return (await this.calls.ask(OPS.describe, fd, undefined, undefined)).exist;
    }
    /** Whether fd is an open WebSocket anywhere in the cluster (handshake done, no close started). */
    async isEstablished(fd) {
        return (await this.calls.ask(OPS.describe, fd, undefined, undefined)).established;
    }
    /** A connection's details, wherever it lives; null when there is no such connection. */
    async getClientInfo(fd) {
        return (await this.calls.ask(OPS.describe, fd, undefined, undefined)).info;
    }
    /** This worker's connection details, synchronously; null when this worker does not hold fd. */
    localClientInfo(fd) {
        return this.local.clientInfo(fd);
    }
    /** Exempts a connection from the heartbeat (Swoole's protect(); remote fds: fire-and-forget). */
    protect(fd, value = true) {
        return this.calls.fire(OPS.protect, fd, value, undefined);
    }
    /**
     * A page of the cluster's sessions, ascending by fd (Swoole's getClientList): those above
     * `cursor` (the previous page's last fd), at most `limit` (1-1000, default 100), optionally
     * only a room's members or a uid's sessions. Paging by fd is stable while sessions come and
     * go: fds are never reused, so every session that lives through the walk is listed once.
     * Throws RangeError for a cursor or limit out of range.
     */
    async getClientList(options = {}) {
        const { cursor = 0, limit = 100, room, uid } = options;
        if (!Number.isSafeInteger(cursor) || cursor < 0)
            throw new RangeError(`getClientList: cursor ${cursor} is not an fd`);
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
            throw new RangeError(`getClientList: limit ${limit} is not from 1 to 1000`);
        let fds;
        if (uid !== undefined) {
            // A uid's sessions are few: its list, then (with a room) each one's rooms from its owner.
            fds = (await this.getFdsByUid(uid)).filter((fd) => fd > cursor);
            if (room !== undefined) {
                const rooms = await Promise.all(fds.map(async (fd) => (await this.getClientInfo(fd))?.rooms ?? []));
                fds = fds.filter((_, i) => rooms[i].includes(room));
            }
        }
        else if (room !== undefined || !this.calls.hasSessionTable) {
            // Rooms live in the workers: each one answers its share of the page.
            fds = await this.calls.gather(OPS.page, { after: cursor, limit: limit + 1, room: room ?? null });
        }
        else {
            // Several nodes, every session: the session table lists them.
            fds = (await this.calls.each(OPS.fds, undefined)).filter((fd) => fd > cursor);
        }
        fds.sort((a, b) => a - b);
        const more = fds.length > limit;
        if (more)
            fds.length = limit;
        return { fds, cursor: more ? fds[limit - 1] : null };
    }
    /**
     * The established fds: `for (const fd of server.connections)` iterates this worker's,
     * `for await (const fd of server.connections)` the whole cluster's.
     */
    get connections() {
        const local = () => this.local.fds();
        const all = () => this.calls.each(OPS.fds, undefined);
        return {
            [Symbol.iterator]: local,
            async *[Symbol.asyncIterator]() {
                yield* await all();
            },
        };
    }
    // ---- broadcast, rooms, uids, worker messages -----------------------------------------
    /**
     * Sends to every established connection of the cluster exactly once: one bus message per
     * worker, the frame encoded once per worker. False when a bus could not carry it.
     */
    broadcast(data, options = {}) {
        return this.calls.all(OPS.broadcast, data, opcodeFor(data, options.opcode), { except: toList(options.except), room: undefined });
    }
    /** The members of `room` across the cluster: `server.to('lobby').except(fd).push(data)`. */
    to(room) {
        return this.calls.room(room);
    }
    /** Adds fd (any fd of the cluster) to a room; membership ends when the connection closes. */
    join(fd, room) {
        return this.calls.fire(OPS.join, fd, room, undefined);
    }
    leave(fd, room) {
        return this.calls.fire(OPS.leave, fd, room, undefined);
    }
    /** Attaches a user id to fd (any fd of the cluster); one uid may have many fds. */
    bind(fd, uid) {
        return this.calls.fire(OPS.bind, fd, String(uid), undefined);
    }
    /** Every fd bound to uid across the cluster. */
    async getFdsByUid(uid) {
        return this.calls.each(OPS.fdsByUid, String(uid));
    }
    /** Pushes to every fd bound to uid, wherever they are: one bus message per worker. */
    pushToUid(uid, data, opcode) {
        return this.calls.all(OPS.pushToUid, String(uid), data, opcodeFor(data, opcode));
    }
    /**
     * Sends `data` to another worker's `pipeMessage` callback (Swoole's sendMessage). workerId is
     * the slot on this node, or node * 256 + slot for a worker of another node.
     */
    sendMessage(data, workerId) {
        return this.calls.toWorker(OPS.pipe, workerId, this.globalWorkerId, data, undefined);
    }
    /** This node's id (0 on a single host). */
    get node() {
        return this.router?.self.node ?? 0;
    }
    /** This worker's id across nodes: node * 256 + slot (equal to workerId on node 0). */
    get globalWorkerId() {
        return (this.router?.self.node ?? 0) * 256 + this.workerId;
    }
    /** Runs fn after the current event-loop turn (Swoole's defer). */
    defer(fn) {
        setImmediate(() => {
            try {
                fn();
            }
            catch (err) {
                this.log.error({ err }, 'deferred callback failed');
            }
        });
    }
    /** Cluster-wide figures (from the master), or this process's in a single-process server. */
    async stats() {
        if (this.clusterStats)
            return this.clusterStats();
        return singleProcessStats(this.localStats(), { up: !this.lifecycle.shuttingDown, startTime: this.startTime, node: this.node });
    }
    /** This process's counters. */
    localStats() {
        return {
            workerId: this.workerId,
            connections: this.local.size,
            pendingHandshakes: this.lifecycle.pendingHandshakes,
            ...this.counters,
            ...this.local.traffic(),
        };
    }
}
//# sourceMappingURL=server.js.map