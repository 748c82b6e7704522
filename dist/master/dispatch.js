/** Swoole's dispatch_mode numbers. 5-7 (uid, stream, ...) have no meaning here. */
export const DISPATCH_MODES = {
    1: 'round-robin',
    2: 'fd-mod',
    3: 'idle-worker',
    4: 'ip-hash',
    8: 'least-connections',
};
/** Next up worker after the cursor: round-robin that skips workers that are down. */
class RoundRobin {
    name = 'round-robin';
    fdModulus = 1;
    cursor = -1;
    pick(_info, workers) {
        for (let i = 1; i <= workers.length; i++) {
            const w = workers[(this.cursor + i) % workers.length];
            if (w.up) {
                this.cursor = w.slot;
                return w.slot;
            }
        }
        return -1;
    }
}
/** Swoole's fd-mod: the worker is fd % workers. Our fds carry their slot, so the allocator
 *  aligns each fd for the slot taken in turn: the same spread, and fd % workers === slot. */
class FdMod extends RoundRobin {
    name = 'fd-mod';
    fdModulus;
    constructor(workers) {
        super();
        this.fdModulus = workers;
    }
}
/** Lowest score among up workers; ties go round-robin so equal workers share the load. */
class ByScore {
    fdModulus = 1;
    cursor = -1;
    pick(_info, workers) {
        let best = -1;
        let bestScore = Infinity;
        const n = workers.length;
        for (let i = 1; i <= n; i++) {
            const w = workers[(this.cursor + i) % n];
            if (!w.up)
                continue;
            const s = this.score(w);
            if (s < bestScore) {
                bestScore = s;
                best = w.slot;
            }
        }
        if (best !== -1)
            this.cursor = best;
        return best;
    }
}
/** Mode 8: fewest connections, counting hand-offs still in flight. */
class LeastConnections extends ByScore {
    name = 'least-connections';
    score(w) {
        return w.connections + w.inflight;
    }
}
/** Event-loop delay is compared in steps of this: a few ms of it is scheduling noise on a shared
 *  host (two idle workers read 0.4 and 2.3 ms), not a busy worker. */
const LAG_STEP_MS = 5;
/**
 * Mode 3, "idle worker": the least busy by what workers report. Event-loop delay dominates
 * (a worker stuck in a callback is not idle whatever its connection count), in LAG_STEP_MS
 * steps; queued hand-offs and connections break ties.
 */
class IdleWorker extends ByScore {
    name = 'idle-worker';
    score(w) {
        return Math.floor(w.lagMs / LAG_STEP_MS) * 1_000_000 + w.inflight * 1000 + w.connections;
    }
}
/**
 * Mode 4: the same address always reaches the same worker while that worker is up. When its
 * worker is down the next slots are probed in order, so other addresses keep their worker.
 */
class IpHash {
    name = 'ip-hash';
    fdModulus = 1;
    pick(info, workers) {
        const n = workers.length;
        const h = fnv1a(info.remoteAddress) % n;
        for (let i = 0; i < n; i++) {
            const w = workers[(h + i) % n];
            if (w.up)
                return w.slot;
        }
        return -1;
    }
}
/** A user function; a bad answer (throws, not a slot, worker down) falls back to least-connections. */
class Custom {
    fn;
    onBadAnswer;
    name = 'custom';
    fdModulus = 1;
    fallback = new LeastConnections();
    constructor(fn, onBadAnswer) {
        this.fn = fn;
        this.onBadAnswer = onBadAnswer;
    }
    pick(info, workers) {
        let slot;
        try {
            slot = this.fn(info, workers);
        }
        catch (err) {
            this.onBadAnswer(`dispatch function threw: ${err.message}`);
            return this.fallback.pick(info, workers);
        }
        if (typeof slot !== 'number' || !Number.isInteger(slot) || slot < 0 || slot >= workers.length) {
            this.onBadAnswer(`dispatch function returned ${String(slot)}, not a slot 0..${workers.length - 1}`);
            return this.fallback.pick(info, workers);
        }
        if (!workers[slot].up)
            return this.fallback.pick(info, workers);
        return slot;
    }
}
/** 32-bit FNV-1a: fast, and spreads similar addresses (127.0.0.2, .3, ...) well. */
export function fnv1a(s) {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) {
        h ^= s.charCodeAt(i);
        h = Math.imul(h, 0x01000193);
    }
    return h >>> 0;
}
export function createDispatchPolicy(mode, workers, fn, onBadAnswer = () => { }) {
    if (fn)
        return new Custom(fn, onBadAnswer);
    switch (mode) {
        case 1:
            return new RoundRobin();
        case 2:
            return new FdMod(workers);
        case 3:
            return new IdleWorker();
        case 4:
            return new IpHash();
        case 8:
            return new LeastConnections();
    }
}
//# sourceMappingURL=dispatch.js.map