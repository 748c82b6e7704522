import { isCutMarker, isOwnCutMarker } from '../../shared/bus/cut-marker.js';
export { CUT_MARKER } from '../../shared/bus/cut-marker.js';
export class BusHandover {
    self;
    run;
    /** The streams cut apart: 'direct' alone carries everything when the bus keeps one order. */
    streams;
    state;
    held = [];
    released = false;
    /** The old worker: streams whose marker has not come back yet, and who waits for them. */
    awaiting = new Set();
    onCut = null;
    /** Messages dropped before the cut (the old worker ran them) and held after it. */
    counts = { dropped: 0, held: 0 };
    constructor(self, run, role, options = {}) {
        this.self = self;
        this.run = run;
        this.streams = options.splitBroadcasts ? ['direct', 'broadcast'] : ['direct'];
        const initial = role === 'successor' ? 'before-cut' : 'live';
        this.state = { direct: initial, broadcast: initial };
    }
    /** The bus's onMessage. */
    receive(msg, from, via) {
        if (isCutMarker(msg)) {
            // Another worker's marker (on the broadcast channel, every worker hears it): not ours to see.
            if (isOwnCutMarker(msg, from, this.self))
                this.cut(this.streamOf(via));
            return;
        }
        if (msg.kind === 'reply')
            return this.run(msg, from, via);
        switch (this.state[this.streamOf(via)]) {
            case 'live':
                return this.run(msg, from, via);
            case 'before-cut':
            case 'after-cut':
                this.counts.dropped++;
                return;
            case 'holding':
                // The body is a view of the transport's buffer, valid during this call only.
                this.counts.held++;
                this.held.push({ msg: { kind: msg.kind, rid: msg.rid, body: Buffer.from(msg.body) }, from, via });
                return;
        }
    }
    /**
     * The old worker: `publish(stream)` sends the marker on that stream. Resolves once each
     * marker came back (everything before it has run here), or after timeoutMs, with the streams
     * whose marker did not come back (or could not be published): [] when the cut is whole.
     */
    waitCut(publish, timeoutMs) {
        if (this.streams.some((s) => this.state[s] !== 'live') || this.onCut)
            return Promise.resolve([...this.streams]);
        const missed = [];
        for (const s of this.streams) {
            if (publish(s))
                this.awaiting.add(s);
            else
                missed.push(s);
        }
        if (this.awaiting.size === 0)
            return Promise.resolve(missed);
        return new Promise((resolve) => {
            const timer = setTimeout(() => {
                this.onCut = null;
                const late = [...this.awaiting];
                this.awaiting.clear();
                resolve([...missed, ...late]);
            }, timeoutMs);
            this.onCut = () => {
                clearTimeout(timer);
                resolve(missed);
            };
        });
    }
    /** The replacement: the move link was read to its end; run what was held (after the cut) and go live. */
    release() {
        this.released = true;
        let any = false;
        for (const s of this.streams) {
            if (this.state[s] !== 'holding')
                continue;
            this.state[s] = 'live';
            any = true;
        }
        if (!any)
            return;
        // In arrival order: each stream's own order is kept (the two have none between them).
        const held = this.held;
        this.held = [];
        for (const h of held)
            this.run(h.msg, h.from, h.via);
    }
    /** The replacement never saw a marker (Redis was down, the old worker died): live from now.
     * Called after release() (what is held then is nothing). */
    forceLive() {
        for (const s of this.streams)
            if (this.state[s] === 'before-cut')
                this.state[s] = 'holding';
        this.release();
    }
    streamOf(via) {
        return via === 'broadcast' && this.streams.length === 2 ? 'broadcast' : 'direct';
    }
    cut(stream) {
        const state = this.state[stream];
        if (state === 'before-cut') {
            // The replacement: what follows is ours; held until the move link is read, unless it was already.
            this.state[stream] = this.released ? 'live' : 'holding';
        }
        else if (state === 'live' && this.awaiting.has(stream)) {
            // The old worker: from here on, the replacement runs what comes on this stream.
            this.state[stream] = 'after-cut';
            this.awaiting.delete(stream);
            if (this.awaiting.size > 0)
                return;
            const done = this.onCut;
            this.onCut = null;
            done?.();
        }
    }
}
//# sourceMappingURL=bus-handover.js.map