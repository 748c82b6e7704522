import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from '../shared/config.ts';
import type { Logger } from '../shared/logger.ts';
import type { ValidUpgrade } from '../shared/protocol/handshake.ts';
import type { AppCallbacks } from './app-callbacks.ts';
import type { CloseInfo, Connection } from './connection/connection.ts';
import type { HandshakeRequest, RequestSource } from './handshake/handshake-io.ts';
import type { HttpRequest } from './handshake/client-address.ts';
import type { UpgradeHandler } from './handshake/http-entry.ts';
import type { LocalConnections, LocalCounters } from './local-connections.ts';
import type { ServerApi } from './app-contract.ts';
import { Upgrader, type UpgradeHost } from './handshake/upgrade.ts';
import type { Traffic } from './connection/write-batcher.ts';
import type { WorkerMeters } from '../shared/metrics/worker-meters.ts';

/** Whether this worker takes one more connection now. */
export interface CapacityCheck {
  /** Why a new connection can't be established now (503), or null. */
  capacityRefusal(): string | null;
}

export interface WorkerEventsInit {
  config: Config;
  log: Logger;
  server: ServerApi;
  callbacks: AppCallbacks;
  local: LocalConnections;
  counters: LocalCounters;
  capacity: CapacityCheck;
}

/**
 * Where what happens to this worker's sockets and connections goes, in the order a connection
 * lives it: the HTTP entry hands over an upgrade (UpgradeHandler), the upgrade establishes a
 * connection or not (UpgradeHost), the connection reports messages, control frames,
 * backpressure and its close (ConnectionHost) — each to the connection registry
 * (LocalConnections), the counters and the app's callbacks. One per worker, built by
 * WorkerLifecycle; every connection points at it (no closures per connection).
 */
export class WorkerEvents implements UpgradeHost, UpgradeHandler {
  readonly config: Config;
  readonly log: Logger;
  readonly server: ServerApi;
  readonly upgrader: Upgrader;
  /** The worker's byte totals (the stats counters), for every connection. */
  readonly traffic: Traffic;
  private readonly meters: WorkerMeters;
  private readonly callbacks: AppCallbacks;
  private readonly local: LocalConnections;
  private readonly counters: LocalCounters;
  private readonly capacity: CapacityCheck;

  constructor(init: WorkerEventsInit) {
    this.config = init.config;
    this.log = init.log;
    this.server = init.server;
    this.callbacks = init.callbacks;
    this.local = init.local;
    this.counters = init.counters;
    this.capacity = init.capacity;
    this.traffic = init.counters;
    this.meters = init.local.meters;
    this.upgrader = new Upgrader(this);
  }

  // ---- UpgradeHandler: from the HTTP entry ------------------------------------------

  upgrade(fd: number, req: RequestSource, socket: Socket, head: Buffer, valid: ValidUpgrade, arrivedAt: number): void {
    this.upgrader.upgrade(fd, req, socket, head, valid, arrivedAt);
  }

  /** The server answered a socket that is not a WebSocket with `status` (the HTTP entry or the upgrade). */
  refused(status: number): void {
    this.meters.answered(status);
  }

  request(req: HttpRequest, res: ServerResponse): void {
    this.callbacks.request(req, res);
  }

  socketClosed(fd: number): void {
    this.callbacks.invokeDetached('disconnect', fd);
  }

  refuseReason(): string | null {
    return this.capacity.capacityRefusal();
  }

  awaitingHook(): number {
    return this.upgrader.pending.size;
  }

  // ---- UpgradeHost: from the upgrade ---------------------------------------------------

  handshakeHook(): AppCallbacks['handshake'] {
    return this.callbacks.handshake;
  }

  capacityRefusal(): string | null {
    return this.capacity.capacityRefusal();
  }

  established(conn: Connection, request: HandshakeRequest, arrivedAt: number): void {
    this.meters.answered(101);
    this.meters.handshakeSeconds.observe((performance.now() - arrivedAt) / 1000);
    this.local.add(conn, request);
    this.callbacks.invoke(conn, 'open', request);
  }

  unestablished(fd: number, aborted: boolean): void {
    if (aborted) this.counters.aborted++;
    else this.counters.refused++;
    this.callbacks.invokeDetached('disconnect', fd);
  }

  // ---- ConnectionHost: from an established connection ---------------------------------

  deliverMessage(conn: Connection, data: Buffer, binary: boolean): void {
    this.counters.messagesIn++;
    this.callbacks.message(conn, data, binary);
  }

  deliverControl(conn: Connection, opcode: number, payload: Buffer, code?: number, reason?: string): void {
    this.callbacks.control(conn, opcode, payload, code, reason);
  }

  connectionClosed(conn: Connection, info: CloseInfo): void {
    if (this.meters.slow.size !== 0) this.meters.slow.delete(conn);
    this.local.remove(conn, info);
    this.callbacks.invokeDetached('close', conn.fd, info);
  }

  bufferFull(conn: Connection): void {
    this.meters.slow.add(conn);
    this.callbacks.bufferFull(conn);
  }

  bufferEmpty(conn: Connection): void {
    this.meters.slow.delete(conn);
    this.callbacks.bufferEmpty(conn);
  }
}
