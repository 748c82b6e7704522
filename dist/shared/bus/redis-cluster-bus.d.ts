import type { Logger } from '../logger.ts';
import { type RedisEndpoint } from '../redis-target.ts';
import { type RedisBusStats } from './redis-bus.ts';
import { type StreamCounts } from './stream-order.ts';
import type { Bus, MessageHandler, Outgoing, SendResult, WorkerAddress } from './types.ts';
export interface RedisClusterBusOptions {
    self: WorkerAddress;
    /** The Redis Cluster's seeds (redis-target.ts): where the slot map is first read. */
    seeds: RedisEndpoint[];
    /** The cluster name (--cluster-name): channels are partitioned by node under it (redis-keys.ts). */
    prefix: string;
    log?: Logger;
    /** Budget of publishes awaiting Redis's reply (as RedisBus's). Default 32 MiB. */
    maxPendingBytes?: number;
    /** A subscription that heard nothing this long gets a probe published to it. Default 200 ms. */
    probeIntervalMs?: number;
    /** A subscription that heard nothing (not even its probe) this long is thrown away and made
     * again on a fresh map. Default 800 ms. */
    probeTimeoutMs?: number;
    /** The slot map is read again this often, also when nothing failed. Default 5000 ms. */
    refreshIntervalMs?: number;
    /** How long start() waits for the bus to be ready. Default 10 000 ms. */
    startTimeoutMs?: number;
    /** --bus-secret (mac.ts). */
    secret?: string;
    /** Subscribe to the broadcast channel too (default true). An emitter only hears replies. */
    broadcasts?: boolean;
}
export interface RedisClusterBusStats extends RedisBusStats, StreamCounts {
    /** Subscriptions made again (link lost, probe silent, server's sunsubscribe, MOVED). */
    resubscribes: number;
    /** Probes published to idle subscriptions. */
    probes: number;
    /** Slot maps read. */
    refreshes: number;
}
/**
 * The bus between nodes on a Redis Cluster: sharded pub/sub (SPUBLISH/SSUBSCRIBE), with the
 * connections managed here rather than by ioredis's Cluster client, whose sharded subscriber
 * can stay unsubscribed for ever after a whole-cluster restart (its reset waits on a connect()
 * that never settles: ../shared/repro/ioredis-connect-never-settles.mjs) and whose retries after
 * a failover re-queue failed publishes behind newer ones (out of order).
 *
 *   channels   {P:n<node>}:w:<node>:<slot>  a worker's own channel, in its node's slot
 *              {P}:all                       broadcasts
 *              <tag>:probe:<node>:<slot>     each subscription's probe, in that subscription's slot
 *   links      one plain ioredis connection per master for publishing (auto-pipelined, no
 *              offline queue, never resent, no reconnect of its own), and one per subscribed slot
 *              (one SSUBSCRIBE of that slot's channel and its probe: every SSUBSCRIBE stays in one slot)
 *   the map    CLUSTER SLOTS, read by this bus from any node it knows; read again at once when
 *              anything fails (a link closes, a publish or SSUBSCRIBE answers MOVED or CLUSTERDOWN,
 *              the server unsubscribes us: `sunsubscribe` on a slot that moved or a master
 *              demoted), then every refreshIntervalMs; each read is followed by moving the links
 *              to where the map says. Failures retry after 25 ms doubling to 400 ms, for ever.
 *   liveness   not taken from the library: a subscription that heard nothing for probeIntervalMs
 *              gets a probe published to it; one that hears nothing for probeTimeoutMs is thrown
 *              away, the map read again and a new one made.
 *   order      a publish goes through exactly one connection and is never retried: cut off, it is
 *              lost, never re-queued behind later ones. Every message carries its sender's epoch
 *              and a per-channel sequence number (stream-order.ts); the receiver counts gaps,
 *              duplicates and reorders, delivers gaps, and drops duplicates and late ones, so
 *              nothing reaches a client out of order. A sender's direct messages and broadcasts
 *              are different channels (slots): no order between those two.
 */
export declare class RedisClusterBus implements Bus {
    readonly self: WorkerAddress;
    onMessage: MessageHandler | null;
    /** Broadcasts and messages to this worker in one order: only when both channels hash to one
     * slot (one subscription). Otherwise a reload cuts each apart (bus-handover.ts). */
    readonly broadcastsInOrder: boolean;
    /** Each publishing link's latest publish (answered in order per link): see flushed(). */
    private readonly lastPublishes;
    private readonly keys;
    private readonly seeds;
    private readonly log;
    private readonly maxPendingBytes;
    private readonly probeIntervalMs;
    private readonly probeTimeoutMs;
    private readonly refreshIntervalMs;
    private readonly startTimeoutMs;
    private readonly mac;
    private readonly stamper;
    private readonly judge;
    private readonly ownChannel;
    private readonly allChannel;
    /** What we subscribe to, by slot: the channels of that slot and its probe channel. */
    private readonly wanted;
    private readonly channelIds;
    private readonly pubLinks;
    private readonly subLinks;
    private map;
    private refreshing;
    private refreshAgain;
    private retryDelay;
    private retryTimer;
    private tickTimer;
    private lastRefresh;
    private pendingBytes;
    private readyWaiters;
    private readonly counts;
    private readonly rejections;
    private lastPublishError;
    /** Links to each master that failed in a row (reset when one comes up): the back-off of the next try. */
    private readonly failures;
    private started;
    private closed;
    constructor(options: RedisClusterBusOptions);
    /** Every subscription confirmed and a publisher up to every master (a send may go to any). */
    get ready(): boolean;
    stats(): RedisClusterBusStats;
    /** Reads the map, connects, subscribes; resolves once ready. Rejects after startTimeoutMs
     * (ERR_BUS_CONNECT) but goes on trying: the bus becomes ready by itself. */
    start(): Promise<void>;
    send(to: WorkerAddress, msg: Outgoing): SendResult;
    broadcast(msg: Outgoing): SendResult;
    close(): Promise<void>;
    private want;
    private publish;
    /** Resolves once every publish made so far has been answered (or failed): as RedisBus.flushed(), per publishing link. */
    flushed(): Promise<void>;
    private refuse;
    private receive;
    private malformed;
    /** refresh() after `delayMs` (at once for 0); one pending retry at a time. */
    private refreshLater;
    /** Reads the slot map again (one read at a time; a request during one runs another after it). */
    private refresh;
    private readMap;
    /** Moves the links to where the map says: a publisher per master, each subscription on its slot's master. */
    private place;
    private clientFor;
    private openPub;
    private openSub;
    /** A link failed: it is dropped and the map read again (links are placed anew after it). */
    private lost;
    private drop;
    /** Probes idle subscriptions, replaces silent ones, re-reads the map now and then. */
    private tick;
    private wakeIfReady;
}
//# sourceMappingURL=redis-cluster-bus.d.ts.map