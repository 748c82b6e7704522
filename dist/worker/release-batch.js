const FD = Symbol('switchyard.releaseFd');
/**
 * Tells the master which handed-over sockets have closed, so that its connection limits
 * (maxConnection, maxConnectionsPerIp: src/master/admission.ts) count them no more. Every
 * socket the master handed over is reported exactly once, whatever became of it (WebSocket,
 * plain HTTP, refused, lost in transit), in one message per event-loop turn however many closed.
 * One shared 'close' listener (`this` is the socket) and a tag: no closure per connection.
 */
export class ReleaseBatch {
    pending = [];
    scheduled = false;
    flush;
    onClose;
    constructor(send) {
        this.flush = () => {
            this.scheduled = false;
            const fds = this.pending;
            this.pending = [];
            if (fds.length > 0)
                send(fds);
        };
        const batch = this;
        this.onClose = function () {
            const fd = this[FD];
            if (fd !== undefined)
                batch.add(fd);
        };
    }
    /** Reports fd when the socket closes. */
    track(socket, fd) {
        socket[FD] = fd;
        socket.on('close', this.onClose); // 'close' comes once; on() needs no wrapper per socket, as once() would
    }
    /** Stops watching a socket that moved to another worker (a reload): its close here is no release. */
    untrack(socket) {
        delete socket[FD];
        socket.off('close', this.onClose);
    }
    /** Reports fd now (its socket never arrived). */
    add(fd) {
        this.pending.push(fd);
        if (!this.scheduled) {
            this.scheduled = true;
            setImmediate(this.flush);
        }
    }
}
//# sourceMappingURL=release-batch.js.map