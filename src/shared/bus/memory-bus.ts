/**
 * An in-process bus for unit tests of the layers above (router, server API): no sockets, but
 * the same guarantees as the real transports (contract suite in test/bus/contract.ts).
 *
 * Messages go through the real envelope codec, so a test fails here if a message would not
 * survive the wire (and receivers get their own bytes, as across processes). Delivery is
 * asynchronous and ordered: each receiver has an inbox drained on a later macrotask
 * (setImmediate), many messages at a time, as a socket read delivers them.
 */
import { SETTINGS } from '../config-table.ts';
import { BusError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { decodeEnvelope, encodeEnvelope } from './codec.ts';
import { worse, type Bus, type Incoming, type MessageHandler, type Outgoing, type SendResult, type WorkerAddress } from './types.ts';

/** What an inbox entry costs besides its bytes (a Buffer object and its array slot). */
const ENTRY_OVERHEAD_BYTES = 128;

export interface MemoryNetworkOptions {
  /** Where handler errors go; without it they are rethrown on a later turn (the test fails). */
  log?: Logger;
  /** Budget of each receiver's inbox (bytes plus ENTRY_OVERHEAD_BYTES per message); a send that
   * would pass it is 'congested', as with the real transports. Default 8 MiB. */
  maxQueuedBytes?: number;
}

export interface MemoryNetwork {
  /** A new bus at `address`; once started it replaces any earlier bus at that address. */
  bus(address: WorkerAddress): MemoryBus;
  /** Makes `address` unreachable both ways (its sends and sends to it return 'down'). */
  disconnect(address: WorkerAddress): void;
  /** Undoes disconnect. */
  reconnect(address: WorkerAddress): void;
}

const key = (a: WorkerAddress): string => `${a.node}:${a.slot}`;

class Network implements MemoryNetwork {
  /** Started, not closed buses by address. */
  readonly attached = new Map<string, MemoryBus>();
  readonly cut = new Set<string>();
  readonly log: Logger | undefined;
  readonly maxQueuedBytes: number;

  constructor(options: MemoryNetworkOptions) {
    this.log = options.log;
    this.maxQueuedBytes = options.maxQueuedBytes ?? SETTINGS.embeddedBusMaxQueuedBytes.default; // as the embedded bus
  }

  bus(address: WorkerAddress): MemoryBus {
    return new MemoryBus(this, address);
  }

  disconnect(address: WorkerAddress): void {
    this.cut.add(key(address));
  }

  reconnect(address: WorkerAddress): void {
    this.cut.delete(key(address));
  }

  /** The bus a message to `to` would reach now, or undefined. */
  reachable(to: WorkerAddress): MemoryBus | undefined {
    return this.cut.has(key(to)) ? undefined : this.attached.get(key(to));
  }
}

export function createMemoryNetwork(options: MemoryNetworkOptions = {}): MemoryNetwork {
  return new Network(options);
}

export class MemoryBus implements Bus {
  readonly self: WorkerAddress;
  onMessage: MessageHandler | null = null;
  private readonly network: Network;
  private readonly id: string;
  private state: 'new' | 'started' | 'closed' = 'new';
  private inbox: Buffer[] = [];
  private inboxBytes = 0;
  private drainScheduled = false;

  constructor(network: MemoryNetwork, self: WorkerAddress) {
    if (!(network instanceof Network)) throw new TypeError('MemoryBus needs a network from createMemoryNetwork()');
    this.network = network;
    this.self = { node: self.node, slot: self.slot };
    this.id = key(self);
  }

  async start(): Promise<void> {
    if (this.state !== 'new') throw new BusError('ERR_BUS_STATE', `memory bus already ${this.state}`);
    this.state = 'started';
    this.network.attached.set(this.id, this);
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this.network.attached.get(this.id) === this) this.network.attached.delete(this.id);
    this.inbox = [];
    this.inboxBytes = 0;
  }

  send(to: WorkerAddress, msg: Outgoing): SendResult {
    const target = this.live() ? this.network.reachable(to) : undefined;
    if (target === undefined || target === this) return 'down';
    return target.enqueue(encodeEnvelope(this.self, msg));
  }

  broadcast(msg: Outgoing): SendResult {
    if (!this.live()) return 'down';
    let result: SendResult = 'ok';
    let payload: Buffer | null = null;
    for (const [id, bus] of this.network.attached) {
      if (bus === this || this.network.cut.has(id)) continue;
      payload ??= encodeEnvelope(this.self, msg);
      result = worse(result, bus.enqueue(Buffer.from(payload))); // each receiver its own bytes, as across processes
    }
    // Unreachable peers the network knows of: a bus that is attached but cut off.
    for (const id of this.network.cut) if (id !== this.id && this.network.attached.has(id)) return 'down';
    return result;
  }

  private live(): boolean {
    return this.state === 'started' && !this.network.cut.has(this.id);
  }

  private enqueue(payload: Buffer): SendResult {
    const cost = payload.length + ENTRY_OVERHEAD_BYTES;
    if (this.inboxBytes > 0 && this.inboxBytes + cost > this.network.maxQueuedBytes) return 'congested';
    this.inbox.push(payload);
    this.inboxBytes += cost;
    if (!this.drainScheduled) {
      this.drainScheduled = true;
      setImmediate(() => this.drain());
    }
    return 'ok';
  }

  private drain(): void {
    this.drainScheduled = false;
    const batch = this.inbox;
    this.inbox = [];
    this.inboxBytes = 0;
    for (const payload of batch) {
      // Closed or cut off since the send: in flight on a dead link, so lost (at most once).
      if (!this.live()) return;
      const envelope = decodeEnvelope(payload);
      if (envelope === null) throw new Error('memory bus: codec round-trip failed');
      this.deliver(envelope.msg, envelope.from);
    }
  }

  private deliver(msg: Incoming, from: WorkerAddress): void {
    const handler = this.onMessage;
    if (handler === null) return;
    try {
      handler(msg, from);
    } catch (err) {
      const log = this.network.log;
      if (log === undefined) {
        setImmediate(() => {
          throw err;
        });
      } else {
        log.error({ err, kind: msg.kind, from }, 'bus message handler threw');
      }
    }
  }
}
