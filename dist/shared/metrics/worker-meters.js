import { Histogram } from './histogram.js';
/**
 * A worker's metric counters beyond its stats counters (cluster-messages.ts WorkerCounters):
 * plain numbers and fixed arrays on one object the worker already holds, incremented where
 * things happen. Labelled counters are arrays indexed through small lookup tables, so that a
 * label never costs a Map lookup or an object: the label sets are bounded (a status or a close
 * code outside the known ones counts as "other").
 */
/** Statuses a handshake is answered with, each its own label value; anything else is "other". */
export const HANDSHAKE_STATUSES = [101, 400, 401, 403, 404, 405, 408, 409, 410, 413, 414, 426, 429, 431, 500, 501, 503, 505];
/** Close codes with a label value of their own (RFC 6455 §7.4.1 and the IANA registry's 1012-1015); the rest are "other". */
export const CLOSE_CODES = [1000, 1001, 1002, 1003, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 1015];
export const PUSH_STATUSES = ['written', 'queued', 'dropped', 'closed', 'unknown'];
/** The buses a worker sends on: index 0 the embedded (same node), 1 Redis (other nodes). */
export const BUS_TRANSPORTS = ['embedded', 'redis'];
export const BUS_FAILURES = ['congested', 'unreachable', 'timeout'];
/** What the Redis Cluster bus's sequence numbers revealed (bus/stream-order.ts): arrivals after a gap, the messages the gaps skipped, duplicates and late ones (both dropped). */
export const BUS_SEQUENCE_EVENTS = ['gap', 'lost', 'duplicate', 'reordered'];
/** From the socket's arrival at the worker to its 101 (the app's handshake hook included). */
export const HANDSHAKE_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** A bus request to its reply (pushAsync, getClientInfo, ...). */
export const BUS_CALL_SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const OTHER_STATUS = HANDSHAKE_STATUSES.length;
const STATUS_INDEX = new Uint8Array(600).fill(OTHER_STATUS);
HANDSHAKE_STATUSES.forEach((s, i) => (STATUS_INDEX[s] = i));
const OTHER_CODE = CLOSE_CODES.length;
const CODE_INDEX = new Uint8Array(16).fill(OTHER_CODE);
CLOSE_CODES.forEach((c, i) => (CODE_INDEX[c - 1000] = i));
/** The array slot of a handshake status (the last slot: "other"). */
export function statusSlot(status) {
    return status >= 0 && status < 600 ? STATUS_INDEX[status] : OTHER_STATUS;
}
/** The array slot of a close code (the last slot: "other"). */
export function closeCodeSlot(code) {
    return code >= 1000 && code < 1016 ? CODE_INDEX[code - 1000] : OTHER_CODE;
}
/** One bus transport's counters in one worker. */
export class TransportMeters {
    /** Messages handed to the bus (a broadcast counts once). */
    sent = 0;
    /** Messages the bus delivered to this worker. */
    received = 0;
    /** By BUS_FAILURES: refused for the bus's budget, no transport to the peer, a request unanswered in busTimeoutMs. */
    failed = [0, 0, 0];
    callSeconds = new Histogram(BUS_CALL_SECONDS);
}
export class WorkerMeters {
    handshakes = new Array(HANDSHAKE_STATUSES.length + 1).fill(0);
    handshakeSeconds = new Histogram(HANDSHAKE_SECONDS);
    closesReceived = new Array(CLOSE_CODES.length + 1).fill(0);
    closesSent = new Array(CLOSE_CODES.length + 1).fill(0);
    /** Keyed by status: `localPushes[status]++` where the status is already in hand. */
    localPushes = { written: 0, queued: 0, dropped: 0, closed: 0, unknown: 0 };
    embedded = new TransportMeters();
    redis = new TransportMeters();
    /**
     * Connections over their high watermark, entered and left on those transitions (never per
     * message): a scrape adds up their queues without visiting the other connections.
     */
    slow = new Set();
    /** A handshake answered with `status` (101: established). */
    answered(status) {
        this.handshakes[statusSlot(status)]++;
    }
    /** A connection closed: its code, on the side that began the close. */
    closed(code, closedBy) {
        (closedBy === 'client' ? this.closesReceived : this.closesSent)[closeCodeSlot(code)]++;
    }
    snapshot(proc) {
        let bytes = 0;
        for (const s of this.slow)
            bytes += s.bufferedAmount;
        return {
            handshakes: this.handshakes.slice(),
            handshakeSeconds: this.handshakeSeconds.data(),
            closesReceived: this.closesReceived.slice(),
            closesSent: this.closesSent.slice(),
            localPushes: PUSH_STATUSES.map((s) => this.localPushes[s]),
            bus: [this.embedded, this.redis].map((t) => ({ sent: t.sent, received: t.received, failed: t.failed.slice(), callSeconds: t.callSeconds.data() })),
            slowConsumers: this.slow.size,
            slowConsumerBytes: bytes,
            ...proc,
            busSequence: proc.busSequence ?? BUS_SEQUENCE_EVENTS.map(() => 0),
        };
    }
}
//# sourceMappingURL=worker-meters.js.map