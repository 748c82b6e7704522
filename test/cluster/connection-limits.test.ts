/**
 * The master's connection limits over real sockets and real processes (README "Connection
 * limits"): maxConnection for the whole node whatever the worker count, a worker's crash
 * releasing its connections, maxConnectionsPerIp, connectionRateLimit, the flood rule and the
 * bound on the master's per-address state. Clients come from several 127.0.0.x addresses.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { upgradeRequest } from '../../scripts/lib/upgrade.ts';
import { encodeProxyV1 } from '../../src/shared/proxy/proxy-protocol.ts';
import { startCluster } from '../helpers/cluster.ts';
import { killAll, type CliProcess } from '../helpers/process.ts';
import { until } from '../helpers/server.ts';

afterEach(() => killAll());

type Attempt =
  | { kind: 'open'; ws: WebSocket; worker: number; pid: number; closed: Promise<void> }
  | { kind: 'refused'; status: number; retryAfter: string | undefined; body: string }
  /** Closed without an answer (a flood). */
  | { kind: 'dropped' };

/** One WebSocket attempt: opened (after the fixture's hello), refused with a status, or dropped unanswered. */
function attempt(port: number, localAddress = '127.0.0.1'): Promise<Attempt> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { localAddress });
    const closed = new Promise<void>((r) => ws.once('close', () => r()));
    ws.once('message', (data: Buffer) => {
      const h = JSON.parse(data.toString()) as { worker: number; pid: number };
      resolve({ kind: 'open', ws, worker: h.worker, pid: h.pid, closed });
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (s: string) => (body += s));
      res.on('end', () => {
        resolve({ kind: 'refused', status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body });
        ws.terminate();
      });
    });
    ws.on('error', () => resolve({ kind: 'dropped' }));
  });
}

function adminUrl(cli: CliProcess): string {
  const line = cli.logs().find((e) => e.event === 'admin-listening');
  if (!line) throw new Error('no admin-listening line');
  return `http://127.0.0.1:${line.port as number}`;
}

async function adminStats(cli: CliProcess): Promise<Record<string, number>> {
  return (await (await fetch(`${adminUrl(cli)}/stats`)).json()) as Record<string, number>;
}

/** Waits until the master counts exactly n connections (its workers' reports have arrived). */
async function nodeConnections(cli: CliProcess, n: number): Promise<void> {
  let last = -1;
  await until(async () => (last = (await adminStats(cli)).nodeConnections ?? -1) === n, 10_000, `nodeConnections ${n} (last ${last})`);
}

function opened(a: Attempt): Extract<Attempt, { kind: 'open' }> {
  if (a.kind !== 'open') throw new Error(`expected an open WebSocket, got ${JSON.stringify(a)}`);
  return a;
}

async function closeAll(list: Array<Extract<Attempt, { kind: 'open' }>>): Promise<void> {
  for (const a of list) a.ws.close();
  await Promise.all(list.map((a) => a.closed));
}

// Each test starts a cluster: slow when the 2 cores are shared with other suites.
describe('maxConnection counts the whole node', { timeout: 90_000 }, () => {
  it.each([1, 2, 4])('with %i worker(s): exactly 5 admitted, the 6th gets 503 with Retry-After, a close lets one more in', async (workers) => {
    const cli = await startCluster(['--workers', String(workers), '--dispatch-mode', 'round-robin', '--max-connection', '5', '--admin-port', '0']);
    const clients: Array<Extract<Attempt, { kind: 'open' }>> = [];
    for (let i = 0; i < 5; i++) clients.push(opened(await attempt(cli.port)));
    expect(new Set(clients.map((c) => c.worker)).size).toBe(Math.min(workers, 5));
    const sixth = await attempt(cli.port);
    expect(sixth).toMatchObject({ kind: 'refused', status: 503, retryAfter: '1', body: 'too many connections\n' });
    await nodeConnections(cli, 5);
    const gone = clients.shift()!;
    gone.ws.close();
    await gone.closed;
    await nodeConnections(cli, 4);
    clients.push(opened(await attempt(cli.port)));
    expect(await attempt(cli.port)).toMatchObject({ kind: 'refused', status: 503 });
    const s = await adminStats(cli);
    expect(s.refusedMaxConnection).toBe(2);
    await closeAll(clients);
    await nodeConnections(cli, 0);
  });

  it('a socket that is not a WebSocket (yet) counts too, as in Swoole', async () => {
    const cli = await startCluster(['--workers', '2', '--max-connection', '2', '--admin-port', '0']);
    const ws = opened(await attempt(cli.port));
    const raw = connect(cli.port, '127.0.0.1');
    await new Promise((r) => raw.once('connect', r));
    await nodeConnections(cli, 2);
    expect(await attempt(cli.port)).toMatchObject({ kind: 'refused', status: 503 });
    raw.destroy();
    await nodeConnections(cli, 1);
    const again = opened(await attempt(cli.port));
    await closeAll([ws, again]);
  });

  it("a worker's crash releases its connections: the node admits that many again, and no more", async () => {
    const cli = await startCluster(['--workers', '2', '--dispatch-mode', 'round-robin', '--max-connection', '4', '--admin-port', '0']);
    const clients: Array<Extract<Attempt, { kind: 'open' }>> = [];
    for (let i = 0; i < 4; i++) clients.push(opened(await attempt(cli.port)));
    expect(await attempt(cli.port)).toMatchObject({ kind: 'refused', status: 503 });
    const victims = clients.filter((c) => c.worker === 0);
    expect(victims.length).toBe(2);
    process.kill(victims[0]!.pid, 'SIGKILL');
    await Promise.all(victims.map((v) => v.closed));
    await nodeConnections(cli, 2);
    await until(() => cli.logs().some((e) => e.event === 'worker-up' && e.slot === 0 && e.workerPid !== victims[0]!.pid), 15_000, 'slot 0 respawned');
    const fresh = [opened(await attempt(cli.port)), opened(await attempt(cli.port))];
    expect(await attempt(cli.port)).toMatchObject({ kind: 'refused', status: 503 });
    await closeAll([...clients.filter((c) => c.worker !== 0), ...fresh]);
    await nodeConnections(cli, 0);
  });
});

describe('maxConnection across a reload (connections move between workers)', { timeout: 90_000 }, () => {
  it('moved connections stay counted until they close, then are released once', async () => {
    const cli = await startCluster(['--workers', '2', '--dispatch-mode', 'round-robin', '--max-connection', '4', '--admin-port', '0']);
    const clients: Array<Extract<Attempt, { kind: 'open' }>> = [];
    for (let i = 0; i < 4; i++) clients.push(opened(await attempt(cli.port)));
    await nodeConnections(cli, 4);
    cli.proc.kill('SIGUSR1');
    await until(() => cli.logs().filter((l) => l.event === 'reloaded-slot').length === 2, 40_000, 'both slots reloaded');
    // The old workers closed their copies of the moved sockets: that was no release.
    await new Promise((r) => setTimeout(r, 300));
    expect((await adminStats(cli)).nodeConnections).toBe(4);
    expect(await attempt(cli.port)).toMatchObject({ kind: 'refused', status: 503 });
    // A moved connection's real close is reported by its new worker.
    const gone = clients.shift()!;
    gone.ws.close();
    await gone.closed;
    await nodeConnections(cli, 3);
    clients.push(opened(await attempt(cli.port)));
    expect(await attempt(cli.port)).toMatchObject({ kind: 'refused', status: 503 });
    await closeAll(clients);
    await nodeConnections(cli, 0);
  });
});

describe('per-address limits', { timeout: 90_000 }, () => {
  it('maxConnectionsPerIp: the third from one address gets 429 with Retry-After, another address is let in', async () => {
    const cli = await startCluster(['--workers', '2', '--max-connections-per-ip', '2', '--admin-port', '0']);
    const mine = [opened(await attempt(cli.port, '127.0.0.2')), opened(await attempt(cli.port, '127.0.0.2'))];
    expect(await attempt(cli.port, '127.0.0.2')).toMatchObject({ kind: 'refused', status: 429, retryAfter: '1' });
    const other = opened(await attempt(cli.port, '127.0.0.3'));
    mine[0]!.ws.close();
    await mine[0]!.closed;
    await nodeConnections(cli, 2);
    const back = opened(await attempt(cli.port, '127.0.0.2'));
    expect((await adminStats(cli)).refusedPerIp).toBe(1);
    await closeAll([mine[1]!, other, back]);
  });

  it('connectionRateLimit: a burst, then 429 with Retry-After; a flood is closed unanswered; counted in stats and metrics', async () => {
    const cli = await startCluster(['--workers', '2', '--connection-rate-limit', '0.01', '--connection-rate-burst', '3', '--admin-port', '0']);
    for (let i = 0; i < 3; i++) {
      const a = opened(await attempt(cli.port, '127.0.0.4'));
      await closeAll([a]);
    }
    // One token per 100 s: Retry-After is the wait for the next one (what refilled meanwhile is a few seconds' worth).
    const refused = await attempt(cli.port, '127.0.0.4');
    expect(refused).toMatchObject({ kind: 'refused', status: 429, body: 'too many new connections from this address\n' });
    expect(Number((refused as { retryAfter: string }).retryAfter)).toBeGreaterThan(50);
    expect(Number((refused as { retryAfter: string }).retryAfter)).toBeLessThanOrEqual(100);
    // Another address is not throttled.
    await closeAll([opened(await attempt(cli.port, '127.0.0.5'))]);
    // Nine more refusals make ten in a row; from the eleventh on, the address is dropped unanswered.
    const kinds: string[] = [];
    for (let i = 0; i < 15; i++) kinds.push((await attempt(cli.port, '127.0.0.4')).kind);
    expect(kinds).toEqual([...Array(9).fill('refused'), ...Array(6).fill('dropped')]);
    const s = await adminStats(cli);
    expect(s).toMatchObject({ refusedRate: 10, refusedFlood: 6, refusedPerIp: 0, refusedMaxConnection: 0 });
    const metrics = await (await fetch(`${adminUrl(cli)}/metrics`)).text();
    expect(metrics).toMatch(/switchyard_admission_refusals_total\{node="0",reason="rate"\} 10/);
    expect(metrics).toMatch(/switchyard_admission_refusals_total\{node="0",reason="flood"\} 6/);
  });

  it('the master keeps the rate state of at most maxTrackedAddresses addresses', async () => {
    const cli = await startCluster(['--workers', '1', '--connection-rate-limit', '1', '--max-tracked-addresses', '16', '--admin-port', '0']);
    for (let i = 1; i <= 40; i++) await closeAll([opened(await attempt(cli.port, `127.0.1.${i}`))]);
    expect((await adminStats(cli)).trackedAddresses).toBe(16);
  });

  it('behind a trusted proxy with proxyProtocol, the limits count the client its PROXY header declares', async () => {
    const cli = await startCluster(['--workers', '2', '--trust-proxy', '127.0.0.1', '--proxy-protocol', '--max-connections-per-ip', '1', '--admin-port', '0']);
    /** A connection from the proxy (127.0.0.1) on behalf of `client`: the status line it gets, the socket kept open. */
    const via = (client: string): Promise<{ status: string; socket: Socket }> =>
      new Promise((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: cli.port });
        socket.once('error', reject);
        socket.once('data', (d: Buffer) => resolve({ status: d.toString('latin1').split('\r\n', 1)[0]!, socket }));
        socket.write(Buffer.concat([encodeProxyV1({ address: client, port: 40000 }, { address: '127.0.0.1', port: cli.port }), Buffer.from(upgradeRequest('/'), 'latin1')]));
      });
    const a = await via('203.0.113.7');
    const b = await via('198.51.100.9');
    expect([a.status, b.status]).toEqual(['HTTP/1.1 101 Switching Protocols', 'HTTP/1.1 101 Switching Protocols']);
    const again = await via('203.0.113.7');
    expect(again.status).toBe('HTTP/1.1 429 Too Many Requests');
    expect((await adminStats(cli)).refusedPerIp).toBe(1);
    for (const x of [a, b, again]) x.socket.destroy();
  });
});
