import type { BusMessage, SendResult } from '../shared/bus/types.ts';
import type { SessionTable } from '../shared/session-table/types.ts';
import type { LocalConnections } from './local-connections.ts';
import { type Router } from './router.ts';
/** `server.to(room)`: a room push, optionally skipping some fds. */
export interface RoomTarget {
    except(fds: number | number[]): RoomTarget;
    push(data: string | Buffer | Uint8Array, opcode?: number): boolean;
}
/** From this many local recipients on, a fan-out writes its bus message before its own share
 * (writing 256 sockets takes a few milliseconds the other workers would otherwise wait). */
export declare const EARLY_BUS_FLUSH = 256;
export interface ClusterCallsInit {
    /** Null without a bus: this worker alone answers everything. */
    router: Router | null;
    /** Worker slots on this node. */
    workerCount: number;
    /** Multi-node: sessions and uids in Redis; otherwise each worker answers for its own. */
    sessions: SessionTable | null;
    local: LocalConnections;
}
/**
 * The server API's calls that involve other workers, over the router: fire-and-forget to an
 * fd's owner; requests whose bus failures become answers ('unreachable', 'congested',
 * 'timeout', null), never exceptions; fan-outs (one bus message per worker, then this worker's share); and
 * questions to every worker of this node.
 */
export declare class ClusterCalls {
    private readonly router;
    private readonly workerCount;
    private readonly sessions;
    private readonly local;
    constructor(init: ClusterCallsInit);
    /** Fire-and-forget to the worker that holds fd (a remote fd: there is a router): 'ok' when a bus took it. */
    forward(fd: number, msg: BusMessage): SendResult;
    /** A request to fd's owner; for a push, 'unreachable', 'congested' or 'timeout' instead of an
     * answer when the bus fails (null for other requests). */
    ask(fd: number, msg: BusMessage): Promise<unknown>;
    /** Every established connection (or a room's members) of the cluster exactly once. False when a bus could not carry it. */
    fanOut(data: string | Buffer | Uint8Array, opcode: number | undefined, except: number[], room: string | undefined): boolean;
    room(room: string): RoomTarget;
    /** Every fd bound to uid, wherever they are: one bus message per worker. */
    pushToUid(uid: string, data: string | Buffer | Uint8Array, opcode?: number): boolean;
    /** Every fd bound to uid across the cluster. */
    fdsByUid(uid: string): Promise<number[]>;
    /** The established fds of the whole cluster. */
    allConnections(): Promise<number[]>;
    /**
     * To another worker's `pipeMessage` callback (Swoole's sendMessage). workerId is the slot on
     * this node, or node * 256 + slot for a worker of another node; false for this worker itself.
     */
    pipe(workerId: number, src: number, data: unknown): boolean;
    /** Asks every other worker of the cluster for a list and waits (bounded) for the answers. */
    private gather;
    /** The workers this one can ask: every slot of this node (other nodes come with the Redis session table). */
    private peers;
}
//# sourceMappingURL=cluster-calls.d.ts.map