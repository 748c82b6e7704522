/**
 * The `SessionTable` seam (STYLE.md principle 3): who holds which session, across every
 * worker of every node. Implementations: `MemorySessionTable` (one process) and
 * `RedisSessionTable` (a cluster sharing one Redis); test/session-table/contract.ts is the
 * contract both pass.
 *
 * Writes are fire-and-forget and applied in the order issued by one table instance; reads
 * issued after a write on the same instance see it. Reads only show sessions of nodes the
 * table's liveness function reports alive. Reads reject with a SwitchyardError
 * (`ERR_SESSION_TABLE_UNAVAILABLE`, or `ERR_SESSION_TABLE_CLOSED` after close()) within a
 * bounded time; writes never throw.
 */
export {};
//# sourceMappingURL=types.js.map