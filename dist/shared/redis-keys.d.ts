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
    constructor(prefix: string);
    /** The keys of cluster `name`, hash-tagged or not. */
    static of(name: string, hashTag?: boolean): ClusterKeys;
    /** The keys of the cluster these settings name. */
    static forConfig(config: {
        clusterName: string;
        redisSharded: boolean;
    }): ClusterKeys;
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
    uidSessions(uid: string): string;
    get sessionNodes(): string;
}
//# sourceMappingURL=redis-keys.d.ts.map