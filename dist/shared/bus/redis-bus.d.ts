import type { Logger } from '../logger.ts';
import type { Bus, Outgoing, MessageHandler, SendResult, WorkerAddress } from './types.ts';
export interface RedisBusOptions {
    self: WorkerAddress;
    /** redis://[user:pass@]host:port[/db] (rediss:// for TLS). */
    url: string;
    /** Channel prefix: the cluster name (--cluster-name). Nodes with the same prefix are one cluster. */
    prefix: string;
    log?: Logger;
    /** SPUBLISH/SSUBSCRIBE (Redis >= 7 sharded pub/sub) instead of PUBLISH/SUBSCRIBE. */
    sharded?: boolean;
    /** Delay before reconnect attempt n (1-based). Default: 50 ms doubling to 2 s, plus 0-50 ms jitter. */
    retryDelay?: (attempt: number) => number;
    /** Budget of publishes awaiting Redis's reply, counted at what they cost (publishCost); a
     * send that would pass it is 'congested'. Default 32 MiB. */
    maxPendingBytes?: number;
    /** Watchdog: a PING on each connection this often while it is ready. Default 1000 ms. */
    probeIntervalMs?: number;
    /** Watchdog: a PING unanswered this long drops the connection to reconnect. Default 3000 ms. */
    probeTimeoutMs?: number;
    /** How long start() waits for both connections and the subscription. Default 10 000 ms. */
    startTimeoutMs?: number;
    /** --bus-secret: sign every message sent and drop every message received without a valid
     * MAC (mac.ts). Every node and emitter of the cluster must have the same one. */
    secret?: string;
    /** Subscribe to the broadcast channel too (default true). An emitter only hears replies. */
    broadcasts?: boolean;
}
/** 50, 100, 200 .. 2000 ms: a Redis restart is noticed within ~2 s, a blip within 50 ms. */
export declare function defaultRetryDelay(attempt: number): number;
/** More in flight than Redis lets a subscriber fall behind (client-output-buffer-limit pubsub
 * 32mb by default) could not be delivered anyway. The setting's default (config-table.ts). */
export declare const DEFAULT_MAX_PENDING_BYTES: number;
/** How long close() waits for the publishes made so far to reach Redis: a hung Redis does not hold an exit. */
export declare const CLOSE_FLUSH_MS = 1000;
/**
 * What one publish awaiting Redis's reply holds in this process besides its bytes: ioredis's
 * Command (arguments, promise, callbacks), its slot in the auto-pipeline and the reply queue, and
 * our settle closure and promise. Measured on ioredis 6 with Redis stopped (SIGSTOP), 100k
 * publishes of 16-byte pushes: 2.38 KB of heap each (1.84 KB of it ioredis's), 2.9 KB of RSS.
 */
export declare const PUBLISH_OVERHEAD_BYTES = 2560;
/** The budget a publish takes: the envelope, its copy in the serialized command (held until the
 * socket has written it), the channel name and the bookkeeping. */
export declare function publishCost(envelopeBytes: number, channelBytes: number): number;
/**
 * The bus channels of one cluster (named in redis-keys.ts). Sharded mode wraps the prefix in a
 * hash tag so every bus channel of the cluster hashes to one slot: one shard carries the
 * cluster's bus, one SSUBSCRIBE covers both channels, and a sender's direct messages and
 * broadcasts still reach a receiver in the order sent (two slots would be two independent streams).
 */
export declare function busChannels(prefix: string, sharded?: boolean): {
    worker(to: WorkerAddress): string;
    all: string;
};
/** The highest node number an envelope carries (u16): 0..MAX_NODES-1 are workers' nodes, the rest emitters'. */
export declare const MAX_EMITTER_NODE = 65535;
export interface RedisBusStats {
    /** Messages handed to Redis. */
    published: number;
    /** Sends refused: publisher down, budget of publishes awaiting Redis full, bad address, bus closed. */
    refused: number;
    /** The part of `refused` that was 'congested' (the budget full). */
    congested: number;
    /** Messages passed to onMessage. */
    received: number;
    /** Incoming messages dropped: undecodable. */
    malformed: number;
    /** Incoming messages dropped by the authenticated bus (--bus-secret): unsigned, a MAC that
     * does not match, or outside the replay window. Never delivered. */
    unauthenticated: number;
    /** The part of `unauthenticated` whose MAC was valid but whose send time was outside the window (a replay, or a clock off). */
    stale: number;
}
/**
 * The bus between nodes: Redis pub/sub, one channel per worker and one for broadcasts.
 *
 *   ${prefix}:w:${node}:${slot}  direct sends to one worker (its subscriber listens)
 *   ${prefix}:all                broadcasts, published once, heard by every worker of every node
 *
 * A broadcast is ignored by receivers on the sender's own node (`from.node === self.node`):
 * the embedded bus carries same-node traffic, so the router broadcasts on both buses and each
 * worker sees a broadcast once. Direct sends are delivered whatever the node.
 *
 * Two connections, as pub/sub requires (a subscribed connection cannot publish):
 *   - the publisher has no offline queue and never resends after a reconnect: while it is
 *     down, send() returns 'down' at once instead of queueing, and a publish cut off mid-flight
 *     is dropped rather than risk a duplicate (at most once). Every publish settles when its
 *     connection drops (SETTLE_ON_CLOSE, see redis-health.ts: without it a restart under load
 *     wedged the auto-pipeline for good);
 *   - the subscriber subscribes itself on every 'ready' (not ioredis autoResubscribe, which
 *     forgets the channels if the connection drops again before Redis confirmed them), and
 *     counts as up only once Redis has confirmed this connection's subscription.
 * Both reconnect forever (retryDelay), also when Redis was down at start(). The bus is ready
 * (sends accepted) only while the publisher is up AND our subscription stands: replies to our
 * requests come back on it, so a request it could not hear would only time out. A watchdog
 * PING (ConnectionProbe) reconnects a connection that is 'ready' but answers nothing.
 * Messages published while a subscriber is down are lost: pub/sub keeps nothing. Payloads are
 * Buffers end to end (messageBuffer/smessageBuffer).
 *
 * Authenticated (`secret`, --bus-secret): every message published is signed (mac.ts: an HMAC
 * over the channel, the envelope and its send time) and every message received is checked
 * before it is decoded; one without a valid MAC is dropped, counted (stats().unauthenticated)
 * and logged at most once per REJECT_LOG_INTERVAL_MS, never delivered. Without a secret,
 * whoever can PUBLISH on this Redis can make any worker push, disconnect or broadcast.
 *
 * Ordering: one publisher connection, one subscriber connection, one Redis (or one shard):
 * Redis forwards a connection's publishes in order, so one sender's messages reach a receiver
 * in the order sent.
 */
export declare class RedisBus implements Bus {
    readonly self: WorkerAddress;
    onMessage: MessageHandler | null;
    /** Broadcasts and messages to this worker come in one order (one subscriber connection, and
     * with --redis-sharded one slot): a reload's one marker cuts both (bus-handover.ts). */
    readonly broadcastsInOrder = true;
    private lastPublish;
    private pub;
    private sub;
    private readonly url;
    private readonly clientOptions;
    private readonly probeOptions;
    private readonly probes;
    private readonly sharded;
    private readonly ownChannel;
    private readonly allChannel;
    private readonly allChannelBuf;
    private readonly channels;
    private readonly log;
    private readonly maxPendingBytes;
    private pendingBytes;
    /** Bumped when the publisher's connection drops: replies of older publishes will never come. */
    private epoch;
    /** The publisher's connection is ready and not found wedged. */
    private pubUp;
    /** Redis confirmed our subscription on the subscriber's current connection. */
    private subscribed;
    /** Bumped when the subscriber's connection drops: a confirmation for an older one is stale. */
    private subEpoch;
    private readyWaiters;
    private readonly startTimeoutMs;
    private lastPublishError;
    private readonly counts;
    private readonly mac;
    private readonly broadcasts;
    private readonly ownChannelId;
    private readonly allChannelId;
    private readonly channelIds;
    private readonly rejections;
    private started;
    private closed;
    constructor(options: RedisBusOptions);
    /** True while the publisher is up and our subscription stands: only then are sends accepted. */
    get ready(): boolean;
    stats(): RedisBusStats;
    /**
     * Connects both connections and subscribes; resolves once the bus is ready. Rejects
     * (ERR_BUS_CONNECT) if the first attempt fails or readiness takes longer than startTimeoutMs,
     * but the bus is not closed then: it goes on reconnecting and becomes ready by itself.
     */
    start(): Promise<void>;
    /** Any worker, this node's included (the router normally uses the embedded bus for those). */
    send(to: WorkerAddress, msg: Outgoing): SendResult;
    broadcast(msg: Outgoing): SendResult;
    close(): Promise<void>;
    /**
     * 'down' or 'congested', synchronously, whenever the message cannot be handed to Redis now.
     * The budget counts what a publish really holds until Redis replies (publishCost): counting
     * the payload alone let 1,000,000 small pushes in one loop take 2.9 GB under a 32 MiB cap.
     * One publish always goes when nothing is pending (a message larger than the budget too).
     */
    private publish;
    /**
     * Resolves once every publish made so far has been answered by Redis (or failed): one
     * publisher connection, answered in order, so the last one's answer covers them all. A
     * reload's old worker waits on it before a moved connection's input runs in its replacement,
     * whose publishes go on another connection: without it a client's message handled in the new
     * worker could reach Redis before one it sent earlier, handled in the old worker.
     */
    flushed(): Promise<void>;
    /** A refused send and why: 'down' (no publisher, closed, bad address) or 'congested'. */
    private refuse;
    /** The MAC's id of a channel we send on (made once per channel). */
    private idOf;
    private receive;
    /** A connection for `role`, with its listeners and watchdog (connected now if the bus runs). */
    private open;
    /**
     * The watchdog found `role`'s connection ready but silent. A reconnect would not do: what
     * ioredis left unsettled (a stuck auto-pipeline) stays with the client object, so it is
     * thrown away and a new one made; sends are refused until the new one is up.
     */
    private replace;
    /** Error listeners always set; one log line per state change, repeated failures once. */
    private watch;
    /**
     * SUBSCRIBE on the subscriber's current connection; it counts as up once Redis confirms. An
     * error reply (ACL, MOVED) drops the connection, so the next attempt follows the back-off.
     */
    private subscribe;
    /** Resolves start()'s wait once the bus is ready. */
    private wakeIfReady;
}
/** A worker's address (node < MAX_NODES) or an emitter's (node MAX_NODES..0xffff, the rest of
 * the envelope's u16: replies to an emitter's calls go there, see src/emitter/). */
export declare function isAddress(a: WorkerAddress): boolean;
/** Resolves once `p` settled or after `ms`, whichever comes first. */
export declare function settledWithin(p: Promise<unknown>, ms: number): Promise<void>;
//# sourceMappingURL=redis-bus.d.ts.map