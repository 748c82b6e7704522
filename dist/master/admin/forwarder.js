/**
 * Admin requests that act on sessions go to a live worker over the master's IPC channel
 * (round-robin over the slots that are up): the worker runs them through its Server, whose
 * cluster operations reach the owner anywhere in the cluster, and answers. Each waits at most
 * `timeoutMs` (a worker's own calls give up after busTimeoutMs: the margin is the IPC and a
 * busy loop); a worker that exits meanwhile fails its requests at once. Either is a 503.
 */
export class AdminForwarder {
    slots;
    send;
    timeoutMs;
    pending = new Map();
    nextId = 0;
    turn = 0;
    constructor(slots, send, timeoutMs) {
        this.slots = slots;
        this.send = send;
        this.timeoutMs = timeoutMs;
    }
    /** Requests sent to a worker and not answered yet. */
    get inflight() {
        return this.pending.size;
    }
    forward(request) {
        const ready = this.slots().filter((s) => s.up && s.worker !== null);
        if (ready.length === 0)
            return Promise.resolve(unavailable('no worker is up'));
        const slot = ready[this.turn++ % ready.length];
        const id = ++this.nextId;
        return new Promise((resolve) => {
            const timer = setTimeout(() => settle(unavailable(`worker ${slot.slot} did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
            const settle = (answer) => {
                clearTimeout(timer);
                this.pending.delete(id);
                resolve(answer);
            };
            this.pending.set(id, { slot: slot.slot, settle });
            if (!this.send(slot, { t: 'admin', id, request }))
                settle(unavailable(`worker ${slot.slot} is not reachable`));
        });
    }
    /** A worker's answer (from the slot the request went to: anything else is ignored). */
    answered(slot, id, answer) {
        const p = this.pending.get(id);
        if (p?.slot === slot)
            p.settle(answer);
    }
    /** The worker in `slot` exited: its requests will never be answered. */
    workerGone(slot) {
        for (const p of [...this.pending.values()])
            if (p.slot === slot)
                p.settle(unavailable(`worker ${slot} exited before answering`));
    }
}
function unavailable(error) {
    return { status: 503, body: { error }, retryAfter: 1 };
}
//# sourceMappingURL=forwarder.js.map