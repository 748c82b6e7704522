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
import { RedisBus } from './shared/bus/redis-bus.ts';
import { RedisClusterBus } from './shared/bus/redis-cluster-bus.ts';
import { commandClient, resolveRedisTarget, type RedisCommands } from './shared/redis-target.ts';
import type { WorkerAddress } from './shared/bus/types.ts';
import type { Logger } from './shared/logger.ts';
import { CloseCode } from './shared/protocol/constants.ts';
import { checkCloseArguments } from './shared/protocol/frame-encoder.ts';
import { CLUSTER_NAME, ClusterKeys } from './shared/redis-keys.ts';
import { decodeFd, MAX_NODES, MAX_SLOTS } from './shared/session-id.ts';
import { SETTINGS } from './shared/config-table.ts';
import { RemoteCallError } from './shared/errors.ts';
import { OPS } from './worker/cluster/cluster-ops.ts';
import { MALFORMED, OpMessage, type CallFailure } from './worker/cluster/op-kit.ts';
import { opcodeFor, toList } from './worker/cluster/payload.ts';
import { Router } from './worker/cluster/router.ts';
import type { Data, PushCallFailure, RemotePushStatus, RoomTarget, ServerApi } from './worker/app-contract.ts';

export type { Data, PushCallFailure, RemotePushStatus, RoomTarget };
/** What pushAsync answers: the owner's PushStatus, or why it could not be asked (as server.pushAsync). */
export type PushAsyncOutcome = Awaited<ReturnType<ServerApi['pushAsync']>>;
/** What push answers: the bus's answer (as server.pushStatus for a remote fd), or 'unknown' for a value that is no fd. */
export type EmitterPushOutcome = RemotePushStatus | 'unknown';

export interface EmitterOptions {
  /** The cluster's Redis URL (--redis), or a Redis Cluster's seed URLs, comma-separated. */
  redis: string;
  /** The cluster's --redis-cluster: true skips asking Redis; unset, a Redis Cluster is detected (INFO cluster). */
  cluster?: boolean;
  /** The cluster's name (--cluster-name). */
  clusterName: string;
  /** The cluster's --redis-sharded: sharded pub/sub and the {name} hash-tagged prefix. */
  sharded?: boolean;
  /** The cluster's --bus-secret, when it has one: without it every message is dropped. */
  busSecret?: string;
  /** How long pushAsync waits for the owner's answer (default: busTimeoutMs's, 3000 ms). */
  timeoutMs?: number;
  /** Calls awaiting an answer at once; past it pushAsync answers 'congested' (default: busMaxPendingRequests's). */
  maxPendingRequests?: number;
  /** A pino logger (default: silent). */
  log?: Logger;
}

/** The emitter's node numbers: after the workers' (MAX_NODES), up to the envelope's u16. */
const FIRST_EMITTER_NODE = MAX_NODES;
const EMITTER_ADDRESSES = (0x10000 - FIRST_EMITTER_NODE) * MAX_SLOTS;
/** A node found alive is not asked again for this long: a dead node's lease outlives it by up to
 * nodeTtlMs anyway, so a second more changes little and saves a round trip per pushAsync. */
const ALIVE_CACHE_MS = 1000;

const FAILURE: Record<RemoteCallError['code'], CallFailure> = { ERR_UNREACHABLE: 'unreachable', ERR_CONGESTED: 'congested', ERR_TIMEOUT: 'timeout' };
const REMOTE_PUSH = { ok: 'forwarded', congested: 'congested', down: 'unreachable' } as const;

/** The address of emitter number n (1-based, from INCR). */
export function emitterAddress(n: number): WorkerAddress {
  const i = (n - 1) % EMITTER_ADDRESSES;
  return { node: FIRST_EMITTER_NODE + Math.floor(i / MAX_SLOTS), slot: i % MAX_SLOTS };
}

export class Emitter {
  private readonly options: EmitterOptions;
  private keys: ClusterKeys;
  private readonly log: Logger;
  /** Commands (the address, node liveness): the bus's connections are pub/sub only. */
  private client: RedisCommands | null = null;
  private bus: RedisBus | RedisClusterBus | null = null;
  private router: Router | null = null;
  private readonly starting: Promise<void>;
  /** Live nodes: until when they count as alive, and their worker count. */
  private readonly alive = new Map<number, { until: number; workers: number }>();
  private closed = false;

  constructor(options: EmitterOptions) {
    if (typeof options.redis !== 'string' || options.redis === '') throw new TypeError('Emitter: redis must be a Redis URL');
    if (typeof options.clusterName !== 'string' || !CLUSTER_NAME.test(options.clusterName)) throw new TypeError(`Emitter: clusterName must be ${SETTINGS.clusterName.patternHint}`);
    this.options = options;
    this.keys = ClusterKeys.of(options.clusterName, options.sharded ?? false);
    this.log = (options.log ?? pino({ level: 'silent' })).child({ role: 'emitter' });
    this.starting = this.start();
    this.starting.catch(() => {}); // ready() and pushAsync report it
  }

  /** Resolves once the emitter can publish (its address taken, the bus subscribed). Calls made
   * before then: push, broadcast and the like answer 'unreachable' / false; pushAsync waits. */
  ready(): Promise<void> {
    return this.starting;
  }

  /** The emitter's address (after ready()): replies to its calls come to this node and slot. */
  get address(): WorkerAddress | null {
    return this.bus?.self ?? null;
  }

  private async start(): Promise<void> {
    const target = await resolveRedisTarget(this.options.redis, this.options.cluster ?? false);
    if (this.closed) return;
    this.keys = ClusterKeys.of(this.options.clusterName, this.options.sharded ?? false, target.cluster);
    const client = (this.client = commandClient(target, { lazyConnect: true, connectionName: `${this.keys.prefix}:emitter` }));
    client.on('error', (err: Error) => this.log.debug({ err: err.message }, 'emitter connection error'));
    await client.connect();
    const n = await client.incr(this.keys.emitterSeq);
    if (this.closed) return;
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
  push(fd: number, data: Data, opcode?: number): EmitterPushOutcome {
    const op = opcodeFor(data, opcode);
    const to = ownerOf(fd);
    if (to === null) return 'unknown';
    const router = this.router;
    if (router === null || this.closed) return 'unreachable';
    return REMOTE_PUSH[router.send(to, new OpMessage(OPS.push, fd, data, op))];
  }

  /**
   * Push with the owner's outcome: 'written', 'queued', 'dropped' (its buffer full), 'closed',
   * 'unknown' (no such session; also at once for an fd whose node is not alive, or a slot
   * that node does not have), or why the owner could not be asked ('unreachable', 'congested',
   * 'timeout').
   */
  async pushAsync(fd: number, data: Data, opcode?: number): Promise<PushAsyncOutcome> {
    const op = opcodeFor(data, opcode);
    const to = ownerOf(fd);
    if (to === null) return 'unknown';
    try {
      await this.starting;
    } catch {
      return 'unreachable';
    }
    const router = this.router;
    if (router === null || this.closed) return 'unreachable';
    let workers: number | null;
    try {
      workers = await this.workersOf(to.node);
    } catch {
      return 'unreachable'; // Redis down: nobody could be asked anyway
    }
    if (workers === null || to.slot >= workers) return 'unknown';
    let body: Buffer;
    try {
      body = await router.request(to, new OpMessage(OPS.push, fd, data, op));
    } catch (err) {
      if (err instanceof RemoteCallError) return FAILURE[err.code];
      throw err;
    }
    const status = body.length === 0 ? MALFORMED : OPS.push.reply.read(body);
    return status === MALFORMED ? 'unreachable' : status;
  }

  /** Every session bound to `uid`, on every node. False when the bus could not take it. */
  pushToUid(uid: string | number, data: Data, opcode?: number): boolean {
    return this.all(new OpMessage(OPS.pushToUid, String(uid), data, opcodeFor(data, opcode)));
  }

  /** Every session of the cluster, but `except`. */
  broadcast(data: Data, options: { except?: number | number[]; opcode?: number } = {}): boolean {
    return this.all(new OpMessage(OPS.broadcast, data, opcodeFor(data, options.opcode), { except: toList(options.except), room: undefined }));
  }

  /** The members of `room` on every node: `emitter.to('lobby').except(fd).push(data)`. */
  to(room: string): RoomTarget {
    const except: number[] = [];
    const target: RoomTarget = {
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
  disconnect(fd: number, code: number = CloseCode.Normal, reason = ''): boolean {
    checkCloseArguments(code, reason);
    const to = ownerOf(fd);
    const router = this.router;
    if (to === null || router === null || this.closed) return false;
    return router.send(to, new OpMessage(OPS.disconnect, fd, code, reason)) === 'ok';
  }

  /** Stops: calls awaiting an answer get 'unreachable', the connections are closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.starting.catch(() => {});
    this.router?.close();
    await this.bus?.close();
    // QUIT when connected; otherwise (Redis was down) stop the retries at once.
    const client = this.client;
    if (client?.status === 'ready') await client.quit().catch(() => client.disconnect());
    else client?.disconnect();
  }

  private all(msg: OpMessage<unknown, unknown, unknown>): boolean {
    const bus = this.bus;
    return bus !== null && !this.closed && bus.broadcast(msg) === 'ok';
  }

  /** The worker count of node `id` while its lease exists (it is alive), else null. */
  private async workersOf(id: number): Promise<number | null> {
    const now = Date.now();
    const cached = this.alive.get(id);
    if (cached !== undefined && cached.until > now) return cached.workers;
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
function ownerOf(fd: number): WorkerAddress | null {
  const parts = decodeFd(fd);
  return parts === null ? null : { node: parts.node, slot: parts.slot };
}

/** A lease's worker count (node-registry.ts writes { token, info: { workers } }); every slot
 * counts as possible when it cannot be read. */
function workersIn(lease: string): number {
  try {
    const workers = (JSON.parse(lease) as { info?: { workers?: unknown } }).info?.workers;
    return typeof workers === 'number' && Number.isInteger(workers) && workers > 0 ? workers : MAX_SLOTS;
  } catch {
    return MAX_SLOTS;
  }
}
