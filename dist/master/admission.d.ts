/**
 * Which new connections the master lets through, before it picks a worker: the node's
 * connection limit (maxConnection), connections per client address (maxConnectionsPerIp) and
 * new connections per second per address (connectionRateLimit, a token bucket of
 * connectionRateBurst). Pure: addresses and the time in, a verdict out; the master does the
 * I/O (writes the refusal, or closes the socket) and reports every admitted connection's end.
 *
 * What counts: every TCP connection handed to a worker, from the hand-off until the worker
 * reports its socket closed (or the worker dies), WebSocket or not, as Swoole's max_connection
 * counts every connection: an open HTTP or half-done handshake holds a file descriptor and
 * memory as a WebSocket does.
 *
 * Memory: one entry per address with live connections (bounded by maxConnection), and the
 * token buckets and refusal counts of at most maxTrackedAddresses addresses, the least recently
 * seen forgotten first (forgetting a bucket only gives that address a full one again: an
 * attacker with many addresses gains nothing it did not have).
 */
/** Why a connection was not let in (the counters of stats and metrics, by these names). */
export type AdmissionReason = 'maxConnection' | 'perIp' | 'rate' | 'flood';
export declare const ADMISSION_REASONS: readonly AdmissionReason[];
export type Verdict = {
    readonly kind: 'admit';
}
/** Answer `status` with `Retry-After: retryAfter` (seconds), then close. */
 | {
    readonly kind: 'refuse';
    readonly status: 503 | 429;
    readonly retryAfter: number;
    readonly reason: Exclude<AdmissionReason, 'flood'>;
}
/** Close at once, nothing written: a flood. */
 | {
    readonly kind: 'drop';
    readonly reason: 'flood';
};
export interface AdmissionLimits {
    maxConnection: number;
    /** 0: no limit. */
    maxConnectionsPerIp: number;
    /** New connections per second per address; 0: no limit. */
    connectionRateLimit: number;
    connectionRateBurst: number;
    maxTrackedAddresses: number;
}
/**
 * Refusals an address may get in a row (without being let in between) before its connections
 * are closed unanswered: a client that honours Retry-After never gets near it, a loop that
 * reconnects at once does within a second, and then costs the master one accept and one close
 * per connection instead of a socket, a write and a timer.
 */
export declare const FLOOD_STRIKES = 10;
export declare class Admission {
    private readonly limits;
    /** Connections admitted and not yet released, all addresses. */
    private liveTotal;
    /** Live connections by address (entries at 0 are deleted). */
    private readonly live;
    /** Buckets and strikes, least recently seen first (a Map keeps insertion order). */
    private readonly tracked;
    /** Connections not let in, by reason. */
    readonly refused: Record<AdmissionReason, number>;
    constructor(limits: AdmissionLimits);
    /** Connections admitted and not released. */
    get connections(): number;
    /** Addresses whose rate state is kept (at most maxTrackedAddresses). */
    get trackedAddresses(): number;
    /** Addresses with live connections (at most maxConnection). */
    get liveAddresses(): number;
    /** Live connections of one address. */
    connectionsOf(address: string): number;
    /**
     * Decides on a new connection from `address` at `now` (ms); an admitted one is counted until
     * released(address).
     */
    admit(address: string, now: number): Verdict;
    /** A refusal counted under `from` ended up counted as `to` (the master had to close it unanswered). */
    recount(from: AdmissionReason, to: AdmissionReason): void;
    /** An admitted connection from `address` ended (its worker closed it, or died). */
    released(address: string): void;
    /** The address's state, refilled to `now` and moved to the most recently seen end; made (full) if it had none. */
    private touch;
}
/** The address a limit counts: an IPv4 client on a dual-stack socket is its IPv4 address. */
export declare function clientKey(address: string): string;
//# sourceMappingURL=admission.d.ts.map