/**
 * Two attacks that are single requests, each on its own connection, sent at once:
 *   garbage-head  bytes that cannot be HTTP/1.1 (binary garbage, a TLS ClientHello on the
 *                 plain port, a head with bare LF line ends): the status answered and how
 *                 long the answer took (or that none came within the answer deadline)
 *   strictness    requests the RFCs say to refuse or to route: duplicate Host (RFC 9112 §3.2),
 *                 `HTTP/2.0` (RFC 9110 §15.6.6), an absolute-form target (RFC 9112 §3.2.2), and a
 *                 valid upgrade as the control: the status each server answers (a table, not
 *                 pass/fail)
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { CONTROL_TIMEOUT_MS, inTurn, runCase, specFor, type Attack, type AttackContext, type AttackName, type CaseResult } from '../attack.ts';
import type { RequestsParams, RequestsResult } from '../clients/misc.ts';
import type { Side } from '../servers.ts';

type Inputs = (side: Side) => Array<{ name: string; bytes: Buffer }>;

/** The first flight of a real TLS client (node:tls) to a plain TCP listener here. */
async function clientHello(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const server = createServer((s) => {
      s.once('data', (d: Buffer) => {
        resolve(d);
        s.destroy();
        server.close();
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      tlsConnect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false }).on('error', () => {});
    });
    setTimeout(() => reject(new Error('no ClientHello within 5 s')), 5000).unref();
  });
}

const upgradeHead = (target: string, version: string, host: string, extra = '', eol = '\r\n'): Buffer =>
  Buffer.from(
    [`GET ${target} HTTP/${version}`, `Host: ${host}`, ...(extra ? [extra] : []), 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`, 'Sec-WebSocket-Version: 13', '', ''].join(eol),
    'latin1',
  );

/** Garbage that no HTTP parser can take: a NUL first, then a fixed pseudo-random run. */
function garbage(): Buffer {
  const b = Buffer.alloc(64);
  let x = 0x2545f491;
  for (let i = 1; i < b.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

async function answers(ctx: AttackContext, name: AttackName, caseName: string, inputs: Inputs, deadlineMs: number): Promise<CaseResult[]> {
  return inTurn(ctx, ctx.s.servers, (kind) =>
    runCase(
      ctx,
      name,
      caseName,
      specFor(kind, ctx.s.workers),
      async ({ side }) => {
        const requests = inputs(side).map((i) => ({ name: i.name, base64: i.bytes.toString('base64') }));
        const job = await ctx.pool.start<RequestsResult>('requests', { host: side.host, port: side.port, requests, deadlineMs } satisfies RequestsParams);
        return { answers: await job.result };
      },
      false,
    ),
    true, // single requests: both servers at once
  );
}

/** One row per input, one column per server: "status (ms)" or the outcome. */
function byInput(cases: CaseResult[], withTime: boolean): string[][] {
  const names = [...new Set(cases.flatMap((c) => ((c.answers as RequestsResult | undefined) ?? []).map((a) => a.name)))];
  const rows = [['input', ...cases.map((c) => c.server)]];
  for (const n of names) {
    rows.push([
      n,
      ...cases.map((c) => {
        const a = (c.answers as RequestsResult | undefined)?.find((x) => x.name === n);
        if (!a) return String(c.error ?? 'n/a');
        const what = a.status === null ? a.outcome : a.status === 101 ? '101 (upgraded)' : String(a.status);
        return withTime && !what.startsWith('no answer') ? `${what} after ${a.ms} ms` : what;
      }),
    ]);
  }
  return rows;
}

export const garbageHead: Attack = {
  name: 'garbage-head',
  title: 'bytes that cannot be HTTP/1.1 on the plain port',
  limitSeconds: (s) => s.answerDeadlineMs / 1000 + 60,
  async run(ctx: AttackContext) {
    ctx.log('garbage-head: garbage, a TLS ClientHello, a bare-LF head');
    const hello = await clientHello();
    const inputs: Inputs = (side) => [
      { name: 'binary garbage (64 bytes)', bytes: garbage() },
      { name: `TLS ClientHello (${hello.length} bytes)`, bytes: hello },
      { name: 'upgrade head with bare LF line ends', bytes: upgradeHead('/echo', '1.1', `${side.host}:${side.port}`, '', '\n') },
    ];
    const cases = await answers(ctx, 'garbage-head', 'three inputs', inputs, ctx.s.answerDeadlineMs);
    return { cases, table: byInput(cases, true), notes: [`each input waits up to ${ctx.s.answerDeadlineMs} ms for an answer`] };
  },
};

export const strictness: Attack = {
  name: 'strictness',
  title: 'requests the RFCs refuse (or route): the status each server answers',
  limitSeconds: () => 90,
  async run(ctx: AttackContext) {
    ctx.log('strictness: duplicate Host, HTTP/2.0, absolute-form target');
    const inputs: Inputs = (side) => {
      const host = `${side.host}:${side.port}`;
      return [
        { name: 'valid upgrade (control)', bytes: upgradeHead('/echo', '1.1', host) },
        { name: 'duplicate Host', bytes: upgradeHead('/echo', '1.1', host, `Host: ${host}`) },
        { name: 'GET /echo HTTP/2.0', bytes: upgradeHead('/echo', '2.0', host) },
        { name: `absolute-form GET http://${host}/echo`, bytes: upgradeHead(`http://${host}/echo`, '1.1', host) },
      ];
    };
    // A status, not a time, is the figure: wait as long as a watching client does.
    const cases = await answers(ctx, 'strictness', 'four requests', inputs, CONTROL_TIMEOUT_MS);
    // The absolute-form row names the port, which differs per server: one name for the table.
    for (const c of cases) for (const a of (c.answers as RequestsResult | undefined) ?? []) a.name = a.name.replace(/http:\/\/[^/]+/, 'http://host');
    return { cases, table: byInput(cases, false), notes: ['101: the server upgraded the connection'] };
  },
};
