/**
 * A sender's order across the generations of a worker slot on the embedded bus, sans I/O.
 *
 * A reload replaces slot s's worker by a new process (a newer generation of s). For a while both
 * have a connection to every peer, and a moved client's messages are handled first in the old
 * process, then in the new one: two sockets, no order between them at the receiver. So each
 * outbound connection says who it is, and both processes mark the move in their own streams:
 *
 *   hello(gen)  first frame of every connection: the sender's generation (higher is newer)
 *   follow      the new process, at the move's first record: what follows may come from moved
 *               connections, so it goes behind everything its predecessor sent
 *   done        the old process, once every connection has moved: nothing it sends from here
 *               is about a moved connection
 *
 * The receiver holds what a stream sends after its `follow` while a connection from an older
 * generation of the same slot is open and has not said `done`; that one's `done` or its close
 * (EOF: everything it sent was read first) releases them, in order. Bounded: past `maxHeldBytes`
 * (every stream's together) or `holdMs` after its first held frame, a stream takes over: what it
 * holds is delivered and it is never held again (the shell logs a warn). A frame from an older
 * generation that comes after a newer one took over is delivered, late, never dropped. A worker
 * restarted after a crash is no successor: it sends no `follow` and nothing of it waits for the
 * dead one's socket.
 *
 * Markers are 'send' envelopes whose body starts with 0xff, an op no cluster operation has (as
 * the Redis bus's cut marker): a worker of an older release logs an unknown op and drops it; its
 * connection stays up.
 */
const PREFIX = Buffer.from('\xffswitchyard:order:', 'latin1');
const TYPE_CODE = { hello: 0x68, follow: 0x66, done: 0x64 }; // 'h', 'f', 'd'
const GENERATION_BYTES = 8;
/** A marker's body (the shell wraps it in a 'send' envelope from its own address). */
export function markerBody(marker) {
    const body = Buffer.alloc(PREFIX.length + 1 + (marker.t === 'hello' ? GENERATION_BYTES : 0));
    PREFIX.copy(body, 0);
    body[PREFIX.length] = TYPE_CODE[marker.t];
    if (marker.t === 'hello')
        body.writeDoubleBE(marker.generation, PREFIX.length + 1);
    return body;
}
/**
 * The marker a 'send' body carries; null when it is none (an ordinary message); 'invalid' for
 * one that starts like a marker and is not one (peer input: dropped, never thrown).
 */
export function markerOf(body) {
    if (body[0] !== 0xff || body.length <= PREFIX.length || !body.subarray(0, PREFIX.length).equals(PREFIX))
        return null;
    const type = body[PREFIX.length];
    const rest = body.length - PREFIX.length - 1;
    if (type === TYPE_CODE.follow && rest === 0)
        return { t: 'follow' };
    if (type === TYPE_CODE.done && rest === 0)
        return { t: 'done' };
    if (type === TYPE_CODE.hello && rest === GENERATION_BYTES) {
        const generation = body.readDoubleBE(PREFIX.length + 1);
        if (Number.isSafeInteger(generation) && generation >= 0)
            return { t: 'hello', generation };
    }
    return 'invalid';
}
export class SenderOrder {
    limits;
    streams = new Map();
    /** The same streams by sender slot: a frame's check looks at its own slot's (one or two) only. */
    bySlot = new Map();
    heldBytes = 0;
    counts = { held: 0, takeovers: 0 };
    constructor(limits) {
        this.limits = limits;
    }
    hello(key, slot, generation) {
        const known = this.streams.get(key);
        if (known) {
            // Said twice (should not happen): the newest word counts, nothing held is lost.
            this.unindex(known);
            known.slot = slot;
            known.generation = generation;
            this.index(known);
            return;
        }
        const s = { slot, generation, following: false, done: false, takenOver: false, held: [], heldBytes: 0, since: 0 };
        this.streams.set(key, s);
        this.index(s);
    }
    /** Frames from `key` after this may come from moved connections. Unknown streams are ignored. */
    follow(key) {
        const s = this.streams.get(key);
        if (s)
            s.following = true;
    }
    /** `key`'s predecessor work is over: what it blocked goes. */
    done(key) {
        const s = this.streams.get(key);
        if (!s || s.done)
            return [];
        s.done = true;
        return this.unblocked(s.slot, 'predecessor-done');
    }
    /** `key` closed (its EOF was read, or it broke): its own held frames go, and what it blocked. */
    closed(key) {
        const s = this.streams.get(key);
        if (!s)
            return [];
        this.streams.delete(key);
        this.unindex(s);
        const out = [];
        if (s.held.length > 0)
            out.push(this.take(key, s, 'closed'));
        return out.concat(this.unblocked(s.slot, 'predecessor-done'));
    }
    /** Whether a frame from `key` must wait now (behind what it holds, or behind an older stream). */
    mustHold(key) {
        const s = this.streams.get(key);
        if (s === undefined || !s.following || s.takenOver)
            return false;
        return s.held.length > 0 || this.blocked(s);
    }
    /** Holds a copy of `frame` (mustHold said so). Past the byte bound the stream takes over:
     * its release (this frame last) is returned. */
    hold(key, frame, now) {
        const s = this.streams.get(key);
        if (s === undefined)
            return { key, frames: [frame], why: 'closed', since: now };
        if (s.held.length === 0)
            s.since = now;
        s.held.push(Buffer.from(frame));
        s.heldBytes += frame.length;
        this.heldBytes += frame.length;
        this.counts.held++;
        if (this.heldBytes <= this.limits.maxHeldBytes)
            return null;
        return this.takeOver(key, s, 'bytes');
    }
    /** Streams held for `holdMs` take over. */
    expire(now) {
        const out = [];
        for (const [key, s] of this.streams)
            if (s.held.length > 0 && now - s.since >= this.limits.holdMs)
                out.push(this.takeOver(key, s, 'deadline'));
        return out;
    }
    /** When the next expire() has something to do (ms), or null when nothing is held. */
    nextDeadline() {
        let next = null;
        for (const s of this.streams.values())
            if (s.held.length > 0 && (next === null || s.since + this.limits.holdMs < next))
                next = s.since + this.limits.holdMs;
        return next;
    }
    /** Takes `key` out unreleased (its connection moves to another process, which is told this). */
    detach(key) {
        const s = this.streams.get(key);
        if (!s)
            return null;
        this.streams.delete(key);
        this.unindex(s);
        this.heldBytes -= s.heldBytes;
        return s;
    }
    get bytesHeld() {
        return this.heldBytes;
    }
    /** An older connection of `s.slot` open and not done blocks `s`. */
    blocked(s) {
        for (const o of this.bySlot.get(s.slot) ?? [])
            if (!o.done && o.generation < s.generation)
                return true;
        return false;
    }
    index(s) {
        let set = this.bySlot.get(s.slot);
        if (!set)
            this.bySlot.set(s.slot, (set = new Set()));
        set.add(s);
    }
    unindex(s) {
        const set = this.bySlot.get(s.slot);
        set?.delete(s);
        if (set?.size === 0)
            this.bySlot.delete(s.slot);
    }
    /** Streams of `slot` holding frames and blocked no more, oldest generation first. */
    unblocked(slot, why) {
        const ready = [];
        for (const [key, s] of this.streams)
            if (s.slot === slot && s.held.length > 0 && !this.blocked(s))
                ready.push([key, s]);
        ready.sort((a, b) => a[1].generation - b[1].generation);
        return ready.map(([key, s]) => this.take(key, s, why));
    }
    takeOver(key, s, why) {
        s.takenOver = true;
        this.counts.takeovers++;
        return this.take(key, s, why);
    }
    take(key, s, why) {
        const frames = s.held;
        s.held = [];
        this.heldBytes -= s.heldBytes;
        s.heldBytes = 0;
        return { key, frames, why, since: s.since };
    }
}
//# sourceMappingURL=sender-order.js.map