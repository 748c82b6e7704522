import { Redis } from 'ioredis';
import { pino } from 'pino';
import { SETTINGS } from '../config-table.js';
import { BusError } from '../errors.js';
import { ConnectionProbe, SETTLE_ON_CLOSE } from '../redis-health.js';
import { checkPrefixName, ClusterKeys } from '../redis-keys.js';
import { MAX_SLOTS } from '../session-id.js';
import { decodeEnvelope, encodeEnvelope } from './codec.js';
import { BusMac, channelId, ChannelIds, RejectionLog, TRAILER_BYTES } from './mac.js';
import { isOwnCutMarker } from './cut-marker.js';
/** 50, 100, 200 .. 2000 ms: a Redis restart is noticed within ~2 s, a blip within 50 ms. */
export function defaultRetryDelay(attempt) {
    return Math.min(50 * 2 ** Math.min(attempt - 1, 6), 2000) + Math.floor(Math.random() * 50);
}
/** More in flight than Redis lets a subscriber fall behind (client-output-buffer-limit pubsub
 * 32mb by default) could not be delivered anyway. The setting's default (config-table.ts). */
export const DEFAULT_MAX_PENDING_BYTES = SETTINGS.redisBusMaxPendingBytes.default;
/** A PING a second costs Redis nothing; 3 s of silence on loopback or a LAN is not a slow reply. */
const DEFAULT_PROBE_INTERVAL_MS = 1000;
const DEFAULT_PROBE_TIMEOUT_MS = 3000;
/** The connect timeout (5 s) plus a first retry: past it, start() reports and the bus goes on trying. */
const DEFAULT_START_TIMEOUT_MS = 10_000;
/** How long close() waits for the publishes made so far to reach Redis: a hung Redis does not hold an exit. */
export const CLOSE_FLUSH_MS = 1000;
/**
 * What one publish awaiting Redis's reply holds in this process besides its bytes: ioredis's
 * Command (arguments, promise, callbacks), its slot in the auto-pipeline and the reply queue, and
 * our settle closure and promise. Measured on ioredis 6 with Redis stopped (SIGSTOP), 100k
 * publishes of 16-byte pushes: 2.38 KB of heap each (1.84 KB of it ioredis's), 2.9 KB of RSS.
 */
export const PUBLISH_OVERHEAD_BYTES = 2560;
/** The budget a publish takes: the envelope, its copy in the serialized command (held until the
 * socket has written it), the channel name and the bookkeeping. */
export function publishCost(envelopeBytes, channelBytes) {
    return PUBLISH_OVERHEAD_BYTES + 2 * envelopeBytes + channelBytes;
}
/**
 * The bus channels of one cluster (named in redis-keys.ts). Sharded mode wraps the prefix in a
 * hash tag so every bus channel of the cluster hashes to one slot: one shard carries the
 * cluster's bus, one SSUBSCRIBE covers both channels, and a sender's direct messages and
 * broadcasts still reach a receiver in the order sent (two slots would be two independent streams).
 */
export function busChannels(prefix, sharded = false) {
    const keys = ClusterKeys.of(prefix, sharded);
    return { worker: (to) => keys.workerChannel(to), all: keys.broadcastChannel };
}
/** The highest node number an envelope carries (u16): 0..MAX_NODES-1 are workers' nodes, the rest emitters'. */
export const MAX_EMITTER_NODE = 0xffff;
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
export class RedisBus {
    self;
    onMessage = null;
    /** Broadcasts and messages to this worker come in one order (one subscriber connection, and
     * with --redis-sharded one slot): a reload's one marker cuts both (bus-handover.ts). */
    broadcastsInOrder = true;
    lastPublish = Promise.resolve();
    pub;
    sub;
    url;
    clientOptions;
    probeOptions;
    probes = new Map();
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
    /** The publisher's connection is ready and not found wedged. */
    pubUp = false;
    /** Redis confirmed our subscription on the subscriber's current connection. */
    subscribed = false;
    /** Bumped when the subscriber's connection drops: a confirmation for an older one is stale. */
    subEpoch = 0;
    readyWaiters = [];
    startTimeoutMs;
    lastPublishError = '';
    counts = { published: 0, refused: 0, congested: 0, received: 0, malformed: 0, unauthenticated: 0, stale: 0 };
    mac;
    broadcasts;
    ownChannelId;
    allChannelId;
    channelIds = new ChannelIds();
    rejections;
    started = false;
    closed = false;
    constructor(options) {
        const { self, prefix } = options;
        if (!isAddress(self))
            throw new RangeError(`bus address out of range: node ${self.node} (0..${MAX_EMITTER_NODE}), slot ${self.slot} (0..${MAX_SLOTS - 1})`);
        checkPrefixName(prefix, 'bus');
        this.self = { node: self.node, slot: self.slot };
        this.sharded = options.sharded ?? false;
        this.channels = busChannels(prefix, this.sharded);
        this.ownChannel = this.channels.worker(this.self);
        this.allChannel = this.channels.all;
        this.allChannelBuf = Buffer.from(this.allChannel);
        this.maxPendingBytes = options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES;
        this.mac = options.secret === undefined ? null : new BusMac(options.secret);
        this.broadcasts = options.broadcasts ?? true;
        this.ownChannelId = channelId(this.ownChannel);
        this.allChannelId = channelId(this.allChannel);
        this.log = (options.log ?? pino({ level: 'silent' })).child({ bus: 'redis', node: self.node, slot: self.slot });
        this.rejections = new RejectionLog(this.log, this.counts);
        const common = {
            ...SETTLE_ON_CLOSE,
            lazyConnect: true, // start() connects, so a constructor never opens sockets
            retryStrategy: options.retryDelay ?? defaultRetryDelay,
            connectTimeout: 5000, // a black-holed Redis counts as down after 5 s, then the retries begin
        };
        const id = `${self.node}:${self.slot}`;
        this.url = options.url;
        this.clientOptions = {
            publisher: {
                ...common,
                connectionName: `${prefix}:pub:${id}`,
                enableOfflineQueue: false, // send() fails at once during an outage, never queues
                autoResendUnfulfilledCommands: false, // a publish cut off mid-flight may have gone out: no duplicate
                enableAutoPipelining: true, // publishes of one event-loop turn leave in one write, in order
            },
            subscriber: {
                ...common,
                connectionName: `${prefix}:sub:${id}`,
                enableOfflineQueue: false, // nothing is sent but SUBSCRIBE and PING, both only when ready
                autoResubscribe: false, // subscribe() on every 'ready' instead (see the class comment)
            },
        };
        this.probeOptions = { intervalMs: options.probeIntervalMs ?? DEFAULT_PROBE_INTERVAL_MS, timeoutMs: options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS };
        this.startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
        this.pub = this.open('publisher');
        this.sub = this.open('subscriber');
    }
    /** True while the publisher is up and our subscription stands: only then are sends accepted. */
    get ready() {
        return !this.closed && this.pubUp && this.subscribed && this.pub.status === 'ready' && this.sub.status === 'ready';
    }
    stats() {
        return { ...this.counts };
    }
    /**
     * Connects both connections and subscribes; resolves once the bus is ready. Rejects
     * (ERR_BUS_CONNECT) if the first attempt fails or readiness takes longer than startTimeoutMs,
     * but the bus is not closed then: it goes on reconnecting and becomes ready by itself.
     */
    async start() {
        if (this.started)
            throw new BusError('ERR_BUS_STATE', 'RedisBus.start() called twice');
        this.started = true;
        for (const p of this.probes.values())
            p.start();
        let timer;
        try {
            const ready = new Promise((resolve, reject) => {
                this.readyWaiters.push(resolve);
                timer = setTimeout(() => reject(new BusError('ERR_BUS_CONNECT', `not ready within ${this.startTimeoutMs} ms`)), this.startTimeoutMs);
            });
            await Promise.all([this.pub.connect(), this.sub.connect(), ready]);
        }
        catch (err) {
            throw new BusError('ERR_BUS_CONNECT', `redis bus could not start (it keeps reconnecting): ${err.message}`);
        }
        finally {
            clearTimeout(timer);
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
        for (const p of this.probes.values())
            p.stop();
        // What was published goes out before QUIT: ioredis's auto-pipeline holds the publishes made
        // while a batch awaits its replies, and QUIT, never pipelined, would overtake (and lose)
        // them — a reload's old worker lost its last replies so.
        await settledWithin(this.lastPublish, CLOSE_FLUSH_MS);
        await Promise.all([quit(this.pub), quit(this.sub)]);
        this.log.info('redis bus closed');
    }
    /**
     * 'down' or 'congested', synchronously, whenever the message cannot be handed to Redis now.
     * The budget counts what a publish really holds until Redis replies (publishCost): counting
     * the payload alone let 1,000,000 small pushes in one loop take 2.9 GB under a 32 MiB cap.
     * One publish always goes when nothing is pending (a message larger than the budget too).
     */
    publish(channel, msg) {
        if (!this.ready)
            return this.refuse();
        const mac = this.mac;
        const payload = encodeEnvelope(this.self, msg, mac === null ? 0 : TRAILER_BYTES);
        const cost = publishCost(payload.length, channel.length);
        if (this.pendingBytes > 0 && this.pendingBytes + cost > this.maxPendingBytes)
            return this.refuse('congested');
        if (mac !== null)
            mac.sign(payload, this.idOf(channel));
        this.counts.published++;
        const epoch = this.epoch;
        this.pendingBytes += cost;
        const settle = () => {
            if (epoch === this.epoch)
                this.pendingBytes -= cost;
        };
        this.lastPublish = (this.sharded ? this.pub.spublish(channel, payload) : this.pub.publish(channel, payload)).then(settle, (err) => {
            settle();
            // Usually the connection dropping (logged already); an error reply (ACL, MOVED) is not.
            if (err.message === this.lastPublishError)
                return;
            this.lastPublishError = err.message;
            this.log.warn({ err: err.message, channel }, 'redis bus publish failed');
        });
        return 'ok';
    }
    /**
     * Resolves once every publish made so far has been answered by Redis (or failed): one
     * publisher connection, answered in order, so the last one's answer covers them all. A
     * reload's old worker waits on it before a moved connection's input runs in its replacement,
     * whose publishes go on another connection: without it a client's message handled in the new
     * worker could reach Redis before one it sent earlier, handled in the old worker.
     */
    flushed() {
        return this.lastPublish;
    }
    /** A refused send and why: 'down' (no publisher, closed, bad address) or 'congested'. */
    refuse(reason = 'down') {
        this.counts.refused++;
        if (reason === 'congested')
            this.counts.congested++;
        return reason;
    }
    /** The MAC's id of a channel we send on (made once per channel). */
    idOf(channel) {
        return channel === this.allChannel ? this.allChannelId : this.channelIds.of(channel);
    }
    receive(channel, signed) {
        if (this.closed)
            return;
        let payload = signed;
        if (this.mac !== null) {
            const id = channel.equals(this.allChannelBuf) ? this.allChannelId : this.ownChannelId;
            // Only our two channels are subscribed; the id of the one it came on binds the MAC.
            const opened = this.mac.open(signed, id);
            if (typeof opened === 'string')
                return this.rejections.reject(channel.toString(), signed.length, opened);
            payload = opened;
        }
        const envelope = decodeEnvelope(payload);
        if (!envelope) {
            this.counts.malformed++;
            this.log.warn({ channel: channel.toString(), bytes: payload.length }, 'undecodable bus message dropped');
            return;
        }
        const via = channel.equals(this.allChannelBuf) ? 'broadcast' : 'direct';
        // This node's broadcasts: the embedded bus brought them (a reload's marker to ourselves excepted).
        if (via === 'broadcast' && envelope.from.node === this.self.node && !isOwnCutMarker(envelope.msg, envelope.from, this.self))
            return;
        const handler = this.onMessage;
        if (!handler)
            return;
        this.counts.received++;
        try {
            handler(envelope.msg, envelope.from, via);
        }
        catch (err) {
            // The handler's bug, not the bus's: log it and keep the subscriber alive.
            this.log.error({ err, kind: envelope.msg.kind }, 'bus message handler threw');
        }
    }
    /** A connection for `role`, with its listeners and watchdog (connected now if the bus runs). */
    open(role, downSince = 0) {
        const client = new Redis(this.url, this.clientOptions[role]);
        this.watch(client, role, downSince);
        if (role === 'subscriber')
            client.on(this.sharded ? 'smessageBuffer' : 'messageBuffer', (channel, payload) => this.receive(channel, payload));
        const probe = new ConnectionProbe(client, { ...this.probeOptions, onWedged: (silentMs) => this.replace(role, silentMs) });
        this.probes.set(role, probe);
        if (this.started && !this.closed) {
            probe.start();
            client.connect().catch(() => { }); // failures are 'error' events; the back-off retries
        }
        return client;
    }
    /**
     * The watchdog found `role`'s connection ready but silent. A reconnect would not do: what
     * ioredis left unsettled (a stuck auto-pipeline) stays with the client object, so it is
     * thrown away and a new one made; sends are refused until the new one is up.
     */
    replace(role, silentMs) {
        if (this.closed)
            return;
        this.log.error({ role, silentMs }, `redis bus ${role} wedged (ready, but no reply): replaced by a new connection`);
        this.probes.get(role)?.stop();
        const old = role === 'publisher' ? this.pub : this.sub;
        old.removeAllListeners();
        old.on('error', () => { });
        old.disconnect();
        if (role === 'publisher') {
            this.pubUp = false;
            this.epoch++;
            this.pendingBytes = 0;
            this.pub = this.open(role, Date.now() - silentMs);
        }
        else {
            this.subscribed = false;
            this.subEpoch++;
            this.sub = this.open(role, Date.now() - silentMs);
        }
    }
    /** Error listeners always set; one log line per state change, repeated failures once. */
    watch(client, role, downSince) {
        let lastError = '';
        client.on('error', (err) => {
            if (err.message === lastError)
                return;
            lastError = err.message;
            this.log.warn({ role, err: err.message }, `redis bus ${role} error`);
        });
        client.on('close', () => {
            if (role === 'publisher') {
                this.pubUp = false;
                this.epoch++;
                this.pendingBytes = 0;
            }
            else {
                this.subscribed = false;
                this.subEpoch++;
            }
            if (downSince || this.closed)
                return;
            downSince = Date.now();
            this.log.warn({ role }, `redis bus ${role} connection lost`);
        });
        client.on('reconnecting', (delayMs) => this.log.debug({ role, delayMs }, `redis bus ${role} reconnecting`));
        client.on('ready', () => {
            lastError = '';
            if (this.closed)
                return;
            const downMs = downSince ? Date.now() - downSince : null;
            if (role === 'subscriber')
                return this.subscribe(downMs, () => (downSince = 0));
            downSince = 0;
            this.pubUp = true;
            if (downMs !== null) {
                this.lastPublishError = '';
                this.log.info({ role, downMs }, 'redis bus publisher reconnected');
            }
            this.wakeIfReady();
        });
    }
    /**
     * SUBSCRIBE on the subscriber's current connection; it counts as up once Redis confirms. An
     * error reply (ACL, MOVED) drops the connection, so the next attempt follows the back-off.
     */
    subscribe(downMs, recovered) {
        const epoch = this.subEpoch;
        const channels = this.broadcasts ? [this.ownChannel, this.allChannel] : [this.ownChannel];
        (this.sharded ? this.sub.ssubscribe(...channels) : this.sub.subscribe(...channels)).then(() => {
            if (epoch !== this.subEpoch || this.closed)
                return; // that connection is gone already
            this.subscribed = true;
            recovered();
            if (downMs === null)
                this.log.info({ channels, sharded: this.sharded }, 'redis bus subscribed');
            else
                this.log.info({ role: 'subscriber', downMs }, 'redis bus subscriber reconnected and resubscribed');
            this.wakeIfReady();
        }, (err) => {
            if (epoch !== this.subEpoch || this.closed)
                return; // dropped meanwhile: the next 'ready' subscribes
            this.log.warn({ err: err.message, channels }, 'redis bus subscribe refused: reconnecting');
            this.sub.disconnect(true);
        });
    }
    /** Resolves start()'s wait once the bus is ready. */
    wakeIfReady() {
        if (!this.ready || this.readyWaiters.length === 0)
            return;
        for (const wake of this.readyWaiters.splice(0))
            wake();
    }
}
/** A worker's address (node < MAX_NODES) or an emitter's (node MAX_NODES..0xffff, the rest of
 * the envelope's u16: replies to an emitter's calls go there, see src/emitter/). */
export function isAddress(a) {
    return Number.isInteger(a.node) && a.node >= 0 && a.node <= MAX_EMITTER_NODE && Number.isInteger(a.slot) && a.slot >= 0 && a.slot < MAX_SLOTS;
}
/** Resolves once `p` settled or after `ms`, whichever comes first. */
export async function settledWithin(p, ms) {
    let timer;
    await Promise.race([p.then(() => { }, () => { }), new Promise((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
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