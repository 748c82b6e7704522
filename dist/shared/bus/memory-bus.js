/**
 * An in-process bus for unit tests of the layers above (router, server API): no sockets, but
 * the same guarantees as the real transports (contract suite in test/bus/contract.ts).
 *
 * Messages go through the real envelope codec, so a test fails here if a message would not
 * survive the wire (and receivers get their own bytes, as across processes). Delivery is
 * asynchronous and ordered: each receiver has an inbox drained on a later macrotask
 * (setImmediate), many messages at a time, as a socket read delivers them.
 */
import { SETTINGS } from '../config-table.js';
import { BusError } from '../errors.js';
import { decodeEnvelope, encodeEnvelope } from './codec.js';
import { worse } from './types.js';
/** What an inbox entry costs besides its bytes (a Buffer object and its array slot). */
const ENTRY_OVERHEAD_BYTES = 128;
const key = (a) => `${a.node}:${a.slot}`;
class Network {
    /** Started, not closed buses by address. */
    attached = new Map();
    cut = new Set();
    log;
    maxQueuedBytes;
    constructor(options) {
        this.log = options.log;
        this.maxQueuedBytes = options.maxQueuedBytes ?? SETTINGS.embeddedBusMaxQueuedBytes.default; // as the embedded bus
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
    inboxBytes = 0;
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
            throw new BusError('ERR_BUS_STATE', `memory bus already ${this.state}`);
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
        this.inboxBytes = 0;
    }
    send(to, msg) {
        const target = this.live() ? this.network.reachable(to) : undefined;
        if (target === undefined || target === this)
            return 'down';
        return target.enqueue(encodeEnvelope(this.self, msg));
    }
    broadcast(msg) {
        if (!this.live())
            return 'down';
        let result = 'ok';
        let payload = null;
        for (const [id, bus] of this.network.attached) {
            if (bus === this || this.network.cut.has(id))
                continue;
            payload ??= encodeEnvelope(this.self, msg);
            result = worse(result, bus.enqueue(Buffer.from(payload))); // each receiver its own bytes, as across processes
        }
        // Unreachable peers the network knows of: a bus that is attached but cut off.
        for (const id of this.network.cut)
            if (id !== this.id && this.network.attached.has(id))
                return 'down';
        return result;
    }
    live() {
        return this.state === 'started' && !this.network.cut.has(this.id);
    }
    enqueue(payload) {
        const cost = payload.length + ENTRY_OVERHEAD_BYTES;
        if (this.inboxBytes > 0 && this.inboxBytes + cost > this.network.maxQueuedBytes)
            return 'congested';
        this.inbox.push(payload);
        this.inboxBytes += cost;
        if (!this.drainScheduled) {
            this.drainScheduled = true;
            setImmediate(() => this.drain());
        }
        return 'ok';
    }
    drain() {
        this.drainScheduled = false;
        const batch = this.inbox;
        this.inbox = [];
        this.inboxBytes = 0;
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
                log.error({ err, kind: msg.kind, from }, 'bus message handler threw');
            }
        }
    }
}
//# sourceMappingURL=memory-bus.js.map