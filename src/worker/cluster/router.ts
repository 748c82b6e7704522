import { RemoteCallError } from '../../shared/errors.ts';
import { BytesMessage } from '../../shared/bus/codec.ts';
import { worse, type Bus, type Incoming, type Outgoing, type SendResult, type WorkerAddress } from '../../shared/bus/types.ts';
import type { Logger } from '../../shared/logger.ts';
import { WorkerMeters, type TransportMeters } from '../../shared/metrics/worker-meters.ts';

/** A call awaiting its reply. Every call waits the same timeoutMs, so deadlines grow in
 * insertion order and one timer, armed for the oldest, expires them all (no timer per call). */
interface Waiting {
  resolve: (body: Buffer) => void;
  reject: (e: Error) => void;
  deadline: number;
  to: WorkerAddress;
  /** performance.now() when sent, and the transport's meters: the round trip is observed there. */
  sentAt: number;
  meters: TransportMeters;
}

/** BUS_FAILURES' slots (worker-meters.ts). */
const CONGESTED = 0;
const UNREACHABLE = 1;
const TIMEOUT = 2;

/** What the router runs on behalf of other workers: the cluster operations (ClusterCalls). */
export interface LocalHandler {
  /** Runs a call another worker made. For a request, the body of the reply (empty: the call
   * could not be run), which the router sends back. */
  serve(body: Buffer, from: WorkerAddress, wantsReply: boolean): Buffer | Promise<Buffer> | undefined;
}

const NO_ANSWER = Buffer.alloc(0);

/**
 * Routes operations on fds to the worker that owns them, by the fd alone (it encodes node and
 * slot, Swoole's session -> reactor mapping): same node -> the embedded bus, another node ->
 * the Redis bus. Requests that want an answer carry a `rid` and wait for the reply, bounded by
 * a timeout: a dead peer or a lost bus never leaves a caller hanging. What messages mean is
 * not its business: it carries bodies (cluster-ops.ts gives them meaning).
 */
export class Router {
  readonly self: WorkerAddress;
  private readonly embedded: Bus | null;
  private readonly redis: Bus | null;
  private readonly handler: LocalHandler;
  private readonly log: Logger;
  private readonly timeoutMs: number;
  private readonly maxPending: number;
  /** By rid, in the order sent: the first entry is the oldest (Map keeps insertion order). */
  private readonly waiting = new Map<number, Waiting>();
  private timer: NodeJS.Timeout | null = null;
  /** Starts at a random point: during a reload the old worker and its replacement share the
   * slot's Redis channel, and each must not take the other's replies for its own. */
  private nextRid = Math.floor(Math.random() * 2 ** 40);
  /** Per transport: messages sent, received, failed, and request round trips. */
  private readonly embeddedMeters: TransportMeters;
  private readonly redisMeters: TransportMeters;

  constructor(opts: { self: WorkerAddress; embedded: Bus | null; redis: Bus | null; handler: LocalHandler; log: Logger; timeoutMs: number; maxPendingRequests: number; meters?: WorkerMeters }) {
    this.self = opts.self;
    this.embedded = opts.embedded;
    this.redis = opts.redis;
    this.handler = opts.handler;
    this.log = opts.log;
    this.timeoutMs = opts.timeoutMs;
    this.maxPending = opts.maxPendingRequests;
    const meters = opts.meters ?? new WorkerMeters();
    const embeddedMeters = (this.embeddedMeters = meters.embedded);
    const redisMeters = (this.redisMeters = meters.redis);
    if (this.embedded) {
      this.embedded.onMessage = (msg: Incoming, from: WorkerAddress) => {
        embeddedMeters.received++;
        this.receive(msg, from);
      };
    }
    if (this.redis) {
      this.redis.onMessage = (msg: Incoming, from: WorkerAddress) => {
        redisMeters.received++;
        this.receive(msg, from);
      };
    }
  }

  isSelf(to: WorkerAddress): boolean {
    return to.node === this.self.node && to.slot === this.self.slot;
  }

  /** Fire-and-forget: 'ok' when a bus took the message (no bus to that node: 'down'). */
  send(to: WorkerAddress, msg: Outgoing): SendResult {
    const same = to.node === this.self.node;
    const bus = same ? this.embedded : this.redis;
    const result = bus === null ? 'down' : bus.send(to, msg);
    count(same ? this.embeddedMeters : this.redisMeters, result);
    return result;
  }

  /** Calls awaiting their answer (bounded by maxPendingRequests). */
  get pendingRequests(): number {
    return this.waiting.size;
  }

  /**
   * Request/response: resolves with the body of the owner's reply, rejects with a RemoteCallError.
   * At most maxPendingRequests wait at once: each holds its promise and caller until the answer
   * or busTimeoutMs, so calls to an owner that does not answer (a node that died without
   * leaving) must not pile up at the bus's drain rate.
   */
  request(to: WorkerAddress, msg: Outgoing): Promise<Buffer> {
    if (this.waiting.size >= this.maxPending) {
      return Promise.reject(new RemoteCallError('ERR_CONGESTED', `${this.waiting.size} calls already await an answer (maxPendingRequests)`));
    }
    const rid = ++this.nextRid;
    msg.kind = 'request';
    msg.rid = rid;
    const sent = this.send(to, msg);
    if (sent === 'congested') return Promise.reject(new RemoteCallError('ERR_CONGESTED', `the bus to worker ${to.node}/${to.slot} is congested`));
    if (sent === 'down') return Promise.reject(new RemoteCallError('ERR_UNREACHABLE', `worker ${to.node}/${to.slot} is unreachable`));
    const meters = to.node === this.self.node ? this.embeddedMeters : this.redisMeters;
    return new Promise((resolve, reject) => {
      this.waiting.set(rid, { resolve, reject, deadline: Date.now() + this.timeoutMs, to, sentAt: performance.now(), meters });
      this.timer ??= this.armTimer(this.timeoutMs);
    });
  }

  /** Every other worker of the cluster (this node over the embedded bus, others over Redis);
   * the worse outcome of the two buses. */
  broadcast(msg: Outgoing): SendResult {
    let result: SendResult = 'ok';
    if (this.embedded) result = worse(result, count(this.embeddedMeters, this.embedded.broadcast(msg)));
    if (this.redis) result = worse(result, count(this.redisMeters, this.redis.broadcast(msg)));
    return result;
  }

  /** Writes what the buses queued this turn now (see ClusterCalls.all). */
  flush(): void {
    this.embedded?.flush?.();
    this.redis?.flush?.();
  }

  private receive(msg: Incoming, from: WorkerAddress): void {
    if (msg.kind === 'reply') {
      const w = this.waiting.get(msg.rid);
      if (!w) return; // timed out already
      this.waiting.delete(msg.rid);
      w.meters.callSeconds.observe((performance.now() - w.sentAt) / 1000);
      w.resolve(Buffer.from(msg.body)); // the body is the bus's buffer: valid during this call only
      return;
    }
    const wantsReply = msg.kind === 'request';
    let result: Buffer | Promise<Buffer> | undefined;
    try {
      result = this.handler.serve(msg.body, from, wantsReply);
    } catch (err) {
      this.log.error({ err, op: msg.body[0] }, 'bus message failed');
      result = NO_ANSWER;
    }
    if (!wantsReply) return;
    const rid = msg.rid;
    if (!(result instanceof Promise)) return void this.send(from, new BytesMessage('reply', rid, result ?? NO_ANSWER));
    result.then(
      (body) => this.send(from, new BytesMessage('reply', rid, body)),
      (err: unknown) => {
        this.log.error({ err }, 'bus request failed');
        this.send(from, new BytesMessage('reply', rid, NO_ANSWER));
      },
    );
  }

  private armTimer(delayMs: number): NodeJS.Timeout {
    return setTimeout(() => this.expire(), delayMs);
  }

  /** Rejects the calls past their deadline (the oldest first), then waits for the next one. */
  private expire(): void {
    this.timer = null;
    const now = Date.now();
    for (const [rid, w] of this.waiting) {
      if (w.deadline > now) {
        this.timer = this.armTimer(w.deadline - now);
        return;
      }
      this.waiting.delete(rid);
      w.meters.failed[TIMEOUT]!++;
      w.reject(new RemoteCallError('ERR_TIMEOUT', `worker ${w.to.node}/${w.to.slot} did not answer within ${this.timeoutMs} ms`));
    }
  }

  /** Rejects everything still waiting (shutdown). */
  close(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (const [rid, w] of this.waiting) {
      w.reject(new RemoteCallError('ERR_UNREACHABLE', 'server stopping'));
      this.waiting.delete(rid);
    }
  }
}

/** A send's outcome in its transport's meters; returns it. */
function count(m: TransportMeters, result: SendResult): SendResult {
  if (result === 'ok') m.sent++;
  else m.failed[result === 'congested' ? CONGESTED : UNREACHABLE]!++;
  return result;
}
