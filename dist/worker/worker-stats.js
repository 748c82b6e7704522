import { EMPTY_PUSH_COUNTERS } from '../shared/cluster-messages.js';
/** A worker's counters, all at zero. */
export function newCounters() {
    return { ...EMPTY_PUSH_COUNTERS, received: 0, missing: 0, accepted: 0, handshakes: 0, refused: 0, closed: 0, aborted: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0 };
}
/** A single-process server's stats(): the cluster figures of a cluster of one, from its own counters. */
export function singleProcessStats(l, self) {
    return {
        workers: [{ id: l.workerId, pid: process.pid, up: self.up, connections: l.connections, pendingHandshakes: l.pendingHandshakes, restarts: 0, lagMs: 0, messagesIn: l.messagesIn, messagesOut: l.messagesOut }],
        connections: l.connections,
        accepted: l.accepted,
        handshakes: l.handshakes,
        refused: l.refused,
        closed: l.closed,
        aborted: l.aborted,
        missing: l.missing,
        pushesForwarded: l.pushesForwarded,
        pushesCongested: l.pushesCongested,
        pushesUnreachable: l.pushesUnreachable,
        remotePushWritten: l.remotePushWritten,
        remotePushQueued: l.remotePushQueued,
        remotePushDropped: l.remotePushDropped,
        remotePushClosed: l.remotePushClosed,
        remotePushUnknown: l.remotePushUnknown,
        handoffFailed: 0,
        handoffRejected: 0,
        unavailable: 0,
        nodeConnections: l.connections + l.pendingHandshakes,
        refusedMaxConnection: 0,
        refusedPerIp: 0,
        refusedRate: 0,
        refusedFlood: 0,
        trackedAddresses: 0,
        proxyHeaderFailed: 0,
        messagesIn: l.messagesIn,
        messagesOut: l.messagesOut,
        bytesIn: l.bytesIn,
        bytesOut: l.bytesOut,
        dispatchMode: 'single-process',
        workerRestarts: 0,
        uptime: (Date.now() - self.startTime) / 1000,
        node: self.node,
    };
}
//# sourceMappingURL=worker-stats.js.map