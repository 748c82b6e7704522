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
export const SETTLE_ON_CLOSE = Object.freeze({ maxRetriesPerRequest: 0 });
/**
 * Defence in depth: PINGs a ready connection every `intervalMs`; one left unanswered for
 * `timeoutMs` (Redis alive but our commands not settling, whatever the cause) is reported
 * once. On an auto-pipelining client the PING travels through the auto-pipeline too, so a
 * stuck pipeline is caught as well. Reconnecting the client is not enough then (what ioredis
 * left unsettled stays with the client object): the owner replaces the client.
 */
export class ConnectionProbe {
    client;
    options;
    timer = null;
    outstanding = null;
    constructor(client, options) {
        this.client = client;
        this.options = options;
    }
    start() {
        if (this.timer)
            return;
        this.timer = setInterval(() => this.tick(), this.options.intervalMs);
        this.timer.unref();
    }
    stop() {
        if (this.timer)
            clearInterval(this.timer);
        this.timer = null;
        this.outstanding = null;
    }
    tick() {
        if (this.client.status !== 'ready') {
            this.outstanding = null; // reconnecting: the next ready connection gets a fresh PING
            return;
        }
        const pending = this.outstanding;
        if (pending) {
            const silentMs = Date.now() - pending.sentAt;
            if (silentMs < this.options.timeoutMs)
                return;
            this.stop();
            this.options.onWedged(silentMs);
            return;
        }
        const ping = { sentAt: Date.now() };
        this.outstanding = ping;
        const clear = () => {
            if (this.outstanding === ping)
                this.outstanding = null;
        };
        this.client.ping().then(clear, clear);
    }
}
//# sourceMappingURL=redis-health.js.map