/**
 * The HTTP side of `load:push`: autocannon POSTs `/push/:fd` to the live fds in turn, each body
 * "<id> <sentUs> <fd> ....." (padded to `size` bytes; sentUs from process.hrtime, the monotonic
 * clock every process here shares), and learns the fate of every id from its response:
 * accepted (2xx, `written` or `queued`), or refused with its reason (`404 unknown`,
 * `503 timeout`, `200 dropped`, ...), or no response at all (timed out, connection error, in
 * flight when the run ended). The response names the worker that took it, so each push is
 * known to be same-worker or cross-worker.
 *
 * autocannon tells a response's request only by order on its connection (HTTP/1.1 answers in
 * order, pipelined or not). Its public hooks do not link the two (setupRequest builds, the
 * `context` is reset between requests), so setupClient wraps each connection's queue of
 * pending requests (insert, terminate, clear) to carry the id along; the response's own `fd`
 * checks the pairing, and a mismatch is counted, never guessed.
 */
import { STATUS_CODES } from 'node:http';
import { createRequire } from 'node:module';
import { nodeOf, slotOf } from '../../src/shared/session-id.ts';

export interface PushPlan {
  host: string;
  port: number;
  token: string;
  fds: number[];
  /** Pushes per second over all connections; 0: as fast as they go. */
  rate: number;
  connections: number;
  pipelining: number;
  size: number;
  seconds: number;
  timeoutSeconds: number;
  /** First push id of this run (ids never repeat across runs). */
  firstId: number;
  /** Warm-up: bodies start with "w", nothing is tracked. */
  warm: boolean;
}

export const ACCEPTED = 1;
/** Sides of a push: the worker that took the POST vs the target fd's worker. */
export const SAME = 1;
export const CROSS = 2;

export interface PushRun {
  firstId: number;
  /** Requests written. */
  sent: number;
  /** Bodies built (ids handed out): equal to `sent`, or a request was built and not written. */
  built: number;
  /** Per id - firstId: 0 no response, ACCEPTED, k >= 2: refused or lost, reasons[k - 2]. */
  outcome: Uint8Array;
  reasons: string[];
  /** Per id - firstId: 0 unknown, SAME, CROSS. */
  side: Uint8Array;
  /** HTTP latency (ms, autocannon's clock) of every accepted push, and its side. */
  httpMs: Float64Array;
  httpSide: Uint8Array;
  responses: number;
  accepted: number;
  statusCodes: Record<string, number>;
  /** Responses by the worker that took them ("node/slot"). */
  responsesPerWorker: Record<string, number>;
  pairingErrors: number;
  elapsedSeconds: number;
  /** autocannon's own figures: its latency histogram keeps whole ms and corrects for coordinated omission. */
  autocannon: { latencyMs: { p50: number; p90: number; p99: number; max: number }; requestsPerSecond: { mean: number; min: number; max: number }; errors: number; timeouts: number; non2xx: number };
}

// autocannon ships no types: the little of its API used here.
interface PendingEntry {
  duration?: number;
  pushId?: number;
  pushFd?: number;
}
interface PendingQueue {
  pendingRequests: PendingEntry[];
  insertRequest(req: unknown): void;
  terminateRequest(): PendingEntry | undefined;
  clear(): void;
}
interface AcClient {
  destroyed: boolean;
  rate: number | undefined;
  reqsMadeThisSecond: number;
  rateInterval?: NodeJS.Timeout;
  pipelinedRequests: PendingQueue;
  _connect(): void;
  destroy(): void;
}
interface AcRequest {
  path?: string;
  body?: string;
}
interface Histogram {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  min: number;
}
interface AcResult {
  latency: Histogram;
  requests: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
}
/** The default app's answer to POST /push/:fd (anything else: the status code speaks). */
interface PushAnswer {
  fd?: unknown;
  status?: unknown;
  error?: unknown;
  worker?: unknown;
  node?: unknown;
}
interface AcInstance {
  stop(): void;
}
type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null, result: AcResult) => void) => AcInstance;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const nowUs = (): number => {
  const [s, ns] = process.hrtime();
  return Math.round(s * 1e6 + ns / 1e3);
};

/** A growable typed array. */
class Grow<T extends Uint8Array | Float64Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  ensure(n: number): void {
    if (n <= this.data.length) return;
    const next = this.make(Math.max(n, this.data.length * 2));
    next.set(this.data);
    this.data = next;
  }
  push(v: number): void {
    this.ensure(this.length + 1);
    this.data[this.length++] = v;
  }
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

export class PushDriver {
  /** Live counts, for progress lines. */
  sent = 0;
  responses = 0;
  accepted = 0;
  private built = 0;
  private lastId = -1;
  private lastFd = -1;
  private current: PendingEntry | null = null;
  private clearing: string | null = null;
  private readonly reasons = new Map<string, number>();
  private readonly outcome: Grow<Uint8Array>;
  private readonly side: Grow<Uint8Array>;
  private readonly httpMs = new Grow(new Float64Array(1 << 16), (n) => new Float64Array(n));
  private readonly httpSide = new Grow(new Uint8Array(1 << 16), (n) => new Uint8Array(n));
  private readonly statusCodes: Record<string, number> = {};
  private readonly perWorker: Record<string, number> = {};
  private pairingErrors = 0;
  private readonly pad: string;
  private instance: AcInstance | null = null;
  private readonly clients: AcClient[] = [];
  private issuing = true;
  private firstWriteAt = 0;
  private lastResponseAt = 0;

  constructor(private readonly plan: PushPlan) {
    const expected = plan.rate > 0 ? Math.ceil(plan.rate * (plan.seconds + 1)) + plan.connections * plan.pipelining : 1 << 18;
    this.outcome = new Grow(new Uint8Array(expected), (n) => new Uint8Array(n));
    this.side = new Grow(new Uint8Array(expected), (n) => new Uint8Array(n));
    this.pad = '.'.repeat(plan.size);
  }

  /** Ends the run now (the connections' pending requests count as in flight at the end). */
  stop(): void {
    this.instance?.stop();
  }

  /**
   * The graceful end: no new request (each connection is held as if over its rate, for good),
   * and each connection ends once its pending requests are answered (see track/countOnly).
   */
  private stopIssuing(): void {
    this.issuing = false;
    for (const c of this.clients) {
      if (c.rateInterval !== undefined) clearInterval(c.rateInterval);
      c.rate = 1;
      c.reqsMadeThisSecond = Number.POSITIVE_INFINITY;
      if (c.pipelinedRequests.pendingRequests.length === 0) c.destroy();
    }
  }

  /** After a response: a connection with nothing pending once issuing stopped is done. */
  private maybeDone(client: AcClient): void {
    if (!this.issuing && client.pipelinedRequests.pendingRequests.length === 0) setImmediate(() => client.destroy());
  }

  run(): Promise<PushRun> {
    const p = this.plan;
    const t0 = performance.now();
    const opts: Record<string, unknown> = {
      url: `http://${p.host}:${p.port}`,
      method: 'POST',
      headers: { authorization: `Bearer ${p.token}`, 'content-type': 'text/plain' },
      connections: p.connections,
      pipelining: p.pipelining,
      timeout: p.timeoutSeconds,
      // Requests are issued for `seconds`, then the pending ones get their answers (stopIssuing);
      // autocannon's own end, later, only cuts off requests that got no answer in time.
      duration: p.seconds + p.timeoutSeconds + 1,
      ...(p.rate > 0 ? { overallRate: p.rate } : {}),
      requests: [{ method: 'POST', setupRequest: (req: AcRequest) => this.build(req), ...(p.warm ? {} : { onResponse: (status: number, body: string) => this.answered(status, body) }) }],
      ...(p.warm ? { setupClient: (c: AcClient) => this.countOnly(c) } : { setupClient: (c: AcClient) => this.track(c) }),
    };
    return new Promise((resolve, reject) => {
      const ending = setTimeout(() => this.stopIssuing(), p.seconds * 1000);
      this.instance = autocannon(opts, (err, result) => {
        clearTimeout(ending);
        if (err) return reject(err);
        // From the first request written to the last response read.
        const elapsed = this.lastResponseAt > this.firstWriteAt ? this.lastResponseAt - this.firstWriteAt : performance.now() - t0;
        resolve(this.result(result, elapsed / 1000));
      });
    });
  }

  private build(req: AcRequest): AcRequest {
    const p = this.plan;
    const id = p.firstId + this.built++;
    const fd = p.fds[id % p.fds.length]!;
    const head = p.warm ? `w ${fd} ` : `${id} ${nowUs()} ${fd} `;
    req.path = `/push/${fd}`;
    req.body = head.length >= p.size ? head : head + this.pad.slice(head.length);
    this.lastId = id;
    this.lastFd = fd;
    return req;
  }

  private countOnly(client: AcClient): void {
    this.clients.push(client);
    const q = client.pipelinedRequests;
    const insert = q.insertRequest.bind(q);
    q.insertRequest = (req) => {
      insert(req);
      this.sent++;
    };
    const terminate = q.terminateRequest.bind(q);
    q.terminateRequest = () => {
      this.responses++;
      const entry = terminate();
      this.maybeDone(client);
      return entry;
    };
  }

  /** Carries each request's id and fd on autocannon's entry for it (see the file comment). */
  private track(client: AcClient): void {
    const q = client.pipelinedRequests;
    if (!q || !Array.isArray(q.pendingRequests) || typeof q.insertRequest !== 'function' || typeof q.terminateRequest !== 'function' || typeof q.clear !== 'function' || typeof client._connect !== 'function' || typeof client.reqsMadeThisSecond !== 'number') {
      throw new Error('autocannon changed: its client has no pipelinedRequests queue to pair responses with push ids (see scripts/lib/push-driver.ts)');
    }
    this.clients.push(client);
    let lastInserted = -1;
    const insert = q.insertRequest.bind(q);
    q.insertRequest = (req) => {
      insert(req);
      const entry = q.pendingRequests[q.pendingRequests.length - 1]!;
      // Each write follows its own build; an id written twice would be a request we cannot pair.
      if (this.lastId === lastInserted) this.pairingErrors++;
      lastInserted = this.lastId;
      entry.pushId = this.lastId;
      entry.pushFd = this.lastFd;
      this.outcome.ensure(this.lastId - this.plan.firstId + 1);
      this.side.ensure(this.lastId - this.plan.firstId + 1);
      if (this.sent++ === 0) this.firstWriteAt = performance.now();
    };
    const terminate = q.terminateRequest.bind(q);
    q.terminateRequest = () => {
      const entry = terminate();
      this.current = entry ?? null;
      this.lastResponseAt = performance.now();
      this.maybeDone(client);
      return entry;
    };
    const clear = q.clear.bind(q);
    q.clear = () => {
      const why = this.clearing ?? (client.destroyed ? 'no response: in flight when the run ended' : `no response: timed out after ${this.plan.timeoutSeconds} s`);
      for (const entry of q.pendingRequests) if (entry.pushId !== undefined) this.setOutcome(entry.pushId, this.reasonCode(why));
      clear();
    };
    // autocannon reconnects after a connection error or close without clearing the queue:
    // clear it first, so the next responses pair with the requests they answer.
    const connect = client._connect.bind(client);
    client._connect = () => {
      if (q.pendingRequests.length > 0) {
        this.clearing = 'no response: connection error or closed';
        q.clear();
        this.clearing = null;
      }
      connect();
      this.maybeDone(client);
    };
  }

  private answered(status: number, body: string): void {
    const entry = this.current;
    this.current = null;
    if (entry?.pushId === undefined || entry.pushFd === undefined) {
      this.pairingErrors++;
      return;
    }
    this.responses++;
    this.statusCodes[status] = (this.statusCodes[status] ?? 0) + 1;
    let answer: PushAnswer | null = null;
    try {
      const v: unknown = JSON.parse(body);
      if (v !== null && typeof v === 'object') answer = v as PushAnswer;
    } catch {
      // not JSON: the status code says it
    }
    if (answer?.fd !== undefined && answer.fd !== entry.pushFd) {
      this.pairingErrors++;
      this.setOutcome(entry.pushId, this.reasonCode('pairing error: the response named another fd'));
      return;
    }
    let side = 0;
    if (typeof answer?.worker === 'number') {
      const node = typeof answer.node === 'number' ? answer.node : 0;
      side = slotOf(entry.pushFd) === answer.worker && nodeOf(entry.pushFd) === node ? SAME : CROSS;
      const key = `${node}/${answer.worker}`;
      this.perWorker[key] = (this.perWorker[key] ?? 0) + 1;
    }
    this.side.data[entry.pushId - this.plan.firstId] = side;
    const outcome = typeof answer?.status === 'string' ? answer.status : undefined;
    if (status >= 200 && status < 300 && (outcome === undefined || outcome === 'written' || outcome === 'queued')) {
      this.accepted++;
      this.setOutcome(entry.pushId, ACCEPTED);
      this.httpMs.push(entry.duration ?? NaN);
      this.httpSide.push(side);
      return;
    }
    const detail = outcome ?? (typeof answer?.error === 'string' ? answer.error : (STATUS_CODES[status] ?? 'unknown status'));
    this.setOutcome(entry.pushId, this.reasonCode(`${status} ${detail}`));
  }

  private setOutcome(id: number, code: number): void {
    this.outcome.data[id - this.plan.firstId] = code;
  }

  private reasonCode(reason: string): number {
    let code = this.reasons.get(reason);
    if (code === undefined) {
      if (this.reasons.size >= 250) return this.reasonCode('other refusals');
      code = this.reasons.size + 2;
      this.reasons.set(reason, code);
    }
    return code;
  }

  private result(r: AcResult, elapsedSeconds: number): PushRun {
    const n = this.plan.warm ? 0 : this.built;
    return {
      firstId: this.plan.firstId,
      sent: this.sent,
      built: n,
      outcome: this.outcome.data.subarray(0, n),
      reasons: [...this.reasons.keys()],
      side: this.side.data.subarray(0, n),
      httpMs: this.httpMs.view(),
      httpSide: this.httpSide.view(),
      responses: this.responses,
      accepted: this.accepted,
      statusCodes: this.statusCodes,
      responsesPerWorker: this.perWorker,
      pairingErrors: this.pairingErrors,
      elapsedSeconds,
      autocannon: {
        latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
        requestsPerSecond: { mean: r.requests.mean, min: r.requests.min, max: r.requests.max },
        errors: r.errors,
        timeouts: r.timeouts,
        non2xx: r.non2xx,
      },
    };
  }
}
