import type { Socket } from 'node:net';
/**
 * Tells the master which handed-over sockets have closed, so that its connection limits
 * (maxConnection, maxConnectionsPerIp: src/master/admission.ts) count them no more. Every
 * socket the master handed over is reported exactly once, whatever became of it (WebSocket,
 * plain HTTP, refused, lost in transit), in one message per event-loop turn however many closed.
 * One shared 'close' listener (`this` is the socket) and a tag: no closure per connection.
 */
export declare class ReleaseBatch {
    private pending;
    private scheduled;
    private readonly flush;
    private readonly onClose;
    constructor(send: (fds: number[]) => void);
    /** Reports fd when the socket closes. */
    track(socket: Socket, fd: number): void;
    /** Stops watching a socket that moved to another worker (a reload): its close here is no release. */
    untrack(socket: Socket): void;
    /** Reports fd now (its socket never arrived). */
    add(fd: number): void;
}
//# sourceMappingURL=release-batch.d.ts.map