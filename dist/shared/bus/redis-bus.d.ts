import type { Logger } from '../logger.ts';
import type { Bus, BusMessage, MessageHandler, WorkerAddress } from './types.ts';
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
    /** Publishes awaiting Redis's reply, in bytes, beyond which send() returns false. Default 32 MiB. */
    maxPendingBytes?: number;
}
/** 50, 100, 200 .. 2000 ms: a Redis restart is noticed within ~2 s, a blip within 50 ms. */
export declare function defaultRetryDelay(attempt: number): number;
/**
 * The bus channels of one cluster. Sharded mode wraps the prefix in a hash tag so every bus
 * channel of the cluster hashes to one slot: one shard carries the cluster's bus, one
 * SSUBSCRIBE covers both channels, and a sender's direct messages and broadcasts still reach
 * a receiver in the order sent (two slots would be two independent streams).
 */
export declare function busChannels(prefix: string, sharded?: boolean): {
    worker(to: WorkerAddress): string;
    all: string;
};
export interface RedisBusStats {
    /** Messages handed to Redis. */
    published: number;
    /** Sends refused: publisher down, too many bytes awaiting Redis, bad address, bus closed. */
    refused: number;
    /** Messages passed to onMessage. */
    received: number;
    /** Incoming messages dropped: undecodable. */
    malformed: number;
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
 *     down, send() returns false at once instead of queueing, and a publish cut off mid-flight
 *     is dropped rather than risk a duplicate (at most once);
 *   - the subscriber resubscribes by itself after every reconnect (ioredis autoResubscribe).
 * Both reconnect forever (retryDelay). Messages published while our subscriber is down are
 * lost: pub/sub keeps nothing. Payloads are Buffers end to end (messageBuffer/smessageBuffer).
 *
 * Ordering: one publisher connection, one subscriber connection, one Redis (or one shard):
 * Redis forwards a connection's publishes in order, so one sender's messages reach a receiver
 * in the order sent.
 */
export declare class RedisBus implements Bus {
    readonly self: WorkerAddress;
    onMessage: MessageHandler | null;
    private readonly pub;
    private readonly sub;
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
    private subscribed;
    private lastPublishError;
    private readonly counts;
    private started;
    private closed;
    constructor(options: RedisBusOptions);
    /** True while both connections are up and the subscriptions are in place. */
    get ready(): boolean;
    stats(): RedisBusStats;
    start(): Promise<void>;
    /** Any worker, this node's included (the router normally uses the embedded bus for those). */
    send(to: WorkerAddress, msg: BusMessage): boolean;
    broadcast(msg: BusMessage): boolean;
    close(): Promise<void>;
    /** False, synchronously, whenever the message cannot be handed to Redis now. */
    private publish;
    private refuse;
    private receive;
    /** Error listeners always set; one log line per state change, repeated failures once. */
    private watch;
}
//# sourceMappingURL=redis-bus.d.ts.map