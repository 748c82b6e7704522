/**
 * A third independent client: python-websockets (Debian's python3-websockets, run by
 * /usr/bin/python3 — a pyenv python3 on PATH would not see Debian's packages) against the
 * default app in-process. The script does the talking and prints a JSON summary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloseInfo } from '../src/worker/server.ts';
import echoApp from '../src/worker/default-app.ts';
import { externalTool, killAll, pythonModule, run } from './helpers/process.ts';
import { startServer, until, type Running } from './helpers/server.ts';

const PYTHON = '/usr/bin/python3';
const python = externalTool('Python client', pythonModule(PYTHON, 'websockets'), "install Debian's `python3-websockets` package");

interface Summary {
  version: string;
  extensions: string;
  text: string;
  text_ok: boolean;
  binary_ok: boolean;
  big_len: number;
  big_ok: boolean;
  pong: boolean;
  close_code: number;
}

describe.skipIf(!python.run)('python-websockets against /echo', () => {
  let srv: Running;
  const closes: Array<{ fd: number; info: CloseInfo }> = [];

  beforeAll(async () => {
    if (!python.available) throw new Error(`CI=true: Python client tests cannot be skipped: ${python.problem}`);
    srv = await startServer({}, (server) => {
      echoApp(server);
      server.on('close', (_s, fd, info) => void closes.push({ fd, info }));
    });
  });
  afterAll(async () => {
    await killAll();
    await srv?.stop();
  });

  it('echoes text, binary and 200 KB compressed, answers a ping, closes cleanly with 1000', async () => {
    const r = await run(PYTHON, ['test/fixtures/py_client.py', `${srv.url}/echo`], 30_000);
    const last = r.stdout.trim().split('\n').pop() ?? '';
    expect(r.code, `stdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(0);
    const summary = JSON.parse(last) as Summary;
    expect(summary).toMatchObject({
      text: 'héllo wörld ✓ 日本 🚀',
      text_ok: true,
      binary_ok: true,
      big_len: 200_000,
      big_ok: true,
      pong: true,
      close_code: 1000,
    });
    expect(summary.extensions).toContain('permessage-deflate');

    await until(() => closes.length > 0, 5000, 'the server close callback');
    expect(closes).toHaveLength(1);
    expect(closes[0]!.info).toEqual({ code: 1000, reason: 'py done', closedBy: 'client', wasClean: true });
    // This server had this one connection: its totals are the connection's. Three data messages
    // (the ping is answered by the server, not delivered); the 200 KB one crossed deflated both ways.
    const stats = srv.server.localStats();
    expect(stats).toMatchObject({ handshakes: 1, closed: 1, connections: 0, messagesIn: 3, messagesOut: 3 });
    expect(stats.bytesIn).toBeLessThan(50_000);
    expect(stats.bytesOut).toBeLessThan(50_000);
  });
});
