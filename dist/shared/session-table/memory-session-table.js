import { SessionTableError } from '../errors.js';
import { decodeFd } from '../session-id.js';
/**
 * The session table of one process (a single-node server, or tests): plain maps, every write
 * applied at once. Same semantics as RedisSessionTable, minus the network.
 */
export class MemorySessionTable {
    sessions = new Map();
    byUid = new Map();
    isAlive;
    closed = false;
    invalid = 0;
    constructor(options = {}) {
        this.isAlive = options.isAlive ?? (() => true);
    }
    /** Writes ignored because their fd (or its node/slot) was malformed, or after close(). */
    stats() {
        return { invalid: this.invalid };
    }
    add(s) {
        const parts = decodeFd(s.fd);
        if (this.closed || !parts || parts.node !== s.node || parts.slot !== s.slot) {
            this.invalid++;
            return;
        }
        this.drop(s.fd); // an fd is never reused; if it is anyway, the old record (and uid) goes
        this.sessions.set(s.fd, { fd: s.fd, node: s.node, slot: s.slot, remoteAddress: s.remoteAddress, remotePort: s.remotePort, connectTime: s.connectTime, uid: null });
    }
    remove(fd) {
        if (this.closed)
            this.invalid++;
        else
            this.drop(fd);
    }
    bind(fd, uid) {
        const s = this.closed ? undefined : this.sessions.get(fd);
        if (!s) {
            this.invalid++; // unknown fd (closed already): binding it would leave a stale uid entry
            return;
        }
        this.unbindRecord(s);
        s.uid = uid;
        let fds = this.byUid.get(uid);
        if (!fds)
            this.byUid.set(uid, (fds = new Set()));
        fds.add(fd);
    }
    /** Nothing to do: writes land at once and are never lost. */
    keepInSync() { }
    resync() { }
    unbind(fd) {
        const s = this.closed ? undefined : this.sessions.get(fd);
        if (s)
            this.unbindRecord(s);
    }
    async fdsByUid(uid) {
        this.assertOpen();
        return [...(this.byUid.get(uid) ?? [])].filter((fd) => this.visible(fd)).sort((a, b) => a - b);
    }
    async get(fd) {
        this.assertOpen();
        const s = this.sessions.get(fd);
        return s && this.visible(fd) ? { ...s } : null;
    }
    async all() {
        this.assertOpen();
        return [...this.sessions.keys()].filter((fd) => this.visible(fd)).sort((a, b) => a - b);
    }
    async count() {
        this.assertOpen();
        let n = 0;
        for (const fd of this.sessions.keys())
            if (this.visible(fd))
                n++;
        return n;
    }
    async purgeWorker(node, slot) {
        this.assertOpen();
        let n = 0;
        for (const s of [...this.sessions.values()]) {
            if (s.node === node && s.slot === slot && this.drop(s.fd))
                n++;
        }
        return n;
    }
    async purgeDeadNodes() {
        this.assertOpen();
        const dead = new Set();
        for (const s of this.sessions.values())
            if (!this.isAlive(s.node))
                dead.add(s.node);
        for (const s of [...this.sessions.values()])
            if (dead.has(s.node))
                this.drop(s.fd);
        return [...dead].sort((a, b) => a - b);
    }
    async close() {
        this.closed = true;
    }
    visible(fd) {
        const s = this.sessions.get(fd);
        return s !== undefined && this.isAlive(s.node);
    }
    /** True if there was a session to forget. */
    drop(fd) {
        const s = this.sessions.get(fd);
        if (!s)
            return false;
        this.unbindRecord(s);
        this.sessions.delete(fd);
        return true;
    }
    unbindRecord(s) {
        if (s.uid === null)
            return;
        const fds = this.byUid.get(s.uid);
        fds?.delete(s.fd);
        if (fds?.size === 0)
            this.byUid.delete(s.uid);
        s.uid = null;
    }
    assertOpen() {
        if (this.closed)
            throw new SessionTableError('ERR_SESSION_TABLE_CLOSED', 'session table is closed');
    }
}
//# sourceMappingURL=memory-session-table.js.map