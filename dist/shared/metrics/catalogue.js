import { EMPTY_COUNTERS } from '../cluster-messages.js';
import { renderExposition } from './exposition.js';
import { addHistograms, emptyHistogram } from './histogram.js';
import { BUS_CALL_SECONDS, BUS_FAILURES, BUS_SEQUENCE_EVENTS, BUS_TRANSPORTS, CLOSE_CODES, HANDSHAKE_SECONDS, HANDSHAKE_STATUSES, PUSH_STATUSES } from './worker-meters.js';
export function emptyWorkerMetrics() {
    return {
        handshakes: new Array(HANDSHAKE_STATUSES.length + 1).fill(0),
        handshakeSeconds: emptyHistogram(HANDSHAKE_SECONDS),
        closesReceived: new Array(CLOSE_CODES.length + 1).fill(0),
        closesSent: new Array(CLOSE_CODES.length + 1).fill(0),
        localPushes: new Array(PUSH_STATUSES.length).fill(0),
        bus: BUS_TRANSPORTS.map(() => ({ sent: 0, received: 0, failed: new Array(BUS_FAILURES.length).fill(0), callSeconds: emptyHistogram(BUS_CALL_SECONDS) })),
        slowConsumers: 0,
        slowConsumerBytes: 0,
        busRejected: 0,
        busSequence: BUS_SEQUENCE_EVENTS.map(() => 0),
        residentBytes: 0,
        cpuSeconds: 0,
    };
}
const add = (a, b) => a.map((n, i) => n + (b[i] ?? 0));
/** The cumulative parts of a + b (a dead incarnation's counters folded into its slot's); gauges are b's. */
export function addWorkerMetrics(a, b) {
    return {
        handshakes: add(a.handshakes, b.handshakes),
        handshakeSeconds: addHistograms(a.handshakeSeconds, b.handshakeSeconds),
        closesReceived: add(a.closesReceived, b.closesReceived),
        closesSent: add(a.closesSent, b.closesSent),
        localPushes: add(a.localPushes, b.localPushes),
        bus: a.bus.map((t, i) => {
            const u = b.bus[i];
            return { sent: t.sent + u.sent, received: t.received + u.received, failed: add(t.failed, u.failed), callSeconds: addHistograms(t.callSeconds, u.callSeconds) };
        }),
        slowConsumers: b.slowConsumers,
        slowConsumerBytes: b.slowConsumerBytes,
        busRejected: a.busRejected + b.busRejected,
        busSequence: add(a.busSequence, b.busSequence),
        residentBytes: b.residentBytes,
        cpuSeconds: a.cpuSeconds + b.cpuSeconds,
    };
}
function gauge(name, help, samples) {
    return { name, help, type: 'gauge', samples };
}
function counter(name, help, samples) {
    return { name, help, type: 'counter', samples };
}
function histogram(name, help, bounds, samples) {
    return { name, help, type: 'histogram', bounds, samples };
}
/** The metric families of these nodes (sorted by node, then slot). */
export function metricFamilies(nodes) {
    const sorted = [...nodes].sort((a, b) => a.node - b.node);
    const rows = sorted.flatMap((n) => [...n.workers].sort((a, b) => a.slot - b.slot).map((w) => ({ labels: { node: String(n.node), slot: String(w.slot) }, w })));
    const per = (f) => rows.map((r) => ({ labels: r.labels, value: f(r.w) }));
    const perLabel = (values, label, show, f) => rows.flatMap((r) => values.map((v, i) => ({ labels: { ...r.labels, [label]: show(v) }, value: f(r.w, i) })));
    const perNode = (f) => sorted.map((n) => ({ labels: { node: String(n.node) }, value: f(n) }));
    const statuses = [...HANDSHAKE_STATUSES.map(String), 'other'];
    const codes = [...CLOSE_CODES.map(String), 'other'];
    const c = (w) => w.counters;
    return [
        gauge('switchyard_worker_up', 'Whether the worker slot has a live, ready worker (1) or not (0).', per((w) => (w.up ? 1 : 0))),
        gauge('switchyard_connections', 'Established WebSocket connections.', per((w) => c(w).connections)),
        gauge('switchyard_pending_handshakes', 'Sockets that are not WebSockets yet (HTTP, handshake under way or waiting for the handshake hook).', per((w) => c(w).pendingHandshakes)),
        counter('switchyard_messages_received_total', 'WebSocket messages received from clients.', per((w) => c(w).messagesIn)),
        counter('switchyard_messages_sent_total', 'WebSocket messages accepted for sending to clients (pushes, broadcasts, room and uid pushes).', per((w) => c(w).messagesOut)),
        counter('switchyard_received_bytes_total', 'Bytes read from WebSocket connections (frames as on the wire).', per((w) => c(w).bytesIn)),
        counter('switchyard_sent_bytes_total', 'Bytes written to WebSocket connections (frames as on the wire).', per((w) => c(w).bytesOut)),
        counter('switchyard_handshakes_total', 'Handshakes by the status they were answered with: 101 established, or the refusal (the app\'s hook, the server\'s checks, 503 at capacity, 408 deadlines, 400/431/505 malformed requests); "other" for any other status.', perLabel(statuses, 'status', (s) => s, (w, i) => w.metrics.handshakes[i] ?? 0)),
        counter('switchyard_handshakes_aborted_total', 'Upgrades whose client left while the handshake hook ran.', per((w) => c(w).aborted)),
        histogram('switchyard_handshake_duration_seconds', 'From a socket\'s arrival at the worker to its 101 written (the handshake hook included).', HANDSHAKE_SECONDS, rows.map((r) => ({ labels: r.labels, data: r.w.metrics.handshakeSeconds }))),
        counter('switchyard_close_codes_received_total', 'Connections the client closed, by its close code (1005: an empty close frame, 1006: TCP dropped without a close frame); "other" for codes not listed.', perLabel(codes, 'code', (s) => s, (w, i) => w.metrics.closesReceived[i] ?? 0)),
        counter('switchyard_close_codes_sent_total', 'Connections the server closed, by the close code it sent (1006: closed without a close frame); "other" for codes not listed.', perLabel(codes, 'code', (s) => s, (w, i) => w.metrics.closesSent[i] ?? 0)),
        counter('switchyard_pushes_total', 'push()/pushStatus()/pushAsync() calls made in this worker, by target and outcome: local fds (written, queued, dropped, closed, unknown), fds of other workers (forwarded: a bus took it; congested; unreachable).', [
            ...perLabel(PUSH_STATUSES, 'status', (s) => s, (w, i) => w.metrics.localPushes[i] ?? 0).map((s) => ({ labels: { ...s.labels, target: 'local' }, value: s.value })),
            ...perLabel(['forwarded', 'congested', 'unreachable'], 'status', (s) => s, (w, i) => [c(w).pushesForwarded, c(w).pushesCongested, c(w).pushesUnreachable][i]).map((s) => ({ labels: { ...s.labels, target: 'remote' }, value: s.value })),
        ]),
        counter('switchyard_remote_pushes_served_total', 'Pushes other workers sent to this worker\'s fds, by their outcome here.', perLabel(PUSH_STATUSES, 'status', (s) => s, (w, i) => [c(w).remotePushWritten, c(w).remotePushQueued, c(w).remotePushDropped, c(w).remotePushClosed, c(w).remotePushUnknown][i])),
        counter('switchyard_bus_messages_sent_total', 'Messages this worker handed to a bus (a broadcast counts once per bus), by transport.', perLabel(BUS_TRANSPORTS, 'transport', (s) => s, (w, i) => w.metrics.bus[i]?.sent ?? 0)),
        counter('switchyard_bus_messages_received_total', 'Messages a bus delivered to this worker, by transport.', perLabel(BUS_TRANSPORTS, 'transport', (s) => s, (w, i) => w.metrics.bus[i]?.received ?? 0)),
        counter('switchyard_bus_messages_failed_total', 'Messages a bus did not carry (congested: over its budget; unreachable: no transport to the peer) and requests not answered within busTimeoutMs (timeout), by transport.', rows.flatMap((r) => BUS_TRANSPORTS.flatMap((t, ti) => BUS_FAILURES.map((reason, fi) => ({ labels: { ...r.labels, transport: t, reason }, value: r.w.metrics.bus[ti]?.failed[fi] ?? 0 }))))),
        counter('switchyard_bus_sequence_events_total', 'What the Redis Cluster bus\'s per-channel sequence numbers revealed: gap (arrivals after missing ones, delivered), lost (the messages those gaps skipped), duplicate and reordered (arrived after a later one): both dropped, never delivered.', perLabel(BUS_SEQUENCE_EVENTS, 'kind', (s) => s, (w, i) => w.metrics.busSequence[i] ?? 0)),
        counter('switchyard_bus_messages_rejected_total', 'Redis bus messages dropped undelivered for want of a valid MAC (--bus-secret: unsigned, forged, or outside the 30 s window).', per((w) => w.metrics.busRejected)),
        histogram('switchyard_bus_call_duration_seconds', 'Round trip of a bus request (pushAsync, getClientInfo, exist, ...) from sending to its answer, by transport.', BUS_CALL_SECONDS, rows.flatMap((r) => BUS_TRANSPORTS.map((t, i) => ({ labels: { ...r.labels, transport: t }, data: r.w.metrics.bus[i]?.callSeconds ?? emptyHistogram(BUS_CALL_SECONDS) })))),
        gauge('switchyard_event_loop_lag_seconds', 'The worker\'s event-loop delay, median over its last 250 ms report window (its 10 ms sampling period not counted).', per((w) => c(w).lagMs / 1000)),
        gauge('switchyard_slow_consumers', 'Connections whose output is over the high watermark (bufferHighWatermark).', per((w) => w.metrics.slowConsumers)),
        gauge('switchyard_slow_consumer_queued_bytes', 'Bytes queued for those connections and not yet handed to the kernel.', per((w) => w.metrics.slowConsumerBytes)),
        counter('switchyard_handoffs_missing_total', 'Hand-offs that arrived without their socket (the client left in transit).', per((w) => c(w).missing)),
        counter('switchyard_handoffs_rejected_total', 'Hand-off records that failed their check (their sockets were closed).', per((w) => c(w).handoffRejected)),
        counter('switchyard_worker_restarts_total', 'Times the master respawned this slot\'s worker.', per((w) => w.restarts)),
        gauge('switchyard_worker_resident_memory_bytes', 'The worker process\'s resident set size.', per((w) => w.metrics.residentBytes)),
        counter('switchyard_worker_cpu_seconds_total', 'CPU time (user and system) of the slot\'s worker processes.', per((w) => w.metrics.cpuSeconds)),
        counter('switchyard_accepted_connections_total', 'TCP connections the master accepted.', perNode((n) => n.accepted)),
        counter('switchyard_handoff_failures_total', 'Accepted connections dropped because their hand-off to a worker failed.', perNode((n) => n.handoffFailed)),
        counter('switchyard_no_worker_refusals_total', 'Connections the master answered 503 because no worker was up.', perNode((n) => n.unavailable)),
        gauge('switchyard_node_connections', 'TCP connections the master counts against maxConnection: handed to a worker and not closed yet, WebSocket or not.', perNode((n) => n.nodeConnections ?? 0)),
        counter('switchyard_admission_refusals_total', 'Connections the master did not let in, by reason: max_connection (503), per_ip and rate (429), flood (closed unanswered).', sorted.flatMap((n) => [['max_connection', n.refused?.maxConnection ?? 0], ['per_ip', n.refused?.perIp ?? 0], ['rate', n.refused?.rate ?? 0], ['flood', n.refused?.flood ?? 0]].map(([reason, value]) => ({ labels: { node: String(n.node), reason }, value })))),
        counter('switchyard_proxy_header_failures_total', 'Connections from a trustProxy source closed for a missing, malformed, late or oversized PROXY protocol header.', perNode((n) => n.proxyHeaderFailed ?? 0)),
        gauge('switchyard_master_resident_memory_bytes', 'The master process\'s resident set size.', perNode((n) => n.residentBytes)),
        counter('switchyard_master_cpu_seconds_total', 'CPU time (user and system) of the master process.', perNode((n) => n.cpuSeconds)),
        gauge('switchyard_start_time_seconds', 'When the node\'s master started (Unix time).', perNode((n) => n.startTime)),
    ];
}
/** The exposition text of these nodes' metrics. */
export function renderMetrics(nodes) {
    return renderExposition(metricFamilies(nodes));
}
const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
const isNums = (v, length) => Array.isArray(v) && v.length === length && v.every(isNum);
const isHistogram = (v, bounds) => {
    const h = v;
    return typeof h === 'object' && h !== null && isNums(h.counts, bounds.length + 1) && isNum(h.sum) && isNum(h.count);
};
function isWorkerMetrics(v) {
    const m = v;
    if (typeof m !== 'object' || m === null)
        return false;
    return (isNums(m.handshakes, HANDSHAKE_STATUSES.length + 1) &&
        isHistogram(m.handshakeSeconds, HANDSHAKE_SECONDS) &&
        isNums(m.closesReceived, CLOSE_CODES.length + 1) &&
        isNums(m.closesSent, CLOSE_CODES.length + 1) &&
        isNums(m.localPushes, PUSH_STATUSES.length) &&
        Array.isArray(m.bus) &&
        m.bus.length === BUS_TRANSPORTS.length &&
        m.bus.every((t) => typeof t === 'object' && t !== null && isNum(t.sent) && isNum(t.received) && isNums(t.failed, BUS_FAILURES.length) && isHistogram(t.callSeconds, BUS_CALL_SECONDS)) &&
        isNum(m.slowConsumers) &&
        isNum(m.slowConsumerBytes) &&
        isNum(m.busRejected) &&
        isNums(m.busSequence, BUS_SEQUENCE_EVENTS.length) &&
        isNum(m.residentBytes) &&
        isNum(m.cpuSeconds));
}
/** Whether a value read from Redis is a node's metrics as publishMetrics wrote them (a bad one is left out, never rendered). */
export function isNodeMetrics(v) {
    const n = v;
    if (typeof n !== 'object' || n === null)
        return false;
    if (!Number.isSafeInteger(n.node) || ![n.startTime, n.accepted, n.handoffFailed, n.unavailable, n.residentBytes, n.cpuSeconds].every(isNum))
        return false;
    if (n.nodeConnections !== undefined && !isNum(n.nodeConnections))
        return false;
    const r = n.refused;
    if (r !== undefined && (typeof r !== 'object' || r === null || ![r.maxConnection, r.perIp, r.rate, r.flood].every(isNum)))
        return false;
    return (Array.isArray(n.workers) &&
        n.workers.every((w) => {
            if (typeof w !== 'object' || w === null || !Number.isSafeInteger(w.slot) || typeof w.up !== 'boolean' || !isNum(w.restarts))
                return false;
            const c = w.counters;
            return typeof c === 'object' && c !== null && Object.keys(EMPTY_COUNTERS).every((k) => isNum(c[k])) && isWorkerMetrics(w.metrics);
        }));
}
//# sourceMappingURL=catalogue.js.map