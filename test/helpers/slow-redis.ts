import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP relay to a Redis that holds everything Redis says for `delayMs` (replies and pub/sub
 * messages alike, in order); what clients say goes through at once. Set the delay once the node
 * behind it is up (a node's start makes hundreds of round trips). A node behind it then hears
 * every answer late: a reload's old worker waits that long for its publishes to be answered
 * before sending a moved connection's state (RedisBus.flushed), which holds each connection
 * between its two workers for that long, whatever the machine's speed.
 */
export class SlowRedis {
  /** Added to what Redis says from now on; order is kept whatever it is changed to. */
  delayMs = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly sockets: Set<Socket>,
  ) {}

  static async start(target: { host: string; port: number }): Promise<SlowRedis> {
    const sockets = new Set<Socket>();
    const server = createServer((client) => {
      const upstream = connect(target.port, target.host);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => {});
        s.on('close', () => sockets.delete(s));
      }
      client.on('data', (chunk) => upstream.write(chunk));
      client.on('close', () => upstream.destroy());
      const queue: Array<{ at: number; chunk: Buffer | null }> = [];
      let timer: NodeJS.Timeout | null = null;
      const pump = (): void => {
        timer = null;
        const now = Date.now();
        while (queue.length > 0 && queue[0]!.at <= now) {
          const { chunk } = queue.shift()!;
          if (chunk === null) client.destroy();
          else client.write(chunk);
        }
        if (queue.length > 0) timer = setTimeout(pump, queue[0]!.at - now);
      };
      const later = (chunk: Buffer | null): void => {
        // Never before what came earlier, whatever the delay was then.
        queue.push({ at: Math.max(Date.now() + relay.delayMs, queue.at(-1)?.at ?? 0), chunk });
        if (timer === null) pump();
      };
      upstream.on('data', (chunk: Buffer) => later(chunk));
      upstream.on('close', () => later(null));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const relay = new SlowRedis(server, (server.address() as { port: number }).port, sockets);
    return relay;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
