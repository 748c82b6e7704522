/**
 * `switchyard/emitter`: push to a Switchyard cluster from any Node process that can reach its
 * Redis (a cron job, an HTTP API, a queue consumer) without being a worker, as
 * `@socket.io/redis-emitter` does for socket.io:
 *
 *   const emitter = new Emitter({ redis: 'redis://127.0.0.1:6379', clusterName: 'chat' });
 *   await emitter.ready();
 *   emitter.push(fd, 'hello');
 *   await emitter.close();
 *
 * It publishes the very messages a worker publishes (the envelope of src/shared/bus/codec.ts,
 * bodies of the cluster operations of src/worker/cluster/cluster-ops.ts) on the same channels
 * (src/shared/redis-keys.ts), through the same RedisBus: plain or sharded pub/sub, signed with
 * the cluster's bus secret when it has one. Only the wire forms are imported from the worker
 * (cluster-ops.ts, op-kit.ts, payload.ts) and its request map (router.ts): no Server, no
 * sockets, no processes (test/architecture.test.ts checks it).
 *
 * Its address. A worker's is (node 0..4095, slot 0..255); a reply to a call goes to the
 * caller's address. An emitter takes one from the rest of the envelope's u16 node field:
 * node 4096..65535 with a slot, numbered by INCR of P:emitter-seq (redis-keys.ts), so no
 * worker and no other live emitter has it (the numbering wraps after 15.7 million emitters:
 * two emitters share an address only if one lived through 15.7 million others). It subscribes
 * to that address's channel only (replies), never to the broadcast channel.
 */
import { pino } from 'pino';
import { RedisBus } from './shared/bus/redis-bus.js';
import { RedisClusterBus } from './shared/bus/redis-cluster-bus.js';
import { commandClient, resolveRedisTarget } from './shared/redis-target.js';
import { CloseCode } from './shared/protocol/constants.js';
import { checkCloseArguments } from './shared/protocol/frame-encoder.js';
import { CLUSTER_NAME, ClusterKeys } from './shared/redis-keys.js';
import { decodeFd, MAX_NODES, MAX_SLOTS } from './shared/session-id.js';
import { SETTINGS } from './shared/config-table.js';
import { RemoteCallError } from './shared/errors.js';
import { OPS } from './worker/cluster/cluster-ops.js';
import { MALFORMED, OpMessage } from './worker/cluster/op-kit.js';
import { opcodeFor, toList } from './worker/cluster/payload.js';
import { Router } from './worker/cluster/router.js';
/** The emitter's node numbers: after the workers' (MAX_NODES), up to the envelope's u16. */
const FIRST_EMITTER_NODE = MAX_NODES;
const EMITTER_ADDRESSES = (0x10000 - FIRST_EMITTER_NODE) * MAX_SLOTS;
/** A node found alive is not asked again for this long: a dead node's lease outlives it by up to
 * nodeTtlMs anyway, so a second more changes little and saves a round trip per pushAsync. */
const ALIVE_CACHE_MS = 1000;
const FAILURE = { ERR_UNREACHABLE: 'unreachable', ERR_CONGESTED: 'congested', ERR_TIMEOUT: 'timeout' };
const REMOTE_PUSH = { ok: 'forwarded', congested: 'congested', down: 'unreachable' };
/** The address of emitter number n (1-based, from INCR). */
export function emitterAddress(n) {
    const i = (n - 1) % EMITTER_ADDRESSES;
    return { node: FIRST_EMITTER_NODE + Math.floor(i / MAX_SLOTS), slot: i % MAX_SLOTS };
}
export class Emitter {
    options;
    keys;
    log;
    /** Commands (the address, node liveness): the bus's connections are pub/sub only. */
    client = null;
    bus = null;
    router = null;
    starting;
    /** Live nodes: until when they count as alive, and their worker count. */
    alive = new Map();
    closed = false;
    constructor(options) {
        if (typeof options.redis !== 'string' || options.redis === '')
            throw new TypeError('Emitter: redis must be a Redis URL');
        if (typeof options.clusterName !== 'string' || !CLUSTER_NAME.test(options.clusterName))
            throw new TypeError(`Emitter: clusterName must be ${SETTINGS.clusterName.patternHint}`);
        this.options = options;
        this.keys = ClusterKeys.of(options.clusterName, options.sharded ?? false);
        this.log = (options.log ?? pino({ level: 'silent' })).child({ role: 'emitter' });
        this.starting = this.start();
        this.starting.catch(() => { }); // ready() and pushAsync report it
    }
    /** Resolves once the emitter can publish (its address taken, the bus subscribed). Calls made
     * before then: push, broadcast and the like answer 'unreachable' / false; pushAsync waits. */
    ready() {
        return this.starting;
    }
    /** The emitter's address (after ready()): replies to its calls come to this node and slot. */
    get address() {
        return this.bus?.self ?? null;
    }
    async start() {
        const target = await resolveRedisTarget(this.options.redis, this.options.cluster ?? false);
        if (this.closed)
            return;
        this.keys = ClusterKeys.of(this.options.clusterName, this.options.sharded ?? false, target.cluster);
        const client = (this.client = commandClient(target, { lazyConnect: true, connectionName: `${this.keys.prefix}:emitter` }));
        client.on('error', (err) => this.log.debug({ err: err.message }, 'emitter connection error'));
        await client.connect();
        const n = await client.incr(this.keys.emitterSeq);
        if (this.closed)
            return;
        const self = emitterAddress(n);
        const common = { self, prefix: this.options.clusterName, secret: this.options.busSecret, broadcasts: false, log: this.log };
        const bus = target.cluster
            ? new RedisClusterBus({ ...common, seeds: target.seeds })
            : new RedisBus({ ...common, url: this.options.redis, sharded: this.options.sharded ?? false });
        this.bus = bus;
        this.router = new Router({
            self,
            embedded: null,
            redis: bus,
            handler: { serve: () => undefined }, // nobody calls an emitter
            log: this.log,
            timeoutMs: this.options.timeoutMs ?? SETTINGS.busTimeoutMs.default,
            maxPendingRequests: this.options.maxPendingRequests ?? SETTINGS.busMaxPendingRequests.default,
        });
        await bus.start();
        this.log.info({ node: self.node, slot: self.slot }, 'emitter ready');
    }
    /** Fire-and-forget push to session `fd`: 'forwarded' when the bus took it, 'congested' or
     * 'unreachable' when it could not (not ready, Redis down), 'unknown' for a malformed fd. */
    push(fd, data, opcode) {
        const op = opcodeFor(data, opcode);
        const to = ownerOf(fd);
        if (to === null)
            return 'unknown';
        const router = this.router;
        if (router === null || this.closed)
            return 'unreachable';
        return REMOTE_PUSH[router.send(to, new OpMessage(OPS.push, fd, data, op))];
    }
    /**
     * Push with the owner's outcome: 'written', 'queued', 'dropped' (its buffer full), 'closed',
     * 'unknown' (no such session; also at once for an fd whose node is not alive, or a slot
     * that node does not have), or why the owner could not be asked ('unreachable', 'congested',
     * 'timeout').
     */
    async pushAsync(fd, data, opcode) {
        const op = opcodeFor(data, opcode);
        const to = ownerOf(fd);
        if (to === null)
            return 'unknown';
        try {
            await this.starting;
        }
        catch {
            return 'unreachable';
        }
        const router = this.router;
        if (router === null || this.closed)
            return 'unreachable';
        let workers;
        try {
            workers = await this.workersOf(to.node);
        }
        catch {
            return 'unreachable'; // Redis down: nobody could be asked anyway
        }
        if (workers === null || to.slot >= workers)
            return 'unknown';
        let body;
        try {
            body = await router.request(to, new OpMessage(OPS.push, fd, data, op));
        }
        catch (err) {
            if (err instanceof RemoteCallError)
                return FAILURE[err.code];
            throw err;
        }
        const status = body.length === 0 ? MALFORMED : OPS.push.reply.read(body);
        return status === MALFORMED ? 'unreachable' : status;
    }
    /** Every session bound to `uid`, on every node. False when the bus could not take it. */
    pushToUid(uid, data, opcode) {
        return this.all(new OpMessage(OPS.pushToUid, String(uid), data, opcodeFor(data, opcode)));
    }
    /** Every session of the cluster, but `except`. */
    broadcast(data, options = {}) {
        return this.all(new OpMessage(OPS.broadcast, data, opcodeFor(data, options.opcode), { except: toList(options.except), room: undefined }));
    }
    /** The members of `room` on every node: `emitter.to('lobby').except(fd).push(data)`. */
    to(room) {
        const except = [];
        const target = {
            except: (fds) => {
                except.push(...toList(fds));
                return target;
            },
            push: (data, opcode) => this.all(new OpMessage(OPS.broadcast, data, opcodeFor(data, opcode), { except, room })),
        };
        return target;
    }
    /** Closes session `fd` with a close frame (code, reason), wherever it lives. Throws on a code
     * or reason no endpoint may send (as server.disconnect does); false when the bus could not take it. */
    disconnect(fd, code = CloseCode.Normal, reason = '') {
        checkCloseArguments(code, reason);
        const to = ownerOf(fd);
        const router = this.router;
        if (to === null || router === null || this.closed)
            return false;
        return router.send(to, new OpMessage(OPS.disconnect, fd, code, reason)) === 'ok';
    }
    /** Stops: calls awaiting an answer get 'unreachable', the connections are closed. */
    async close() {
        if (this.closed)
            return;
        this.closed = true;
        await this.starting.catch(() => { });
        this.router?.close();
        await this.bus?.close();
        // QUIT when connected; otherwise (Redis was down) stop the retries at once.
        const client = this.client;
        if (client?.status === 'ready')
            await client.quit().catch(() => client.disconnect());
        else
            client?.disconnect();
    }
    all(msg) {
        const bus = this.bus;
        return bus !== null && !this.closed && bus.broadcast(msg) === 'ok';
    }
    /** The worker count of node `id` while its lease exists (it is alive), else null. */
    async workersOf(id) {
        const now = Date.now();
        const cached = this.alive.get(id);
        if (cached !== undefined && cached.until > now)
            return cached.workers;
        const lease = this.client ? await this.client.get(this.keys.node(id)) : null;
        if (lease === null) {
            this.alive.delete(id);
            return null;
        }
        const workers = workersIn(lease);
        this.alive.set(id, { until: now + ALIVE_CACHE_MS, workers });
        return workers;
    }
}
/** The worker owning fd, or null for a value that is no fd. */
function ownerOf(fd) {
    const parts = decodeFd(fd);
    return parts === null ? null : { node: parts.node, slot: parts.slot };
}
/** A lease's worker count (node-registry.ts writes { token, info: { workers } }); every slot
 * counts as possible when it cannot be read. */
function workersIn(lease) {
    try {
        const workers = JSON.parse(lease).info?.workers;
        return typeof workers === 'number' && Number.isInteger(workers) && workers > 0 ? workers : MAX_SLOTS;
    }
    catch {
        return MAX_SLOTS;
    }
}
//# sourceMappingURL=emitter.js.map