/**
 * A hostile client's write side, for the tests and the load scripts alike: `burst` written
 * again and again as fast as the socket takes it, a few writes per event-loop turn (so timers,
 * reads and ticks still run), waiting for 'drain' when the socket stops taking them.
 */
import type { Socket } from 'node:net';

export class Flooder {
  /** Bytes handed to the socket so far. */
  written = 0;
  /** Bytes whose write completed: the kernel took them. */
  accepted = 0;
  /** When a write last completed (performance.now()): a server that stops reading stops it. */
  lastProgress = performance.now();
  private stopped = false;

  constructor(
    private readonly socket: Socket,
    private readonly burst: Buffer,
    private readonly writesPerTurn = 8,
  ) {}

  start(): this {
    this.socket.on('drain', this.pump);
    this.pump();
    return this;
  }

  stop(): void {
    this.stopped = true;
    this.socket.off('drain', this.pump);
  }

  /** Bytes written but still waiting in this client's socket (the server is not taking them). */
  get pending(): number {
    return this.socket.writableLength;
  }

  private readonly done = (err?: Error | null): void => {
    if (err) return;
    this.accepted += this.burst.length;
    this.lastProgress = performance.now();
  };

  private readonly pump = (): void => {
    for (let i = 0; i < this.writesPerTurn; i++) {
      if (this.stopped || this.socket.destroyed) return;
      this.written += this.burst.length;
      if (!this.socket.write(this.burst, this.done)) return; // 'drain' calls again
    }
    setImmediate(this.pump);
  };
}
