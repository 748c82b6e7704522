import type { WorkerAddress } from './shared/bus/types.ts';
import type { Logger } from './shared/logger.ts';
import type { Data, PushCallFailure, RemotePushStatus, RoomTarget, ServerApi } from './worker/app-contract.ts';
export type { Data, PushCallFailure, RemotePushStatus, RoomTarget };
/** What pushAsync answers: the owner's PushStatus, or why it could not be asked (as server.pushAsync). */
export type PushAsyncOutcome = Awaited<ReturnType<ServerApi['pushAsync']>>;
/** What push answers: the bus's answer (as server.pushStatus for a remote fd), or 'unknown' for a value that is no fd. */
export type EmitterPushOutcome = RemotePushStatus | 'unknown';
export interface EmitterOptions {
    /** The cluster's Redis URL (--redis), or a Redis Cluster's seed URLs, comma-separated. */
    redis: string;
    /** The cluster's --redis-cluster: true skips asking Redis; unset, a Redis Cluster is detected (INFO cluster). */
    cluster?: boolean;
    /** The cluster's name (--cluster-name). */
    clusterName: string;
    /** The cluster's --redis-sharded: sharded pub/sub and the {name} hash-tagged prefix. */
    sharded?: boolean;
    /** The cluster's --bus-secret, when it has one: without it every message is dropped. */
    busSecret?: string;
    /** How long pushAsync waits for the owner's answer (default: busTimeoutMs's, 3000 ms). */
    timeoutMs?: number;
    /** Calls awaiting an answer at once; past it pushAsync answers 'congested' (default: busMaxPendingRequests's). */
    maxPendingRequests?: number;
    /** A pino logger (default: silent). */
    log?: Logger;
}
/** The address of emitter number n (1-based, from INCR). */
export declare function emitterAddress(n: number): WorkerAddress;
export declare class Emitter {
    private readonly options;
    private keys;
    private readonly log;
    /** Commands (the address, node liveness): the bus's connections are pub/sub only. */
    private client;
    private bus;
    private router;
    private readonly starting;
    /** Live nodes: until when they count as alive, and their worker count. */
    private readonly alive;
    private closed;
    constructor(options: EmitterOptions);
    /** Resolves once the emitter can publish (its address taken, the bus subscribed). Calls made
     * before then: push, broadcast and the like answer 'unreachable' / false; pushAsync waits. */
    ready(): Promise<void>;
    /** The emitter's address (after ready()): replies to its calls come to this node and slot. */
    get address(): WorkerAddress | null;
    private start;
    /** Fire-and-forget push to session `fd`: 'forwarded' when the bus took it, 'congested' or
     * 'unreachable' when it could not (not ready, Redis down), 'unknown' for a malformed fd. */
    push(fd: number, data: Data, opcode?: number): EmitterPushOutcome;
    /**
     * Push with the owner's outcome: 'written', 'queued', 'dropped' (its buffer full), 'closed',
     * 'unknown' (no such session; also at once for an fd whose node is not alive, or a slot
     * that node does not have), or why the owner could not be asked ('unreachable', 'congested',
     * 'timeout').
     */
    pushAsync(fd: number, data: Data, opcode?: number): Promise<PushAsyncOutcome>;
    /** Every session bound to `uid`, on every node. False when the bus could not take it. */
    pushToUid(uid: string | number, data: Data, opcode?: number): boolean;
    /** Every session of the cluster, but `except`. */
    broadcast(data: Data, options?: {
        except?: number | number[];
        opcode?: number;
    }): boolean;
    /** The members of `room` on every node: `emitter.to('lobby').except(fd).push(data)`. */
    to(room: string): RoomTarget;
    /** Closes session `fd` with a close frame (code, reason), wherever it lives. Throws on a code
     * or reason no endpoint may send (as server.disconnect does); false when the bus could not take it. */
    disconnect(fd: number, code?: number, reason?: string): boolean;
    /** Stops: calls awaiting an answer get 'unreachable', the connections are closed. */
    close(): Promise<void>;
    private all;
    /** The worker count of node `id` while its lease exists (it is alive), else null. */
    private workersOf;
}
//# sourceMappingURL=emitter.d.ts.map