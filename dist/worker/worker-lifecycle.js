import { createServer as createNetServer } from 'node:net';
import { HttpEntry, reject } from './handshake/http-entry.js';
import { TlsTerminator } from './handshake/tls-terminator.js';
import { tlsEnabled } from '../shared/tls-files.js';
import { WorkerEvents } from './worker-events.js';
/** One listener for every socket: a closure each would stay with every idle connection. */
const ignore = () => { };
/**
 * This worker from start to stop. Sockets enter (the master's hand-off or our own listener),
 * go through the HTTP entry and the upgrade, refused (503) at capacity or while shutting
 * down; what a connection reports from then on goes to the connection registry and the app's
 * callbacks. Timers close idle connections and ping; stop() closes everything with 1001.
 */
export class WorkerLifecycle {
    config;
    log;
    callbacks;
    local;
    counters;
    allocateFd;
    entry;
    upgrader;
    events;
    listener = null;
    /** With sslCertFile and sslKeyFile: TLS ends here, on every accepted socket. */
    tls;
    stopping = false;
    draining = false;
    timers = [];
    workerId;
    constructor(init) {
        const { config, log, callbacks, local, counters } = init;
        this.config = config;
        this.log = log;
        this.callbacks = callbacks;
        this.local = local;
        this.counters = counters;
        this.allocateFd = init.allocateFd;
        this.workerId = init.workerId;
        // Where sockets and connections report to: one object, declared interfaces (worker-events.ts).
        const events = new WorkerEvents({ config, log, server: init.server, callbacks, local, counters, capacity: this });
        this.events = events;
        this.upgrader = events.upgrader;
        this.entry = new HttpEntry(config, log, events);
        this.tls = tlsEnabled(config) ? new TlsTerminator(config, log) : null;
    }
    /** Reads the TLS files again (SIGHUP to the master): false when TLS is off or a file failed (the old certificate stays). */
    reloadTls() {
        return this.tls?.reload() ?? false;
    }
    /** Where connections report (a connection a reload moves here is built with it). */
    get connectionHost() {
        return this.events;
    }
    /** Whether stop() has begun: no new connections. */
    get shuttingDown() {
        return this.stopping;
    }
    /** Connections that are not WebSockets (yet), as maxPendingHandshakes counts them. */
    get pendingHandshakes() {
        return this.entry.sockets.size + this.upgrader.pending.size;
    }
    /** A socket with no WebSocket yet: waiting for the app's handshake hook or still in HTTP. */
    pendingSocket(fd) {
        return this.upgrader.pending.get(fd) ?? this.entry.sockets.get(fd);
    }
    /**
     * A socket handed over by the master. It may arrive without its handle when the client
     * closed while it travelled: counted and logged, never a crash.
     */
    receive(socket, fd) {
        this.counters.received++;
        if (!socket) {
            this.counters.missing++;
            this.log.warn({ fd }, 'handed-over socket arrived without its handle (closed in transit)');
            this.callbacks.invokeDetached('disconnect', fd);
            return;
        }
        this.attach(socket, fd);
    }
    /** Takes an accepted socket (from our own listener or the master's hand-off). */
    attach(socket, fd = this.allocateFd()) {
        this.counters.accepted++;
        if (this.stopping) {
            socket.destroy();
            return;
        }
        socket.on('error', ignore); // reported by the connection; never an uncaught exception
        // TLS is the first phase of the HTTP entry's: its deadline (handshakeTimeoutMs) and its
        // place among maxPendingHandshakes start now, before the client's hello.
        this.entry.attach(this.tls === null ? socket : this.tls.wrap(socket), fd);
    }
    /** Single-process mode: listen ourselves, as the master will (paused sockets, nothing read). */
    async listen(port, host) {
        const listener = createNetServer({ pauseOnConnect: true, noDelay: true }, (socket) => this.attach(socket));
        this.listener = listener;
        await new Promise((resolve, reject) => {
            listener.once('error', reject);
            listener.listen({ port, host, backlog: 4096 }, () => {
                listener.off('error', reject);
                resolve();
            });
        });
        const address = listener.address();
        this.log.info({ event: 'listening', host: address.address, port: address.port }, 'listening');
        return address;
    }
    /** Arms the heartbeat and ping timers and runs workerStart (`strict`: its failure is thrown). */
    async start(strict = false) {
        const { heartbeatCheckInterval, heartbeatIdleTime, pingInterval } = this.config;
        if (heartbeatCheckInterval > 0) {
            this.timers.push(setInterval(() => this.local.checkHeartbeat(heartbeatIdleTime * 1000), heartbeatCheckInterval * 1000).unref());
        }
        if (pingInterval > 0) {
            this.timers.push(setInterval(() => this.local.pingAll(), pingInterval * 1000).unref());
        }
        await this.callbacks.invokeLifecycle('workerStart', this.workerId, strict);
    }
    /** Closes every connection here with 1001 and waits for the closing handshakes, up to `maxWaitMs`. */
    async stop(maxWaitMs) {
        if (this.stopping)
            return;
        this.stopping = true;
        this.log.info({ event: 'shutdown', connections: this.local.size }, 'shutting down');
        this.listener?.close();
        for (const t of this.timers)
            clearInterval(t);
        this.entry.closeAll();
        for (const socket of this.upgrader.pending.values())
            if (reject(socket, 503, 'server shutting down'))
                this.events.refused(503);
        this.local.disconnectAll();
        const deadline = Date.now() + maxWaitMs;
        while (this.local.size > 0 && Date.now() < deadline)
            await new Promise((r) => setTimeout(r, 20));
        this.local.closeAll();
        await this.callbacks.invokeLifecycle('workerStop', this.workerId);
    }
    /**
     * A drain: no new connections (503), and every established one closed with 1012 (Service
     * Restart), one after the other at even intervals over `ms`: clients reconnect elsewhere
     * without a storm.
     */
    drain(ms) {
        if (this.draining || this.stopping)
            return;
        this.draining = true;
        const fds = [...this.local.fds()];
        this.log.info({ event: 'drain', connections: fds.length, ms }, 'draining');
        const step = fds.length > 0 ? ms / fds.length : 0;
        fds.forEach((fd, i) => {
            setTimeout(() => this.local.disconnect(fd, 1012, 'service restart'), Math.round(i * step)).unref();
        });
    }
    capacityRefusal() {
        if (this.stopping)
            return 'server shutting down';
        if (this.draining)
            return 'server draining';
        if (this.local.size >= this.config.maxConnection)
            return 'too many connections';
        return null;
    }
}
//# sourceMappingURL=worker-lifecycle.js.map