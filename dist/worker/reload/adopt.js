import { Socket } from 'node:net';
import { MoveListener } from '../../shared/move/move-link.js';
import { Connection } from '../connection/connection.js';
import { PerMessageDeflate } from '../connection/deflate-codec.js';
import { runMovedOp } from './moved-ops.js';
/**
 * The replacement's side of a reload (see move-out.ts): listens on the move link before the
 * worker says it is ready, then rebuilds each connection from its descriptor and state, runs
 * the operations that were held for it, tells the app (`adopt`) and reads on. Until the old
 * worker's `end`, operations on fds of the manifest that are not here yet are held (a push is
 * `queued`), and broadcasts made here wait so that they reach every connection once.
 */
export class Adoption {
    parts;
    expected = new Set();
    held = new Map();
    handles = new Map();
    heldBroadcasts = [];
    listener = null;
    finished = false;
    resolveDone;
    /** Resolves with the number of connections adopted once the old worker is done (or gone). */
    done = new Promise((r) => (this.resolveDone = r));
    adopted = 0;
    /** From the first record to the end: wall time (ms) and this process's CPU time (µs), whatever
     * else it did meanwhile (new connections, traffic), as the old worker counts its side. */
    cost = { ms: 0, cpuUs: 0 };
    startedAt = 0;
    cpu0 = null;
    constructor(parts) {
        this.parts = parts;
    }
    async listen(path) {
        const relay = {
            divert: (fd, op) => {
                if (!this.expected.has(fd))
                    return false;
                this.hold(fd, op);
                return true;
            },
            broadcast: (b) => {
                this.heldBroadcasts.push(b);
                return 'hold';
            },
        };
        this.parts.local.relay = relay;
        this.listener = await MoveListener.listen(path, {
            record: (record, handle) => this.record(record, handle),
            end: () => this.finish(),
        });
    }
    record(r, handle) {
        const { local, log } = this.parts;
        if (this.cpu0 === null) {
            this.cpu0 = process.cpuUsage();
            this.startedAt = performance.now();
            // The move began: what this worker sends from here may come from moved connections, so
            // peers order it behind what the old worker sent (sender-order.ts).
            this.parts.embedded?.followPredecessor();
        }
        switch (r.t) {
            case 'manifest':
                for (const fd of r.fds)
                    this.expected.add(fd);
                return;
            case 'socket':
                this.expected.add(r.fd);
                if (handle)
                    this.handles.set(r.fd, handle);
                return;
            case 'state':
                this.adopt(r);
                return;
            case 'lost': {
                this.handles.get(r.fd)?.close();
                this.handles.delete(r.fd);
                this.forget(r.fd);
                return;
            }
            case 'op':
                // Held while the connection is on its way (its state not here yet), else run now.
                if (!local.relay?.divert(r.fd, r.op))
                    runMovedOp(local, r.fd, r.op);
                return;
            case 'broadcast': {
                // The old worker ran it for what it still held: here, for what had moved before it...
                const b = r.b;
                const relay = local.relay;
                local.relay = null;
                local.broadcast(b.op, b.payload, b.except, b.room);
                local.relay = relay;
                // ...and for what is on its way (descriptor here, state not yet): it had left the old
                // worker's connections, and its captured output does not hold it. Run once it is here.
                for (const fd of this.handles.keys())
                    this.hold(fd, { k: 'fanout', b });
                return;
            }
            case 'bus':
                if (handle && this.parts.embedded)
                    this.parts.embedded.adoptInbound(handle, r.remainder);
                else
                    handle?.close();
                return;
            case 'end':
                log.info({ event: 'adopted', moved: this.adopted, announced: r.moved }, 'reload: connections adopted');
                this.listener?.ack();
                this.finish();
                return;
        }
    }
    adopt(r) {
        const { local, log, host, callbacks } = this.parts;
        const handle = this.handles.get(r.fd);
        this.handles.delete(r.fd);
        if (!handle) {
            log.error({ fd: r.fd }, 'reload: state of a connection whose descriptor did not come');
            this.forget(r.fd);
            return;
        }
        const moved = r.conn;
        const socket = new Socket({ handle, readable: true, writable: true, pauseOnCreate: true });
        socket._peername = { address: moved.remoteAddress, family: moved.remoteAddress.includes(':') ? 'IPv6' : 'IPv4', port: moved.remotePort };
        socket.on('error', () => { });
        const d = moved.core.deflate;
        const deflate = d === undefined ? null : new PerMessageDeflate(d.agreement, this.parts.deflateSettings, d.window === null ? null : Buffer.from(d.window, 'base64'));
        const conn = new Connection({ fd: r.fd, socket, host, log, deflate, path: moved.path, protocol: moved.protocol, extensions: moved.extensions, moved, client: { remoteAddress: moved.remoteAddress, remotePort: moved.remotePort, proxyAddress: moved.proxyAddress, proxyPort: 0 } });
        local.adopt(conn, r.m);
        // Its end is reported from here now (the master's connection limits: release-batch.ts).
        this.parts.track?.(socket, r.fd);
        this.adopted++;
        const ops = this.held.get(r.fd);
        this.held.delete(r.fd);
        this.expected.delete(r.fd);
        const info = local.clientInfo(r.fd);
        if (info)
            callbacks.invoke(conn, 'adopt', info);
        if (ops)
            for (const op of ops)
                runMovedOp(local, r.fd, op);
        conn.resumeAfterMove(moved.input);
    }
    /** An operation for fd, run once its connection is here. */
    hold(fd, op) {
        let ops = this.held.get(fd);
        if (!ops)
            this.held.set(fd, (ops = []));
        ops.push(op);
    }
    forget(fd) {
        this.expected.delete(fd);
        this.held.delete(fd);
    }
    finish() {
        if (this.finished)
            return;
        this.finished = true;
        const { local } = this.parts;
        local.relay = null;
        for (const h of this.handles.values())
            h.close();
        this.handles.clear();
        // Held for connections that never came: they are gone (the old worker said so, or died).
        this.held.clear();
        this.expected.clear();
        const broadcasts = this.heldBroadcasts;
        this.heldBroadcasts = [];
        for (const b of broadcasts)
            local.broadcast(b.op, b.payload, b.except, b.room);
        this.listener?.close();
        if (this.cpu0 !== null) {
            const cpu = process.cpuUsage(this.cpu0);
            this.cost.ms = performance.now() - this.startedAt;
            this.cost.cpuUs = cpu.user + cpu.system;
        }
        this.resolveDone(this.adopted);
    }
}
//# sourceMappingURL=adopt.js.map