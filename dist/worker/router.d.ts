import { type Bus, type BusMessage, type SendResult, type WorkerAddress } from '../shared/bus/types.ts';
import type { Logger } from '../shared/logger.ts';
/**
 * Why a remote call did not get an answer: no transport to the owner (ERR_UNREACHABLE), the bus
 * or this worker's budget of calls awaiting answers is full (ERR_CONGESTED: retry later), or no
 * reply came in time (ERR_TIMEOUT).
 */
export type RemoteCallErrorCode = 'ERR_UNREACHABLE' | 'ERR_CONGESTED' | 'ERR_TIMEOUT';
export declare class RemoteCallError extends Error {
    readonly code: RemoteCallErrorCode;
    constructor(code: RemoteCallErrorCode, message: string);
}
/** What the router runs on behalf of other workers: the server's operations on its own connections. */
export interface LocalHandler {
    /** Executes a message addressed to this worker; the result goes back when it carried a `rid`. */
    execute(msg: BusMessage, from: WorkerAddress): unknown;
}
/**
 * Routes operations on fds to the worker that owns them, by the fd alone (it encodes node and
 * slot, Swoole's session -> reactor mapping): same worker -> done here, same node -> the
 * embedded bus, another node -> the Redis bus. Requests that want an answer carry a `rid` and
 * wait for the `reply`, bounded by a timeout: a dead peer or a lost bus never leaves a caller
 * hanging.
 */
export declare class Router {
    readonly self: WorkerAddress;
    private readonly embedded;
    private readonly redis;
    private readonly handler;
    private readonly log;
    private readonly timeoutMs;
    private readonly maxPending;
    /** By rid, in the order sent: the first entry is the oldest (Map keeps insertion order). */
    private readonly waiting;
    private timer;
    private nextRid;
    constructor(opts: {
        self: WorkerAddress;
        embedded: Bus | null;
        redis: Bus | null;
        handler: LocalHandler;
        log: Logger;
        timeoutMs: number;
        maxPendingRequests: number;
    });
    /** The worker that holds fd, or null for a malformed fd. */
    owner(fd: number): WorkerAddress | null;
    isSelf(to: WorkerAddress): boolean;
    /** Fire-and-forget: 'ok' when a bus took the message (no bus to that node: 'down'). */
    send(to: WorkerAddress, msg: BusMessage): SendResult;
    /** Calls awaiting their answer (bounded by maxPendingRequests). */
    get pendingRequests(): number;
    /**
     * Request/response: resolves with the remote handler's result, rejects with a RemoteCallError.
     * At most maxPendingRequests wait at once: each holds its promise and caller until the answer
     * or busTimeoutMs, so calls to an owner that does not answer (a node that died without
     * leaving) must not pile up at the bus's drain rate.
     */
    request(to: WorkerAddress, msg: BusMessage & {
        rid?: number;
    }): Promise<unknown>;
    /** Every other worker of the cluster (this node over the embedded bus, others over Redis);
     * the worse outcome of the two buses. */
    broadcast(msg: BusMessage): SendResult;
    /** Writes what the buses queued this turn now (see ClusterCalls.fanOut). */
    flush(): void;
    private receive;
    private armTimer;
    /** Rejects the calls past their deadline (the oldest first), then waits for the next one. */
    private expire;
    /** Rejects everything still waiting (shutdown). */
    close(): void;
}
//# sourceMappingURL=router.d.ts.map