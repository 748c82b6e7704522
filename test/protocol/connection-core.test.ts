import { describe, expect, it } from 'vitest';
import { CloseCode, Opcode } from '../../src/shared/protocol/constants.ts';
import { WebSocketStatus } from '../../src/shared/protocol/connection-core.ts';
import { truncateReason } from '../../src/shared/protocol/frame-encoder.ts';
import type { MessageCodec } from '../../src/shared/protocol/extension.ts';
import { clientFrame, closeCode, closeReason } from '../../scripts/lib/frames.ts';
import { closePayload, makeCore } from './connection-core-harness.ts';

/**
 * The closing handshake and failure rules of ConnectionCore, without sockets (RFC 6455 §5.5,
 * §7). The same behaviour is checked end to end by test/server/closing.test.ts and the
 * Autobahn 7.* cases of test/conformance/close.test.ts.
 */

describe('the peer closes first (§5.5.1, §7.1.5)', () => {
  it('its code is echoed (without the reason), TCP is ended after it, the close timer armed; reported as clean, by the client', () => {
    const { core, io } = makeCore();
    core.receiveData(clientFrame(Opcode.Close, closePayload(4001, 'bye')));
    expect(io.frames).toHaveLength(1);
    expect(io.frames[0]!.opcode).toBe(Opcode.Close);
    expect(closeCode(io.frames[0]!)).toBe(4001);
    expect(closeReason(io.frames[0]!)).toBe('');
    expect(io.kinds()).toEqual(['timer', 'write', 'end']);
    expect(core.status).toBe(WebSocketStatus.Closing);
    expect(core.closeExpected).toBe(true);
    expect(core.connectionLost()).toEqual({ code: 4001, reason: 'bye', closedBy: 'client', wasClean: true });
    expect(core.status).toBe(WebSocketStatus.Closed);
  });

  it('an empty close is answered with an empty close and reported as 1005', () => {
    const { core, io } = makeCore();
    core.receiveData(clientFrame(Opcode.Close, Buffer.alloc(0)));
    expect(io.frames).toHaveLength(1);
    expect(io.frames[0]!.payload.length).toBe(0);
    expect(core.connectionLost()).toMatchObject({ code: CloseCode.NoStatus, closedBy: 'client', wasClean: true });
  });

  it('nothing after its close is read: a second close, data, a ping (Autobahn 7.1.2-7.1.4)', () => {
    const { core, io } = makeCore();
    core.receiveData(Buffer.concat([clientFrame(Opcode.Close, closePayload(1000)), clientFrame(Opcode.Close, closePayload(1000)), clientFrame(Opcode.Text, 'late'), clientFrame(Opcode.Ping, 'p')]));
    expect(io.frames.map((f) => f.opcode)).toEqual([Opcode.Close]);
    expect(io.has('message')).toBe(false);
    core.receiveData(clientFrame(Opcode.Text, 'later'));
    expect(core.messagesIn).toBe(0);
  });

  it('once closing, the app can no longer send, ping or start another close', () => {
    const { core, io } = makeCore();
    core.receiveData(clientFrame(Opcode.Close, closePayload(1000)));
    const before = io.events.length;
    expect(core.send(Buffer.from('x'), Opcode.Text, null)).toBe('closed');
    expect(core.ping()).toBe('closed');
    expect(core.pong()).toBe('closed');
    expect(core.disconnect(1000, '')).toBe(false);
    expect(io.events.length).toBe(before);
  });
});

describe('the server closes first (§7.1.2)', () => {
  it('its close frame follows what was sent before; the peer gets closeTimeoutMs to answer; TCP is not ended before the answer', () => {
    const { core, io } = makeCore({ closeTimeoutMs: 1234 });
    expect(core.send(Buffer.from('one'), Opcode.Text, null)).toBe('written');
    expect(core.disconnect(4000, 'done here')).toBe(true);
    expect(io.frames.map((f) => f.opcode)).toEqual([Opcode.Text, Opcode.Close]);
    expect(closeCode(io.frames[1]!)).toBe(4000);
    expect(closeReason(io.frames[1]!)).toBe('done here');
    expect(io.events.at(-1)).toEqual({ t: 'timer', ms: 1234 });
    expect(io.has('end')).toBe(false);
    expect(core.status).toBe(WebSocketStatus.Closing);
    expect(core.send(Buffer.from('three'), Opcode.Text, null)).toBe('closed');
    expect(core.disconnect(1000, '')).toBe(false);
  });

  it("the peer's answer completes the handshake: no second close frame, TCP ended; clean, by the server", () => {
    const { core, io } = makeCore();
    core.disconnect(4000, 'bye');
    core.receiveData(clientFrame(Opcode.Close, closePayload(4000)));
    expect(io.frames.filter((f) => f.opcode === Opcode.Close)).toHaveLength(1);
    expect(io.events.filter((e) => e.t === 'timer')).toHaveLength(1);
    expect(io.events.at(-1)).toEqual({ t: 'end' });
    expect(core.connectionLost()).toEqual({ code: 4000, reason: 'bye', closedBy: 'server', wasClean: true });
  });

  it('data and pings that arrive after our close are read but not delivered or answered (§5.5.1)', () => {
    const { core, io } = makeCore();
    core.disconnect(1000, '');
    core.receiveData(Buffer.concat([clientFrame(Opcode.Text, 'late'), clientFrame(Opcode.Ping, 'p')]));
    expect(core.messagesIn).toBe(1);
    expect(io.has('message')).toBe(false);
    expect(io.frames.map((f) => f.opcode)).toEqual([Opcode.Close]);
  });

  it('a peer that never answers: the close timeout drops TCP, and the close is not clean', () => {
    const { core, io } = makeCore();
    core.disconnect(1000, '');
    core.closeTimeout();
    expect(io.events.at(-1)).toEqual({ t: 'abort' });
    expect(core.connectionLost()).toEqual({ code: 1000, reason: '', closedBy: 'server', wasClean: false });
    core.closeTimeout();
    expect(io.events.at(-1)).toEqual({ t: 'abort' }); // nothing more once closed
    expect(io.events.filter((e) => e.t === 'abort')).toHaveLength(1);
  });

  it('a code that may not be sent or a reason over 123 bytes throws RangeError before anything changes', () => {
    const { core, io } = makeCore();
    for (const code of [1005, 1006, 1015, 999, 5000]) expect(() => core.disconnect(code, '')).toThrow(RangeError);
    expect(() => core.disconnect(1000, 'x'.repeat(124))).toThrow(RangeError);
    expect(io.events).toEqual([]);
    expect(core.status).toBe(WebSocketStatus.Active);
  });

  it("close() drops TCP without a close frame; nothing is read after it; 1006 by the server", () => {
    const { core, io } = makeCore();
    core.close();
    expect(io.kinds()).toEqual(['abort']);
    core.receiveData(clientFrame(Opcode.Text, 'x'));
    expect(core.messagesIn).toBe(0);
    expect(core.connectionLost()).toEqual({ code: CloseCode.Abnormal, reason: '', closedBy: 'server', wasClean: false });
  });
});

describe('invalid close frames fail the connection (§5.5.1, §7.4)', () => {
  const cases: Array<[string, Buffer, number, string]> = [
    ['a 1-byte body', Buffer.from('a'), 1002, 'ERR_INVALID_CLOSE_PAYLOAD'],
    ['code 1005', closePayload(1005), 1002, 'ERR_INVALID_CLOSE_CODE'],
    ['code 999', closePayload(999), 1002, 'ERR_INVALID_CLOSE_CODE'],
    ['code 5000', closePayload(5000), 1002, 'ERR_INVALID_CLOSE_CODE'],
    ['a reason that is not UTF-8', closePayload(1000, Buffer.from([0xce, 0xba, 0xed, 0xa0, 0x80])), 1007, 'ERR_INVALID_CLOSE_REASON'],
  ];
  it.each(cases)('%s: close frame with %i, parser stopped, TCP ended, timer armed; clean, by the server', (_what, body, code, err) => {
    const { core, io } = makeCore();
    core.receiveData(clientFrame(Opcode.Close, body));
    expect(io.events[0]).toEqual({ t: 'protocolFailed', code: err, closeCode: code });
    expect(io.kinds()).toEqual(['protocolFailed', 'parserStopped', 'write', 'timer', 'end']);
    expect(closeCode(io.frames[0]!)).toBe(code);
    expect(core.connectionLost()).toMatchObject({ code, closedBy: 'server', wasClean: true });
  });

  it('any other protocol error too (an unmasked frame: 1002)', () => {
    const { core, io } = makeCore();
    core.receiveData(clientFrame(Opcode.Text, 'x', { mask: false }));
    expect(closeCode(io.frames[0]!)).toBe(1002);
    expect(io.has('end')).toBe(true);
  });
});

describe('fail()', () => {
  it('while closing (our close already sent): no second close frame; TCP ended; the first close is what is reported', () => {
    const { core, io } = makeCore();
    core.disconnect(4000, 'first');
    core.fail(1011, 'later trouble');
    expect(io.frames.filter((f) => f.opcode === Opcode.Close)).toHaveLength(1);
    expect(io.events.filter((e) => e.t === 'timer')).toHaveLength(1);
    expect(io.events.at(-1)).toEqual({ t: 'end' });
    expect(core.connectionLost()).toMatchObject({ code: 4000, reason: 'first', closedBy: 'server' });
  });

  it('cuts a long reason to 123 bytes on a code point boundary', () => {
    const { core, io } = makeCore();
    core.fail(1011, 'é'.repeat(100));
    expect(Buffer.byteLength(closeReason(io.frames[0]!))).toBe(122);
    expect(truncateReason('x'.repeat(123))).toBe('x'.repeat(123));
    expect(truncateReason('x'.repeat(124))).toBe('x'.repeat(123));
  });

  it('after TCP closed: nothing', () => {
    const { core, io } = makeCore();
    core.connectionLost();
    core.fail(1002, 'x');
    expect(io.events).toEqual([]);
  });
});

describe('TCP without a close frame', () => {
  it('FIN before any close: 1006 by the client; nothing held, TCP dropped at once', () => {
    const { core, io } = makeCore();
    core.receiveEof();
    expect(io.kinds()).toEqual(['abort']);
    expect(core.closeExpected).toBe(true);
    expect(core.connectionLost()).toEqual({ code: CloseCode.Abnormal, reason: '', closedBy: 'client', wasClean: false });
  });

  it('FIN with output still held: TCP ended once it is out, under the close timer', () => {
    const { core, io } = makeCore();
    io.holding = true;
    core.send(Buffer.from('reply'), Opcode.Text, null);
    core.receiveEof();
    expect(io.kinds()).toEqual(['write', 'end', 'timer']);
  });

  it('FIN after our close keeps our close code', () => {
    const { core } = makeCore();
    core.disconnect(4000, '');
    core.receiveEof();
    expect(core.connectionLost()).toMatchObject({ code: 4000, closedBy: 'server', wasClean: false });
  });

  it('a socket error then the close: 1006 by the client; reported once', () => {
    const { core } = makeCore();
    core.transportError();
    expect(core.connectionLost()).toEqual({ code: CloseCode.Abnormal, reason: '', closedBy: 'client', wasClean: false });
    expect(core.connectionLost()).toBeNull();
  });
});

describe('control frames', () => {
  it('pings are answered with identical pongs; pongs are noted, not delivered', () => {
    const { core, io } = makeCore();
    core.receiveData(Buffer.concat([clientFrame(Opcode.Pong, 'unsolicited'), clientFrame(Opcode.Ping, 'are you there')]));
    expect(io.kinds()).toEqual(['pongArrived', 'write']);
    expect(io.frames[0]).toMatchObject({ opcode: Opcode.Pong });
    expect(io.frames[0]!.payload.toString()).toBe('are you there');
  });

  it('openWebsocketPingFrame/PongFrame: both go to the app, no automatic pong; the app may answer', () => {
    const { core, io } = makeCore({ openWebsocketPingFrame: true, openWebsocketPongFrame: true });
    core.receiveData(Buffer.concat([clientFrame(Opcode.Ping, 'p'), clientFrame(Opcode.Pong, 'q')]));
    expect(io.events).toEqual([
      { t: 'control', opcode: Opcode.Ping, data: 'p' },
      { t: 'pongArrived' },
      { t: 'control', opcode: Opcode.Pong, data: 'q' },
    ]);
    expect(core.pong(Buffer.from('app pong'))).toBe('written');
    expect(io.frames.map((f) => f.payload.toString())).toEqual(['app pong']);
  });

  it("openWebsocketCloseFrame: the peer's close goes to the app, which may still send, then answers; TCP ends after the answer", () => {
    const { core, io } = makeCore({ openWebsocketCloseFrame: true });
    core.receiveData(clientFrame(Opcode.Close, closePayload(1000, 'client done')));
    expect(io.events).toEqual([{ t: 'timer', ms: 5000 }, { t: 'control', opcode: Opcode.Close, data: '', code: 1000, reason: 'client done' }]);
    expect(core.status).toBe(WebSocketStatus.Active);
    expect(core.send(Buffer.from('last words'), Opcode.Text, null)).toBe('written');
    expect(core.disconnect(4002, 'app says bye')).toBe(true);
    expect(io.frames.map((f) => f.opcode)).toEqual([Opcode.Text, Opcode.Close]);
    expect(closeCode(io.frames[1]!)).toBe(4002);
    expect(io.events.at(-1)).toEqual({ t: 'end' });
    expect(core.status).toBe(WebSocketStatus.Closing);
    expect(core.connectionLost()).toEqual({ code: 1000, reason: 'client done', closedBy: 'client', wasClean: true });
  });

  it('openWebsocketCloseFrame and an app that never answers: the close timer ends it', () => {
    const { core, io } = makeCore({ openWebsocketCloseFrame: true });
    core.receiveData(clientFrame(Opcode.Close, closePayload(1000)));
    core.closeTimeout();
    expect(io.events.at(-1)).toEqual({ t: 'abort' });
  });
});

describe('the output cap (bufferOutputSize) applies to control frames too', () => {
  it('policy drop: a ping, a pong or an automatic pong over the cap is not sent; the shell is told; the connection stays open', () => {
    const { core, io } = makeCore({ bufferOutputSize: 100 });
    io.holding = true;
    io.held = 95;
    expect(core.ping(Buffer.from('123456'))).toBe('dropped');
    expect(core.pong(Buffer.from('123456'))).toBe('dropped');
    core.receiveData(clientFrame(Opcode.Ping, '123456'));
    const over = { t: 'overCap', queued: 95, closing: false };
    expect(io.events).toEqual([over, over, over]);
    expect(io.frames).toEqual([]);
    expect(core.status).toBe(WebSocketStatus.Active);
    io.drain();
    expect(core.ping(Buffer.from('123456'))).toBe('written');
  });

  it('policy close: the slow consumer gets 1008 (a close frame is never refused for the cap), the frame is dropped', () => {
    const { core, io } = makeCore({ bufferOutputSize: 100, bufferFullPolicy: 'close' });
    io.holding = true;
    io.held = 99;
    expect(core.ping()).toBe('dropped');
    expect(io.frames.map((f) => [f.opcode, closeCode(f)])).toEqual([[Opcode.Close, 1008]]);
    expect(closeReason(io.frames[0]!)).toBe('slow consumer');
    expect(io.events.at(-1)).toEqual({ t: 'overCap', queued: 99, closing: true });
    expect(core.status).toBe(WebSocketStatus.Closing);
  });

  it('data messages alike; exactly at the cap is allowed', () => {
    const { core, io } = makeCore({ bufferOutputSize: 10 });
    io.holding = true;
    expect(core.send(Buffer.alloc(8), Opcode.Binary, null)).toBe('written'); // 10 bytes with its header
    expect(core.send(Buffer.alloc(1), Opcode.Binary, null)).toBe('dropped');
    expect(core.messagesOut).toBe(1);
  });
});

/** A codec whose compressions complete when the test says so. */
class ManualCodec implements MessageCodec {
  readonly jobs: Array<(err: Error | null, out?: Buffer) => void> = [];
  disposed = false;
  decompress(): void {
    throw new Error('not used');
  }
  compress(_data: Buffer, callback: (err: Error | null, out?: Buffer) => void): void {
    this.jobs.push(callback);
  }
  dispose(): void {
    this.disposed = true;
  }
}

describe('with compression (a MessageCodec)', () => {
  it('frames leave in the order they were sent: a ping and a close wait behind a compression; TCP ends after them', () => {
    const codec = new ManualCodec();
    const { core, io } = makeCore({ compressionThreshold: 4 }, codec);
    core.send(Buffer.from('long enough'), Opcode.Text, null);
    core.ping(Buffer.from('p'));
    core.disconnect(1000, '');
    core.fail(1002, 'x');
    expect(io.frames).toEqual([]);
    expect(core.deferredBytes).toBeGreaterThan(0);
    expect(io.has('end')).toBe(false);
    codec.jobs[0]!(null, Buffer.from([0x01]));
    expect(io.frames.map((f) => [f.opcode, f.rsv1])).toEqual([[Opcode.Text, true], [Opcode.Ping, false], [Opcode.Close, false]]);
    expect(io.events.at(-1)).toEqual({ t: 'end' });
    expect(core.deferredBytes).toBe(0);
  });

  it('a failed compression fails the connection with 1011', () => {
    const codec = new ManualCodec();
    const { core, io } = makeCore({ compressionThreshold: 4 }, codec);
    core.send(Buffer.from('long enough'), Opcode.Text, null);
    codec.jobs[0]!(new Error('zlib'));
    expect(io.has('compressionFailed')).toBe(true);
    expect(closeCode(io.frames[0]!)).toBe(1011);
  });

  it('closing disposes the codec; a compression that finishes afterwards writes nothing', () => {
    const codec = new ManualCodec();
    const { core, io } = makeCore({ compressionThreshold: 4 }, codec);
    core.send(Buffer.from('long enough'), Opcode.Text, null);
    core.connectionLost();
    expect(codec.disposed).toBe(true);
    codec.jobs[0]!(null, Buffer.from([0x01]));
    expect(io.frames).toEqual([]);
  });
});
