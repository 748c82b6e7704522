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
export const ADMISSION_REASONS = ['maxConnection', 'perIp', 'rate', 'flood'];
/**
 * Refusals an address may get in a row (without being let in between) before its connections
 * are closed unanswered: a client that honours Retry-After never gets near it, a loop that
 * reconnects at once does within a second, and then costs the master one accept and one close
 * per connection instead of a socket, a write and a timer.
 */
export const FLOOD_STRIKES = 10;
const ADMIT = Object.freeze({ kind: 'admit' });
const DROP = Object.freeze({ kind: 'drop', reason: 'flood' });
export class Admission {
    limits;
    /** Connections admitted and not yet released, all addresses. */
    liveTotal = 0;
    /** Live connections by address (entries at 0 are deleted). */
    live = new Map();
    /** Buckets and strikes, least recently seen first (a Map keeps insertion order). */
    tracked = new Map();
    /** Connections not let in, by reason. */
    refused = { maxConnection: 0, perIp: 0, rate: 0, flood: 0 };
    constructor(limits) {
        this.limits = limits;
    }
    /** Connections admitted and not released. */
    get connections() {
        return this.liveTotal;
    }
    /** Addresses whose rate state is kept (at most maxTrackedAddresses). */
    get trackedAddresses() {
        return this.tracked.size;
    }
    /** Addresses with live connections (at most maxConnection). */
    get liveAddresses() {
        return this.live.size;
    }
    /** Live connections of one address. */
    connectionsOf(address) {
        return this.live.get(address) ?? 0;
    }
    /**
     * Decides on a new connection from `address` at `now` (ms); an admitted one is counted until
     * released(address).
     */
    admit(address, now) {
        const l = this.limits;
        const rateOn = l.connectionRateLimit > 0;
        let verdict = null;
        if (this.liveTotal >= l.maxConnection)
            verdict = { kind: 'refuse', status: 503, retryAfter: 1, reason: 'maxConnection' };
        else if (l.maxConnectionsPerIp > 0 && (this.live.get(address) ?? 0) >= l.maxConnectionsPerIp)
            verdict = { kind: 'refuse', status: 429, retryAfter: 1, reason: 'perIp' };
        let t = this.tracked.get(address);
        if (verdict === null && rateOn) {
            t = this.touch(address, t, now);
            if (t.tokens < 1) {
                // The wait for the next whole token, in whole seconds (Retry-After's unit), at least 1.
                verdict = { kind: 'refuse', status: 429, retryAfter: Math.max(1, Math.ceil((1 - t.tokens) / l.connectionRateLimit)), reason: 'rate' };
            }
            else {
                t.tokens -= 1;
            }
        }
        if (verdict === null) {
            if (t !== undefined) {
                t.strikes = 0;
                // Without a rate limit, state is only kept for addresses being refused.
                if (!rateOn)
                    this.tracked.delete(address);
            }
            this.liveTotal++;
            this.live.set(address, (this.live.get(address) ?? 0) + 1);
            return ADMIT;
        }
        t = this.touch(address, t, now);
        if (++t.strikes > FLOOD_STRIKES) {
            this.refused.flood++;
            return DROP;
        }
        this.refused[verdict.reason]++;
        return verdict;
    }
    /** A refusal counted under `from` ended up counted as `to` (the master had to close it unanswered). */
    recount(from, to) {
        this.refused[from]--;
        this.refused[to]++;
    }
    /** An admitted connection from `address` ended (its worker closed it, or died). */
    released(address) {
        const n = this.live.get(address);
        if (n === undefined)
            return;
        this.liveTotal--;
        if (n <= 1)
            this.live.delete(address);
        else
            this.live.set(address, n - 1);
    }
    /** The address's state, refilled to `now` and moved to the most recently seen end; made (full) if it had none. */
    touch(address, t, now) {
        const l = this.limits;
        if (t === undefined) {
            // The bound: forget the least recently seen address before adding one.
            if (this.tracked.size >= l.maxTrackedAddresses) {
                const oldest = this.tracked.keys().next();
                if (oldest.done !== true)
                    this.tracked.delete(oldest.value);
            }
            t = { tokens: l.connectionRateBurst, stamp: now, strikes: 0 };
        }
        else {
            this.tracked.delete(address);
            if (l.connectionRateLimit > 0)
                t.tokens = Math.min(l.connectionRateBurst, t.tokens + ((now - t.stamp) / 1000) * l.connectionRateLimit);
            t.stamp = now;
        }
        this.tracked.set(address, t);
        return t;
    }
}
/** The address a limit counts: an IPv4 client on a dual-stack socket is its IPv4 address. */
export function clientKey(address) {
    return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
//# sourceMappingURL=admission.js.map