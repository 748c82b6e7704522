import type { Redis, RedisOptions } from 'ioredis';
/**
 * What keeps an ioredis 6 connection able to recover from a Redis restart, and a watchdog for
 * the case it still cannot.
 *
 * Why every client needs `maxRetriesPerRequest: 0`: when a connection that was ready drops,
 * ioredis keeps the commands still awaiting a reply (`prevCommandQueue`) and, unless
 * `autoResendUnfulfilledCommands` resends them, forgets them at the next 'ready' WITHOUT
 * settling their promises; only every (maxRetriesPerRequest + 1)-th failed attempt rejects
 * them (flushQueue). A quick restart (a few attempts, default limit 20) therefore leaves those
 * commands pending for ever:
 *   - an awaited command never returns (a lease refresh guarded against overlap never runs
 *     again; a session-table batch is never counted as settled);
 *   - an auto-pipelined one (`enableAutoPipelining`) keeps its pipeline "running", and ioredis
 *     starts no other pipeline while one runs: every later command of that client is appended
 *     to a pipeline that is never written. The client says 'ready', publishes are accepted and
 *     none leaves the process (the Redis bus publisher wedge; memory grows with them).
 * With 0, ioredis rejects everything queued on every close, so each command settles: with its
 * reply, or with an error once its connection is gone.
 */
export declare const SETTLE_ON_CLOSE: Readonly<RedisOptions>;
export interface ProbeOptions {
    /** How often a PING goes out while the connection is ready. */
    intervalMs: number;
    /** A PING unanswered this long means the connection is wedged. */
    timeoutMs: number;
    /** Called once when the connection is found wedged; the probe stops (the owner replaces the client). */
    onWedged: (silentMs: number) => void;
}
/**
 * Defence in depth: PINGs a ready connection every `intervalMs`; one left unanswered for
 * `timeoutMs` (Redis alive but our commands not settling, whatever the cause) is reported
 * once. On an auto-pipelining client the PING travels through the auto-pipeline too, so a
 * stuck pipeline is caught as well. Reconnecting the client is not enough then (what ioredis
 * left unsettled stays with the client object): the owner replaces the client.
 */
export declare class ConnectionProbe {
    private readonly client;
    private readonly options;
    private timer;
    private outstanding;
    constructor(client: Redis, options: ProbeOptions);
    start(): void;
    stop(): void;
    private tick;
}
//# sourceMappingURL=redis-health.d.ts.map