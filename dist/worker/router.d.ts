import type { Bus, BusMessage, WorkerAddress } from '../shared/bus/types.ts';
import type { Logger } from '../shared/logger.ts';
/** Why a remote call did not get an answer: the bus could not carry it, or no reply came in time. */
export declare class RemoteCallError extends Error {
    readonly code: 'ERR_UNREACHABLE' | 'ERR_TIMEOUT';
    constructor(code: 'ERR_UNREACHABLE' | 'ERR_TIMEOUT', message: string);
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
    private readonly waiting;
    private nextRid;
    constructor(opts: {
        self: WorkerAddress;
        embedded: Bus | null;
        redis: Bus | null;
        handler: LocalHandler;
        log: Logger;
        timeoutMs: number;
    });
    /** The worker that holds fd, or null for a malformed fd. */
    owner(fd: number): WorkerAddress | null;
    isSelf(to: WorkerAddress): boolean;
    /** Fire-and-forget: true when a bus took the message. */
    send(to: WorkerAddress, msg: BusMessage): boolean;
    /** Request/response: resolves with the remote handler's result, rejects with a RemoteCallError. */
    request(to: WorkerAddress, msg: BusMessage & {
        rid?: number;
    }): Promise<unknown>;
    /** Every other worker of the cluster (this node over the embedded bus, others over Redis); false if a bus could not carry it. */
    broadcast(msg: BusMessage): boolean;
    /** Writes what the buses queued this turn now (see ClusterCalls.fanOut). */
    flush(): void;
    private receive;
    /** Rejects everything still waiting (shutdown). */
    close(): void;
}
//# sourceMappingURL=router.d.ts.map