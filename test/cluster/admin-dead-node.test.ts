/**
 * Issue 14 part 5: a push to a well-formed fd whose node is not alive (its lease is gone from
 * Redis) answers `unknown` at once — pushAsync, pushStatus, getClientInfo and the admin API's
 * POST /push/:fd (404) — instead of waiting busTimeoutMs for an owner that will never answer.
 * Two real nodes over the real Redis; one is stopped.
 */
import { randomBytes } from 'node:crypto';
import { LIVENESS_TTL_MS } from '../../src/worker/cluster/node-liveness.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, command, hello, startCluster, type Hello } from '../helpers/cluster.ts';
import { externalTool, killAll, type CliProcess } from '../helpers/process.ts';
import { deleteKeys, REDIS_URL, redisProbe } from '../helpers/redis.ts';
import { sampleUntil } from '../helpers/server.ts';

const redis = externalTool('Redis', redisProbe, 'start redis-server on 127.0.0.1:6379 or set REDIS_URL');
const BUS_TIMEOUT_MS = 5000;

describe.runIf(redis.run)('two nodes: the admin API across them, and a push to an fd of a node that is not alive', () => {
  const cluster = `sy-test-dead-${randomBytes(4).toString('hex')}`;
  const token = randomBytes(8).toString('hex');
  let a: CliProcess;
  let b: CliProcess;
  let onA: Hello;
  let onB: Hello;

  beforeAll(async () => {
    if (!redis.available) throw new Error(redis.problem ?? 'Redis unavailable');
    const args = ['--workers', '1', '--redis', REDIS_URL, '--cluster-name', cluster, '--bus-timeout-ms', String(BUS_TIMEOUT_MS), '--admin-port', '0'];
    [a, b] = await Promise.all([startCluster(args, { SWITCHYARD_ADMIN_TOKEN: token }), startCluster(args, { SWITCHYARD_ADMIN_TOKEN: token })]);
    onA = await hello(a.port);
    onB = await hello(b.port);
  }, 60_000);
  afterAll(async () => {
    await closeAll([onA, onB].filter(Boolean));
    await killAll();
    await deleteKeys(cluster);
  });

  it('the admin API spans the nodes: pages of both nodes\' sessions, a room and a uid with members on the other node', async () => {
    const admin = `http://127.0.0.1:${a.logs().find((e) => e.event === 'admin-listening')!.port as number}`;
    const headers = { authorization: `Bearer ${token}` };
    const list = async (q: string) => (await (await fetch(`${admin}/connections?${q}`, { headers })).json()) as { fds: number[]; cursor: number | null };
    const both = [onA.fd, onB.fd].sort((x, y) => x - y);
    // The session table shows the other node's session once its batch has landed.
    expect(await sampleUntil(() => list('limit=10'), (p) => JSON.stringify(p.fds) === JSON.stringify(both), 3000, 50)).toEqual({ fds: both, cursor: null });
    expect(await list('limit=1')).toEqual({ fds: [both[0]], cursor: both[0] });
    expect(await list(`limit=1&cursor=${both[0]}`)).toEqual({ fds: [both[1]], cursor: null });
    await command(onA, { cmd: 'join', fd: onB.fd, room: 'far' });
    await command(onA, { cmd: 'bind', fd: onB.fd, uid: 'far-user' });
    expect(await sampleUntil(() => list('room=far'), (p) => p.fds.length === 1, 3000, 50)).toEqual({ fds: [onB.fd], cursor: null });
    expect(await sampleUntil(() => list('uid=far-user'), (p) => p.fds.length === 1, 3000, 50)).toEqual({ fds: [onB.fd], cursor: null });
    expect(await list('uid=far-user&room=far')).toEqual({ fds: [onB.fd], cursor: null });
    expect(await list('uid=far-user&room=elsewhere')).toEqual({ fds: [], cursor: null });
    const info = await fetch(`${admin}/connections/${onB.fd}`, { headers });
    expect(await info.json()).toMatchObject({ fd: onB.fd, rooms: ['far'], uid: 'far-user' });
  }, 30_000);

  it("answers 'unknown' (404 over HTTP) well under busTimeoutMs once the node has stopped; 'written' while it lived", async () => {
    expect(await command(onA, { cmd: 'pushAsync', fd: onB.fd })).toBe('written');
    expect(await b.stop()).toBe(0);
    // The pushAsync above cached "alive" for LIVENESS_TTL_MS: a node stopped less than that ago
    // may still be asked (documented in node-liveness.ts). Past it, the answer is fresh.
    await new Promise((r) => setTimeout(r, LIVENESS_TTL_MS + 50));
    let t0 = Date.now();
    expect(await command(onA, { cmd: 'pushAsync', fd: onB.fd }, BUS_TIMEOUT_MS + 2000)).toBe('unknown');
    const asyncMs = Date.now() - t0;
    expect(asyncMs).toBeLessThan(BUS_TIMEOUT_MS / 5);
    // Fire-and-forget: synchronous, from what the worker learned (refreshed in the background).
    const counts = await sampleUntil(() => command(onA, { cmd: 'pushStatus', fd: onB.fd, n: 3 }), (c) => c.unknown === 3, 2000, 50);
    expect(counts).toEqual({ unknown: 3 });
    t0 = Date.now();
    expect(await command(onA, { cmd: 'info', fd: onB.fd }, BUS_TIMEOUT_MS + 2000)).toEqual({ exist: false, established: false, info: null });
    expect(Date.now() - t0).toBeLessThan(BUS_TIMEOUT_MS / 5);
    const port = a.logs().find((e) => e.event === 'admin-listening')!.port as number;
    t0 = Date.now();
    const res = await fetch(`http://127.0.0.1:${port}/push/${onB.fd}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: 'x' });
    const httpMs = Date.now() - t0;
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ fd: onB.fd, status: 'unknown' });
    expect(httpMs).toBeLessThan(BUS_TIMEOUT_MS / 5);
    console.info(`dead node: pushAsync answered in ${asyncMs} ms, POST /push in ${httpMs} ms (busTimeoutMs ${BUS_TIMEOUT_MS})`);
  }, 60_000);
});
