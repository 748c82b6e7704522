import { Upgrader } from './handshake/upgrade.js';
/**
 * Where what happens to this worker's sockets and connections goes, in the order a connection
 * lives it: the HTTP entry hands over an upgrade (UpgradeHandler), the upgrade establishes a
 * connection or not (UpgradeHost), the connection reports messages, control frames,
 * backpressure and its close (ConnectionHost) — each to the connection registry
 * (LocalConnections), the counters and the app's callbacks. One per worker, built by
 * WorkerLifecycle; every connection points at it (no closures per connection).
 */
export class WorkerEvents {
    config;
    log;
    server;
    upgrader;
    /** The worker's byte totals (the stats counters), for every connection. */
    traffic;
    meters;
    callbacks;
    local;
    counters;
    capacity;
    constructor(init) {
        this.config = init.config;
        this.log = init.log;
        this.server = init.server;
        this.callbacks = init.callbacks;
        this.local = init.local;
        this.counters = init.counters;
        this.capacity = init.capacity;
        this.traffic = init.counters;
        this.meters = init.local.meters;
        this.upgrader = new Upgrader(this);
    }
    // ---- UpgradeHandler: from the HTTP entry ------------------------------------------
    upgrade(fd, req, socket, head, valid, arrivedAt) {
        this.upgrader.upgrade(fd, req, socket, head, valid, arrivedAt);
    }
    /** The server answered a socket that is not a WebSocket with `status` (the HTTP entry or the upgrade). */
    refused(status) {
        this.meters.answered(status);
    }
    request(req, res) {
        this.callbacks.request(req, res);
    }
    socketClosed(fd) {
        this.callbacks.invokeDetached('disconnect', fd);
    }
    refuseReason() {
        return this.capacity.capacityRefusal();
    }
    awaitingHook() {
        return this.upgrader.pending.size;
    }
    // ---- UpgradeHost: from the upgrade ---------------------------------------------------
    handshakeHook() {
        return this.callbacks.handshake;
    }
    capacityRefusal() {
        return this.capacity.capacityRefusal();
    }
    established(conn, request, arrivedAt) {
        this.meters.answered(101);
        this.meters.handshakeSeconds.observe((performance.now() - arrivedAt) / 1000);
        this.local.add(conn, request);
        this.callbacks.invoke(conn, 'open', request);
    }
    unestablished(fd, aborted) {
        if (aborted)
            this.counters.aborted++;
        else
            this.counters.refused++;
        this.callbacks.invokeDetached('disconnect', fd);
    }
    // ---- ConnectionHost: from an established connection ---------------------------------
    deliverMessage(conn, data, binary) {
        this.counters.messagesIn++;
        this.callbacks.message(conn, data, binary);
    }
    deliverControl(conn, opcode, payload, code, reason) {
        this.callbacks.control(conn, opcode, payload, code, reason);
    }
    connectionClosed(conn, info) {
        if (this.meters.slow.size !== 0)
            this.meters.slow.delete(conn);
        this.local.remove(conn, info);
        this.callbacks.invokeDetached('close', conn.fd, info);
    }
    bufferFull(conn) {
        this.meters.slow.add(conn);
        this.callbacks.bufferFull(conn);
    }
    bufferEmpty(conn) {
        this.meters.slow.delete(conn);
        this.callbacks.bufferEmpty(conn);
    }
}
//# sourceMappingURL=worker-events.js.map