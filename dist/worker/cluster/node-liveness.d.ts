import type { Logger } from '../../shared/logger.ts';
/**
 * Whether another node is alive, as this worker last learned it (multi-node only): a node is
 * alive while its lease exists in Redis (master/cluster/node-registry.ts). A call to an fd of a
 * node that is not alive answers `unknown` at once instead of waiting busTimeoutMs for an owner
 * that will never reply (nobody subscribes to a dead node's channel: Redis takes the publish).
 *
 * Answers are cached for TTL_MS, so the hot path (a fire-and-forget push to another node) only
 * reads a map: a cached "dead" answers `unknown` synchronously, anything else goes out as
 * before while a fresh answer is fetched in the background (one lookup in flight per node).
 * A call that waits for its answer (pushAsync, getClientInfo) waits for a stale entry's lookup
 * first: one EXISTS, at most one per node per TTL_MS. A lookup that fails (Redis down) says
 * "alive": the call goes out and the bus decides, as without this check.
 */
/**
 * How long an answer is reused. Short on purpose: a node that stopped less than this ago may
 * still be asked (a call that then times out looks again: recheck()); 4 lookups per second
 * per remote node at most.
 */
export declare const LIVENESS_TTL_MS = 250;
export declare class NodeLiveness {
    private readonly lookup;
    private readonly log;
    private readonly ttlMs;
    private readonly entries;
    constructor(lookup: (node: number) => Promise<boolean>, log: Logger, ttlMs?: number);
    /** True only when a fresh answer says the node is not alive (no I/O; starts a refresh when stale). */
    knownDead(node: number): boolean;
    /** Whether the node is alive: the cached answer, or a fresh one when it is stale. */
    alive(node: number): Promise<boolean> | boolean;
    /** A fresh answer whatever is cached: a call to the node just went unanswered (did it die meanwhile?). */
    recheck(node: number): Promise<boolean>;
    private refresh;
}
//# sourceMappingURL=node-liveness.d.ts.map