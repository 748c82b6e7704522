/** A failed re-write is tried again after this, doubling up to RETRY_MAX_MS. */
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 10_000;
/**
 * When and how often a session table re-writes its worker's sessions: once per loss
 * (`dirty`, whatever the reason), when connected and the node's lease is back, one re-write at
 * a time; a re-write during which more was lost (a write failed, the connection dropped) is
 * followed by another, with a back-off, so a Redis that keeps refusing writes is not hammered.
 */
export class ResyncScheduler {
    steps;
    log;
    /** Why the next re-write is needed; null while the table is in step. */
    dirty = null;
    running = false;
    timer = null;
    failures = 0;
    waitingLogged = false;
    stopped = false;
    /** Re-writes completed. */
    count = 0;
    constructor(steps, log) {
        this.steps = steps;
        this.log = log;
    }
    /** Writes may have been lost: a re-write is due. `now` cuts a retry back-off short (the
     * node has just re-claimed its lease: the wait for it is over). */
    markDirty(reason, now = false) {
        if (this.stopped)
            return;
        this.dirty ??= reason;
        if (now && this.timer) {
            clearTimeout(this.timer);
            this.timer = null;
        }
        this.schedule(0);
    }
    /** The connection is back: a due re-write can run. */
    wake() {
        this.schedule(0);
    }
    stop() {
        this.stopped = true;
        if (this.timer)
            clearTimeout(this.timer);
        this.timer = null;
    }
    schedule(delayMs) {
        if (this.stopped || this.dirty === null || this.running || this.timer)
            return;
        this.timer = setTimeout(() => {
            this.timer = null;
            void this.run();
        }, delayMs);
        this.timer.unref();
    }
    async run() {
        if (this.stopped || this.dirty === null || this.running || !this.steps.connected())
            return;
        this.running = true;
        const reason = this.dirty;
        let ok = false;
        try {
            if (!(await this.steps.leaseHeld())) {
                if (!this.waitingLogged)
                    this.log.warn({ reason }, 'session table re-write waits for this node\'s lease');
                this.waitingLogged = true;
                return;
            }
            this.waitingLogged = false;
            this.dirty = null;
            const { written, stale } = await this.steps.rewrite();
            this.count++;
            ok = this.dirty === null;
            this.log.info({ event: 'sessions-rewritten', reason, sessions: written, stale }, 'session table re-written for this worker');
        }
        catch (err) {
            this.dirty ??= reason;
            if (this.failures === 0)
                this.log.warn({ err: err.message, reason }, 'session table re-write failed (retrying)');
        }
        finally {
            this.running = false;
            this.failures = ok ? 0 : this.failures + 1;
            this.schedule(ok ? 0 : Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.max(0, this.failures - 1)));
        }
    }
}
//# sourceMappingURL=resync-scheduler.js.map