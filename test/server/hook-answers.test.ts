import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BAD_PATHS } from '../fixtures/hook-answers-app.ts';
import { killAll, startCli, type CliProcess } from '../helpers/process.ts';
import { RawClient, until, upgradeRequest } from '../helpers/server.ts';

/**
 * An app cannot crash a worker by accident: every answer a handshake hook can give that the
 * server cannot send (a 1xx or 204 status, a framing header, a CR in a value, a body that is
 * not bytes), given through the methods or the public fields, at once or after an await, is
 * a 500 and one error log line; the worker, and the WebSocket already open on it, go on.
 * The real CLI with one worker, so that a crash would show as a worker exit and a dropped
 * connection.
 */
describe('handshake hook answers the server cannot send', () => {
  let cli: CliProcess;
  beforeAll(async () => {
    // Generous: on a machine shared with other test runs a CLI can take many seconds to start.
    cli = await startCli(['--port', '0', '--workers', '1', '--app', 'test/fixtures/hook-answers-app.ts', '--log-level', 'info'], 45_000);
  }, 60_000);
  afterAll(() => killAll());

  async function echo(ws: WebSocket, text: string): Promise<string> {
    const reply = new Promise<string>((resolve) => ws.once('message', (d: Buffer) => resolve(d.toString())));
    ws.send(text);
    return reply;
  }

  it('each is a 500 with one error line naming the problem; the worker and its open connection survive', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${cli.port}/ok`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    expect(await echo(ws, 'before')).toBe('before');

    const paths = [...BAD_PATHS, ...BAD_PATHS.map((p) => `/async${p}`)];
    for (const path of paths) {
      const raw = await RawClient.connect(cli.port);
      raw.write(upgradeRequest(path));
      const head = await raw.head();
      expect([path, head.status]).toEqual([path, 500]);
      // Nothing of the hook's answer leaked into ours.
      expect(raw.data.toString('latin1')).not.toMatch(/X-Injected|Transfer-Encoding|Content-Length: 99/i);
      await until(() => raw.closed, 3000, `the ${path} connection to be closed`);
    }

    // A request callback that ends its response twice: the first answer stands.
    const res = await fetch(`http://127.0.0.1:${cli.port}/end-twice`);
    expect([res.status, await res.text()]).toEqual([200, 'first']);

    expect(await echo(ws, 'after')).toBe('after');
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();

    const logs = cli.logs();
    expect(logs.filter((l) => l.event === 'worker-exit')).toEqual([]);
    const errors = logs.filter((l) => l.level === 50);
    const handshakeErrors = errors.filter((l) => l.msg === 'handshake callback failed' || l.msg === 'handshake hook gave an answer that cannot be sent: 500');
    expect(handshakeErrors).toHaveLength(paths.length);
    // Each names what was wrong.
    for (const e of handshakeErrors) {
      const why = String(e.problem ?? (e.err as { message?: string } | undefined)?.message ?? '');
      expect(why).toMatch(/status|header|subprotocol|body/);
    }
    expect(errors.filter((l) => String(l.msg).startsWith('response error'))).toHaveLength(1);
  }, 60_000);
});
