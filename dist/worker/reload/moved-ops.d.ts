import type { PushStatus } from '../connection/connection.ts';
/**
 * An operation on a connection that is moving between workers (a reload), as data: the old
 * worker forwards it to the replacement behind the connection's state (move link), the
 * replacement holds it until the connection is there, then runs it. Order is kept: a push
 * made before the move leaves with the connection's output, one made during it runs after.
 */
export type MovedOp = {
    k: 'push';
    payload: Buffer;
    op: number;
} | {
    k: 'disconnect';
    code: number;
    reason: string;
} | {
    k: 'close';
} | {
    k: 'join';
    room: string;
} | {
    k: 'leave';
    room: string;
} | {
    k: 'bind';
    uid: string;
} | {
    k: 'protect';
    value: boolean;
}
/** Its share of a broadcast (or room push) that found it between two workers (see adopt.ts). */
 | {
    k: 'fanout';
    b: MovedBroadcast;
};
/** A broadcast (or a room's push) made while connections move: see LocalConnections.broadcast. */
export interface MovedBroadcast {
    op: number;
    payload: Buffer;
    except: readonly number[];
    room: string | undefined;
}
/** What LocalConnections asks while a reload moves connections out of or into this worker. */
export interface MoveRelay {
    /** An op on an fd not here: true when it is moving (forwarded or held: the push is `queued`). */
    divert(fd: number, op: MovedOp): boolean;
    /** A broadcast here: 'hold' (the replacement, still adopting: run it once every connection is
     * here) or 'also' (the old worker: run it here and forward it for those already moved). */
    broadcast(b: MovedBroadcast): 'hold' | 'also';
}
/** The operations a moved op runs (LocalConnections implements them). */
export interface MovedOpTarget {
    push(fd: number, payload: Buffer, op: number): PushStatus;
    disconnect(fd: number, code: number, reason: string): boolean;
    close(fd: number): boolean;
    join(fd: number, room: string): boolean;
    leave(fd: number, room: string): boolean;
    bind(fd: number, uid: string): boolean;
    protect(fd: number, value: boolean): boolean;
    fanOutTo(fd: number, b: MovedBroadcast): boolean;
}
export declare function runMovedOp(target: MovedOpTarget, fd: number, op: MovedOp): void;
//# sourceMappingURL=moved-ops.d.ts.map