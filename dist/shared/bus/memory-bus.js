import { decodeEnvelope, encodeEnvelope } from './codec.js';
const key = (a) => `${a.node}:${a.slot}`;
class Network {
    /** Started, not closed buses by address. */
    attached = new Map();
    cut = new Set();
    log;
    constructor(options) {
        this.log = options.log;
    }
    bus(address) {
        return new MemoryBus(this, address);
    }
    disconnect(address) {
        this.cut.add(key(address));
    }
    reconnect(address) {
        this.cut.delete(key(address));
    }
    /** The bus a message to `to` would reach now, or undefined. */
    reachable(to) {
        return this.cut.has(key(to)) ? undefined : this.attached.get(key(to));
    }
}
export function createMemoryNetwork(options = {}) {
    return new Network(options);
}
export class MemoryBus {
    self;
    onMessage = null;
    network;
    id;
    state = 'new';
    inbox = [];
    drainScheduled = false;
    constructor(network, self) {
        if (!(network instanceof Network))
            throw new TypeError('MemoryBus needs a network from createMemoryNetwork()');
        this.network = network;
        this.self = { node: self.node, slot: self.slot };
        this.id = key(self);
    }
    async start() {
        if (this.state !== 'new')
            throw new Error(`memory bus already ${this.state}`);
        this.state = 'started';
        this.network.attached.set(this.id, this);
    }
    async close() {
        if (this.state === 'closed')
            return;
        this.state = 'closed';
        if (this.network.attached.get(this.id) === this)
            this.network.attached.delete(this.id);
        this.inbox = [];
    }
    send(to, msg) {
        const target = this.live() ? this.network.reachable(to) : undefined;
        if (target === undefined || target === this)
            return false;
        target.enqueue(encodeEnvelope(this.self, msg));
        return true;
    }
    broadcast(msg) {
        if (!this.live())
            return false;
        let payload = null;
        for (const [id, bus] of this.network.attached) {
            if (bus === this || this.network.cut.has(id))
                continue;
            payload ??= encodeEnvelope(this.self, msg);
            bus.enqueue(payload); // each receiver decodes its own copy
        }
        // Unreachable peers the network knows of: a bus that is attached but cut off.
        for (const id of this.network.cut)
            if (id !== this.id && this.network.attached.has(id))
                return false;
        return true;
    }
    live() {
        return this.state === 'started' && !this.network.cut.has(this.id);
    }
    enqueue(payload) {
        this.inbox.push(payload);
        if (this.drainScheduled)
            return;
        this.drainScheduled = true;
        setImmediate(() => this.drain());
    }
    drain() {
        this.drainScheduled = false;
        const batch = this.inbox;
        this.inbox = [];
        for (const payload of batch) {
            // Closed or cut off since the send: in flight on a dead link, so lost (at most once).
            if (!this.live())
                return;
            const envelope = decodeEnvelope(payload);
            if (envelope === null)
                throw new Error('memory bus: codec round-trip failed');
            this.deliver(envelope.msg, envelope.from);
        }
    }
    deliver(msg, from) {
        const handler = this.onMessage;
        if (handler === null)
            return;
        try {
            handler(msg, from);
        }
        catch (err) {
            const log = this.network.log;
            if (log === undefined) {
                setImmediate(() => {
                    throw err;
                });
            }
            else {
                log.error({ err, t: msg.t, from }, 'bus message handler threw');
            }
        }
    }
}
//# sourceMappingURL=memory-bus.js.map