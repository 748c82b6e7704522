/**
 * The bus: how a message from one worker reaches another, on this node (embedded bus) or on
 * another node (Redis bus). A bus moves opaque BusMessages between worker addresses; what they
 * mean (push, broadcast, rooms, replies) is the router's business (src/worker/router.ts).
 */
/** The worse of two outcomes (a fan-out over several transports or peers reports one). */
export function worse(a, b) {
    return a === 'down' || b === 'down' ? 'down' : a === 'congested' || b === 'congested' ? 'congested' : 'ok';
}
//# sourceMappingURL=types.js.map