/** The marker's body. Only the marker comes on Redis from this very slot: the router sends to
 * workers of its own node on the embedded bus, and to itself not at all. */
export const CUT_MARKER = Buffer.from('\xffswitchyard:reload-cut', 'latin1');
export function isCutMarker(msg, from, self) {
    return msg.kind === 'send' && from.node === self.node && from.slot === self.slot && msg.body.equals(CUT_MARKER);
}
export class BusHandover {
    self;
    run;
    state;
    held = [];
    released = false;
    onCut = null;
    /** Messages dropped before the cut (the old worker ran them) and held after it. */
    counts = { dropped: 0, held: 0 };
    constructor(self, run, role) {
        this.self = self;
        this.run = run;
        this.state = role === 'successor' ? 'before-cut' : 'live';
    }
    /** The bus's onMessage. */
    receive(msg, from) {
        if (isCutMarker(msg, from, this.self))
            return this.cut();
        if (msg.kind === 'reply' || this.state === 'live')
            return this.run(msg, from);
        if (this.state === 'before-cut' || this.state === 'after-cut') {
            this.counts.dropped++;
            return;
        }
        // Holding: the body is a view of the transport's buffer, valid during this call only.
        this.counts.held++;
        this.held.push({ msg: { kind: msg.kind, rid: msg.rid, body: Buffer.from(msg.body) }, from });
    }
    /** The old worker: resolves once its own marker came back (everything before it has run here). */
    waitCut(publish, timeoutMs) {
        if (this.state !== 'live')
            return Promise.resolve(false);
        if (!publish())
            return Promise.resolve(false);
        return new Promise((resolve) => {
            const timer = setTimeout(() => {
                this.onCut = null;
                resolve(false);
            }, timeoutMs);
            this.onCut = () => {
                clearTimeout(timer);
                resolve(true);
            };
        });
    }
    /** The replacement: the move link was read to its end; run what was held (after the cut) and go live. */
    release() {
        this.released = true;
        if (this.state === 'holding')
            this.goLive();
    }
    /** The replacement never saw the marker (Redis was down, the old worker died): live from now. */
    forceLive() {
        if (this.state === 'before-cut')
            this.goLive();
    }
    get cutSeen() {
        return this.state === 'holding' || this.state === 'after-cut' || (this.state === 'live' && this.released);
    }
    cut() {
        if (this.state === 'before-cut') {
            this.state = 'holding';
            if (this.released)
                this.goLive();
        }
        else if (this.state === 'live' && this.onCut) {
            // The old worker: from here on, the replacement runs what comes.
            this.state = 'after-cut';
            const done = this.onCut;
            this.onCut = null;
            done();
        }
    }
    goLive() {
        this.state = 'live';
        this.released = true;
        const held = this.held;
        this.held = [];
        for (const h of held)
            this.run(h.msg, h.from);
    }
}
//# sourceMappingURL=bus-handover.js.map