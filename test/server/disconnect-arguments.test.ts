import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryNetwork } from '../../src/shared/bus/memory-bus.ts';
import { Opcode } from '../../src/shared/protocol/constants.ts';
import { encodeFd } from '../../src/shared/session-id.ts';
import { Server } from '../../src/worker/server.ts';
import { OPS } from '../../src/worker/cluster/cluster-ops.ts';
import { OpMessage } from '../../src/worker/cluster/op-kit.ts';
import type { Router } from '../../src/worker/cluster/router.ts';
import { clientFrame, closeCode, closeReason } from '../../scripts/lib/frames.ts';
import { FrameClient, startServer, until, type Running } from '../helpers/server.ts';

/**
 * disconnect(fd, code, reason) with arguments no close frame can carry: refused with a
 * RangeError before anything changes, for local and remote fds alike, and the connection
 * stays usable (it was left CLOSING with no close frame sent, issue 11).
 */

let srv: Running | undefined;
const extra: Array<() => Promise<void>> = [];
afterEach(async () => {
  await srv?.stop();
  srv = undefined;
  for (const stop of extra.splice(0)) await stop();
});

const BAD_CODES = [1004, 1005, 1006, 1015, 0, 999, 2000, 5000, 1000.5, Number.NaN];
const closePayload = (code: number): Buffer => Buffer.from([code >> 8, code & 0xff]);

describe('disconnect() on a local fd', () => {
  it('a reason over 123 bytes throws RangeError and changes nothing; a valid disconnect then works', async () => {
    srv = await startServer();
    const c = await FrameClient.open(srv.port, '/x');
    const fd = [...srv.server.connections][0]!;
    expect(() => srv!.server.disconnect(fd, 1000, 'x'.repeat(124))).toThrow(/close reason of 124 bytes/);
    // 41 three-byte characters: 123 bytes, the most a close frame carries (§5.5).
    const longest = '€'.repeat(41);
    expect(srv.server.localClientInfo(fd)!.websocketStatus).toBe(3);
    expect(srv.server.pushStatus(fd, 'still open')).toBe('written');
    expect(srv.server.disconnect(fd, 4000, longest)).toBe(true);
    const frames = await c.waitFrames(2);
    expect(frames[0]!.payload.toString()).toBe('still open');
    expect(frames[1]!.opcode).toBe(Opcode.Close);
    expect(closeCode(frames[1]!)).toBe(4000);
    expect(closeReason(frames[1]!)).toBe(longest);
  });

  it.each(BAD_CODES)('code %s throws RangeError and changes nothing', async (code) => {
    srv = await startServer();
    const c = await FrameClient.open(srv.port, '/x');
    const fd = [...srv.server.connections][0]!;
    expect(() => srv!.server.disconnect(fd, code)).toThrow(RangeError);
    expect(srv.server.localClientInfo(fd)!.websocketStatus).toBe(3);
    expect(srv.server.disconnect(fd, 1000)).toBe(true);
    const [frame] = await c.waitFrames(1);
    expect(closeCode(frame!)).toBe(1000);
  });

  it('the same for an unknown fd: bad arguments are a programmer error wherever fd is', async () => {
    srv = await startServer();
    expect(() => srv!.server.disconnect(12345, 1006)).toThrow(RangeError);
    expect(srv.server.disconnect(12345, 1000)).toBe(false);
  });

  it("with openWebsocketCloseFrame, a refused reply leaves the app's valid reply possible", async () => {
    const errors: unknown[] = [];
    srv = await startServer({ openWebsocketCloseFrame: true }, (s) =>
      s.on('message', (srv2, f) => {
        if (f.opcode !== Opcode.Close) return;
        try {
          srv2.disconnect(f.fd, f.code!, 'y'.repeat(200));
        } catch (err) {
          errors.push(err);
          srv2.disconnect(f.fd, f.code!, 'ok');
        }
      }),
    );
    const c = await FrameClient.open(srv.port, '/x');
    c.send(clientFrame(Opcode.Close, closePayload(4002)));
    const [frame] = await c.waitFrames(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(RangeError);
    expect(closeCode(frame!)).toBe(4002);
    expect(closeReason(frame!)).toBe('ok');
  });
});

describe('disconnect() on another worker\'s fd', () => {
  /** Two workers (slots 0 and 1) of one node over the in-memory bus, each listening. */
  async function twoWorkers(): Promise<{ a: Server; b: Server; portB: number }> {
    const network = createMemoryNetwork();
    const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
    const make = async (slot: number): Promise<Server> => {
      const bus = network.bus({ node: 0, slot });
      let seq = 0;
      const server = new Server({ port: 0 }, { logger, workerId: slot, workerCount: 2, buses: { embedded: bus, redis: null }, allocateFd: () => encodeFd(++seq, 0, slot) });
      await bus.start();
      extra.push(async () => {
        await server.shutdown(200);
        await bus.close();
      });
      return server;
    };
    const a = await make(0);
    const b = await make(1);
    await a.listen(0, '127.0.0.1');
    const { port } = await b.listen(0, '127.0.0.1');
    return { a, b, portB: port };
  }

  it('a request with bad arguments leaves the owner as it was; the caller refuses them before sending', async () => {
    const { a, b, portB } = await twoWorkers();
    const c = await FrameClient.open(portB, '/x');
    const fd = [...b.connections][0]!;
    expect(a.isLocal(fd)).toBe(false);
    // As a worker that did not check would send it: the owner refuses it before changing anything.
    const router = (a as unknown as { router: Router }).router;
    expect(router.send({ node: 0, slot: 1 }, new OpMessage(OPS.disconnect, fd, 1006, ''))).toBe('ok');
    expect(router.send({ node: 0, slot: 1 }, new OpMessage(OPS.disconnect, fd, 1000, 'z'.repeat(124)))).toBe('ok');
    await new Promise((r) => setTimeout(r, 50));
    expect(b.localClientInfo(fd)!.websocketStatus).toBe(3);
    expect(await a.isEstablished(fd)).toBe(true);
    // This worker's API checks first: RangeError, nothing sent.
    expect(() => a.disconnect(fd, 1005)).toThrow(RangeError);
    expect(() => a.disconnect(fd, 1000, 'z'.repeat(124))).toThrow(RangeError);

    expect(a.disconnect(fd, 4001, 'bye')).toBe(true);
    const [frame] = await c.waitFrames(1);
    expect(closeCode(frame!)).toBe(4001);
    expect(closeReason(frame!)).toBe('bye');
    await until(() => b.localClientInfo(fd)?.websocketStatus === 4, 2000, 'CLOSING at the owner');
  });
});
