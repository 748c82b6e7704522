/**
 * Room membership of this worker's connections. Each worker knows only its own members: a room
 * push is one broadcast message per worker, and each worker pushes to its members. Membership
 * dies with the connection (leaveAll on close) and with the worker.
 */
export class Rooms {
    members = new Map();
    byFd = new Map();
    join(fd, room) {
        let m = this.members.get(room);
        if (!m)
            this.members.set(room, (m = new Set()));
        m.add(fd);
        let r = this.byFd.get(fd);
        if (!r)
            this.byFd.set(fd, (r = new Set()));
        r.add(room);
    }
    leave(fd, room) {
        const m = this.members.get(room);
        if (!m?.delete(fd))
            return false;
        if (m.size === 0)
            this.members.delete(room);
        const r = this.byFd.get(fd);
        r?.delete(room);
        if (r?.size === 0)
            this.byFd.delete(fd);
        return true;
    }
    leaveAll(fd) {
        const rooms = this.byFd.get(fd);
        if (!rooms)
            return;
        for (const room of rooms) {
            const m = this.members.get(room);
            m?.delete(fd);
            if (m?.size === 0)
                this.members.delete(room);
        }
        this.byFd.delete(fd);
    }
    /** Members of `room` here (empty when none). */
    fds(room) {
        return this.members.get(room) ?? EMPTY;
    }
    roomsOf(fd) {
        return [...(this.byFd.get(fd) ?? [])];
    }
}
const EMPTY = new Set();
//# sourceMappingURL=rooms.js.map