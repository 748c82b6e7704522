import { type Bus, type Outgoing, type SendResult, type WorkerAddress } from '../../shared/bus/types.ts';
import type { Logger } from '../../shared/logger.ts';
import { WorkerMeters } from '../../shared/metrics/worker-meters.ts';
/** What the router runs on behalf of other workers: the cluster operations (ClusterCalls). */
export interface LocalHandler {
    /** Runs a call another worker made. For a request, the body of the reply (empty: the call
     * could not be run), which the router sends back. */
    serve(body: Buffer, from: WorkerAddress, wantsReply: boolean): Buffer | Promise<Buffer> | undefined;
}
/**
 * Routes operations on fds to the worker that owns them, by the fd alone (it encodes node and
 * slot, Swoole's session -> reactor mapping): same node -> the embedded bus, another node ->
 * the Redis bus. Requests that want an answer carry a `rid` and wait for the reply, bounded by
 * a timeout: a dead peer or a lost bus never leaves a caller hanging. What messages mean is
 * not its business: it carries bodies (cluster-ops.ts gives them meaning).
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
    /** Starts at a random point: during a reload the old worker and its replacement share the
     * slot's Redis channel, and each must not take the other's replies for its own. */
    private nextRid;
    /** Per transport: messages sent, received, failed, and request round trips. */
    private readonly embeddedMeters;
    private readonly redisMeters;
    constructor(opts: {
        self: WorkerAddress;
        embedded: Bus | null;
        redis: Bus | null;
        handler: LocalHandler;
        log: Logger;
        timeoutMs: number;
        maxPendingRequests: number;
        meters?: WorkerMeters;
    });
    isSelf(to: WorkerAddress): boolean;
    /** Fire-and-forget: 'ok' when a bus took the message (no bus to that node: 'down'). */
    send(to: WorkerAddress, msg: Outgoing): SendResult;
    /** Calls awaiting their answer (bounded by maxPendingRequests). */
    get pendingRequests(): number;
    /**
     * Request/response: resolves with the body of the owner's reply, rejects with a RemoteCallError.
     * At most maxPendingRequests wait at once: each holds its promise and caller until the answer
     * or busTimeoutMs, so calls to an owner that does not answer (a node that died without
     * leaving) must not pile up at the bus's drain rate.
     */
    request(to: WorkerAddress, msg: Outgoing): Promise<Buffer>;
    /** Every other worker of the cluster (this node over the embedded bus, others over Redis);
     * the worse outcome of the two buses. */
    broadcast(msg: Outgoing): SendResult;
    /** Writes what the buses queued this turn now (see ClusterCalls.all). */
    flush(): void;
    private receive;
    private armTimer;
    /** Rejects the calls past their deadline (the oldest first), then waits for the next one. */
    private expire;
    /** Rejects everything still waiting (shutdown). */
    close(): void;
}
//# sourceMappingURL=router.d.ts.map