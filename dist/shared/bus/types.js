/**
 * The bus: how a message from one worker reaches another, on this node (embedded bus) or on
 * another node (Redis bus). A bus moves envelopes between worker addresses: who sent it, whether
 * it wants a reply, and a body of bytes it never reads. What bodies mean (push, broadcast, rooms)
 * is the cluster operations' business (src/worker/cluster/cluster-ops.ts), as socket.io's adapters
 * publish messages one class gives meaning to.
 */
/** The worse of two outcomes (a fan-out over several transports or peers reports one). */
export function worse(a, b) {
    return a === 'down' || b === 'down' ? 'down' : a === 'congested' || b === 'congested' ? 'congested' : 'ok';
}
//# sourceMappingURL=types.js.map