export const EMPTY_PUSH_COUNTERS = Object.freeze({
    pushesForwarded: 0,
    pushesCongested: 0,
    pushesUnreachable: 0,
    remotePushWritten: 0,
    remotePushQueued: 0,
    remotePushDropped: 0,
    remotePushClosed: 0,
    remotePushUnknown: 0,
});
/** Which counter a remote push's outcome goes to. */
export const REMOTE_OUTCOME = {
    written: 'remotePushWritten',
    queued: 'remotePushQueued',
    dropped: 'remotePushDropped',
    closed: 'remotePushClosed',
    unknown: 'remotePushUnknown',
};
/** A worker started as a reload's replacement finds the move link's path here. */
export const ENV_MOVE_PATH = 'SWITCHYARD_MOVE_PATH';
/** The cluster totals that add up over nodes. */
export const SUMMED_FIELDS = ['pushesForwarded', 'pushesCongested', 'pushesUnreachable', 'remotePushWritten', 'remotePushQueued', 'remotePushDropped', 'remotePushClosed', 'remotePushUnknown', 'connections', 'accepted', 'handshakes', 'refused', 'closed', 'aborted', 'missing', 'handoffRejected', 'handoffFailed', 'unavailable', 'proxyHeaderFailed', 'nodeConnections', 'refusedMaxConnection', 'refusedPerIp', 'refusedRate', 'refusedFlood', 'messagesIn', 'messagesOut', 'bytesIn', 'bytesOut', 'workerRestarts'];
export const EMPTY_COUNTERS = Object.freeze({
    ...EMPTY_PUSH_COUNTERS,
    connections: 0,
    pendingHandshakes: 0,
    received: 0,
    accepted: 0,
    handshakes: 0,
    refused: 0,
    closed: 0,
    aborted: 0,
    missing: 0,
    handoffRejected: 0,
    messagesIn: 0,
    messagesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    lagMs: 0,
});
/** A worker's counters that only grow: they outlive the worker in the master's totals. */
export const CUMULATIVE_FIELDS = [
    'accepted',
    'handshakes',
    'refused',
    'closed',
    'aborted',
    'missing',
    'handoffRejected',
    'messagesIn',
    'messagesOut',
    'bytesIn',
    'bytesOut',
    ...Object.keys(EMPTY_PUSH_COUNTERS),
];
/** Environment variables the master sets for each worker. */
export const ENV_SLOT = 'SWITCHYARD_WORKER_SLOT';
export const ENV_NODE = 'SWITCHYARD_NODE_ID';
/** Directory of the embedded bus's Unix sockets (one per node, made by the master). */
export const ENV_BUS_DIR = 'SWITCHYARD_BUS_DIR';
/** The worker's generation of its slot: a number the master makes larger at every fork, so a
 * reload's replacement is newer than the worker it replaces (the embedded bus orders by it). */
export const ENV_GENERATION = 'SWITCHYARD_GENERATION';
/** How long a reload gives the old worker to move out and exit before it is killed (ms): its
 * closing handshakes (maxWaitTime), the 1012 closes of what could not move, and 15 s for the move. */
export function reloadMoveTimeoutMs(config) {
    return config.maxWaitTime * 1000 + config.closeTimeoutMs + 15_000;
}
//# sourceMappingURL=cluster-messages.js.map