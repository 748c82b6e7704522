/**
 * The figures of `load:push`: what autocannon learnt of each push id (push-driver.ts) joined
 * with what the clients received (chat-receivers.ts). Every id sent is delivered (received by
 * its fd) or dropped with a reason; percentiles of HTTP and delivery latency, over all pushes
 * and split same-worker / cross-worker.
 */
import type { Merged } from './chat-receivers.ts';
import { ACCEPTED, CROSS, SAME, type PushRun } from './push-driver.ts';
import { pcts, round, type Pcts } from './report.ts';

function pick(samples: ArrayLike<number>, sides: ArrayLike<number>, side: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < samples.length; i++) if (sides[i] === side) out.push(samples[i]!);
  return out;
}

export const bump = (m: Record<string, number>, k: string, by = 1): void => {
  m[k] = (m[k] ?? 0) + by;
};

export interface RunFigures {
  sent: number;
  delivered: number;
  dropped: number;
  drops: Record<string, number>;
  /** Delivered although the response said otherwise (or there was none): by that response. */
  deliveredNotAccepted: Record<string, number>;
  accounted: boolean;
  errors: { duplicates: number; wrongFd: number; unknownIds: number; pairingErrors: number; malformed: number; lateAfterDrain: number; clientsLost: number };
  http: { responses: number; accepted: number; refused: number; statusCodes: Record<string, number>; responsesPerWorker: Record<string, number> };
  elapsedSeconds: number;
  requestsPerSecond: number;
  pushesPerSecond: number;
  deliveredPerSecond: number;
  httpLatencyMs: Pcts | null;
  deliveryLatencyMs: Pcts | null;
  sameWorker: { pushes: number; httpLatencyMs: Pcts | null; deliveryLatencyMs: Pcts | null };
  crossWorker: { pushes: number; httpLatencyMs: Pcts | null; deliveryLatencyMs: Pcts | null };
  crossWorkerShare: number | null;
  /** Cross-worker pushes as the owners counted them (/stats remotePush*), null without /stats. */
  serverCountedCrossWorker: number | null;
  drainMs: number;
  cpuPercent: Record<string, number>;
  autocannon: PushRun['autocannon'];
}

const NOT_DELIVERED = 'accepted (2xx) but not delivered within the drain';

/** Joins what autocannon learnt of each id with what the clients received. */
export function account(run: PushRun, got: Merged, drainMs: number, cpuPercent: Record<string, number>, serverCounted: number | null): RunFigures {
  const drops: Record<string, number> = {};
  const deliveredNotAccepted: Record<string, number> = {};
  const reasonOf = (code: number) => (code === 0 ? 'no response' : (run.reasons[code - 2] ?? `reason #${code}`));
  const deliveryMs: number[] = [];
  const deliverySide: number[] = [];
  let delivered = 0;
  let dropped = 0;
  for (let i = 0; i < run.built; i++) {
    const ms = got.latency[run.firstId + i];
    const code = run.outcome[i]!;
    if (ms !== undefined && !Number.isNaN(ms)) {
      delivered++;
      deliveryMs.push(ms);
      deliverySide.push(run.side[i]!);
      if (code !== ACCEPTED) bump(deliveredNotAccepted, reasonOf(code));
    } else {
      dropped++;
      bump(drops, code === ACCEPTED ? NOT_DELIVERED : reasonOf(code));
    }
  }
  let unknownIds = 0;
  let lateAfterDrain = 0;
  for (let id = 0; id < got.latency.length; id++) {
    if (Number.isNaN(got.latency[id]!)) continue;
    if (id < run.firstId) lateAfterDrain++;
    else if (id >= run.firstId + run.built) unknownIds++;
  }
  const errors = {
    duplicates: got.duplicates,
    wrongFd: got.wrongFd,
    unknownIds,
    pairingErrors: run.pairingErrors + Math.abs(run.built - run.sent),
    malformed: got.malformed,
    lateAfterDrain,
    clientsLost: got.clientsLost,
  };
  const sent = run.sent;
  const accounted = sent > 0 && sent === delivered + dropped && errors.duplicates === 0 && errors.wrongFd === 0 && errors.unknownIds === 0 && errors.pairingErrors === 0 && errors.malformed === 0;
  const sides = { same: 0, cross: 0 };
  for (let i = 0; i < run.built; i++) {
    if (run.side[i] === SAME) sides.same++;
    else if (run.side[i] === CROSS) sides.cross++;
  }
  const t = run.elapsedSeconds;
  return {
    sent,
    delivered,
    dropped,
    drops,
    deliveredNotAccepted,
    accounted,
    errors,
    http: { responses: run.responses, accepted: run.accepted, refused: run.responses - run.accepted, statusCodes: run.statusCodes, responsesPerWorker: run.responsesPerWorker },
    elapsedSeconds: round(t, 3),
    requestsPerSecond: Math.round(run.responses / t),
    pushesPerSecond: Math.round(sent / t),
    deliveredPerSecond: Math.round(delivered / t),
    httpLatencyMs: pcts(run.httpMs),
    deliveryLatencyMs: pcts(deliveryMs),
    sameWorker: { pushes: sides.same, httpLatencyMs: pcts(pick(run.httpMs, run.httpSide, SAME)), deliveryLatencyMs: pcts(pick(deliveryMs, deliverySide, SAME)) },
    crossWorker: { pushes: sides.cross, httpLatencyMs: pcts(pick(run.httpMs, run.httpSide, CROSS)), deliveryLatencyMs: pcts(pick(deliveryMs, deliverySide, CROSS)) },
    crossWorkerShare: sides.same + sides.cross > 0 ? round(sides.cross / (sides.same + sides.cross), 4) : null,
    serverCountedCrossWorker: serverCounted,
    drainMs: Math.round(drainMs),
    cpuPercent,
    autocannon: run.autocannon,
  };
}
