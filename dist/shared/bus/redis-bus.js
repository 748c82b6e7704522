import { Redis } from 'ioredis';
import { pino } from 'pino';
import { SwitchyardError } from '../errors.js';
import { MAX_NODES, MAX_SLOTS } from '../session-id.js';
import { decodeEnvelope, encodeEnvelope } from './codec.js';
/** 50, 100, 200 .. 2000 ms: a Redis restart is noticed within ~2 s, a blip within 50 ms. */
export function defaultRetryDelay(attempt) {
    return Math.min(50 * 2 ** Math.min(attempt - 1, 6), 2000) + Math.floor(Math.random() * 50);
}
/** More in flight than Redis lets a subscriber fall behind (client-output-buffer-limit pubsub
 * 32mb by default) could not be delivered anyway. */
const DEFAULT_MAX_PENDING_BYTES = 32 * 1024 * 1024;
/**
 * The bus channels of one cluster. Sharded mode wraps the prefix in a hash tag so every bus
 * channel of the cluster hashes to one slot: one shard carries the cluster's bus, one
 * SSUBSCRIBE covers both channels, and a sender's direct messages and broadcasts still reach
 * a receiver in the order sent (two slots would be two independent streams).
 */
export function busChannels(prefix, sharded = false) {
    const p = sharded ? `{${prefix}}` : prefix;
    return { worker: (to) => `${p}:w:${to.node}:${to.slot}`, all: `${p}:all` };
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
export class RedisBus {
    self;
    onMessage = null;
    pub;
    sub;
    sharded;
    ownChannel;
    allChannel;
    allChannelBuf;
    channels;
    log;
    maxPendingBytes;
    pendingBytes = 0;
    /** Bumped when the publisher's connection drops: replies of older publishes will never come. */
    epoch = 0;
    subscribed = false;
    lastPublishError = '';
    counts = { published: 0, refused: 0, received: 0, malformed: 0 };
    started = false;
    closed = false;
    constructor(options) {
        const { self, prefix } = options;
        if (!isAddress(self))
            throw new RangeError(`bus address out of range: node ${self.node} (0..${MAX_NODES - 1}), slot ${self.slot} (0..${MAX_SLOTS - 1})`);
        if (!/^[^\s{}]+$/.test(prefix))
            throw new RangeError(`bus prefix must be non-empty, without spaces or braces: "${prefix}"`);
        this.self = { node: self.node, slot: self.slot };
        this.sharded = options.sharded ?? false;
        this.channels = busChannels(prefix, this.sharded);
        this.ownChannel = this.channels.worker(this.self);
        this.allChannel = this.channels.all;
        this.allChannelBuf = Buffer.from(this.allChannel);
        this.maxPendingBytes = options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES;
        this.log = (options.log ?? pino({ level: 'silent' })).child({ bus: 'redis', node: self.node, slot: self.slot });
        const common = {
            lazyConnect: true, // start() connects, so a constructor never opens sockets
            retryStrategy: options.retryDelay ?? defaultRetryDelay,
            connectTimeout: 5000, // a black-holed Redis counts as down after 5 s, then the retries begin
        };
        const id = `${self.node}:${self.slot}`;
        this.pub = new Redis(options.url, {
            ...common,
            connectionName: `${prefix}:pub:${id}`,
            enableOfflineQueue: false, // send() fails at once during an outage, never queues
            autoResendUnfulfilledCommands: false, // a publish cut off mid-flight may have gone out: no duplicate
            enableAutoPipelining: true, // publishes of one event-loop turn leave in one write, in order
        });
        this.sub = new Redis(options.url, {
            ...common,
            connectionName: `${prefix}:sub:${id}`,
            autoResubscribe: true,
        });
        this.watch(this.pub, 'publisher');
        this.watch(this.sub, 'subscriber');
        this.sub.on(this.sharded ? 'smessageBuffer' : 'messageBuffer', (channel, payload) => this.receive(channel, payload));
    }
    /** True while both connections are up and the subscriptions are in place. */
    get ready() {
        return !this.closed && this.pub.status === 'ready' && this.sub.status === 'ready' && this.subscribed;
    }
    stats() {
        return { ...this.counts };
    }
    async start() {
        if (this.started)
            throw new Error('RedisBus.start() called twice');
        this.started = true;
        try {
            await Promise.all([this.pub.connect(), this.sub.connect()]);
            const channels = [this.ownChannel, this.allChannel];
            await (this.sharded ? this.sub.ssubscribe(...channels) : this.sub.subscribe(...channels));
            this.subscribed = true;
            this.log.info({ channels, sharded: this.sharded }, 'redis bus subscribed');
        }
        catch (err) {
            this.pub.disconnect();
            this.sub.disconnect();
            this.closed = true;
            throw new SwitchyardError('ERR_BUS_CONNECT', `redis bus could not start: ${err.message}`);
        }
    }
    /** Any worker, this node's included (the router normally uses the embedded bus for those). */
    send(to, msg) {
        if (!isAddress(to))
            return this.refuse();
        return this.publish(this.channels.worker(to), msg);
    }
    broadcast(msg) {
        return this.publish(this.allChannel, msg);
    }
    async close() {
        if (this.closed)
            return;
        this.closed = true;
        await Promise.all([quit(this.pub), quit(this.sub)]);
        this.log.info('redis bus closed');
    }
    /** False, synchronously, whenever the message cannot be handed to Redis now. */
    publish(channel, msg) {
        if (this.closed || this.pub.status !== 'ready')
            return this.refuse();
        const payload = encodeEnvelope(this.self, msg);
        if (this.pendingBytes + payload.length > this.maxPendingBytes)
            return this.refuse();
        this.counts.published++;
        const epoch = this.epoch;
        this.pendingBytes += payload.length;
        const settle = () => {
            if (epoch === this.epoch)
                this.pendingBytes -= payload.length;
        };
        (this.sharded ? this.pub.spublish(channel, payload) : this.pub.publish(channel, payload)).then(settle, (err) => {
            settle();
            // Usually the connection dropping (logged already); an error reply (ACL, MOVED) is not.
            if (err.message === this.lastPublishError)
                return;
            this.lastPublishError = err.message;
            this.log.warn({ err: err.message, channel }, 'redis bus publish failed');
        });
        return true;
    }
    refuse() {
        this.counts.refused++;
        return false;
    }
    receive(channel, payload) {
        if (this.closed)
            return;
        const envelope = decodeEnvelope(payload);
        if (!envelope) {
            this.counts.malformed++;
            this.log.warn({ channel: channel.toString(), bytes: payload.length }, 'undecodable bus message dropped');
            return;
        }
        if (envelope.from.node === this.self.node && channel.equals(this.allChannelBuf))
            return; // the embedded bus brought it
        const handler = this.onMessage;
        if (!handler)
            return;
        this.counts.received++;
        try {
            handler(envelope.msg, envelope.from);
        }
        catch (err) {
            // The handler's bug, not the bus's: log it and keep the subscriber alive.
            this.log.error({ err, t: envelope.msg.t }, 'bus message handler threw');
        }
    }
    /** Error listeners always set; one log line per state change, repeated failures once. */
    watch(client, role) {
        let downSince = 0;
        let lastError = '';
        client.on('error', (err) => {
            if (err.message === lastError)
                return;
            lastError = err.message;
            this.log.warn({ role, err: err.message }, `redis bus ${role} error`);
        });
        client.on('close', () => {
            if (role === 'publisher') {
                this.epoch++;
                this.pendingBytes = 0;
            }
            else {
                this.subscribed = false;
            }
            if (downSince || this.closed)
                return;
            downSince = Date.now();
            this.log.warn({ role }, `redis bus ${role} connection lost`);
        });
        client.on('reconnecting', (delayMs) => this.log.debug({ role, delayMs }, `redis bus ${role} reconnecting`));
        client.on('ready', () => {
            lastError = '';
            if (!downSince)
                return; // the first connect: start() logs it
            const downMs = Date.now() - downSince;
            downSince = 0;
            if (role === 'publisher') {
                this.lastPublishError = '';
                this.log.info({ role, downMs }, 'redis bus publisher reconnected');
                return;
            }
            // ioredis has just written the resubscribe commands; a PING behind them answers once
            // Redis has processed them, so "resubscribed" means messages flow again.
            client.ping().then(() => {
                if (client.status !== 'ready')
                    return;
                this.subscribed = true;
                this.log.info({ role, downMs }, 'redis bus subscriber reconnected and resubscribed');
            }, () => { });
        });
    }
}
function isAddress(a) {
    return Number.isInteger(a.node) && a.node >= 0 && a.node < MAX_NODES && Number.isInteger(a.slot) && a.slot >= 0 && a.slot < MAX_SLOTS;
}
/** QUIT when connected (Redis closes after replying), else just drop the socket and retries. */
async function quit(client) {
    if (client.status !== 'ready') {
        client.disconnect();
        return;
    }
    const timer = setTimeout(() => client.disconnect(), 1000);
    try {
        await client.quit();
    }
    catch {
        client.disconnect();
    }
    finally {
        clearTimeout(timer);
    }
}
//# sourceMappingURL=redis-bus.js.map