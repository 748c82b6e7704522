import { CloseCode, Opcode } from '../shared/protocol/constants.js';
import { encodeForQueue, WebSocketStatus } from './connection/connection.js';
import { tlsInfoOf } from './handshake/tls-terminator.js';
import { Rooms } from './rooms.js';
import { WorkerMeters } from '../shared/metrics/worker-meters.js';
/**
 * The established connections of this worker and every operation on them: pushes, closes,
 * client info, rooms and uids: the local side of the cluster operations (cluster-ops.ts), for
 * calls made here and for those other workers make over the bus.
 */
export class LocalConnections {
    conns = new Map();
    rooms = new Rooms();
    uidOf = new Map();
    fdsOfUid = new Map();
    /** The app's per-connection stores (Server.connectionData), made on first use. */
    data = new Map();
    /** While a reload moves connections out of or into this worker (src/worker/reload/). */
    relay = null;
    /** This process's counters (the cluster operations count remote pushes here too). */
    counters;
    meters;
    log;
    sessions;
    init;
    constructor(init) {
        this.init = init;
        this.counters = init.counters;
        this.meters = init.meters ?? new WorkerMeters();
        this.log = init.log;
        this.sessions = init.sessions;
        // The connections and uids here are the truth: the table re-writes them when Redis lost them.
        this.sessions?.keepInSync(this);
    }
    get node() {
        return this.init.node;
    }
    get slot() {
        return this.init.slot;
    }
    get size() {
        return this.conns.size;
    }
    /** A live connection's session record, as the session table holds it. */
    record(fd) {
        const c = this.conns.get(fd);
        if (!c)
            return null;
        return { fd, node: this.init.node, slot: this.init.slot, remoteAddress: c.remoteAddress, remotePort: c.remotePort, connectTime: c.connectTime, uid: this.uidOf.get(fd) ?? null };
    }
    fds() {
        return this.conns.keys();
    }
    /** getClientList's share here: the fds (a room's members with `room`) above `after`, ascending, at most `limit`. */
    page(after, limit, room) {
        const out = [];
        for (const fd of room === undefined ? this.conns.keys() : this.rooms.fds(room))
            if (fd > after)
                out.push(fd);
        out.sort((a, b) => a - b);
        if (out.length > limit)
            out.length = limit;
        return out;
    }
    /** The handshake completed: the connection is ours until it closes. */
    add(conn, request) {
        this.conns.set(conn.fd, conn);
        this.sessions?.add({ fd: conn.fd, node: this.init.node, slot: this.init.slot, remoteAddress: conn.remoteAddress, remotePort: conn.remotePort, connectTime: conn.connectTime });
        this.counters.handshakes++;
        this.log.debug({ fd: conn.fd, path: request.path, remote: conn.remoteAddress, ...(conn.proxyAddress === null ? {} : { proxy: conn.proxyAddress }) }, 'open');
    }
    /** The connection's app data store (created empty on first use); null when fd is not here. */
    connectionData(fd) {
        if (!this.conns.has(fd))
            return null;
        let d = this.data.get(fd);
        if (d === undefined)
            this.data.set(fd, (d = {}));
        return d;
    }
    /** The connections here, for a reload to move. */
    connections() {
        return [...this.conns.values()];
    }
    /**
     * A reload takes the connection to another worker: it leaves this registry with its uid,
     * rooms and app data, but not the session table (same fd, same slot: still registered).
     */
    detach(fd) {
        const conn = this.conns.get(fd);
        if (!conn)
            return null;
        const out = { uid: this.uidOf.get(fd) ?? null, rooms: [...this.rooms.roomsOf(fd)], data: this.data.get(fd) ?? null };
        this.conns.delete(fd);
        this.rooms.leaveAll(fd);
        this.unbind(fd);
        this.data.delete(fd);
        return out;
    }
    /** A connection a reload moved here: registered as it was (the session table already has it). */
    adopt(conn, m) {
        const fd = conn.fd;
        this.conns.set(fd, conn);
        for (const room of m.rooms)
            this.rooms.join(fd, room);
        if (m.uid !== null) {
            this.uidOf.set(fd, m.uid);
            let fds = this.fdsOfUid.get(m.uid);
            if (!fds)
                this.fdsOfUid.set(m.uid, (fds = new Set()));
            fds.add(fd);
        }
        if (m.data !== null)
            this.data.set(fd, m.data);
    }
    /** The connection closed: it leaves its rooms, its uid and the session table. */
    remove(conn, info) {
        this.conns.delete(conn.fd);
        this.data.delete(conn.fd);
        this.rooms.leaveAll(conn.fd);
        this.unbind(conn.fd);
        this.sessions?.remove(conn.fd);
        this.counters.closed++;
        this.meters.closed(info.code, info.closedBy);
        this.log.debug({ fd: conn.fd, code: info.code, by: info.closedBy }, 'close');
    }
    push(fd, payload, op) {
        const conn = this.conns.get(fd);
        if (!conn)
            return this.relay?.divert(fd, { k: 'push', payload, op }) ? 'queued' : 'unknown';
        if (op === Opcode.Ping)
            return conn.ping(payload);
        if (op === Opcode.Pong)
            return conn.pong(payload);
        const status = conn.send(payload, op);
        if (status === 'written' || status === 'queued')
            this.counters.messagesOut++;
        return status;
    }
    disconnect(fd, code, reason) {
        const conn = this.conns.get(fd);
        if (conn)
            return conn.disconnect(code, reason);
        if (this.relay?.divert(fd, { k: 'disconnect', code, reason }))
            return true;
        return this.destroyPending(fd);
    }
    close(fd) {
        const conn = this.conns.get(fd);
        if (conn) {
            conn.close();
            return true;
        }
        if (this.relay?.divert(fd, { k: 'close' }))
            return true;
        return this.destroyPending(fd);
    }
    destroyPending(fd) {
        const socket = this.init.pendingSocket(fd);
        if (!socket)
            return false;
        socket.destroy();
        return true;
    }
    ping(fd, data) {
        const conn = this.conns.get(fd);
        if (!conn)
            return false;
        const payload = data === undefined ? undefined : typeof data === 'string' ? Buffer.from(data) : data;
        if (payload && payload.length > 125)
            throw new RangeError('ping payload exceeds 125 bytes');
        const status = conn.ping(payload);
        return status === 'written' || status === 'queued';
    }
    protect(fd, value) {
        const c = this.conns.get(fd);
        if (!c)
            return this.relay?.divert(fd, { k: 'protect', value }) ?? false;
        c.protected = value;
        return true;
    }
    describe(fd) {
        const info = this.clientInfo(fd);
        return {
            exist: info !== null || this.init.pendingSocket(fd) !== undefined,
            established: info?.websocketStatus === WebSocketStatus.Active,
            info,
        };
    }
    clientInfo(fd) {
        const c = this.conns.get(fd);
        if (!c)
            return null;
        return {
            fd,
            remoteAddress: c.remoteAddress,
            remotePort: c.remotePort,
            proxyAddress: c.proxyAddress,
            path: c.path,
            protocol: c.protocol,
            extensions: c.extensions,
            connectTime: c.connectTime,
            lastRecvTime: c.lastRecvTime,
            lastSendTime: c.lastSendTime,
            bytesIn: c.bytesIn,
            bytesOut: c.bytesOut,
            messagesIn: c.messagesIn,
            messagesOut: c.messagesOut,
            bytesQueued: c.bufferedAmount,
            websocketStatus: c.status,
            rtt: c.rtt,
            protected: c.protected,
            uid: this.uidOf.get(fd) ?? null,
            rooms: this.rooms.roomsOf(fd),
            tls: tlsInfoOf(c.socket),
        };
    }
    /** How many connections a broadcast (or a push to `room`) reaches here. */
    fanOutSize(room) {
        return room === undefined ? this.conns.size : this.rooms.fds(room).size;
    }
    /** Every connection here (or the room's members here), the frame encoded once for all of them. */
    broadcast(op, payload, except, room) {
        if (this.relay !== null && this.relay.broadcast({ op, payload, except, room }) === 'hold')
            return 0;
        // One buffer whatever the size (header and payload copied once here), so that every
        // connection writes the same bytes as they are, never a copy of its own.
        const parts = encodeForQueue(op, payload);
        const frame = parts.length === 1 ? parts : [Buffer.concat(parts)];
        const skip = except.length > 0 ? new Set(except) : null;
        let n = 0;
        const send = (conn) => {
            if (conn === undefined || (skip !== null && skip.has(conn.fd)))
                return;
            const status = conn.sendShared(payload, op, frame);
            if (status === 'written' || status === 'queued')
                n++;
        };
        // A broadcast walks the connections themselves (no lookup by fd); a room, its members.
        if (room === undefined)
            for (const conn of this.conns.values())
                send(conn);
        else
            for (const fd of this.rooms.fds(room))
                send(this.conns.get(fd));
        this.counters.messagesOut += n;
        return n;
    }
    /** One connection's share of a fan-out: a broadcast made while it was between two workers
     * (reload/adopt.ts), run once it is here, its rooms with it. */
    fanOutTo(fd, b) {
        if (b.except.includes(fd) || (b.room !== undefined && !this.rooms.fds(b.room).has(fd)))
            return false;
        const status = this.push(fd, b.payload, b.op);
        return status === 'written' || status === 'queued';
    }
    join(fd, room) {
        if (!this.conns.has(fd))
            return this.relay?.divert(fd, { k: 'join', room }) ?? false;
        this.rooms.join(fd, room);
        return true;
    }
    leave(fd, room) {
        if (!this.conns.has(fd) && this.relay?.divert(fd, { k: 'leave', room }))
            return true;
        return this.rooms.leave(fd, room);
    }
    bind(fd, uid) {
        if (!this.conns.has(fd))
            return this.relay?.divert(fd, { k: 'bind', uid }) ?? false;
        this.unbind(fd);
        this.sessions?.bind(fd, uid);
        this.uidOf.set(fd, uid);
        let fds = this.fdsOfUid.get(uid);
        if (!fds)
            this.fdsOfUid.set(uid, (fds = new Set()));
        fds.add(fd);
        this.init.bound?.(fd, uid);
        return true;
    }
    unbind(fd) {
        const uid = this.uidOf.get(fd);
        if (uid === undefined)
            return;
        this.uidOf.delete(fd);
        const fds = this.fdsOfUid.get(uid);
        fds?.delete(fd);
        if (fds?.size === 0)
            this.fdsOfUid.delete(uid);
    }
    /** The fds bound to uid here. */
    fdsOf(uid) {
        return this.fdsOfUid.get(uid) ?? [];
    }
    pushUid(uid, payload, op) {
        let n = 0;
        for (const fd of this.fdsOf(uid)) {
            const status = this.push(fd, payload, op);
            if (status === 'written' || status === 'queued')
                n++;
        }
        return n;
    }
    /** Closes the connections that sent nothing for idleMs (protected ones excepted) with 1001. */
    checkHeartbeat(idleMs) {
        const now = Date.now();
        for (const conn of this.conns.values()) {
            if (!conn.protected && now - conn.lastRecvTime > idleMs) {
                this.log.debug({ fd: conn.fd }, 'heartbeat: idle connection closed');
                if (!conn.disconnect(CloseCode.GoingAway, 'idle timeout'))
                    conn.close();
            }
        }
    }
    pingAll() {
        for (const c of this.conns.values())
            c.ping();
    }
    /** Shutdown: starts every closing handshake with 1001. */
    disconnectAll() {
        for (const conn of this.conns.values())
            conn.disconnect(CloseCode.GoingAway, 'server shutdown');
    }
    /** Shutdown, when the wait is over: closes what is left without a close frame. */
    closeAll() {
        for (const conn of this.conns.values())
            conn.close();
    }
    /**
     * Bytes in and out of every connection, closed or open: running sums the connections add to
     * as they read and write (Connection's `traffic`), so no figure walks the connections.
     */
    traffic() {
        return { bytesIn: this.counters.bytesIn, bytesOut: this.counters.bytesOut };
    }
    /** Another worker's sendMessage, for the app's pipeMessage callback. */
    pipe(src, data) {
        this.init.pipe(src, data);
    }
}
//# sourceMappingURL=local-connections.js.map