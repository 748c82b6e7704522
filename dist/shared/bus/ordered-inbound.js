import { BytesMessage, decodeEnvelope, encodeStreamFrame, frameHeader } from './codec.js';
import { SenderOrder, markerBody, markerOf } from './sender-order.js';
/** A marker as a whole stream frame (length prefix included) from `from`. */
export function markerFrame(from, marker) {
    return encodeStreamFrame(from, new BytesMessage('send', 0, markerBody(marker)));
}
export class OrderedInbound {
    options;
    order;
    timer = null;
    constructor(options) {
        this.options = options;
        this.order = new SenderOrder({ maxHeldBytes: options.maxHeldBytes, holdMs: options.holdMs });
    }
    get counts() {
        return this.order.counts;
    }
    /** One frame of `socket` (its envelope decoded): false for a marker (no message). */
    frame(socket, envelope, frame) {
        const marker = envelope.msg.kind === 'send' ? markerOf(envelope.msg.body) : null;
        if (marker !== null) {
            this.marker(socket, envelope.from, marker);
            return false;
        }
        if (!this.order.mustHold(socket)) {
            this.options.deliver(envelope);
            return true;
        }
        const released = this.order.hold(socket, frame, Date.now());
        if (released)
            this.release([released]);
        // A new hold's deadline is never earlier than the one armed already.
        else if (this.timer === null)
            this.arm();
        return true;
    }
    /** `socket` closed (after its last byte was read): what it held and what it blocked go. */
    closed(socket) {
        this.release(this.order.closed(socket));
    }
    /**
     * `socket` leaves this process unread (a reload): what we knew of it and the frames we held,
     * as the frames its sender would have sent, to put in front of its remaining bytes.
     */
    detach(socket, node) {
        const s = this.order.detach(socket);
        if (s === null)
            return [];
        const from = { node, slot: s.slot };
        const out = [markerFrame(from, { t: 'hello', generation: s.generation })];
        // A stream that took over is not held again over there: no `follow`.
        if (s.following && !s.takenOver)
            out.push(markerFrame(from, { t: 'follow' }));
        if (s.done)
            out.push(markerFrame(from, { t: 'done' }));
        for (const frame of s.held)
            out.push(frameHeader(frame.length), frame);
        return out;
    }
    stop() {
        if (this.timer !== null)
            clearTimeout(this.timer);
        this.timer = null;
    }
    marker(socket, from, marker) {
        if (marker === 'invalid')
            return this.options.log.debug({ from }, 'bus: unknown order marker dropped');
        if (marker.t === 'hello')
            return this.order.hello(socket, from.slot, marker.generation);
        if (marker.t === 'follow')
            return this.order.follow(socket);
        this.release(this.order.done(socket));
    }
    /** Delivers what a hold let go, in order; a hold that ran out of time or room is a warn. */
    release(releases) {
        for (const r of releases) {
            const fields = { why: r.why, frames: r.frames.length, heldMs: Date.now() - r.since };
            if (r.why === 'deadline' || r.why === 'bytes') {
                this.options.log.warn({ event: 'bus-order-hold-expired', ...fields }, "bus: a reload's new worker was held behind its predecessor too long: delivered now, its order against the old worker's is not kept");
            }
            else
                this.options.log.debug({ event: 'bus-order-released', ...fields }, "bus: a reload's new worker's frames run, behind its predecessor's");
            for (const frame of r.frames) {
                if (!this.options.live())
                    return;
                const envelope = decodeEnvelope(frame);
                if (envelope !== null)
                    this.options.deliver(envelope);
            }
        }
        if (releases.length > 0)
            this.arm();
    }
    /** One timer, for the earliest hold's deadline (none when nothing is held). */
    arm() {
        this.stop();
        const next = this.order.nextDeadline();
        if (next === null || !this.options.live())
            return;
        this.timer = setTimeout(() => {
            this.timer = null;
            this.release(this.order.expire(Date.now()));
            this.arm();
        }, Math.max(0, next - Date.now()));
        this.timer.unref();
    }
}
//# sourceMappingURL=ordered-inbound.js.map