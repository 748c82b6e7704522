/**
 * Cross-node operations during a reload (test/reload/reload-cross-node.test.ts on one Redis, and
 * test/cluster/redis-cluster.test.ts on a Redis Cluster): what one client of node B asks
 * of node A's connections, and what each of them must have got.
 */
import { expect } from 'vitest';
import { until, type Client, type ReloadServer } from './reload-helpers.ts';

/** 1..n */
const upTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

/**
 * The operations of the test, from one client of node B to the clients of node A, and what each
 * client of A must have got. `tick()` sends one round; `closeNext()` asks for one more close.
 */
export class CrossNodeDriver {
  seq = 0;
  /** Broadcasts made (`burst` per tick). */
  bseq = 0;
  readonly plain: Client[];
  readonly toggling: Client[];
  readonly closing: Client[];
  /** Close asked for, in order: the fd's client and the code it must get (1006: close(), no frame). */
  readonly closed: Array<{ c: Client; code: number }> = [];

  /**
   * `toggle`: some clients join and leave a room on alternate ticks, each change followed by a
   * push to the room (their order needs one Redis: on a Redis Cluster a room push and a join
   * travel on two shards, in no order). `burst`: broadcasts per tick (dense, so that a cut in
   * the wrong place shows).
   */
  constructor(
    readonly sender: Client,
    readonly onA: Client[],
    private readonly options: { toggle: boolean; burst: number } = { toggle: true, burst: 1 },
  ) {
    this.toggling = options.toggle ? onA.filter((_, i) => i % 3 === 1) : [];
    this.plain = onA.filter((c, i) => i % 3 !== 2 && !this.toggling.includes(c));
    this.closing = onA.filter((_, i) => i % 3 === 2);
  }

  /** Every client of A joins `stay` (so does B's sender: it checks the room push reached B too). */
  joinAll(): void {
    for (const c of [...this.onA, this.sender]) this.sender.ws.send(`jn:${c.fd}:stay`);
  }

  tick(): void {
    const k = ++this.seq;
    const s = this.sender.ws;
    for (let i = 0; i < this.options.burst; i++) s.send(`bc:${++this.bseq}`);
    s.send(`rm:stay:${k}`);
    if (this.options.toggle) {
      for (const c of this.toggling) s.send(`${k % 2 === 1 ? 'jn' : 'lv'}:${c.fd}:tog`);
      s.send(`rm:tog:${k}`);
    }
    for (const c of [...this.plain, ...this.toggling]) s.send(`pa:${c.fd}:${k}`);
  }

  /** Asks for the next close (every third with close(), the rest with a code of their own); false when none is left. */
  closeNext(): boolean {
    const c = this.closing[this.closed.length];
    if (!c) return false;
    const i = this.closed.length;
    const code = i % 3 === 2 ? 1006 : 4000 + i;
    this.sender.ws.send(code === 1006 ? `cl:${c.fd}` : `dc:${c.fd}:${code}`);
    this.closed.push({ c, code });
    return true;
  }

  /** Every operation made so far has reached every client that must get it. */
  settled(): boolean {
    const last = this.seq;
    const from = this.sender.fd;
    const open = [...this.plain, ...this.toggling];
    return (
      open.every((c) => c.broadcasts.get(from)?.at(-1) === this.bseq && c.rooms.get('stay')?.at(-1) === last) &&
      this.plain.every((c) => c.pushes.get(from)?.at(-1) === last) &&
      this.toggling.every((c) => c.pushes.get(from)?.at(-1) === last && c.rooms.get('tog')?.at(-1) === (last % 2 === 1 ? last : last - 1)) &&
      this.closed.every(({ c }) => c.closes.length > 0)
    );
  }

  /** What each client got, against what it must have got. */
  check(): void {
    const last = this.seq;
    const from = this.sender.fd;
    const odd = upTo(last).filter((k) => k % 2 === 1);
    expect(this.sender.other.filter((t) => t.startsWith('bad'))).toEqual([]);
    expect(this.sender.rooms.get('stay')).toEqual(upTo(last));
    for (const c of [...this.plain, ...this.toggling]) {
      expect({ fd: c.fd, closes: c.closes, bad: c.other.filter((t) => t.startsWith('bad')) }).toEqual({ fd: c.fd, closes: [], bad: [] });
      expect({ fd: c.fd, broadcasts: c.broadcasts.get(from) }).toEqual({ fd: c.fd, broadcasts: upTo(this.bseq) });
      expect({ fd: c.fd, stay: c.rooms.get('stay') }).toEqual({ fd: c.fd, stay: upTo(last) });
      expect({ fd: c.fd, pushes: c.pushes.get(from) }).toEqual({ fd: c.fd, pushes: upTo(last) });
    }
    for (const c of this.onA) if (!this.toggling.includes(c)) expect({ fd: c.fd, tog: c.rooms.get('tog') }).toEqual({ fd: c.fd, tog: undefined });
    for (const c of this.toggling) expect({ fd: c.fd, tog: c.rooms.get('tog') }).toEqual({ fd: c.fd, tog: odd });
    for (const { c, code } of this.closed) {
      expect({ fd: c.fd, closes: c.closes }).toEqual({ fd: c.fd, closes: [code] });
      if (code !== 1006) expect(c.closeReasons).toEqual([`by:${from}`]);
      // Up to its close, every broadcast and room push once, in order.
      const got = c.broadcasts.get(from) ?? [];
      expect(got).toEqual(upTo(got.length));
      const stay = c.rooms.get('stay') ?? [];
      expect(stay).toEqual(upTo(stay.length));
    }
  }
}

/** Reloads `a` to `version` while `driver` ticks; from the first new worker on, asks for `closes` closes. */
export async function reloadUnderTraffic(a: ReloadServer, driver: CrossNodeDriver, version: string, closes: number): Promise<void> {
  const upBefore = a.cli.logs().filter((l) => l.event === 'worker-up' && l.replacing !== undefined).length;
  let closing = false;
  let asked = 0;
  const traffic = setInterval(() => {
    driver.tick();
    if (!closing) closing = a.cli.logs().filter((l) => l.event === 'worker-up' && l.replacing !== undefined).length > upBefore;
    // One close every other tick while the slots move.
    if (closing && asked < closes && driver.seq % 2 === 0 && driver.closeNext()) asked++;
  }, 25);
  try {
    a.setVersion(version);
    const r = await a.reload();
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { slots: Array<{ moved: number; failed: unknown[] }> };
    expect(report.slots.map((s) => s.failed)).toEqual([[], []]);
    const at = driver.seq;
    await until(() => driver.seq >= at + 4, 5_000, 'traffic after the reload');
  } finally {
    clearInterval(traffic);
  }
}
