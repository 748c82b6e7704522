import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProtocolError } from '../../src/shared/errors.ts';
import { Opcode } from '../../src/shared/protocol/constants.ts';
import type { Inflater } from '../../src/shared/protocol/extension.ts';
import { FrameParser, type ParserOptions, type ParserSink } from '../../src/shared/protocol/frame-parser.ts';
import { clientFrame } from '../../scripts/lib/frames.ts';

/**
 * What the shell needs from the pure parser to bound a connection's work and memory: a budget
 * per run after which it yields (same events, whatever the budget), and a backlog figure that
 * counts the bytes an inflate in flight holds, with a signal when an inflate lets it go on.
 */

class Recorder implements ParserSink {
  events: string[] = [];
  settled = 0;
  onMessage(data: Buffer, binary: boolean): void {
    this.events.push(`${binary ? 'bin' : 'text'}:${data.toString('latin1')}`);
  }
  onPing(payload: Buffer): void {
    this.events.push(`ping:${payload.toString('latin1')}`);
  }
  onPong(payload: Buffer): void {
    this.events.push(`pong:${payload.toString('latin1')}`);
  }
  onClose(code: number): void {
    this.events.push(`close:${code}`);
  }
  onError(err: ProtocolError): void {
    this.events.push(`error:${err.code}`);
  }
  onSettled(): void {
    this.settled++;
  }
}

/** Identity "inflate" that completes when the test says so. */
class SlowInflater implements Inflater {
  private pending: Array<() => void> = [];
  decompress(data: Buffer, _fin: boolean, _limit: number, callback: (err: ProtocolError | null, inflated?: Buffer) => void): void {
    const copy = Buffer.from(data);
    this.pending.push(() => callback(null, copy));
  }
  step(): boolean {
    const next = this.pending.shift();
    next?.();
    return next !== undefined;
  }
}

const frames = (n: number, size = 1): Buffer => Buffer.concat(Array.from({ length: n }, (_, i) => clientFrame(Opcode.Binary, String(i % 10).repeat(size))));
const UNLIMITED: ParserOptions = { maxMessageSize: 1 << 20 };

/** Feeds `chunks`, refilling the budget whenever the parser yields, as the shell does turn by turn. */
function parseWithBudget(chunks: Buffer[], budgetFrames: number, budgetBytes: number): { events: string[]; yields: number } {
  const sink = new Recorder();
  const parser = new FrameParser(sink, { maxMessageSize: 1 << 20, budgetFrames, budgetBytes });
  let yields = 0;
  for (const chunk of chunks) {
    parser.push(Buffer.from(chunk));
    while (parser.yielded) {
      yields++;
      parser.refill(budgetFrames, budgetBytes);
    }
  }
  return { events: sink.events, yields };
}

describe('read budget', () => {
  it('stops after budgetFrames frames with the rest queued; refill() goes on from there', () => {
    const sink = new Recorder();
    const parser = new FrameParser(sink, { maxMessageSize: 1024, budgetFrames: 3, budgetBytes: 1 << 20 });
    parser.push(frames(10));
    expect(sink.events).toEqual(['bin:0', 'bin:1', 'bin:2']);
    expect(parser.yielded).toBe(true);
    expect(parser.backlog).toBe(7 * 7); // seven 7-byte frames (2 header + 4 mask + 1) wait
    parser.push(frames(1)); // more bytes while yielded only queue
    expect(sink.events).toHaveLength(3);
    parser.refill(3, 1 << 20);
    expect(sink.events).toEqual(['bin:0', 'bin:1', 'bin:2', 'bin:3', 'bin:4', 'bin:5']);
    parser.refill(100, 1 << 20);
    expect(sink.events).toHaveLength(11);
    expect(parser.yielded).toBe(false);
    expect(parser.backlog).toBe(0);
  });

  it('counts payload bytes, checked between frames (a frame is never split)', () => {
    const sink = new Recorder();
    const parser = new FrameParser(sink, { maxMessageSize: 1024, budgetFrames: 1000, budgetBytes: 250 });
    parser.push(frames(5, 100));
    // 100, 200, 300: the third frame passes the budget, the fourth waits.
    expect(sink.events).toHaveLength(3);
    expect(parser.yielded).toBe(true);
  });

  it('control frames count too (a ping flood is work)', () => {
    const sink = new Recorder();
    const parser = new FrameParser(sink, { maxMessageSize: 1024, budgetFrames: 2, budgetBytes: 1 << 20 });
    parser.push(Buffer.concat([clientFrame(Opcode.Ping, 'a'), clientFrame(Opcode.Ping, 'b'), clientFrame(Opcode.Ping, 'c')]));
    expect(sink.events).toEqual(['ping:a', 'ping:b']);
  });

  it('a spent budget with nothing waiting is not a yield: the next bytes find it spent', () => {
    const sink = new Recorder();
    const parser = new FrameParser(sink, { maxMessageSize: 1024, budgetFrames: 2, budgetBytes: 1 << 20 });
    parser.push(frames(2));
    expect(parser.yielded).toBe(false);
    parser.push(frames(1));
    expect(parser.yielded).toBe(true);
    expect(sink.events).toHaveLength(2);
  });

  it('without a budget nothing yields', () => {
    const sink = new Recorder();
    const parser = new FrameParser(sink, UNLIMITED);
    parser.push(frames(5000));
    expect(sink.events).toHaveLength(5000);
    expect(parser.yielded).toBe(false);
  });

  it('stop() clears a yield', () => {
    const parser = new FrameParser(new Recorder(), { maxMessageSize: 1024, budgetFrames: 1, budgetBytes: 1 << 20 });
    parser.push(frames(3));
    expect(parser.yielded).toBe(true);
    parser.stop();
    expect(parser.yielded).toBe(false);
    expect(parser.backlog).toBe(0);
  });

  it('property: any budget, any chunking: the same events as without a budget', () => {
    const item = fc.oneof(
      fc.record({ op: fc.constant(Opcode.Binary), payload: fc.uint8Array({ maxLength: 200 }) }),
      fc.record({ op: fc.constant(Opcode.Ping), payload: fc.uint8Array({ maxLength: 20 }) }),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 6 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 400 }), (items, splits, budgetFrames, budgetBytes) => {
        const bytes = Buffer.concat(items.map((i) => clientFrame(i.op, Buffer.from(i.payload))));
        const points = [...new Set(splits.map((s) => s % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let at = 0;
        for (const p of [...points, bytes.length]) {
          chunks.push(bytes.subarray(at, p));
          at = p;
        }
        const whole = new Recorder();
        new FrameParser(whole, UNLIMITED).push(Buffer.from(bytes));
        const budgeted = parseWithBudget(chunks, budgetFrames, budgetBytes);
        expect(budgeted.events).toEqual(whole.events);
        if (items.length > budgetFrames && points.length === 0) expect(budgeted.yields).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});

describe('backlog while an inflate is in flight', () => {
  const compressed = (payload: string): Buffer => clientFrame(Opcode.Binary, payload, { rsv1: true });

  it('counts queued raw bytes plus the frame the inflater holds; onSettled when it lets the parser go on', () => {
    const inflater = new SlowInflater();
    const sink = new Recorder();
    const parser = new FrameParser(sink, { maxMessageSize: 1024, inflater });
    parser.push(compressed('x'.repeat(100)));
    expect(parser.backlog).toBe(100); // the payload, handed to the inflater
    const more = Buffer.concat([compressed('y'.repeat(50)), frames(3)]);
    parser.push(Buffer.from(more));
    expect(parser.backlog).toBe(100 + more.length); // everything after it waits, unparsed
    expect(sink.settled).toBe(0);

    inflater.step();
    expect(sink.events).toEqual([`bin:${'x'.repeat(100)}`]);
    expect(parser.backlog).toBe(50 + 3 * 7); // the second compressed frame in flight, three frames behind it
    expect(sink.settled).toBe(1);
    inflater.step();
    expect(sink.events).toHaveLength(5);
    expect(parser.backlog).toBe(0);
    expect(sink.settled).toBe(2);
  });

  it('a budget spent after an inflate yields there too, and says so through onSettled', () => {
    const inflater = new SlowInflater();
    const sink = new Recorder();
    const parser = new FrameParser(sink, { maxMessageSize: 1024, inflater, budgetFrames: 2, budgetBytes: 1 << 20 });
    parser.push(Buffer.concat([compressed('a'), frames(5)]));
    inflater.step();
    expect(sink.settled).toBe(1);
    expect(parser.yielded).toBe(true);
    expect(sink.events).toEqual(['bin:a', 'bin:0']);
  });
});
