import type { RedisCommands } from '../redis-target.ts';
import type { Logger } from '../logger.ts';
import type { SessionOwner, SessionRecord, SessionTable } from './types.ts';
/**
 * The cluster's session table in Redis, under the cluster's prefix P (key names in redis-keys.ts):
 *
 *   P:s:${fd}             hash  node, slot, addr, port, t (connect ms), uid (absent: unbound)
 *   P:ws:${node}:${slot}  set   fds of one worker                 (purgeWorker pops it)
 *   P:nw:${node}          set   slots of the node with sessions   (purgeDeadNodes walks it)
 *   P:u:${uid}            set   fds bound to uid
 *   P:sn                  set   nodes with sessions
 * Liveness is not stored here: `isAlive` answers it (NodeRegistry's P:node:${id} leases, whose
 * TTL bounds how long a dead node's sessions stay visible: lease ttl + aliveCacheMs).
 *
 * Every change is a Lua script, so each keeps all five structures consistent atomically:
 *   - writes: add/remove/bind/unbind are queued and sent once per event-loop turn
 *     (setImmediate) as EVALs of APPLY, ≤ 1000 ops each, written back to back on one
 *     connection: applied in the order issued. A read first sends the pending writes, so an
 *     instance reads its own writes. EVAL, not EVALSHA: a NOSCRIPT retry could reorder batches.
 *   - purges pop fds (SPOP) in steps of 500, so a big purge never blocks Redis for long and two
 *     purgers of the same node share the work instead of racing: each fd is dropped once; both
 *     return once the node is empty.
 * Reads are one EVAL (or one command) plus isAlive for the nodes seen, cached aliveCacheMs.
 *
 * Eventually consistent: another node sees a write once the writer's batch lands (its next
 * event-loop turn + one round trip); a dead node's sessions linger until purgeDeadNodes (every
 * node may run it periodically) but are hidden from reads meanwhile; writes Redis fails during
 * an outage are lost (counted in stats().failed, logged once), not retried one by one.
 *
 * Healing (keepInSync): the worker's live state is the truth. After anything that may have
 * lost writes — the connection dropped (Redis restarted or failed over: a restart without
 * persistence loses every key), a write failed, a bind found its session gone (the data was
 * lost under us, e.g. FLUSHALL), or the node says its lease had vanished (resync) — the table
 * re-writes the worker's live sessions and uids (op s) and removes what else the worker's set
 * holds (stale sessions from a restored snapshot), once the node's lease is back
 * (ResyncScheduler). Rooms are not stored here: they live in the worker.
 *
 * Scripts build key names at run time from the prefix they are given (allowed for scripts
 * without shebang flags, if the keys are in one slot) and declare it as their one key, so a
 * Redis Cluster routes them to that prefix's slot. `hashTag: true` wraps the prefix as {P}
 * (one shard for everything). `partitioned: true` (a real Redis Cluster) gives each node a
 * partition of its own, {P:n<id>} (redis-keys.ts): its sessions, worker sets and the uid sets
 * of its sessions, so every script stays single-slot and atomic and the table spreads over
 * the shards by node. What is cluster-wide then lives outside the scripts: P:sn (nodes with
 * sessions) is added to after a batch that wrote sessions and pruned, by a script on P's slot,
 * only for a node without a lease; a uid's fds are the union of its set in every node of P:sn.
 */
export interface RedisSessionTableOptions {
    /** A connected client (a Redis, or an ioredis Cluster); not closed by close() unless `ownsClient`. */
    redis: RedisCommands;
    /** The cluster's key prefix (--cluster-name). */
    prefix: string;
    isAlive: (node: number) => Promise<boolean> | boolean;
    log?: Logger;
    ownsClient?: boolean;
    /** Wrap the prefix in a hash tag (one slot for all; see above). */
    hashTag?: boolean;
    /** Partition the table by node (a Redis Cluster; see above). */
    partitioned?: boolean;
    /** How long an isAlive answer is reused by reads. Default 1000 ms: one lookup per node per second. */
    aliveCacheMs?: number;
    /** Bound on a read, on each purge step, and on close()'s wait for writes. Default 2000 ms. */
    timeoutMs?: number;
    /** Writes queued or awaiting Redis beyond which new ones are dropped (an outage with an offline queue). Default 100 000. */
    maxPendingOps?: number;
    /** The lease key of a node (NodeRegistry's): a dead-node purge stops, atomically, if the node holds one again. */
    leaseKey?: (node: number) => string;
}
/** batches: flushes sent (≤ 1 per event-loop turn); written: write ops Redis applied; failed: write
 * ops lost (outage, error reply); dropped: refused (malformed fd, too many pending, closed). */
export interface RedisSessionTableStats {
    batches: number;
    written: number;
    failed: number;
    dropped: number;
    /** Re-writes of the worker's sessions done (see keepInSync). */
    resyncs: number;
}
export declare class RedisSessionTable implements SessionTable {
    private readonly redis;
    private readonly keys;
    private readonly isAlive;
    private readonly log;
    private readonly ownsClient;
    private readonly aliveCacheMs;
    private readonly timeoutMs;
    private readonly maxPendingOps;
    private readonly aliveCache;
    /** Queued writes, in order; each chunk is for one node's partition (its prefix p) and notes whether it writes sessions. */
    private chunks;
    private scheduled;
    private pendingOps;
    private readonly inflight;
    private failing;
    private overloaded;
    private readonly counts;
    private closed;
    private readonly leaseKey;
    private resyncer;
    constructor(options: RedisSessionTableOptions);
    /** Whether its Redis connection is up now (the admin server's /readyz asks every worker). */
    get connected(): boolean;
    stats(): RedisSessionTableStats;
    keepInSync(owner: SessionOwner): void;
    resync(reason: string): void;
    add(s: Omit<SessionRecord, 'uid'>): void;
    remove(fd: number): void;
    bind(fd: number, uid: string): void;
    unbind(fd: number): void;
    fdsByUid(uid: string): Promise<number[]>;
    get(fd: number): Promise<SessionRecord | null>;
    all(): Promise<number[]>;
    count(): Promise<number>;
    purgeWorker(node: number, slot: number): Promise<number>;
    purgeDeadNodes(): Promise<number[]>;
    close(): Promise<void>;
    /** Runs PURGE steps until the node (or its one worker) is empty, or `lease` exists again. */
    private purge;
    /**
     * The worker's live sessions written again (uids with them), in slices; then what else the
     * worker's set holds is removed. Sessions that close meanwhile are safe: a closed one is
     * skipped (its remove was queued already) or its remove is queued after our write; fds are
     * never reused, so removing a stale one cannot touch a newer session.
     */
    private rewrite;
    /** Sends what is queued and waits (within timeoutMs) until every write in flight settled. */
    private landed;
    /** The nodes with sessions (P:sn). */
    private sessionNodes;
    /** A script's answers from every partition with sessions (one, P, unless partitioned), concatenated. */
    private perPartition;
    /** The fds of live nodes, ascending. */
    private live;
    private alive;
    /** Sends pending writes (so this read sees them), then runs `work` within timeoutMs. */
    private read;
    /** Queues one op for APPLY: op name, fd, then its arguments (all sent as strings). */
    private enqueue;
    /** Sends every queued write now (not in a microtask: a read issued next must queue behind them), one EVAL per chunk. */
    private flush;
    /** Counts a chunk's outcome; failures are logged once per streak. Lost writes call for a re-write. */
    private settle;
    private shutdown;
}
//# sourceMappingURL=redis-session-table.d.ts.map