/**
 * Room membership of this worker's connections. Each worker knows only its own members: a room
 * push is one broadcast message per worker, and each worker pushes to its members. Membership
 * dies with the connection (leaveAll on close) and with the worker.
 */
export declare class Rooms {
    private readonly members;
    private readonly byFd;
    join(fd: number, room: string): void;
    leave(fd: number, room: string): boolean;
    leaveAll(fd: number): void;
    /** Members of `room` here (empty when none). */
    fds(room: string): ReadonlySet<number>;
    roomsOf(fd: number): readonly string[];
}
//# sourceMappingURL=rooms.d.ts.map