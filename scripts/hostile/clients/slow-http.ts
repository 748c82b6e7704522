/**
 * Role `slow-http`: sockets that hold a server's HTTP side open by trickling.
 *   heads   one complete plain request (`GET /`, keep-alive), its answer read, then the next
 *           request's head one byte per second, forever (a header line that never ends)
 *   bodies  a `POST /` whose head is complete and whose body (Content-Length 1,000,000)
 *           arrives one byte per second
 * Each socket's fate is recorded: the statuses it was answered, and when and how it closed.
 * The role ends when stopped; the coordinator stops it at +T.
 */
import { connect, type Socket } from 'node:net';
import type { RoleContext } from '../protocol.ts';
import { endedBy, type Endpoint } from './sockets.ts';

export interface SlowHttpParams extends Endpoint {
  heads: number;
  bodies: number;
  /** Sockets opened at once (the rest wait for a slot). */
  concurrency: number;
}

export interface SlowSocket {
  group: 'heads' | 'bodies';
  /** Statuses of the answers it got (the first request's, then any the trickle earned). */
  statuses: number[];
  /** Seconds from the start of the role when it closed (null: open at the stop). */
  closedAt: number | null;
  how: string | null;
  /** Bytes trickled. */
  trickled: number;
}

export interface SlowHttpResult {
  sockets: SlowSocket[];
  /** Sockets that could not even connect, by reason. */
  connectFailed: Record<string, number>;
  seconds: number;
}

const TRICKLE_HEAD = Buffer.from('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Trickle: ');
const BODY_LENGTH = 1_000_000;

export async function slowHttp(p: SlowHttpParams, ctx: RoleContext): Promise<SlowHttpResult> {
  const t0 = performance.now();
  const at = () => Math.round((performance.now() - t0) / 10) / 100;
  const all: SlowSocket[] = [];
  const trickling = new Map<Socket, { rec: SlowSocket; next: () => number }>();
  const live = new Set<Socket>();
  const connectFailed: Record<string, number> = {};

  const open = (group: SlowSocket['group']): Promise<void> =>
    new Promise((resolve) => {
      const rec: SlowSocket = { group, statuses: [], closedAt: null, how: null, trickled: 0 };
      const s = connect({ host: p.host, port: p.port, noDelay: true });
      live.add(s);
      let error: NodeJS.ErrnoException | null = null;
      let connected = false;
      let seen = '';
      s.setEncoding('latin1');
      s.on('data', (d: string) => {
        seen = (seen + d).slice(-8192);
        for (const m of d.matchAll(/HTTP\/1\.[01] (\d{3})/g)) rec.statuses.push(Number(m[1]));
        // The first answer read: start trickling the next head (the heads group).
        if (group === 'heads' && !trickling.has(s) && rec.statuses.length > 0) {
          let i = 0;
          trickling.set(s, { rec, next: () => (i < TRICKLE_HEAD.length ? TRICKLE_HEAD[i++]! : 0x61) });
        }
      });
      s.on('error', (err: NodeJS.ErrnoException) => (error = err));
      s.once('close', () => {
        trickling.delete(s);
        live.delete(s);
        if (!connected) {
          const why = error?.code ?? 'closed';
          connectFailed[why] = (connectFailed[why] ?? 0) + 1;
          return resolve();
        }
        if (!ctx.isStopped()) {
          rec.closedAt = at();
          rec.how = endedBy(error);
        }
      });
      s.once('connect', () => {
        connected = true;
        all.push(rec);
        if (group === 'heads') s.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
        else {
          s.write(`POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: ${BODY_LENGTH}\r\n\r\n`);
          trickling.set(s, { rec, next: () => 0x61 });
        }
        resolve();
      });
    });

  const plan: SlowSocket['group'][] = [...Array<'heads'>(p.heads).fill('heads'), ...Array<'bodies'>(p.bodies).fill('bodies')];
  for (let i = 0; i < plan.length && !ctx.isStopped(); i += p.concurrency) await Promise.all(plan.slice(i, i + p.concurrency).map(open));

  // One byte per second on every trickling socket.
  const trickle = setInterval(() => {
    for (const [s, t] of trickling) {
      s.write(Buffer.of(t.next()));
      t.rec.trickled++;
    }
    ctx.tick({ open: all.filter((r) => r.closedAt === null).length, sockets: all.length });
  }, 1000);
  await ctx.stopped;
  clearInterval(trickle);
  const seconds = at();
  for (const s of live) s.destroy();
  return { sockets: all, connectFailed, seconds };
}
