/**
 * The bus: how a message from one worker reaches another, on this node (embedded bus) or on
 * another node (Redis bus). A bus moves opaque BusMessages between worker addresses; what they
 * mean (push, broadcast, rooms, replies) is the router's business (src/worker/router.ts).
 */
export {};
//# sourceMappingURL=types.js.map