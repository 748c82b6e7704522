import type { Socket } from 'node:net';

const FD = Symbol('switchyard.releaseFd');
type Tagged = Socket & { [FD]?: number };

/**
 * Tells the master which handed-over sockets have closed, so that its connection limits
 * (maxConnection, maxConnectionsPerIp: src/master/admission.ts) count them no more. Every
 * socket the master handed over is reported exactly once, whatever became of it (WebSocket,
 * plain HTTP, refused, lost in transit), in one message per event-loop turn however many closed.
 * One shared 'close' listener (`this` is the socket) and a tag: no closure per connection.
 */
export class ReleaseBatch {
  private pending: number[] = [];
  private scheduled = false;
  private readonly flush: () => void;
  private readonly onClose: (this: Socket) => void;

  constructor(send: (fds: number[]) => void) {
    this.flush = () => {
      this.scheduled = false;
      const fds = this.pending;
      this.pending = [];
      if (fds.length > 0) send(fds);
    };
    const batch = this;
    this.onClose = function (this: Socket) {
      const fd = (this as Tagged)[FD];
      if (fd !== undefined) batch.add(fd);
    };
  }

  /** Reports fd when the socket closes. */
  track(socket: Socket, fd: number): void {
    (socket as Tagged)[FD] = fd;
    socket.on('close', this.onClose); // 'close' comes once; on() needs no wrapper per socket, as once() would
  }

  /** Stops watching a socket that moved to another worker (a reload): its close here is no release. */
  untrack(socket: Socket): void {
    delete (socket as Tagged)[FD];
    socket.off('close', this.onClose);
  }

  /** Reports fd now (its socket never arrived). */
  add(fd: number): void {
    this.pending.push(fd);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }
}
