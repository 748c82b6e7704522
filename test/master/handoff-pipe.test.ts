import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { HandoffLink } from '../../src/shared/handoff/sender.ts';
import { encodeFd } from '../../src/shared/session-id.ts';
import { ROOT } from '../helpers/process.ts';
import { until } from '../helpers/server.ts';

// gc() on demand in this process (the writer): V8 exposes it to contexts made after the flag is set.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Hand-offs per run: far more than the ~280 records a Unix socket's kernel buffer holds, so most wait in libuv's queue. */
const N = 3000;
/** Distinct sockets sent round-robin: the reader checks each record arrives with its own. */
const SOCKETS = 8;
const SELF = { slot: 5, node: 3 };

interface Line {
  fd?: number;
  address?: string;
  port?: number;
  handle?: boolean;
  socketPort?: number | null;
  rejected?: unknown;
  end?: boolean;
}

const dir = mkdtempSync(join(tmpdir(), 'switchyard-handoff-'));
const servers: Server[] = [];
let reader: ChildProcess | null = null;

afterAll(async () => {
  reader?.kill('SIGKILL');
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  rmSync(dir, { recursive: true, force: true });
});

describe('hand-off pipe', () => {
  it('delivers every record with its own socket when the writes queue behind an unread pipe and GC runs mid-queue', async () => {
    for (let i = 0; i < SOCKETS; i++) {
      const s = createServer();
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      servers.push(s);
    }
    const handles = servers.map((s) => (s as unknown as { _handle: object })._handle);
    const ports = servers.map((s) => (s.address() as { port: number }).port);

    const { link, childEnd } = await HandoffLink.create(join(dir, 'pipe.sock'));
    reader = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/handoff-reader.ts'], {
      cwd: ROOT,
      env: { ...process.env, READER_SLOT: String(SELF.slot), READER_NODE: String(SELF.node) },
      stdio: ['pipe', 'pipe', 'inherit', childEnd],
    });
    childEnd.destroy();
    const lines: Line[] = [];
    createInterface({ input: reader.stdout! }).on('line', (l) => lines.push(JSON.parse(l) as Line));

    // Nobody reads yet: the kernel takes the first few hundred, libuv queues the rest.
    const sent: Array<{ fd: number; address: string; port: number }> = [];
    const failures: Error[] = [];
    for (let i = 0; i < N; i++) {
      const h = { fd: encodeFd(i + 1, SELF.node, SELF.slot), address: i % 2 ? '::ffff:10.1.2.3' : '127.0.0.1', port: ports[i % SOCKETS]! };
      sent.push(h);
      link.send(h.fd, h, handles[i % SOCKETS]!, (err) => err && failures.push(err));
    }
    expect(link.inflight).toBe(N);
    // Free whatever nothing references any more, then allocate: new Buffer pool slabs take the freed memory.
    const churn: Buffer[] = [];
    for (let round = 0; round < 3; round++) {
      gc();
      for (let k = 0; k < 2000; k++) churn.push(Buffer.allocUnsafe(40).fill(0xee));
      await new Promise((r) => setTimeout(r, 20));
    }
    reader.stdin!.write('go\n');

    const connections = () => lines.filter((l) => l.fd !== undefined);
    const rejected = () => lines.filter((l) => l.rejected !== undefined);
    // Every read prints one line (a connection or a rejection); a timeout is reported by the counts below.
    await until(() => connections().length + rejected().length >= N, 30_000, `${N} hand-offs read`).catch(() => {});
    expect(rejected()).toEqual([]);
    expect(connections().length).toBe(N);
    expect(connections().map((c) => ({ fd: c.fd, address: c.address, port: c.port }))).toEqual(sent);
    // Each descriptor is the socket its record names (never another record's).
    expect(connections().filter((c) => !c.handle || c.socketPort !== c.port)).toEqual([]);
    await until(() => link.inflight === 0, 10_000, 'every write completed');
    expect(failures).toEqual([]);
    expect(churn.length).toBe(6000);
    link.close();
  });
});
