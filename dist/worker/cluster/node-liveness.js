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
export const LIVENESS_TTL_MS = 250;
export class NodeLiveness {
    lookup;
    log;
    ttlMs;
    entries = new Map();
    constructor(lookup, log, ttlMs = LIVENESS_TTL_MS) {
        this.lookup = lookup;
        this.log = log;
        this.ttlMs = ttlMs;
    }
    /** True only when a fresh answer says the node is not alive (no I/O; starts a refresh when stale). */
    knownDead(node) {
        const e = this.entries.get(node);
        if (e !== undefined && e.until > Date.now())
            return !e.alive;
        void this.refresh(node);
        return false;
    }
    /** Whether the node is alive: the cached answer, or a fresh one when it is stale. */
    alive(node) {
        const e = this.entries.get(node);
        if (e !== undefined && e.until > Date.now())
            return e.alive;
        return this.refresh(node);
    }
    /** A fresh answer whatever is cached: a call to the node just went unanswered (did it die meanwhile?). */
    recheck(node) {
        const e = this.entries.get(node);
        if (e !== undefined)
            e.until = 0;
        return this.refresh(node);
    }
    refresh(node) {
        let e = this.entries.get(node);
        if (e?.fetching)
            return e.fetching;
        if (e === undefined) {
            // Unknown until the first answer: alive (the bus decides), not cached.
            e = { alive: true, until: 0, fetching: null };
            this.entries.set(node, e);
        }
        const entry = e;
        const fetching = this.lookup(node).then((alive) => {
            entry.alive = alive;
            entry.until = Date.now() + this.ttlMs;
            return alive;
        }, (err) => {
            this.log.debug({ node, err: err.message }, 'node liveness lookup failed: treated as alive');
            return true;
        });
        entry.fetching = fetching.finally(() => (entry.fetching = null));
        return entry.fetching;
    }
}
//# sourceMappingURL=node-liveness.js.map