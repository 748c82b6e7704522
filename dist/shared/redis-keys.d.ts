import type { WorkerAddress } from './bus/types.ts';
/**
 * Every Redis key and pub/sub channel of a cluster, named in one place. All of them start with
 * the cluster's prefix P:
 *
 *   membership (master/cluster/: membership.ts, node-registry.ts, peer-stats.ts)
 *     P:node-seq            INCR counter: where the next node-id allocation starts looking
 *     P:node:${id}          a node's lease (JSON { token, info }, TTL): exists while the node
 *                           is alive; its token is the node's generation (a re-claimed lease
 *                           means Redis lost what the node wrote)
 *     P:seq:${node}         the node's session-id counter (blocks of fds, never reissued)
 *     P:stats:${node}       the node's published figures (TTL)
 *     P:metrics:${node}     the node's published metrics, per worker slot (TTL)
 *   emitters (src/emitter.ts)
 *     P:emitter-seq         INCR counter: numbers emitters, whose addresses (nodes 4096..65535)
 *                           name their reply channels P:w:${node}:${slot}
 *   bus (RedisBus)
 *     P:w:${node}:${slot}   channel: direct sends to one worker
 *     P:all                 channel: broadcasts to every worker of every node
 *   session table (RedisSessionTable; its Lua scripts, redis-scripts.ts, build the same names
 *   from P at run time: test/session-table/redis-session-table.test.ts checks they agree)
 *     P:s:${fd}             hash: node, slot, addr, port, t, uid
 *     P:ws:${node}:${slot}  set: fds of one worker
 *     P:nw:${node}          set: slots of the node with sessions
 *     P:u:${uid}            set: fds bound to uid
 *     P:sn                  set: nodes with sessions
 *
 * The prefix rules: P is the cluster name (--cluster-name, CLUSTER_NAME below), and with
 * --redis-sharded (Redis Cluster) it is a hash tag, {name}, so every key and channel of the
 * cluster shares one slot: the Lua scripts stay single-slot, one connection to that slot's
 * master reaches them all, and one SSUBSCRIBE covers both bus channels (a sender's direct
 * messages and broadcasts then reach a receiver in the order sent).
 *
 * On a Redis Cluster (detected, or --redis-cluster) the keys are partitioned instead of sharing
 * one tag: what is the cluster's as a whole (node-seq, node leases, node-ids, emitter-seq, sn,
 * the broadcast channel) lives under {name}, and what belongs to one node under that node's own
 * tag, {name:n<id>}: its session-id counter, stats, metrics, its workers' bus channels, and its
 * part of the session table (sessions, worker sets, and the uid sets of its own sessions: a
 * uid's fds are the union over the nodes in P:sn). Every Lua script touches one partition, so
 * it stays single-slot and atomic; the traffic and the data spread over the shards by node.
 *     P:node-ids            set: node ids that took a lease (liveNodes reads it: no SCAN, which
 *                           a Redis Cluster would answer for one shard only)
 *     P:probe:${node}:${slot} channel (in each partition whose channels a worker subscribes):
 *                           the liveness probe of one subscription (bus/redis-cluster-bus.ts)
 */
/** A cluster name as the settings accept it: safe inside a key, a channel and a SCAN pattern. */
export declare const CLUSTER_NAME: RegExp;
/** The prefix of every key: the name, or {name} as a hash tag for Redis Cluster. */
export declare function keyPrefix(name: string, hashTag?: boolean): string;
/** Throws (a programmer's error: the settings check CLUSTER_NAME first) on a name that cannot prefix keys. */
export declare function checkPrefixName(name: string, user: string): void;
/** The keys and channels of one cluster. `prefix` is P as it appears in keys (hash tag included). */
export declare class ClusterKeys {
    readonly prefix: string;
    private readonly partitionName;
    /** `partitionName`: the bare cluster name when the keys are partitioned by node (Redis Cluster). */
    constructor(prefix: string, partitionName?: string | null);
    /** The keys of cluster `name`: hash-tagged or not, or partitioned by node (`partitioned`: a Redis Cluster). */
    static of(name: string, hashTag?: boolean, partitioned?: boolean): ClusterKeys;
    /** The keys of the cluster these settings name (`cluster`: on a Redis Cluster, see redis-target.ts). */
    static forConfig(config: {
        clusterName: string;
        redisSharded: boolean;
    }, cluster?: boolean): ClusterKeys;
    /** Partitioned by node (Redis Cluster). */
    get partitioned(): boolean;
    /** The prefix of node `node`'s partition: its own hash tag on a Redis Cluster, else P. */
    nodePrefix(node: number): string;
    /** Every node id that took a lease (pruned as leases vanish). */
    get nodeIds(): string;
    /** The liveness probe channel of a subscription under `tagPrefix` (a partition's prefix). */
    probeChannel(tagPrefix: string, from: WorkerAddress): string;
    get nodeSeq(): string;
    /** The lease key of node `id`: it exists exactly while that node is alive. */
    node(id: number): string;
    /** SCAN MATCH pattern of every lease key. */
    get nodePattern(): string;
    /** The node id a lease key names. */
    nodeIdOf(leaseKey: string): number;
    /** INCR counter numbering emitters (their bus addresses, src/emitter.ts). */
    get emitterSeq(): string;
    sessionSeq(node: number): string;
    stats(node: number): string;
    metrics(node: number): string;
    workerChannel(to: WorkerAddress): string;
    get broadcastChannel(): string;
    session(fd: number): string;
    workerSessions(node: number, slot: number | string): string;
    nodeWorkers(node: number): string;
    /** The fds bound to `uid`; partitioned, only those of `node` (the uid's set in that node's partition). */
    uidSessions(uid: string, node?: number): string;
    get sessionNodes(): string;
}
//# sourceMappingURL=redis-keys.d.ts.map