import { Redis } from 'ioredis';
import { pino } from 'pino';
import { BusError } from '../errors.js';
import { SETTLE_ON_CLOSE } from '../redis-health.js';
import { checkPrefixName, ClusterKeys } from '../redis-keys.js';
import { endpointOptions } from '../redis-target.js';
import { decodeEnvelope, encodeEnvelope } from './codec.js';
import { isOwnCutMarker } from './cut-marker.js';
import { BusMac, ChannelIds, RejectionLog, TRAILER_BYTES } from './mac.js';
import { CLOSE_FLUSH_MS, DEFAULT_MAX_PENDING_BYTES, isAddress, publishCost, settledWithin } from './redis-bus.js';
import { fetchShardMap, keySlot, ShardMap } from './shard-map.js';
import { SEQ_BYTES, StreamJudge, StreamStamper } from './stream-order.js';
const DEFAULT_PROBE_INTERVAL_MS = 200;
/** Four probe intervals: a loaded Redis answers a probe far sooner; a failover's silence is caught within a second. */
const DEFAULT_PROBE_TIMEOUT_MS = 800;
const DEFAULT_REFRESH_INTERVAL_MS = 5000;
const DEFAULT_START_TIMEOUT_MS = 10_000;
/** A failed map read or link is retried after 25 ms doubling to this: a promoted replica or a restarted cluster is
 * found within it (a kill -9's failover must be followed within 2T + 1.5 s of the kill). */
const MAX_RETRY_MS = 250;
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
export class RedisClusterBus {
    self;
    onMessage = null;
    /** Broadcasts and messages to this worker in one order: only when both channels hash to one
     * slot (one subscription). Otherwise a reload cuts each apart (bus-handover.ts). */
    broadcastsInOrder;
    /** Each publishing link's latest publish (answered in order per link): see flushed(). */
    lastPublishes = new Map();
    keys;
    seeds;
    log;
    maxPendingBytes;
    probeIntervalMs;
    probeTimeoutMs;
    refreshIntervalMs;
    startTimeoutMs;
    mac;
    stamper = new StreamStamper();
    judge = new StreamJudge();
    ownChannel;
    allChannel;
    /** What we subscribe to, by slot: the channels of that slot and its probe channel. */
    wanted = new Map();
    channelIds = new ChannelIds();
    pubLinks = new Map();
    subLinks = new Map();
    map = ShardMap.EMPTY;
    refreshing = null;
    refreshAgain = false;
    retryDelay = 0;
    retryTimer = null;
    tickTimer = null;
    lastRefresh = 0;
    pendingBytes = 0;
    readyWaiters = [];
    counts = { published: 0, refused: 0, congested: 0, received: 0, malformed: 0, unauthenticated: 0, stale: 0, resubscribes: 0, probes: 0, refreshes: 0 };
    rejections;
    lastPublishError = '';
    /** Links to each master that failed in a row (reset when one comes up): the back-off of the next try. */
    failures = new Map();
    started = false;
    closed = false;
    constructor(options) {
        const { self } = options;
        if (!isAddress(self))
            throw new RangeError(`bus address out of range: ${self.node}/${self.slot}`);
        checkPrefixName(options.prefix, 'bus');
        if (options.seeds.length === 0)
            throw new RangeError('a Redis Cluster bus needs at least one seed');
        this.self = { node: self.node, slot: self.slot };
        this.keys = ClusterKeys.of(options.prefix, false, true);
        this.seeds = options.seeds;
        this.log = (options.log ?? pino({ level: 'silent' })).child({ bus: 'redis-cluster', node: self.node, slot: self.slot });
        this.rejections = new RejectionLog(this.log, this.counts);
        this.maxPendingBytes = options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES;
        this.probeIntervalMs = options.probeIntervalMs ?? DEFAULT_PROBE_INTERVAL_MS;
        this.probeTimeoutMs = options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
        this.refreshIntervalMs = options.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS;
        this.startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
        this.mac = options.secret === undefined ? null : new BusMac(options.secret);
        this.ownChannel = this.keys.workerChannel(this.self);
        this.allChannel = this.keys.broadcastChannel;
        this.broadcastsInOrder = keySlot(this.ownChannel) === keySlot(this.allChannel);
        this.want(this.ownChannel, this.keys.nodePrefix(this.self.node));
        if (options.broadcasts ?? true)
            this.want(this.allChannel, this.keys.prefix);
    }
    /** Every subscription confirmed and a publisher up to every master (a send may go to any). */
    get ready() {
        if (this.closed || this.subLinks.size < this.wanted.size || this.pubLinks.size === 0)
            return false;
        for (const link of this.subLinks.values())
            if (!link.up)
                return false;
        for (const link of this.pubLinks.values())
            if (!link.up)
                return false;
        return true;
    }
    stats() {
        return { ...this.counts, ...this.judge.counts };
    }
    /** Reads the map, connects, subscribes; resolves once ready. Rejects after startTimeoutMs
     * (ERR_BUS_CONNECT) but goes on trying: the bus becomes ready by itself. */
    async start() {
        if (this.started)
            throw new BusError('ERR_BUS_STATE', 'RedisClusterBus.start() called twice');
        this.started = true;
        this.tickTimer = setInterval(() => this.tick(), Math.max(20, Math.floor(this.probeIntervalMs / 2)));
        this.tickTimer.unref();
        this.refresh('start');
        let timer;
        try {
            await new Promise((resolve, reject) => {
                this.readyWaiters.push(resolve);
                timer = setTimeout(() => reject(new BusError('ERR_BUS_CONNECT', `redis cluster bus not ready within ${this.startTimeoutMs} ms (it keeps trying)`)), this.startTimeoutMs);
            });
        }
        finally {
            clearTimeout(timer);
        }
    }
    send(to, msg) {
        if (!isAddress(to))
            return this.refuse();
        return this.publish(this.keys.workerChannel(to), msg);
    }
    broadcast(msg) {
        return this.publish(this.allChannel, msg);
    }
    async close() {
        if (this.closed)
            return;
        this.closed = true;
        if (this.tickTimer)
            clearInterval(this.tickTimer);
        if (this.retryTimer)
            clearTimeout(this.retryTimer);
        // What was published reaches Redis before the links go (as RedisBus.close: ioredis's
        // auto-pipeline may still hold it); bounded, a hung master does not hold an exit.
        await settledWithin(this.flushed(), CLOSE_FLUSH_MS);
        for (const link of [...this.pubLinks.values(), ...this.subLinks.values()])
            this.drop(link);
        this.pubLinks.clear();
        this.subLinks.clear();
        this.log.info('redis cluster bus closed');
    }
    want(channel, tagPrefix) {
        const slot = keySlot(channel);
        const entry = this.wanted.get(slot);
        if (entry)
            entry.channels.push(channel);
        else
            this.wanted.set(slot, { channels: [channel], probe: this.keys.probeChannel(tagPrefix, this.self) });
    }
    // ---- sending -------------------------------------------------------------------------------
    publish(channel, msg) {
        if (this.closed)
            return this.refuse();
        const master = this.map.masterOf(keySlot(channel));
        const link = master ? this.pubLinks.get(master.id) : undefined;
        if (!link || !link.up) {
            this.refresh('no publisher for a slot');
            return this.refuse();
        }
        const mac = this.mac;
        const tail = SEQ_BYTES + (mac === null ? 0 : TRAILER_BYTES);
        const payload = encodeEnvelope(this.self, msg, tail);
        const cost = publishCost(payload.length, channel.length);
        if (this.pendingBytes > 0 && this.pendingBytes + cost > this.maxPendingBytes)
            return this.refuse('congested');
        this.stamper.stamp(payload, payload.length - tail, channel);
        if (mac !== null)
            mac.sign(payload, this.channelIds.of(channel));
        this.counts.published++;
        this.pendingBytes += cost;
        link.pending += cost;
        const settle = () => {
            if (link.dead)
                return; // its bytes were given back when it was dropped
            link.pending -= cost;
            this.pendingBytes -= cost;
        };
        const last = link.client.spublish(channel, payload).then(settle, (err) => {
            settle();
            if (/^(MOVED|ASK|CLUSTERDOWN|TRYAGAIN|READONLY)/.test(err.message))
                this.refresh(`publish answered ${err.message.split(' ')[0]}`);
            if (err.message === this.lastPublishError)
                return;
            this.lastPublishError = err.message;
            this.log.warn({ err: err.message, channel }, 'redis cluster bus publish failed (lost, not retried)');
        });
        this.lastPublishes.set(link, last);
        void last.then(() => this.lastPublishes.get(link) === last && this.lastPublishes.delete(link));
        return 'ok';
    }
    /** Resolves once every publish made so far has been answered (or failed): as RedisBus.flushed(), per publishing link. */
    flushed() {
        return Promise.all(this.lastPublishes.values()).then(() => undefined);
    }
    refuse(reason = 'down') {
        this.counts.refused++;
        if (reason === 'congested')
            this.counts.congested++;
        return reason;
    }
    // ---- receiving -----------------------------------------------------------------------------
    receive(link, channelBuf, signed) {
        if (this.closed || link.dead)
            return;
        link.heardAt = Date.now();
        const channel = channelBuf.toString();
        if (channel === link.probe)
            return;
        let payload = signed;
        if (this.mac !== null) {
            const opened = this.mac.open(signed, this.channelIds.of(channel));
            if (typeof opened === 'string')
                return this.rejections.reject(channel, signed.length, opened);
            payload = opened;
        }
        if (payload.length < SEQ_BYTES)
            return this.malformed(channel, payload.length);
        const at = payload.length - SEQ_BYTES;
        const epoch = payload.readUInt32BE(at);
        const seq = payload.readUInt32BE(at + 4);
        const envelope = decodeEnvelope(payload.subarray(0, at));
        if (!envelope)
            return this.malformed(channel, payload.length);
        const via = channel === this.allChannel ? 'broadcast' : 'direct';
        // This node's broadcasts: the embedded bus brought them (a reload's marker to ourselves excepted).
        if (via === 'broadcast' && envelope.from.node === this.self.node && !isOwnCutMarker(envelope.msg, envelope.from, this.self))
            return;
        const { verdict, missed } = this.judge.judge(`${envelope.from.node}:${envelope.from.slot}|${channel}`, epoch, seq);
        if (verdict === 'gap')
            this.log.warn({ event: 'bus-gap', channel, from: envelope.from, missed, seq }, 'bus messages lost (sequence gap)');
        else if (verdict === 'duplicate' || verdict === 'reordered') {
            this.log.warn({ event: `bus-${verdict}`, channel, from: envelope.from, seq }, `bus message ${verdict === 'duplicate' ? 'duplicated' : 'arrived after a later one'}: dropped`);
            return;
        }
        const handler = this.onMessage;
        if (!handler)
            return;
        this.counts.received++;
        try {
            handler(envelope.msg, envelope.from, via);
        }
        catch (err) {
            this.log.error({ err, kind: envelope.msg.kind }, 'bus message handler threw');
        }
    }
    malformed(channel, bytes) {
        this.counts.malformed++;
        this.log.warn({ channel, bytes }, 'undecodable bus message dropped');
    }
    // ---- the map and the links -------------------------------------------------------------------
    /** refresh() after `delayMs` (at once for 0); one pending retry at a time. */
    refreshLater(why, delayMs) {
        if (delayMs <= 0)
            return this.refresh(why);
        if (this.retryTimer || this.closed)
            return;
        this.retryTimer = setTimeout(() => {
            this.retryTimer = null;
            this.refresh(why);
        }, delayMs);
        this.retryTimer.unref();
    }
    /** Reads the slot map again (one read at a time; a request during one runs another after it). */
    refresh(why) {
        if (this.closed || !this.started)
            return;
        if (this.refreshing) {
            this.refreshAgain = true;
            return;
        }
        if (this.retryTimer)
            return; // a retry is already scheduled
        this.refreshing = this.readMap(why).finally(() => {
            this.refreshing = null;
            if (this.refreshAgain) {
                this.refreshAgain = false;
                this.refresh('asked again during a read');
            }
        });
    }
    async readMap(why) {
        const candidates = [...this.map.masters().values()].map((m) => m.endpoint);
        for (const s of this.seeds)
            if (!candidates.some((c) => c.host === s.host && c.port === s.port))
                candidates.push(s);
        // Start somewhere else each time: a dead master first in the list would cost every read its timeout.
        const start = this.counts.refreshes % candidates.length;
        const order = [...candidates.slice(start), ...candidates.slice(0, start)];
        try {
            const map = await fetchShardMap(order, this.seeds[0], 500);
            if (this.closed)
                return;
            this.counts.refreshes++;
            this.lastRefresh = Date.now();
            this.map = map;
            this.log.debug({ why, masters: [...map.masters().keys()] }, 'slot map read');
            this.place();
            this.retryDelay = 0;
        }
        catch (err) {
            if (this.closed)
                return;
            this.retryDelay = Math.min(MAX_RETRY_MS, Math.max(25, this.retryDelay * 2));
            this.log.debug({ why, err: err.message, retryMs: this.retryDelay }, 'slot map not read: retrying');
            this.refreshLater(why, this.retryDelay);
        }
    }
    /** Moves the links to where the map says: a publisher per master, each subscription on its slot's master. */
    place() {
        const masters = this.map.masters();
        for (const [id, link] of this.pubLinks) {
            if (!masters.has(id) || link.dead) {
                this.drop(link);
                this.pubLinks.delete(id);
            }
        }
        for (const [id, master] of masters)
            if (!this.pubLinks.has(id))
                this.pubLinks.set(id, this.openPub(master));
        for (const [slot, want] of this.wanted) {
            const master = this.map.masterOf(slot);
            const link = this.subLinks.get(slot);
            if (link && !link.dead && master && link.master.id === master.id)
                continue;
            if (link) {
                this.drop(link);
                this.subLinks.delete(slot);
            }
            if (!master)
                continue;
            this.subLinks.set(slot, this.openSub(master, slot, want.channels, want.probe, link !== undefined));
        }
    }
    clientFor(master, role) {
        const options = {
            ...endpointOptions(master.endpoint),
            ...SETTLE_ON_CLOSE,
            lazyConnect: true,
            retryStrategy: () => null, // no reconnect of its own: a lost link is replaced where the map says
            enableOfflineQueue: false,
            connectTimeout: 1000,
            autoResubscribe: false,
            autoResendUnfulfilledCommands: false,
            enableAutoPipelining: role === 'pub',
            connectionName: `${this.keys.prefix}:${role}:${this.self.node}:${this.self.slot}`,
        };
        const client = new Redis(options);
        return client;
    }
    openPub(master) {
        const link = { master, client: this.clientFor(master, 'pub'), up: false, dead: false, pending: 0 };
        const { client } = link;
        client.on('error', (err) => this.log.debug({ err: err.message, master: master.id }, 'publisher error'));
        client.on('ready', () => {
            if (link.dead)
                return;
            link.up = true;
            this.failures.delete(master.id);
            this.lastPublishError = '';
            this.wakeIfReady();
        });
        client.on('close', () => this.lost(link, 'publisher connection closed'));
        client.connect().catch(() => { }); // a failure closes it: lost() follows
        return link;
    }
    openSub(master, slot, channels, probe, again) {
        const link = { master, client: this.clientFor(master, 'sub'), up: false, dead: false, slot, channels, probe, heardAt: Date.now(), probedAt: 0 };
        const { client } = link;
        if (again)
            this.counts.resubscribes++;
        client.on('error', (err) => this.log.debug({ err: err.message, master: master.id }, 'subscriber error'));
        client.on('smessageBuffer', (channel, payload) => this.receive(link, channel, payload));
        // ioredis turns the server's unsolicited `sunsubscribe` (slot moved, master demoted) into 'moved'.
        client.on('moved', () => this.lost(link, 'the server unsubscribed us (slot moved or master demoted)'));
        client.on('close', () => this.lost(link, 'subscriber connection closed'));
        client.on('ready', () => {
            if (link.dead)
                return;
            client.ssubscribe(...channels, probe).then(() => {
                if (link.dead)
                    return;
                link.up = true;
                this.failures.delete(master.id);
                link.heardAt = Date.now();
                this.log.info({ event: again ? 'bus-resubscribed' : 'bus-subscribed', master: master.id, channels }, again ? 'redis cluster bus resubscribed' : 'redis cluster bus subscribed');
                this.wakeIfReady();
            }, (err) => this.lost(link, `SSUBSCRIBE refused: ${err.message}`));
        });
        client.connect().catch(() => { });
        return link;
    }
    /** A link failed: it is dropped and the map read again (links are placed anew after it). */
    lost(link, why) {
        if (link.dead || this.closed)
            return;
        const wasUp = link.up;
        this.drop(link);
        if (wasUp)
            this.log.warn({ event: 'bus-link-lost', master: link.master.id, why }, 'redis cluster bus link lost');
        // A master that keeps failing (killed, not failed over yet) is tried again after 25 ms doubling to MAX_RETRY_MS.
        const failed = this.failures.get(link.master.id) ?? 0;
        this.failures.set(link.master.id, failed + 1);
        this.refreshLater(why, failed === 0 ? 0 : Math.min(MAX_RETRY_MS, 25 * 2 ** (failed - 1)));
    }
    drop(link) {
        if (link.dead)
            return;
        link.dead = true;
        link.up = false;
        if ('pending' in link) {
            this.pendingBytes -= link.pending;
            link.pending = 0;
        }
        // disconnect() only: its pending commands settle (SETTLE_ON_CLOSE); listeners stay, guarded by `dead`.
        link.client.disconnect();
    }
    /** Probes idle subscriptions, replaces silent ones, re-reads the map now and then. */
    tick() {
        if (this.closed)
            return;
        const now = Date.now();
        for (const link of this.subLinks.values()) {
            if (!link.up || link.dead)
                continue;
            const silent = now - link.heardAt;
            if (silent >= this.probeTimeoutMs) {
                this.lost(link, `silent for ${silent} ms (probes not coming back)`);
                continue;
            }
            if (silent >= this.probeIntervalMs && now - link.probedAt >= this.probeIntervalMs) {
                const pub = this.pubLinks.get(link.master.id);
                link.probedAt = now;
                if (!pub?.up)
                    continue;
                this.counts.probes++;
                pub.client.spublish(link.probe, '').catch(() => { });
            }
        }
        if (now - this.lastRefresh >= this.refreshIntervalMs) {
            this.lastRefresh = now;
            this.refresh('periodic');
        }
        else if ([...this.wanted.keys()].some((slot) => !this.subLinks.get(slot) || this.subLinks.get(slot).dead)) {
            this.refresh('a subscription is missing');
        }
    }
    wakeIfReady() {
        if (!this.ready || this.readyWaiters.length === 0)
            return;
        for (const wake of this.readyWaiters.splice(0))
            wake();
    }
}
//# sourceMappingURL=redis-cluster-bus.js.map