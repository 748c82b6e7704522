import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { ROOT, runCli, startCli, type CliProcess, type RunResult } from '../helpers/process.ts';

/** A server running a copy of test/fixtures/reload-app.mjs whose version (and code) the test rewrites. */
export interface ReloadServer {
  cli: CliProcess;
  dir: string;
  app: string;
  pidFile: string;
  setVersion(v: string): void;
  /** `switchyard reload --pid-file ...`: exit code and output. */
  reload(): Promise<RunResult>;
}

export async function startReloadServer(args: string[] = []): Promise<ReloadServer> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-reload-'));
  const app = join(dir, 'app.mjs');
  copyFileSync(join(ROOT, 'test/fixtures/reload-app.mjs'), app);
  const versionFile = join(dir, 'version');
  writeFileSync(versionFile, 'v1');
  const pidFile = join(dir, 'pid');
  const cli = await startCli(['--port', '0', '--workers', '2', '--app', app, '--pid-file', pidFile, '--log-level', 'info', ...args], 40_000, { RELOAD_VERSION_FILE: versionFile });
  return {
    cli,
    dir,
    app,
    pidFile,
    setVersion: (v) => writeFileSync(versionFile, v),
    reload: () => runCli(['reload', '--pid-file', pidFile], 60_000),
  };
}

/** A client of the reload fixture: what it sent and got, in order. */
export interface Client {
  ws: WebSocket;
  fd: number;
  pid: number;
  version: string;
  /** `s:` messages sent (1..sent). */
  sent: number;
  /** Echo numbers received, in order. */
  echoes: number[];
  /** Versions and pids that answered echoes. */
  answeredBy: Set<string>;
  /** Pushes received from other clients: per sender fd, the numbers in order. */
  pushes: Map<number, number[]>;
  /** Broadcasts received (`bq:`): per sender fd, the numbers in order. */
  broadcasts: Map<number, number[]>;
  /** Room pushes received (`rq:`): per room, the numbers in order. */
  rooms: Map<string, number[]>;
  /** Every other message (bad:*, me:*, big messages' lengths...). */
  other: string[];
  closes: number[];
  /** The close frames' reasons, as `closes`. */
  closeReasons: string[];
}

/** Appends n to the list of `key`. */
function record<K>(map: Map<K, number[]>, key: K, n: number): void {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  list.push(n);
}

export function connect(port: number, options: WebSocket.ClientOptions = { perMessageDeflate: false }): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, options);
    ws.on('error', reject);
    ws.once('message', (data: Buffer) => {
      const hello = JSON.parse(data.toString()) as { fd: number; pid: number; version: string };
      const c: Client = { ws, fd: hello.fd, pid: hello.pid, version: hello.version, sent: 0, echoes: [], answeredBy: new Set(), pushes: new Map(), broadcasts: new Map(), rooms: new Map(), other: [], closes: [], closeReasons: [] };
      ws.on('close', (code, reason) => {
        c.closes.push(code);
        c.closeReasons.push(reason.toString());
      });
      ws.on('message', (d: Buffer, binary: boolean) => {
        if (binary) return void c.other.push(`binary:${d.length}`);
        const t = d.toString();
        if (t.startsWith('e:')) {
          const [, n, v, pid] = t.split(':');
          c.echoes.push(Number(n));
          c.answeredBy.add(`${v}/${pid}`);
        } else if (t.startsWith('q:')) {
          const [, from, n] = t.split(':');
          record(c.pushes, Number(from), Number(n));
        } else if (t.startsWith('bq:')) {
          const [, from, n] = t.split(':');
          record(c.broadcasts, Number(from), Number(n));
        } else if (t.startsWith('rq:')) {
          const [, room, n] = t.split(':');
          record(c.rooms, room!, Number(n));
        } else c.other.push(t);
      });
      resolve(c);
    });
  });
}

/** Resolves when `cond` holds, or fails after `ms` with `what`. */
export async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Asks one client's worker who it is: `me:<version>:<pid>:<worker>:<adopted>`. */
export async function whoami(c: Client): Promise<{ version: string; pid: number; worker: number; adopted: number }> {
  const before = c.other.length;
  c.ws.send('whoami');
  await until(() => c.other.slice(before).some((t) => t.startsWith('me:')), 20_000, `whoami of fd ${c.fd} (${c.ws.extensions || 'no extension'}, closes ${JSON.stringify(c.closes)}, ${c.echoes.length}/${c.sent} echoes)`);
  const [, version, pid, worker, adopted] = c.other.slice(before).find((t) => t.startsWith('me:'))!.split(':');
  return { version: version!, pid: Number(pid), worker: Number(worker), adopted: Number(adopted) };
}
