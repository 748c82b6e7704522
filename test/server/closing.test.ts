import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { CloseInfo } from '../../src/worker/server.ts';
import { CloseCode, Opcode } from '../../src/shared/protocol/constants.ts';
import echoApp from '../../src/worker/default-app.ts';
import { clientFrame, closeCode, closeReason } from '../../scripts/lib/frames.ts';
import { FrameClient, startServer, until, type Running } from '../helpers/server.ts';

let srv: Running | undefined;
afterEach(async () => {
  await srv?.stop();
  srv = undefined;
});

function closeFramePayload(code: number, reason = ''): Buffer {
  const b = Buffer.alloc(2 + Buffer.byteLength(reason));
  b.writeUInt16BE(code, 0);
  b.write(reason, 2);
  return b;
}

describe('closing handshake', () => {
  it('a client close is echoed with its code, then the server closes TCP; close callback says client, 4001', async () => {
    const closes: CloseInfo[] = [];
    srv = await startServer({}, (s) => {
      echoApp(s);
      s.on('close', (_s, _fd, info) => void closes.push(info));
    });
    const c = await FrameClient.open(srv.port);
    c.send(clientFrame(Opcode.Close, closeFramePayload(4001, 'bye')));
    const [frame] = await c.waitFrames(1);
    expect(frame!.opcode).toBe(Opcode.Close);
    expect(closeCode(frame!)).toBe(4001);
    await until(() => c.raw.ended, 3000, 'server FIN');
    await until(() => closes.length === 1);
    expect(closes[0]).toMatchObject({ code: 4001, reason: 'bye', closedBy: 'client', wasClean: true });
    c.raw.close();
  });

  it('an empty client close is answered with an empty close and reported as 1005', async () => {
    const closes: CloseInfo[] = [];
    srv = await startServer({}, (s) => {
      echoApp(s);
      s.on('close', (_s, _fd, info) => void closes.push(info));
    });
    const c = await FrameClient.open(srv.port);
    c.send(clientFrame(Opcode.Close, Buffer.alloc(0)));
    const [frame] = await c.waitFrames(1);
    expect(frame!.opcode).toBe(Opcode.Close);
    expect(frame!.payload.length).toBe(0);
    await until(() => closes.length === 1);
    expect(closes[0]!.code).toBe(CloseCode.NoStatus);
    c.raw.close();
  });

  it('server disconnect(): messages queued before it arrive first, then the close frame; waits for the peer close', async () => {
    const closes: CloseInfo[] = [];
    srv = await startServer({}, (s) => {
      s.on('open', async (srv2, req) => {
        srv2.push(req.fd, 'one');
        srv2.push(req.fd, 'two');
        srv2.disconnect(req.fd, 4000, 'done here');
        // after disconnect nothing more is accepted
        expect(srv2.push(req.fd, 'three')).toBe(false);
        expect(srv2.pushStatus(req.fd, 'three')).toBe('closed');
        expect(srv2.localClientInfo(req.fd)?.websocketStatus).toBe(4);
        expect(await srv2.isEstablished(req.fd)).toBe(false);
        expect(await srv2.exist(req.fd)).toBe(true);
      });
      s.on('close', (_s, _fd, info) => void closes.push(info));
    });
    const c = await FrameClient.open(srv.port, '/x');
    const frames = await c.waitFrames(3);
    expect(frames.map((f) => f.opcode)).toEqual([Opcode.Text, Opcode.Text, Opcode.Close]);
    expect(frames[1]!.payload.toString()).toBe('two');
    expect(closeCode(frames[2]!)).toBe(4000);
    expect(closeReason(frames[2]!)).toBe('done here');
    expect(c.raw.ended).toBe(false); // still waiting for our close
    c.send(clientFrame(Opcode.Close, closeFramePayload(4000)));
    await until(() => c.raw.ended, 3000, 'server FIN after the peer close');
    await until(() => closes.length === 1);
    expect(closes[0]).toMatchObject({ code: 4000, closedBy: 'server', wasClean: true });
  });

  it('a peer that never answers our close is destroyed after closeTimeoutMs', async () => {
    const closes: CloseInfo[] = [];
    srv = await startServer({ closeTimeoutMs: 200 }, (s) => {
      s.on('open', (srv2, req) => void srv2.disconnect(req.fd, 1000));
      s.on('close', (_s, _fd, info) => void closes.push(info));
    });
    const c = await FrameClient.open(srv.port, '/x');
    await c.waitFrames(1);
    await until(() => c.raw.closed, 3000, 'socket destroyed');
    await until(() => closes.length === 1);
    expect(closes[0]).toMatchObject({ code: 1000, closedBy: 'server', wasClean: false });
  });

  it('a protocol error sends its close code and closes TCP (unmasked frame -> 1002)', async () => {
    srv = await startServer({}, echoApp);
    const c = await FrameClient.open(srv.port);
    c.send(clientFrame(Opcode.Text, 'x', { mask: false }));
    const [frame] = await c.waitFrames(1);
    expect(closeCode(frame!)).toBe(CloseCode.ProtocolError);
    await until(() => c.raw.ended || c.raw.closed, 3000, 'TCP close');
  });

  it('TCP dropped without a close frame: close callback with 1006', async () => {
    const closes: CloseInfo[] = [];
    srv = await startServer({}, (s) => s.on('close', (_s, _fd, info) => void closes.push(info)));
    const c = await FrameClient.open(srv.port, '/x');
    c.raw.close();
    await until(() => closes.length === 1);
    expect(closes[0]).toMatchObject({ code: CloseCode.Abnormal, closedBy: 'client', wasClean: false });
    expect(srv.server.localStats().connections).toBe(0);
  });

  it('close(fd) drops TCP without a close frame', async () => {
    srv = await startServer({}, (s) => s.on('open', (srv2, req) => void srv2.close(req.fd)));
    const c = await FrameClient.open(srv.port, '/x');
    await until(() => c.raw.closed, 3000, 'socket closed');
    expect(c.poll()).toEqual([]);
  });

  it('graceful shutdown sends 1001 to every client', async () => {
    srv = await startServer({}, echoApp);
    const codes: number[] = [];
    const clients = await Promise.all(
      [1, 2, 3].map(
        () =>
          new Promise<WebSocket>((resolve) => {
            const ws = new WebSocket(`${srv!.url}/echo`);
            ws.on('close', (code) => codes.push(code));
            ws.on('open', () => resolve(ws));
          }),
      ),
    );
    await srv.server.shutdown(2000);
    await until(() => codes.length === 3);
    expect(codes).toEqual([1001, 1001, 1001]);
    expect(clients.every((ws) => ws.readyState === WebSocket.CLOSED)).toBe(true);
    srv = undefined;
  });
});

describe('app callback failures', () => {
  it('a throwing message callback closes only that connection with 1011', async () => {
    srv = await startServer({}, (s) =>
      s.on('message', (srv2, frame) => {
        if (frame.data === 'boom') throw new Error('app bug');
        srv2.push(frame.fd, frame.data);
      }),
    );
    const bad = await FrameClient.open(srv.port, '/x');
    const good = await FrameClient.open(srv.port, '/x');
    bad.send(clientFrame(Opcode.Text, 'boom'));
    const [f] = await bad.waitFrames(1);
    expect(closeCode(f!)).toBe(CloseCode.InternalError);
    good.send(clientFrame(Opcode.Text, 'still here'));
    const [g] = await good.waitFrames(1);
    expect(g!.payload.toString()).toBe('still here');
  });

  it('a rejected async message callback closes that connection with 1011', async () => {
    srv = await startServer({}, (s) =>
      s.on('message', async () => {
        await new Promise((r) => setTimeout(r, 5));
        throw new Error('async app bug');
      }),
    );
    const c = await FrameClient.open(srv.port, '/x');
    c.send(clientFrame(Opcode.Text, 'x'));
    const [f] = await c.waitFrames(1);
    expect(closeCode(f!)).toBe(CloseCode.InternalError);
  });
});

describe('control frames handed to the app (openWebsocket*Frame)', () => {
  it('default: pings are answered with identical pongs, pongs are dropped', async () => {
    const seen: number[] = [];
    srv = await startServer({}, (s) => s.on('message', (_s, f) => void seen.push(f.opcode)));
    const c = await FrameClient.open(srv.port, '/x');
    c.send(clientFrame(Opcode.Pong, 'unsolicited'));
    c.send(clientFrame(Opcode.Ping, 'are you there'));
    const [f] = await c.waitFrames(1);
    expect(f!.opcode).toBe(Opcode.Pong);
    expect(f!.payload.toString()).toBe('are you there');
    expect(seen).toEqual([]);
  });

  it('on: ping, pong and close reach message with their opcode; the app answers', async () => {
    const seen: Array<{ opcode: number; data: string; code?: number; reason?: string }> = [];
    srv = await startServer({ openWebsocketPingFrame: true, openWebsocketPongFrame: true, openWebsocketCloseFrame: true }, (s) =>
      s.on('message', (srv2, f) => {
        seen.push({ opcode: f.opcode, data: String(f.data), ...(f.code !== undefined ? { code: f.code, reason: f.reason } : {}) });
        if (f.opcode === Opcode.Ping) srv2.push(f.fd, Buffer.from('app pong'), Opcode.Pong);
        if (f.opcode === Opcode.Close) srv2.disconnect(f.fd, 4002, 'app says bye');
      }),
    );
    const c = await FrameClient.open(srv.port, '/x');
    c.send(clientFrame(Opcode.Ping, 'p'));
    c.send(clientFrame(Opcode.Pong, 'q'));
    const [pong] = await c.waitFrames(1);
    expect(pong!.payload.toString()).toBe('app pong');
    c.send(clientFrame(Opcode.Close, closeFramePayload(1000, 'client done')));
    const frames = await c.waitFrames(2);
    expect(closeCode(frames[1]!)).toBe(4002);
    expect(seen).toEqual([
      { opcode: Opcode.Ping, data: 'p' },
      { opcode: Opcode.Pong, data: 'q' },
      { opcode: Opcode.Close, data: '', code: 1000, reason: 'client done' },
    ]);
    await until(() => c.raw.ended, 3000, 'server FIN');
  });
});
