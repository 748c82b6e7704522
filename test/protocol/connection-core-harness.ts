import type { ProtocolError } from '../../src/shared/errors.ts';
import { ConnectionCore, type ConnectionIo, type CoreSettings } from '../../src/shared/protocol/connection-core.ts';
import type { MessageCodec } from '../../src/shared/protocol/extension.ts';
import { ServerFrameReader, type ServerFrame } from '../../scripts/lib/frames.ts';

export const SETTINGS: CoreSettings = Object.freeze({
  packageMaxLength: 1024 * 1024,
  readBudgetFrames: 1_000_000,
  readBudgetBytes: 1_000_000_000,
  closeTimeoutMs: 5000,
  openWebsocketPingFrame: false,
  openWebsocketPongFrame: false,
  openWebsocketCloseFrame: false,
  compressionThreshold: 1024,
  bufferOutputSize: 4096,
  bufferFullPolicy: 'drop',
});

/** One thing the core did to its shell, in a form tests compare with toEqual. */
export type IoEvent =
  | { t: 'message'; data: string; binary: boolean }
  | { t: 'control'; opcode: number; data: string; code?: number; reason?: string }
  | { t: 'pongArrived' }
  | { t: 'protocolFailed'; code: string; closeCode: number }
  | { t: 'compressionFailed' }
  | { t: 'overCap'; queued: number; closing: boolean }
  | { t: 'write'; hex: string }
  | { t: 'end' }
  | { t: 'abort' }
  | { t: 'timer'; ms: number }
  | { t: 'parserStopped' }
  | { t: 'settled' };

/**
 * A shell with no socket: records every call, holds written bytes until drain() when
 * `holding` (to test the output cap), and decodes what was written as server frames.
 */
export class FakeIo implements ConnectionIo {
  readonly events: IoEvent[] = [];
  held = 0;
  holding = false;
  /** Called after an event is recorded (the snapshot tests capture state there). */
  onEvent: ((event: IoEvent) => void) | null = null;
  private readonly reader = new ServerFrameReader();
  readonly frames: ServerFrame[] = [];

  private record(e: IoEvent): void {
    this.events.push(e);
    this.onEvent?.(e);
  }
  deliverMessage(data: Buffer, binary: boolean): void {
    this.record({ t: 'message', data: binary ? data.toString('hex') : data.toString(), binary });
  }
  deliverControl(opcode: number, payload: Buffer, code?: number, reason?: string): void {
    this.record({ t: 'control', opcode, data: payload.toString(), ...(code !== undefined ? { code, reason: reason! } : {}) });
  }
  pongArrived(): void {
    this.record({ t: 'pongArrived' });
  }
  protocolFailed(error: ProtocolError): void {
    this.record({ t: 'protocolFailed', code: error.code, closeCode: error.closeCode });
  }
  compressionFailed(): void {
    this.record({ t: 'compressionFailed' });
  }
  heldBytes(): number {
    return this.held;
  }
  outputOverCap(queued: number, closing: boolean): void {
    this.record({ t: 'overCap', queued, closing });
  }
  write(bytes: Buffer): void {
    if (this.holding) this.held += bytes.length;
    this.frames.push(...this.reader.push(Buffer.from(bytes)));
    this.record({ t: 'write', hex: bytes.toString('hex') });
  }
  writeShared(frame: readonly Buffer[]): void {
    for (const b of frame) this.write(b);
  }
  endAfterFlush(): void {
    this.record({ t: 'end' });
  }
  abort(): void {
    this.record({ t: 'abort' });
  }
  armCloseTimer(ms: number): void {
    this.record({ t: 'timer', ms });
  }
  parserStopped(): void {
    this.record({ t: 'parserStopped' });
  }
  parserSettled(): void {
    this.record({ t: 'settled' });
  }

  drain(): void {
    this.held = 0;
  }
  kinds(): string[] {
    return this.events.map((e) => e.t);
  }
  has(t: IoEvent['t']): boolean {
    return this.events.some((e) => e.t === t);
  }
}

export function makeCore(overrides: Partial<CoreSettings> = {}, codec: MessageCodec | null = null): { core: ConnectionCore; io: FakeIo } {
  const io = new FakeIo();
  const core = new ConnectionCore(io, { ...SETTINGS, ...overrides }, codec);
  return { core, io };
}

export function closePayload(code: number, reason: string | Buffer = ''): Buffer {
  const r = typeof reason === 'string' ? Buffer.from(reason) : reason;
  const b = Buffer.alloc(2 + r.length);
  b.writeUInt16BE(code, 0);
  r.copy(b, 2);
  return b;
}
