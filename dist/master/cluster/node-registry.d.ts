import type { RedisCommands } from '../../shared/redis-target.ts';
import type { Logger } from '../../shared/logger.ts';
import { ClusterKeys } from '../../shared/redis-keys.ts';
/**
 * Node ids unique across hosts, leased from Redis (key names in redis-keys.ts).
 *
 *   ${prefix}:node-seq   INCR counter: where the next allocation starts looking
 *   ${prefix}:node:${id} the lease: JSON { token, info }, with a TTL (SET NX PX to claim)
 *   ${prefix}:node-ids   set: every id claimed; on a Redis Cluster liveNodes() reads the leases
 *                        it names (one script, one slot) instead of a SCAN, answered per shard there
 *
 * A node takes `seq % 4096` for successive INCRs until one SET NX succeeds, then keeps the
 * lease alive with PEXPIRE every ttl/3. The token (random per join) tells our lease from one
 * another node took after ours expired. Every refresh compares the token atomically (Lua):
 *   - ours          -> PEXPIRE
 *   - gone          -> re-claimed at once with SET NX, logged at error level: Redis lost it
 *                      (restarted without persistence, flushed, failed over to a replica
 *                      that lacked it) or it expired under us (long outage, paused
 *                      process: another node may have held the id meanwhile). Either way
 *                      what this node wrote may be gone too: `onRestored` is called, so
 *                      the node writes it again. The lease is this node's generation key.
 *   - someone else's-> fatal: this node now shares its id; logged, keep-alive stops and
 *                      `onLost` is called. The owner must stop using the id (exit, or restart
 *                      its workers with a new one): fds and bus channels embed it.
 * A node that dies without leave() disappears from liveNodes() within ttl.
 */
export interface NodeInfo {
    host: string;
    pid: number;
    workers: number;
    [key: string]: unknown;
}
export interface LiveNode {
    id: number;
    info: NodeInfo;
}
export interface NodeRegistryOptions {
    log?: Logger;
}
export declare const MIN_TTL_MS = 300;
export declare class NodeRegistry {
    readonly id: number;
    readonly ttlMs: number;
    /** Called once if another node took our id (see the class comment). */
    onLost: ((reason: string) => void) | null;
    /** Called each time the lease had vanished and was re-claimed: Redis lost this node's data. */
    onRestored: ((reason: string) => void) | null;
    private readonly redis;
    private readonly keys;
    private readonly value;
    private readonly log;
    private timer;
    private refreshing;
    private failing;
    private constructor();
    /** Leases a free node id and starts keeping it alive. Throws if all 4096 ids are taken.
     * `prefix`: the cluster's key prefix, hash tag included (ClusterKeys.prefix). */
    static join(redis: RedisCommands, prefix: string | ClusterKeys, info: NodeInfo, ttlMs?: number, options?: NodeRegistryOptions): Promise<NodeRegistry>;
    /** Every node holding a lease now (ours included), by id. */
    liveNodes(): Promise<LiveNode[]>;
    /** One Redis: every lease key, found by SCAN (also leases the index does not list). */
    private scanLiveNodes;
    /** Refreshes (or re-claims) the lease now rather than at the next tick: after a reconnect,
     * the sooner a lost lease is back, the shorter this node looks dead to the others. */
    refreshNow(): Promise<void>;
    isAlive(id: number): Promise<boolean>;
    /** Stops the keep-alive and frees the id at once (if it is still ours). */
    leave(): Promise<void>;
    private startKeepAlive;
    /** True if it was running. */
    private stopKeepAlive;
    private refresh;
}
//# sourceMappingURL=node-registry.d.ts.map