/**
 * Metrics scraped from a real cluster (the CLI, 2 workers) after a scripted workload, through
 * the master's control socket (`metrics` request: Master.metrics(), what the admin server's
 * GET /metrics serves), and checked against what the workload did: exact where the figure is
 * exact, bounds where timing enters.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openWebSocket } from '../scripts/lib/upgrade.ts';
import { closeAll, command, hello, startCluster, type Hello } from './helpers/cluster.ts';
import { parseExposition, sampleValue, total, type Parsed } from './helpers/exposition.ts';
import { externalTool, killAll } from './helpers/process.ts';
import { deleteKeys, REDIS_URL, redisProbe } from './helpers/redis.ts';
import { sampleUntil, until } from './helpers/server.ts';

afterEach(() => killAll());

/** The `metrics` answer of the master's control socket (beside its pid file). */
function scrapeText(pidFile: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(`${pidFile}.sock`);
    let text = '';
    socket.setEncoding('utf8');
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
    socket.on('connect', () => socket.write('metrics\n'));
    socket.on('data', (s: string) => (text += s));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

async function scrape(pidFile: string): Promise<Parsed> {
  const text = await scrapeText(pidFile);
  if (text.startsWith('{')) throw new Error(`metrics failed: ${text}`);
  return parseExposition(text);
}

const pidFileFor = (): string => join(tmpdir(), `sy-metrics-${randomBytes(4).toString('hex')}.pid`);

/** Sends `n` echo messages and waits for their echoes. */
async function chat(c: Hello, n: number): Promise<void> {
  const before = c.messages.length;
  for (let i = 0; i < n; i++) c.ws.send(`m${i}`);
  await until(() => c.messages.length >= before + n, 5000, 'echoes');
}

describe('metrics of a real cluster', () => {
  it('figures match a scripted workload: connections, messages, handshakes by status, pushes, bus calls, closes by code, a worker restart', async () => {
    const pidFile = pidFileFor();
    const cli = await startCluster(['--workers', '2', '--dispatch-mode', '1', '--pid-file', pidFile]);
    const N = 6;
    const M = 5;
    const clients = await Promise.all(Array.from({ length: N }, () => hello(cli.port)));
    const bySlot = [0, 1].map((slot) => clients.filter((c) => c.worker === slot));
    expect(bySlot.map((s) => s.length)).toEqual([3, 3]);
    await Promise.all(clients.map((c) => chat(c, M)));

    // K refusals with a known status: an unsupported Sec-WebSocket-Version is 426 (RFC 6455 §4.4).
    const K = 3;
    const refused = await Promise.all(Array.from({ length: K }, () => openWebSocket({ port: cli.port, headers: { 'Sec-WebSocket-Version': '12' } })));
    expect(refused.map((r) => (r.ok ? 'ok' : r.failure))).toEqual(Array(K).fill('HTTP 426'));

    // From slot 0: 4 pushes to an fd of slot 1 (fire-and-forget over the embedded bus) and a pushAsync (a bus call).
    const [a0, a1, a2] = bySlot[0] as [Hello, Hello, Hello];
    const [b0, b1, b2] = bySlot[1] as [Hello, Hello, Hello];
    expect(await command(a0, { cmd: 'push', fd: b0.fd, n: 4, text: 'x' })).toBe(true);
    expect(await command(a0, { cmd: 'pushAsync', fd: b0.fd, text: 'y' })).toBe('written');
    await until(() => b0.messages.length >= M + 5, 5000, 'the pushes');

    // Closes: the clients begin two (1000 and 4000: "other"); the server begins one (1008, asked from slot 1 for an fd of slot 0).
    a1.ws.close(1000);
    b1.ws.close(4000);
    expect(await command(b2, { cmd: 'disconnect', fd: a2.fd, code: 1008 })).toBe(true);
    expect((await a2.closed).code).toBe(1008);
    await Promise.all([a1.closed, b1.closed]);

    // One socket that stays pending (no request sent): pending_handshakes.
    const idle: Socket = connect(cli.port, '127.0.0.1');
    const p = await sampleUntil(() => scrape(pidFile), (x) => total(x, 'switchyard_connections') === N - 3 && total(x, 'switchyard_pending_handshakes') === 1, 5000, 100);

    expect(total(p, 'switchyard_connections')).toBe(N - 3);
    expect(total(p, 'switchyard_pending_handshakes')).toBe(1);
    expect(total(p, 'switchyard_worker_up')).toBe(2);
    // Handshakes: N established, K refused with 426.
    expect(total(p, 'switchyard_handshakes_total', { status: '101' })).toBe(N);
    expect(total(p, 'switchyard_handshakes_total', { status: '426' })).toBe(K);
    expect(total(p, 'switchyard_handshakes_total')).toBe(N + K);
    expect(total(p, 'switchyard_handshake_duration_seconds_count')).toBe(N);
    expect(total(p, 'switchyard_handshake_duration_seconds_bucket', { le: '+Inf' })).toBe(N);
    expect(total(p, 'switchyard_handshake_duration_seconds_sum')).toBeGreaterThan(0);
    // Messages: M echoes each plus 3 commands in; out: a hello and M echoes each, 3 results, 5 pushes to b0.
    expect(total(p, 'switchyard_messages_received_total')).toBe(N * M + 3);
    expect(total(p, 'switchyard_messages_sent_total')).toBe(N + N * M + 3 + 5);
    expect(sampleValue(p, 'switchyard_messages_received_total', { node: '0', slot: '0' })).toBe(3 * M + 2);
    // Bytes on the wire: at least the client's masked frames (6-byte header + 2-byte payload) in, the echoes (2 + 2) out.
    expect(total(p, 'switchyard_received_bytes_total')).toBeGreaterThanOrEqual(N * M * 8);
    expect(total(p, 'switchyard_sent_bytes_total')).toBeGreaterThanOrEqual(N * M * 4);
    // Pushes: every local one was written (hellos, echoes, results); slot 0 forwarded 4 to slot 1, where they were written, plus the pushAsync.
    expect(total(p, 'switchyard_pushes_total', { target: 'local', status: 'written' })).toBe(N + N * M + 3);
    expect(total(p, 'switchyard_pushes_total', { target: 'local' })).toBe(N + N * M + 3);
    expect(sampleValue(p, 'switchyard_pushes_total', { node: '0', slot: '0', target: 'remote', status: 'forwarded' })).toBe(4);
    expect(sampleValue(p, 'switchyard_remote_pushes_served_total', { node: '0', slot: '1', status: 'written' })).toBe(5);
    // The bus: one call from slot 0 (the pushAsync), answered; messages both ways on the embedded bus.
    expect(sampleValue(p, 'switchyard_bus_call_duration_seconds_count', { node: '0', slot: '0', transport: 'embedded' })).toBe(1);
    expect(sampleValue(p, 'switchyard_bus_call_duration_seconds_sum', { node: '0', slot: '0', transport: 'embedded' })).toBeGreaterThan(0);
    expect(total(p, 'switchyard_bus_call_duration_seconds_count', { transport: 'redis' })).toBe(0);
    expect(sampleValue(p, 'switchyard_bus_messages_sent_total', { node: '0', slot: '0', transport: 'embedded' })).toBeGreaterThanOrEqual(5);
    expect(sampleValue(p, 'switchyard_bus_messages_received_total', { node: '0', slot: '1', transport: 'embedded' })).toBeGreaterThanOrEqual(5);
    expect(total(p, 'switchyard_bus_messages_failed_total')).toBe(0);
    // Closes by code and side.
    expect(total(p, 'switchyard_close_codes_received_total', { code: '1000' })).toBe(1);
    expect(total(p, 'switchyard_close_codes_received_total', { code: 'other' })).toBe(1);
    expect(total(p, 'switchyard_close_codes_received_total')).toBe(2);
    expect(sampleValue(p, 'switchyard_close_codes_sent_total', { node: '0', slot: '0', code: '1008' })).toBe(1);
    expect(total(p, 'switchyard_close_codes_sent_total')).toBe(1);
    // Gauges of the processes.
    for (const slot of ['0', '1']) {
      expect(sampleValue(p, 'switchyard_worker_resident_memory_bytes', { node: '0', slot })).toBeGreaterThan(10e6);
      expect(sampleValue(p, 'switchyard_event_loop_lag_seconds', { node: '0', slot })).toBeGreaterThanOrEqual(0);
    }
    expect(sampleValue(p, 'switchyard_master_resident_memory_bytes', { node: '0' })).toBeGreaterThan(10e6);
    expect(total(p, 'switchyard_accepted_connections_total')).toBeGreaterThanOrEqual(N + K + 1);
    expect(total(p, 'switchyard_worker_restarts_total')).toBe(0);
    idle.destroy();

    // A worker killed once: its slot's counters survive, its restart is counted, its clients are gone.
    process.kill(b0.pid, 'SIGKILL');
    await Promise.all([b0.closed, b2.closed]);
    const q = await sampleUntil(() => scrape(pidFile), (x) => total(x, 'switchyard_worker_up') === 2 && total(x, 'switchyard_worker_restarts_total') === 1, 15_000, 100);
    expect(sampleValue(q, 'switchyard_worker_restarts_total', { node: '0', slot: '1' })).toBe(1);
    expect(sampleValue(q, 'switchyard_connections', { node: '0', slot: '1' })).toBe(0);
    expect(total(q, 'switchyard_connections')).toBe(1);
    expect(total(q, 'switchyard_messages_received_total')).toBe(N * M + 3);
    expect(total(q, 'switchyard_handshakes_total', { status: '101' })).toBe(N);
    expect(total(q, 'switchyard_handshakes_total', { status: '426' })).toBe(K);
    expect(sampleValue(q, 'switchyard_remote_pushes_served_total', { node: '0', slot: '1', status: 'written' })).toBe(5);
    expect(total(q, 'switchyard_close_codes_received_total')).toBe(2);
    const fresh = await Promise.all(Array.from({ length: 2 }, () => hello(cli.port)));
    const r = await scrape(pidFile);
    expect(total(r, 'switchyard_handshakes_total', { status: '101' })).toBe(N + 2);
    expect(total(r, 'switchyard_handshake_duration_seconds_count')).toBe(N + 2);
    await closeAll([a0, ...fresh]);
  }, 60_000);

  it('the control socket answers an unknown request with an error line', async () => {
    const pidFile = pidFileFor();
    await startCluster(['--workers', '1', '--pid-file', pidFile]);
    const text = await new Promise<string>((resolve, reject) => {
      const socket = connect(`${pidFile}.sock`);
      let out = '';
      socket.setEncoding('utf8');
      socket.on('connect', () => socket.write('metrix\n'));
      socket.on('data', (s: string) => (out += s));
      socket.on('end', () => resolve(out));
      socket.on('error', reject);
    });
    expect(JSON.parse(text)).toEqual({ error: 'unknown command "metrix"' });
  });
});

const redis = externalTool('Redis', redisProbe, 'start redis-server on 127.0.0.1:6379 or set REDIS_URL');

describe.runIf(redis.run)('metrics of two nodes sharing Redis', () => {
  const cluster = `sy-metrics-${randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    await deleteKeys(cluster);
  });

  it('a scrape of either node has every node\'s workers, labelled by node; a push across nodes shows on the Redis transport', async () => {
    if (!redis.available) throw new Error(redis.problem ?? 'Redis unavailable');
    const pidA = pidFileFor();
    const pidB = pidFileFor();
    const args = ['--workers', '2', '--dispatch-mode', '1', '--redis', REDIS_URL, '--cluster-name', cluster, '--node-ttl-ms', '1500'];
    const [a, b] = await Promise.all([startCluster([...args, '--pid-file', pidA]), startCluster([...args, '--pid-file', pidB])]);
    const onA = await hello(a.port);
    const onB = [await hello(b.port), await hello(b.port)];
    const nodeOf = (fd: number): string => String(Math.floor(fd / 256) % 4096);
    const [nodeA, nodeB] = [nodeOf(onA.fd), nodeOf(onB[0]!.fd)];
    expect(nodeA).not.toBe(nodeB);
    expect(await command(onA, { cmd: 'pushAsync', fd: onB[0]!.fd, text: 'across' })).toBe('written');
    // Node B's figures reach node A within a publish period (1 s).
    const p = await sampleUntil(
      () => scrape(pidA),
      (x) => total(x, 'switchyard_connections', { node: nodeB }) === 2 && total(x, 'switchyard_remote_pushes_served_total', { node: nodeB, status: 'written' }) === 1,
      10_000,
      200,
    );
    expect(total(p, 'switchyard_connections', { node: nodeA })).toBe(1);
    expect(total(p, 'switchyard_worker_up')).toBe(4);
    expect(total(p, 'switchyard_handshakes_total', { status: '101' })).toBe(3);
    expect(sampleValue(p, 'switchyard_bus_call_duration_seconds_count', { node: nodeA, slot: String(onA.worker), transport: 'redis' })).toBe(1);
    expect(p.samples.filter((s) => s.name === 'switchyard_start_time_seconds').map((s) => s.labels.node).sort()).toEqual([nodeA, nodeB].sort());
    const q = await sampleUntil(() => scrape(pidB), (x) => total(x, 'switchyard_connections') === 3, 10_000, 200);
    expect(total(q, 'switchyard_worker_up')).toBe(4);
    await closeAll([onA, ...onB]);
  }, 60_000);
});
