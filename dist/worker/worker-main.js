import cluster from 'node:cluster';
import { Socket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { reloadMoveTimeoutMs } from '../shared/cluster-messages.js';
import { ClusterError } from '../shared/errors.js';
import { createLogger } from '../shared/logger.js';
import { EmbeddedBus } from '../shared/bus/embedded-bus.js';
import { ReleaseBatch } from './release-batch.js';
import { Server } from './server.js';
import { runAdmin } from './admin-ops.js';
import { receiveHandoffs } from '../shared/handoff/receiver.js';
import { markProxied } from './handshake/client-address.js';
import { WorkerMeters } from '../shared/metrics/worker-meters.js';
import { Adoption } from './reload/adopt.js';
import { moveOut } from './reload/move-out.js';
import { BusHandover, CUT_MARKER } from './reload/bus-handover.js';
import { BytesMessage } from '../shared/bus/codec.js';
/** How often a worker tells the master its load (dispatch modes 3 and 8 read it). */
const LOAD_REPORT_MS = 250;
/** How long a reload waits for the Redis bus's cut marker (bus-handover.ts) before going on without it. */
const CUT_TIMEOUT_MS = 3000;
/** How long a moved connection's state waits for this worker's Redis publishes to be answered. */
const FLUSH_TIMEOUT_MS = 1000;
/** A reload: how long the old worker waits for the master to end its hand-off pipe (the master waits up to 5 s for its last writes). */
const HANDOFF_END_WAIT_MS = 10_000;
/** Sampling period of the event-loop delay histogram (ms). */
const LAG_RESOLUTION_MS = 10;
/** A stats request the master does not answer in time fails rather than hangs. */
const STATS_TIMEOUT_MS = 3000;
/**
 * A cluster worker: no listening socket of its own. The master hands it sockets with their
 * session ids over IPC; it runs the handshake and frame loop for them, and reports its load.
 */
export async function runWorker(config, app, where) {
    const { slot, node } = where;
    // A reload's replacement: the worker it replaces hands over its connections and bus links.
    const successor = where.movePath !== undefined && where.movePath !== '';
    const log = createLogger(config.logLevel, { role: 'worker', slot, node });
    // Same-node traffic: a Unix-socket mesh between the workers, off the master's IPC channel.
    // A reload's replacement's frames may wait behind its predecessor's for as long as the master
    // gives that one to move out (sender-order.ts).
    const embedded = config.workers > 1 ? new EmbeddedBus({ self: { node, slot }, slots: config.workers, dir: where.busDir, log, maxQueuedBytes: config.embeddedBusMaxQueuedBytes, orderHoldMs: reloadMoveTimeoutMs(config), ...(where.generation !== undefined ? { generation: where.generation } : {}) }) : null;
    // Other nodes, with --redis: the Redis bus, and the session table (uids, connections) in Redis.
    // Loaded only then: a single host's workers start (and restart) faster without it.
    const multi = config.redis ? await (await import('./worker-redis.js')).openRedisParts({ ...config, redis: config.redis }, { node, slot }, log) : null;
    const redis = multi?.bus ?? null;
    const sessions = multi?.sessions ?? null;
    const send = (msg) => {
        if (process.connected)
            process.send(msg);
    };
    const pendingStats = new Map();
    let nextId = 0;
    const meters = new WorkerMeters();
    const server = new Server(config, {
        logger: log,
        workerId: slot,
        clusterStats: () => new Promise((resolve, reject) => {
            const id = ++nextId;
            const timer = setTimeout(() => {
                pendingStats.delete(id);
                reject(new ClusterError('ERR_STATS_TIMEOUT', 'stats: the master did not answer'));
            }, STATS_TIMEOUT_MS);
            pendingStats.set(id, (s) => {
                clearTimeout(timer);
                resolve(s);
            });
            send({ t: 'stats?', id });
        }),
        requestShutdown: () => send({ t: 'shutdown?' }),
        requestReload: () => send({ t: 'reload?' }),
        requestDrain: (seconds) => send({ t: 'drain?', seconds }),
        buses: { embedded, redis },
        node,
        workerCount: config.workers,
        meters,
        ...(sessions ? { sessions } : {}),
        ...(multi ? { nodeAlive: multi.nodeAlive } : {}),
    });
    await app(server);
    const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
    lag.enable();
    // Hand-off reads that failed their check (see receiveHandoffs below).
    let handoffRejected = 0;
    let rejectedUnreceived = 0;
    // The lag of the last report window: only the periodic report samples and resets the
    // histogram, so a stats or metrics request in between does not shorten the window.
    let lagMs = 0;
    const sampleLag = () => {
        // The histogram's samples include its own 10 ms timer period: only the excess is lag.
        const ms = Math.max(0, lag.percentile(50) / 1e6 - LAG_RESOLUTION_MS);
        lag.reset();
        lagMs = Number.isFinite(ms) ? ms : 0;
    };
    const counters = () => {
        const l = server.localStats();
        return { ...l, received: l.received + rejectedUnreceived, handoffRejected, lagMs };
    };
    const metrics = () => {
        const cpu = process.cpuUsage();
        return meters.snapshot({ residentBytes: process.memoryUsage.rss(), cpuSeconds: (cpu.user + cpu.system) / 1e6, busRejected: redis?.stats().unauthenticated ?? 0, busSequence: sequenceEvents(redis) });
    };
    let stopping = false;
    const stop = async (why) => {
        if (stopping)
            return;
        stopping = true;
        log.info({ event: 'worker-stop', why }, 'worker stopping');
        // Closing handshakes get maxWaitTime; nothing after them (workerStop, closing the buses) may
        // keep an orphaned worker alive much longer, with no master left to kill it.
        setTimeout(() => process.exit(0), config.maxWaitTime * 1000 + 1000).unref();
        clearInterval(reporter);
        await server.stop();
        await Promise.all([embedded?.close(), redis?.close(), sessions?.close()]);
        process.exit(0);
    };
    process.on('message', (msg) => {
        switch (msg.t) {
            case 'counters?':
                send({ t: 'counters', id: msg.id, counters: counters(), metrics: metrics() });
                return;
            case 'stats':
                pendingStats.get(msg.id)?.(msg.stats);
                pendingStats.delete(msg.id);
                return;
            case 'shutdown':
                void stop('master asked');
                return;
            case 'move-out':
                void handOver(msg.path);
                return;
            case 'drain':
                server.reloadParts.lifecycle.drain(msg.ms);
                return;
            case 'resync':
                sessions?.resync(msg.reason);
                return;
            case 'tls-reload':
                server.reloadTls();
                return;
            case 'admin':
                // The master's admin server: run it here, through the Server (the owner may be anywhere).
                void runAdmin(server, msg.request).then((answer) => send({ t: 'admin', id: msg.id, answer }));
                return;
        }
    });
    // Ctrl-C (and a closed terminal's SIGHUP) reach the whole process group: the master decides
    // when workers stop.
    process.on('SIGINT', () => { });
    process.on('SIGTERM', () => { });
    process.on('SIGHUP', () => { });
    // The master is gone (kill -9, a crash): nobody will hand us sockets or stop us. Close every
    // client with 1001 and leave within maxWaitTime. node:cluster would exit this process the
    // moment the IPC channel drops (clients would see 1006) unless the disconnect is one it
    // expects: saying so leaves the exit to us.
    if (cluster.worker)
        cluster.worker.exitedAfterDisconnect = true;
    process.on('disconnect', () => void stop('master gone'));
    // A restarted slot's previous sessions died with its process: forget them before taking new
    // ones. Not a reload's replacement: its predecessor's sessions are moving here, alive.
    if (!successor)
        await sessions?.purgeWorker(node, slot).catch((err) => log.warn({ err: err.message }, 'could not purge the previous sessions of this slot'));
    await embedded?.start({ listen: !successor });
    // A reload's old worker and its replacement share the slot's Redis channels for a while: who
    // runs which message is cut by a marker, one per stream with an order of its own (bus-handover.ts).
    const handover = redis && redis.onMessage ? new BusHandover({ node, slot }, redis.onMessage, successor ? 'successor' : 'live', { splitBroadcasts: !redis.broadcastsInOrder }) : null;
    if (redis && handover)
        redis.onMessage = (msg, from, via) => handover.receive(msg, from, via);
    if (redis) {
        // A Redis outage at start is not fatal: local traffic works, the bus keeps reconnecting.
        await redis.start().catch((err) => log.error({ err: err.message }, 'redis bus not connected yet'));
    }
    // Every handed-over socket's end goes back to the master (its connection limits).
    const released = new ReleaseBatch((fds) => send({ t: 'released', fds }));
    let handoffEnded;
    const handoffEnd = new Promise((resolve) => (handoffEnded = resolve));
    // Connections arrive on the hand-off pipe (see shared/handoff/), not on node:cluster's channel.
    receiveHandoffs(where.handoffFd, { slot, node }, {
        connection: (handoff, handle) => {
            const socket = handle ? handedSocket(handle, handoff) : undefined;
            if (socket)
                released.track(socket, handoff.fd);
            else
                released.add(handoff.fd);
            server.receive(socket, handoff.fd);
        },
        rejected: (read) => {
            handoffRejected++;
            // A read is one hand-off: when no record came out of it, it still counts as received (the master's estimate).
            if (read.records === 0)
                rejectedUnreceived++;
            log.error({ event: 'handoff-rejected', ...read }, 'hand-off record failed its check: dropped, its connection closed');
        },
        end: () => {
            log.debug({ event: 'handoff-closed' }, 'the master closed the hand-off pipe');
            handoffEnded();
        },
    });
    /** The old worker's side of the Redis bus's cut: publish the marker(s), run what comes before them. */
    const cutRedisBus = async () => {
        if (!redis || !handover)
            return;
        const marker = new BytesMessage('send', 0, CUT_MARKER);
        const missed = await handover.waitCut((stream) => (stream === 'direct' ? redis.send({ node, slot }, marker) : redis.broadcast(marker)) === 'ok', CUT_TIMEOUT_MS);
        if (missed.length > 0)
            log.warn({ event: 'bus-cut-missed', streams: missed }, 'reload: the Redis bus marker did not come back: messages for this slot around the move may run twice or not at all');
    };
    /** What this worker published so far is in Redis (bounded: a hung Redis does not stall the move). */
    const redisFlushed = redis ? () => Promise.race([redis.flushed(), new Promise((r) => setTimeout(r, FLUSH_TIMEOUT_MS).unref())]) : null;
    /** A reload: after the last hand-off (the master closed the pipe), every connection goes to the replacement; then exit. */
    const handOver = async (path) => {
        if (stopping)
            return;
        stopping = true;
        clearInterval(reporter);
        // Every hand-off the master made to us comes before the pipe's end: one that came after the
        // move would die with this process (the client reset mid-handshake). The master closes the
        // pipe right after its last write completes; the bound is for a master that never does.
        const ended = await Promise.race([handoffEnd.then(() => true), new Promise((r) => setTimeout(r, HANDOFF_END_WAIT_MS, false).unref())]);
        if (!ended)
            log.warn({ event: 'handoff-end-missed', ms: HANDOFF_END_WAIT_MS }, 'reload: the hand-off pipe did not end in time: moving out anyway');
        const { local, lifecycle, callbacks } = server.reloadParts;
        let report;
        try {
            report = await moveOut({ local, log, embedded, pendingHandshakes: () => lifecycle.pendingHandshakes, untrack: (socket) => released.untrack(socket), beforeEnd: cutRedisBus, ...(redisFlushed ? { busFlushed: redisFlushed } : {}) }, path, config.maxWaitTime * 1000);
        }
        catch (err) {
            log.error({ err }, 'reload: the move failed: closing what is left with 1012');
            report = { moved: 0, failed: [{ fd: 0, why: err.message, closed: 1012 }], ms: 0, cpuUs: 0 };
            local.relay = null;
            for (const fd of [...local.fds()])
                local.disconnect(fd, 1012, 'service restart');
        }
        // Every connection is gone to the replacement (or closing here): what peers hold of its
        // sends, waiting behind ours, goes now rather than at our exit (sender-order.ts).
        embedded?.predecessorDone();
        send({ t: 'moved', report });
        // What could not move closes here (1012): its closing handshakes get closeTimeoutMs.
        const deadline = Date.now() + config.closeTimeoutMs + 500;
        while (local.size > 0 && Date.now() < deadline)
            await new Promise((r) => setTimeout(r, 20));
        local.closeAll();
        await callbacks.invokeLifecycle('workerStop', slot);
        await Promise.all([embedded?.close(), redis?.close(), sessions?.close()]);
        process.exit(0);
    };
    const reporter = setInterval(() => {
        sampleLag();
        send({ t: 'load', counters: counters(), metrics: metrics(), ...(multi ? { redis: multi.bus.ready && multi.sessions.connected } : {}) });
    }, LOAD_REPORT_MS);
    reporter.unref();
    // A replacement listens for its predecessor's connections before it says it is ready.
    if (successor) {
        const { local, lifecycle, callbacks } = server.reloadParts;
        const adoption = new Adoption({ local, log, host: lifecycle.connectionHost, callbacks, embedded, deflateSettings: lifecycle.connectionHost.upgrader.deflateSettings, track: (socket, fd) => released.track(socket, fd) });
        await adoption.listen(where.movePath);
        void adoption.done.then((moved) => {
            // What came on Redis after the cut runs now, behind what the old worker forwarded.
            handover?.release();
            send({ t: 'adopted', moved, ms: adoption.cost.ms, cpuUs: adoption.cost.cpuUs });
            setTimeout(() => handover?.forceLive(), CUT_TIMEOUT_MS).unref();
        });
        void adoption.done.then(() => embedded?.listenLater().catch((err) => log.error({ err: err.message }, 'bus: cannot listen after the reload')));
    }
    // A replacement whose workerStart throws must not serve: the reload is aborted (start-failed).
    await server.start(successor);
    send({ t: 'ready' });
    log.info({ event: 'worker-start' }, 'worker started');
}
/**
 * A raw TCP handle from the master (see Master.onHandle), wrapped still paused: the HTTP entry
 * reads. The client's address came with it; it is put where net.Socket caches what
 * getpeername() returned, so `remoteAddress` costs no system call here.
 */
function handedSocket(handle, handoff) {
    const socket = new Socket({ handle, readable: true, writable: true, pauseOnCreate: true });
    if (handoff.address !== '') {
        socket._peername = { address: handoff.address, family: handoff.address.includes(':') ? 'IPv6' : 'IPv4', port: handoff.port };
    }
    // A PROXY protocol connection: the address above is the header's source; the proxy stays visible.
    if (handoff.proxy)
        markProxied(socket, handoff.proxy);
    // Bytes the master read past the PROXY header are the request's first: read before the socket's.
    if (handoff.prefix)
        socket.unshift(handoff.prefix);
    return socket;
}
/** The Redis Cluster bus's sequence counts, by BUS_SEQUENCE_EVENTS (zeros for any other bus). */
function sequenceEvents(bus) {
    const s = (bus?.stats() ?? {});
    return [s.gaps ?? 0, s.lost ?? 0, s.duplicates ?? 0, s.reordered ?? 0];
}
//# sourceMappingURL=worker-main.js.map