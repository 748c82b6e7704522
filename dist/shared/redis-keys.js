import { nodeOf } from './session-id.js';
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
export const CLUSTER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
/** The most the seams themselves accept as a name (tests use longer, generated ones). */
const PREFIX_NAME = /^[^\s{}]+$/;
/** The prefix of every key: the name, or {name} as a hash tag for Redis Cluster. */
export function keyPrefix(name, hashTag = false) {
    return hashTag ? `{${name}}` : name;
}
/** Throws (a programmer's error: the settings check CLUSTER_NAME first) on a name that cannot prefix keys. */
export function checkPrefixName(name, user) {
    if (!PREFIX_NAME.test(name))
        throw new RangeError(`${user} prefix must be non-empty, without spaces or braces: "${name}"`);
}
/** SCAN MATCH treats * ? [ ] \ as glob syntax: a prefix is matched literally. */
function escapeGlob(s) {
    return s.replace(/[*?[\]\\]/g, '\\$&');
}
/** The keys and channels of one cluster. `prefix` is P as it appears in keys (hash tag included). */
export class ClusterKeys {
    prefix;
    partitionName;
    /** `partitionName`: the bare cluster name when the keys are partitioned by node (Redis Cluster). */
    constructor(prefix, partitionName = null) {
        this.prefix = prefix;
        this.partitionName = partitionName;
    }
    /** The keys of cluster `name`: hash-tagged or not, or partitioned by node (`partitioned`: a Redis Cluster). */
    static of(name, hashTag = false, partitioned = false) {
        return partitioned ? new ClusterKeys(`{${name}}`, name) : new ClusterKeys(keyPrefix(name, hashTag));
    }
    /** The keys of the cluster these settings name (`cluster`: on a Redis Cluster, see redis-target.ts). */
    static forConfig(config, cluster = false) {
        return ClusterKeys.of(config.clusterName, config.redisSharded, cluster);
    }
    /** Partitioned by node (Redis Cluster). */
    get partitioned() {
        return this.partitionName !== null;
    }
    /** The prefix of node `node`'s partition: its own hash tag on a Redis Cluster, else P. */
    nodePrefix(node) {
        return this.partitionName === null ? this.prefix : `{${this.partitionName}:n${node}}`;
    }
    /** Every node id that took a lease (pruned as leases vanish). */
    get nodeIds() {
        return `${this.prefix}:node-ids`;
    }
    /** The liveness probe channel of a subscription under `tagPrefix` (a partition's prefix). */
    probeChannel(tagPrefix, from) {
        return `${tagPrefix}:probe:${from.node}:${from.slot}`;
    }
    // Membership.
    get nodeSeq() {
        return `${this.prefix}:node-seq`;
    }
    /** The lease key of node `id`: it exists exactly while that node is alive. */
    node(id) {
        return `${this.prefix}:node:${id}`;
    }
    /** SCAN MATCH pattern of every lease key. */
    get nodePattern() {
        return `${escapeGlob(this.prefix)}:node:*`;
    }
    /** The node id a lease key names. */
    nodeIdOf(leaseKey) {
        return Number(leaseKey.slice(leaseKey.lastIndexOf(':') + 1));
    }
    /** INCR counter numbering emitters (their bus addresses, src/emitter.ts). */
    get emitterSeq() {
        return `${this.prefix}:emitter-seq`;
    }
    sessionSeq(node) {
        return `${this.nodePrefix(node)}:seq:${node}`;
    }
    stats(node) {
        return `${this.nodePrefix(node)}:stats:${node}`;
    }
    metrics(node) {
        return `${this.nodePrefix(node)}:metrics:${node}`;
    }
    // The bus.
    workerChannel(to) {
        return `${this.nodePrefix(to.node)}:w:${to.node}:${to.slot}`;
    }
    get broadcastChannel() {
        return `${this.prefix}:all`;
    }
    // The session table (the Lua scripts name the same keys from the prefix).
    session(fd) {
        return `${this.nodePrefix(nodeOf(fd))}:s:${fd}`;
    }
    workerSessions(node, slot) {
        return `${this.nodePrefix(node)}:ws:${node}:${slot}`;
    }
    nodeWorkers(node) {
        return `${this.nodePrefix(node)}:nw:${node}`;
    }
    /** The fds bound to `uid`; partitioned, only those of `node` (the uid's set in that node's partition). */
    uidSessions(uid, node = 0) {
        return `${this.partitioned ? this.nodePrefix(node) : this.prefix}:u:${uid}`;
    }
    get sessionNodes() {
        return `${this.prefix}:sn`;
    }
}
//# sourceMappingURL=redis-keys.js.map