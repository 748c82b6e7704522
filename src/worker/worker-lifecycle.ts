import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import type { Config } from '../shared/config.ts';
import type { Logger } from '../shared/logger.ts';
import type { AppCallbacks } from './app-callbacks.ts';
import { HttpEntry, reject } from './handshake/http-entry.ts';
import type { LocalConnections, LocalCounters } from './local-connections.ts';
import type { Upgrader } from './handshake/upgrade.ts';
import { TlsTerminator } from './handshake/tls-terminator.ts';
import { tlsEnabled } from '../shared/tls-files.ts';
import { WorkerEvents, type CapacityCheck, type WorkerEventsInit } from './worker-events.ts';

/** One listener for every socket: a closure each would stay with every idle connection. */
const ignore = (): void => {};

/** What the lifecycle is built with: what its WorkerEvents needs (it is the capacity check itself), and more. */
export interface WorkerLifecycleInit extends Omit<WorkerEventsInit, 'capacity'> {
  workerId: number;
  /** Session ids for sockets of our own listener. */
  allocateFd: () => number;
}

/**
 * This worker from start to stop. Sockets enter (the master's hand-off or our own listener),
 * go through the HTTP entry and the upgrade, refused (503) at capacity or while shutting
 * down; what a connection reports from then on goes to the connection registry and the app's
 * callbacks. Timers close idle connections and ping; stop() closes everything with 1001.
 */
export class WorkerLifecycle implements CapacityCheck {
  private readonly config: Config;
  private readonly log: Logger;
  private readonly callbacks: AppCallbacks;
  private readonly local: LocalConnections;
  private readonly counters: LocalCounters;
  private readonly allocateFd: () => number;
  private readonly entry: HttpEntry;
  private readonly upgrader: Upgrader;
  private readonly events: WorkerEvents;
  private listener: NetServer | null = null;
  /** With sslCertFile and sslKeyFile: TLS ends here, on every accepted socket. */
  private readonly tls: TlsTerminator | null;
  private stopping = false;
  private draining = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly workerId: number;

  constructor(init: WorkerLifecycleInit) {
    const { config, log, callbacks, local, counters } = init;
    this.config = config;
    this.log = log;
    this.callbacks = callbacks;
    this.local = local;
    this.counters = counters;
    this.allocateFd = init.allocateFd;
    this.workerId = init.workerId;
    // Where sockets and connections report to: one object, declared interfaces (worker-events.ts).
    const events = new WorkerEvents({ config, log, server: init.server, callbacks, local, counters, capacity: this });
    this.events = events;
    this.upgrader = events.upgrader;
    this.entry = new HttpEntry(config, log, events);
    this.tls = tlsEnabled(config) ? new TlsTerminator(config, log) : null;
  }

  /** Reads the TLS files again (SIGHUP to the master): false when TLS is off or a file failed (the old certificate stays). */
  reloadTls(): boolean {
    return this.tls?.reload() ?? false;
  }

  /** Where connections report (a connection a reload moves here is built with it). */
  get connectionHost(): WorkerEvents {
    return this.events;
  }

  /** Whether stop() has begun: no new connections. */
  get shuttingDown(): boolean {
    return this.stopping;
  }

  /** Connections that are not WebSockets (yet), as maxPendingHandshakes counts them. */
  get pendingHandshakes(): number {
    return this.entry.sockets.size + this.upgrader.pending.size;
  }

  /** A socket with no WebSocket yet: waiting for the app's handshake hook or still in HTTP. */
  pendingSocket(fd: number): Socket | undefined {
    return this.upgrader.pending.get(fd) ?? this.entry.sockets.get(fd);
  }

  /**
   * A socket handed over by the master. It may arrive without its handle when the client
   * closed while it travelled: counted and logged, never a crash.
   */
  receive(socket: Socket | undefined, fd: number): void {
    this.counters.received++;
    if (!socket) {
      this.counters.missing++;
      this.log.warn({ fd }, 'handed-over socket arrived without its handle (closed in transit)');
      this.callbacks.invokeDetached('disconnect', fd);
      return;
    }
    this.attach(socket, fd);
  }

  /** Takes an accepted socket (from our own listener or the master's hand-off). */
  attach(socket: Socket, fd: number = this.allocateFd()): void {
    this.counters.accepted++;
    if (this.stopping) {
      socket.destroy();
      return;
    }
    socket.on('error', ignore); // reported by the connection; never an uncaught exception
    // TLS is the first phase of the HTTP entry's: its deadline (handshakeTimeoutMs) and its
    // place among maxPendingHandshakes start now, before the client's hello.
    this.entry.attach(this.tls === null ? socket : this.tls.wrap(socket), fd);
  }

  /** Single-process mode: listen ourselves, as the master will (paused sockets, nothing read). */
  async listen(port: number, host: string): Promise<AddressInfo> {
    const listener = createNetServer({ pauseOnConnect: true, noDelay: true }, (socket) => this.attach(socket));
    this.listener = listener;
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen({ port, host, backlog: 4096 }, () => {
        listener.off('error', reject);
        resolve();
      });
    });
    const address = listener.address() as AddressInfo;
    this.log.info({ event: 'listening', host: address.address, port: address.port }, 'listening');
    return address;
  }

  /** Arms the heartbeat and ping timers and runs workerStart (`strict`: its failure is thrown). */
  async start(strict = false): Promise<void> {
    const { heartbeatCheckInterval, heartbeatIdleTime, pingInterval } = this.config;
    if (heartbeatCheckInterval > 0) {
      this.timers.push(setInterval(() => this.local.checkHeartbeat(heartbeatIdleTime * 1000), heartbeatCheckInterval * 1000).unref());
    }
    if (pingInterval > 0) {
      this.timers.push(setInterval(() => this.local.pingAll(), pingInterval * 1000).unref());
    }
    await this.callbacks.invokeLifecycle('workerStart', this.workerId, strict);
  }

  /** Closes every connection here with 1001 and waits for the closing handshakes, up to `maxWaitMs`. */
  async stop(maxWaitMs: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.log.info({ event: 'shutdown', connections: this.local.size }, 'shutting down');
    this.listener?.close();
    for (const t of this.timers) clearInterval(t);
    this.entry.closeAll();
    for (const socket of this.upgrader.pending.values()) if (reject(socket, 503, 'server shutting down')) this.events.refused(503);
    this.local.disconnectAll();
    const deadline = Date.now() + maxWaitMs;
    while (this.local.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    this.local.closeAll();
    await this.callbacks.invokeLifecycle('workerStop', this.workerId);
  }

  /**
   * A drain: no new connections (503), and every established one closed with 1012 (Service
   * Restart), one after the other at even intervals over `ms`: clients reconnect elsewhere
   * without a storm.
   */
  drain(ms: number): void {
    if (this.draining || this.stopping) return;
    this.draining = true;
    const fds = [...this.local.fds()];
    this.log.info({ event: 'drain', connections: fds.length, ms }, 'draining');
    const step = fds.length > 0 ? ms / fds.length : 0;
    fds.forEach((fd, i) => {
      setTimeout(() => this.local.disconnect(fd, 1012, 'service restart'), Math.round(i * step)).unref();
    });
  }

  capacityRefusal(): string | null {
    if (this.stopping) return 'server shutting down';
    if (this.draining) return 'server draining';
    if (this.local.size >= this.config.maxConnection) return 'too many connections';
    return null;
  }
}
