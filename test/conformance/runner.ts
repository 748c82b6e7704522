import { isUtf8 } from 'node:buffer';
import zlib from 'node:zlib';
import { clientFrame, closePayload, DEFLATE_TAIL as TRAILER, ServerFrameReader } from '../../scripts/lib/frames.ts';
import { acceptFor, newKey, upgradeRequest } from '../../scripts/lib/upgrade.ts';
import { RawClient } from '../helpers/server.ts';
import type { Target } from '../helpers/transport.ts';

/**
 * A small Autobahn|Testsuite-style case runner over a real socket (test-only, written
 * independently of src/). A case is a script of client steps plus the outcomes Autobahn
 * accepts for it. Like Autobahn's `Case.onConnectionLost`, the verdict has two parts:
 *
 * - behaviour: the events we saw (echoed messages, pongs, pings, checkpoint timeouts), in
 *   order, must equal one of the expected lists (`OK`, `NON-STRICT`, `INFORMATIONAL`);
 * - close behaviour: the right endpoint started the closing handshake, it was clean where
 *   required, and the server's close code is in the allowed set.
 *
 * On top of Autobahn we are strict about what RFC 6455 makes the server do in every case:
 * the server closes TCP (§7.1.1), sends nothing after its close frame (§5.5.1), fails the
 * connection with a close frame that carries a status code, and sends well-formed frames.
 */

export const OP = { CONT: 0x0, TEXT: 0x1, BINARY: 0x2, CLOSE: 0x8, PING: 0x9, PONG: 0xa } as const;

export type Behavior = 'OK' | 'NON-STRICT' | 'INFORMATIONAL' | 'FAILED';
export type CloseBehavior = 'OK' | 'FAILED' | 'UNCLEAN' | 'WRONG CODE';

export type CaseEvent =
  | { type: 'message'; binary: boolean; data: Buffer }
  | { type: 'ping' | 'pong'; data: Buffer }
  | { type: 'timeout'; name: string };

export const text = (data: Buffer | string): CaseEvent => ({ type: 'message', binary: false, data: toBuffer(data) });
export const binary = (data: Buffer | string): CaseEvent => ({ type: 'message', binary: true, data: toBuffer(data) });
export const pong = (data: Buffer | string = ''): CaseEvent => ({ type: 'pong', data: toBuffer(data) });
export const timeout = (name: string): CaseEvent => ({ type: 'timeout', name });

interface WriteOptions {
  /** Write in pieces of this many bytes, each awaited (Autobahn's chopsize). */
  chop?: number;
  /** Write, await it and yield before the next step (Autobahn's sync=True). */
  sync?: boolean;
}
export interface FrameStep extends WriteOptions {
  kind: 'frame';
  opcode: number;
  payload: Buffer;
  fin: boolean;
  /** RSV1..3 as Autobahn numbers them: 4 = RSV1, 2 = RSV2, 1 = RSV3. */
  rsv: number;
}
export interface MessageStep extends WriteOptions {
  kind: 'message';
  opcode: 1 | 2;
  payload: Buffer;
  /** Split the (compressed) payload into frames of this size (Autobahn's autoFragmentSize). */
  fragmentSize: number;
  /** Compress with the negotiated permessage-deflate; sent plain when none was agreed. */
  compress: boolean;
}
export interface RawStep extends WriteOptions {
  kind: 'raw';
  bytes: Buffer;
}
/**
 * Autobahn's `continueLater(..., "A")`: wait up to `ms` (less once `untilEvents` events
 * arrived); if the server closed meanwhile stop the script, else record timeout(name) and go on.
 */
export interface CheckpointStep {
  kind: 'checkpoint';
  name: string;
  ms: number;
  untilEvents?: number;
}
/** Wait until `events` events arrived in all (Autobahn sends its next message from onMessage). */
export interface AwaitStep {
  kind: 'await';
  events: number;
  ms: number;
}
export type Step = FrameStep | MessageStep | RawStep | CheckpointStep | AwaitStep;

export function frame(opcode: number, payload: Buffer | string = '', opts: WriteOptions & { fin?: boolean; rsv?: number } = {}): FrameStep {
  return { kind: 'frame', opcode, payload: toBuffer(payload), fin: opts.fin ?? true, rsv: opts.rsv ?? 0, chop: opts.chop, sync: opts.sync };
}

/** A close frame: no payload without a code; the reason is raw bytes so it can be invalid UTF-8. */
export function close(code?: number, reason: Buffer | string = '', opts: WriteOptions = {}): FrameStep {
  return frame(OP.CLOSE, closePayload(code, toBuffer(reason)), opts);
}

export function message(opcode: 1 | 2, payload: Buffer | string, opts: WriteOptions & { fragmentSize?: number; compress?: boolean } = {}): MessageStep {
  return { kind: 'message', opcode, payload: toBuffer(payload), fragmentSize: opts.fragmentSize ?? 0, compress: opts.compress ?? false, chop: opts.chop, sync: opts.sync };
}

export const raw = (bytes: Buffer, opts: WriteOptions = {}): RawStep => ({ kind: 'raw', bytes, ...opts });
export const checkpoint = (name: string, ms: number, untilEvents?: number): CheckpointStep => ({ kind: 'checkpoint', name, ms, untilEvents });
export const awaitEvents = (events: number, ms = 5000): AwaitStep => ({ kind: 'await', events, ms });

/** One masked frame cut at payload offsets: Autobahn's beginMessageFrame + sendMessageFrameData chops. */
export function splitFrame(opcode: number, payload: Buffer, cuts: number[]): Buffer[] {
  const bytes = clientFrame(opcode, payload);
  const headerLength = bytes.length - payload.length;
  const points = [0, ...cuts.map((c) => headerLength + c), bytes.length];
  return points.slice(1).map((end, i) => bytes.subarray(points[i], end));
}

export interface CloseExpectation {
  /** Whether we (the client) are expected to start the closing handshake. */
  closedByMe: boolean;
  /** Close codes the server may send; the first is what we close with when closedByMe. */
  codes: number[];
  requireClean: boolean;
}

export interface CaseSpec {
  id: string;
  description: string;
  steps: Step[];
  expected: Partial<Record<Exclude<Behavior, 'FAILED'>, CaseEvent[]>>;
  close: CloseExpectation;
  /** Send close(codes[0]) once the events equal the longest expected list (Autobahn's finishWhenDone/closeAfter). Default: closedByMe and the steps send no close. */
  autoClose?: boolean;
  /** How long autoClose waits for the expected events (Autobahn's closeAfter). */
  closeAfterMs?: number;
  /** Sec-WebSocket-Extensions to offer. */
  offer?: string;
  /** Autobahn's killAfter: we drop TCP if the server has not closed it by then. */
  timeoutMs?: number;
  /** Behaviours that pass; default: every key of `expected` (Autobahn counts NON-STRICT and INFORMATIONAL as passes). */
  allowed?: Behavior[];
}

/** Autobahn's expectedClose for "Clean close with normal code" after we close. */
export const CLEAN_CLOSE: CloseExpectation = { closedByMe: true, codes: [1000], requireClean: true };
/** Autobahn's expectedClose for "the connection is failed immediately" with one of `codes`. */
export const failsWith = (...codes: number[]): CloseExpectation => ({ closedByMe: false, codes, requireClean: false });

export interface Deflate {
  serverNoContextTakeover: boolean;
  clientNoContextTakeover: boolean;
  serverMaxWindowBits: number;
  clientMaxWindowBits: number;
}

export interface CaseResult {
  id: string;
  allowed: Behavior[];
  behavior: Behavior;
  closeBehavior: CloseBehavior;
  /** RFC violations beyond Autobahn's grading; any of them fails the case. */
  problems: string[];
  events: CaseEvent[];
  serverCloseCode: number | undefined;
  serverClosed: boolean;
  closedByMe: boolean;
  /** Whether we sent a close frame at all. */
  closeSent: boolean;
  wasClean: boolean;
  serverClosedTcp: boolean;
  negotiated: string | undefined;
  deflate: Deflate | null;
  sent: string[];
  received: string[];
}


function toBuffer(data: Buffer | string): Buffer {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

/** RFC 6455 §7.4: codes that may appear in a close frame on the wire. */
export function isWireCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

function hex(data: Buffer, max = 24): string {
  return data.subarray(0, max).toString('hex') + (data.length > max ? `...(${data.length} bytes)` : '');
}

export function describeEvent(e: CaseEvent): string {
  if (e.type === 'timeout') return `timeout(${e.name})`;
  if (e.type === 'message') return `${e.binary ? 'binary' : 'text'}[${e.data.length}] ${hex(e.data)}`;
  return `${e.type}[${e.data.length}] ${hex(e.data)}`;
}

function sameEvents(a: CaseEvent[], b: CaseEvent[]): boolean {
  return a.length === b.length && a.every((e, i) => sameEvent(e, b[i]!));
}

function sameEvent(a: CaseEvent, b: CaseEvent): boolean {
  if (a.type === 'timeout' || b.type === 'timeout') return a.type === b.type && (a as { name: string }).name === (b as { name: string }).name;
  if (a.type !== b.type || !a.data.equals(b.data)) return false;
  return a.type !== 'message' || b.type !== 'message' || a.binary === b.binary;
}

interface ReceivedFrame {
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  masked: boolean;
  payload: Buffer;
}

/** Runs one case on a fresh connection to 127.0.0.1:port (path /echo), over TLS when the target has a CA. */
export async function runCase(target: number | Target, spec: CaseSpec): Promise<CaseResult> {
  const run = new CaseRun(spec);
  await run.open(typeof target === 'number' ? { port: target } : target);
  await run.play();
  await run.finish();
  const result = run.result();
  outcomes.push(result);
  return result;
}

/** Every result of this test file's block since the last summary, for the summary printed by `summarize`. */
export const outcomes: CaseResult[] = [];

class CaseRun {
  private client!: RawClient;
  /** Masked frames are read (and reported as a problem by checkFrame), not thrown. */
  private readonly reader = new ServerFrameReader({ masked: 'accept' });
  private readonly events: CaseEvent[] = [];
  private readonly problems: string[] = [];
  private readonly sent: string[] = [];
  private readonly received: string[] = [];
  private readonly waiters = new Set<() => void>();
  private negotiated: string | undefined;
  private deflate: Deflate | null = null;
  private assembling: { opcode: number; compressed: boolean; parts: Buffer[] } | null = null;
  private clientHistory: Buffer = Buffer.alloc(0);
  private serverHistory: Buffer = Buffer.alloc(0);
  private closeSent = false;
  private closedByMe = false;
  private serverClose: { code: number | undefined } | null = null;
  private tcpEnded = false;
  private tcpClosed = false;
  private droppedByMe = false;
  /** An await step timed out: the script stopped, close without waiting for more. */
  private stalled = false;

  constructor(private readonly spec: CaseSpec) {}

  async open(target: Target): Promise<void> {
    this.client = target.ca === undefined ? await RawClient.connect(target.port) : await RawClient.connectTls(target.port, target.ca);
    const key = newKey();
    const headers: Record<string, string> = { 'Sec-WebSocket-Key': key };
    if (this.spec.offer !== undefined) headers['Sec-WebSocket-Extensions'] = this.spec.offer;
    this.client.write(upgradeRequest('/echo', headers));
    const head = await this.client.head();
    if (head.status !== 101) throw new Error(`${this.spec.id}: upgrade answered ${head.status}`);
    if (head.headers['sec-websocket-accept'] !== acceptFor(key)) throw new Error(`${this.spec.id}: wrong Sec-WebSocket-Accept`);
    this.negotiated = head.headers['sec-websocket-extensions'];
    this.deflate = this.readNegotiation(this.negotiated);

    const socket = this.client.socket;
    socket.setNoDelay(true);
    socket.removeAllListeners('data');
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('end', () => {
      this.tcpEnded = true;
      this.changed();
    });
    socket.on('close', () => {
      this.tcpClosed = true;
      this.changed();
    });
    if (head.rest.length > 0) this.onData(head.rest);
  }

  async play(): Promise<void> {
    for (const step of this.spec.steps) {
      if (this.serverClose !== null || this.tcpClosed) return;
      switch (step.kind) {
        case 'frame':
          if (step.opcode === OP.CLOSE) this.noteCloseSent();
          await this.write(clientFrame(step.opcode, step.payload, { fin: step.fin, rsv1: (step.rsv & 4) !== 0, rsv2: (step.rsv & 2) !== 0, rsv3: (step.rsv & 1) !== 0 }), step, `${opName(step.opcode)} fin=${step.fin} rsv=${step.rsv} ${hex(step.payload)}`);
          break;
        case 'message':
          await this.sendMessage(step);
          break;
        case 'raw':
          await this.write(step.bytes, step, `raw ${hex(step.bytes)}`);
          break;
        case 'checkpoint': {
          const want = step.untilEvents;
          await this.waitFor(() => this.serverClose !== null || this.tcpClosed || (want !== undefined && this.countEvents() >= want), step.ms);
          if (this.serverClose !== null || this.tcpClosed) return;
          this.events.push(timeout(step.name));
          break;
        }
        case 'await':
          if (!(await this.waitFor(() => this.serverClose !== null || this.tcpClosed || this.countEvents() >= step.events, step.ms))) {
            this.problems.push(`stalled: only ${this.countEvents()} of ${step.events} expected events after ${step.ms} ms`);
            this.stalled = true;
            return;
          }
          break;
      }
    }
  }

  async finish(): Promise<void> {
    const { close } = this.spec;
    const scriptCloses = this.spec.steps.some((s) => s.kind === 'frame' && s.opcode === OP.CLOSE);
    if ((this.spec.autoClose ?? (close.closedByMe && !scriptCloses)) && !this.closeSent) {
      const target = longest(this.spec.expected);
      await this.waitFor(() => this.serverClose !== null || this.tcpClosed || sameEvents(this.events, target), this.stalled ? 0 : (this.spec.closeAfterMs ?? 5000));
      if (this.serverClose === null && !this.tcpClosed) this.sendClose(close.codes[0]);
    }
    const closed = await this.waitFor(() => this.tcpClosed || this.tcpEnded, this.spec.timeoutMs ?? 4000);
    if (!closed) {
      this.droppedByMe = true;
      this.client.socket.destroy();
    }
  }

  result(): CaseResult {
    const { expected, close } = this.spec;
    let behavior: Behavior = 'FAILED';
    for (const name of ['OK', 'NON-STRICT', 'INFORMATIONAL'] as const) {
      const list = expected[name];
      if (list && sameEvents(this.events, list)) {
        behavior = name;
        break;
      }
    }
    const code = this.serverClose?.code;
    const wasClean = this.closeSent && this.serverClose !== null && !this.droppedByMe;
    let closeBehavior: CloseBehavior = 'OK';
    if (close.closedByMe !== this.closedByMe) closeBehavior = 'FAILED';
    else if (close.requireClean && !wasClean) closeBehavior = 'UNCLEAN';
    else if (code !== undefined && !close.codes.includes(code)) closeBehavior = 'WRONG CODE';

    const problems = [...this.problems];
    if (this.droppedByMe) problems.push('the server did not close TCP (RFC 6455 §7.1.1: the server closes the TCP connection first)');
    if (this.serverClose === null) problems.push('no close frame from the server');
    else if (!close.closedByMe && code === undefined) problems.push('the server failed the connection with a close frame without a status code');
    return {
      id: this.spec.id,
      allowed: this.spec.allowed ?? (Object.keys(expected) as Behavior[]),
      behavior,
      closeBehavior,
      problems,
      events: this.events,
      serverCloseCode: code,
      serverClosed: this.serverClose !== null,
      closedByMe: this.closedByMe,
      closeSent: this.closeSent,
      wasClean,
      serverClosedTcp: !this.droppedByMe,
      negotiated: this.negotiated,
      deflate: this.deflate,
      sent: this.sent,
      received: this.received,
    };
  }

  // --- sending ---

  private async write(bytes: Buffer, opts: WriteOptions, what: string): Promise<void> {
    this.sent.push(opts.chop ? `${what} (in ${opts.chop}-byte chops)` : what);
    const socket = this.client.socket;
    const writeAndYield = async (piece: Buffer) => {
      await new Promise<void>((r) => socket.write(piece, () => r()));
      await new Promise<void>((r) => setImmediate(r));
    };
    if (!opts.chop) {
      if (socket.destroyed) return;
      if (opts.sync) await writeAndYield(bytes);
      else socket.write(bytes);
      return;
    }
    for (let i = 0; i < bytes.length; i += opts.chop) {
      if (socket.destroyed) return;
      await writeAndYield(bytes.subarray(i, i + opts.chop));
    }
  }

  private async sendMessage(step: MessageStep): Promise<void> {
    const compressed = step.compress && this.deflate !== null;
    const body = compressed ? this.compress(step.payload) : step.payload;
    const size = step.fragmentSize > 0 ? step.fragmentSize : Math.max(body.length, 1);
    const frames: Buffer[] = [];
    for (let i = 0; i === 0 || i < body.length; i += size) {
      const last = i + size >= body.length;
      frames.push(clientFrame(i === 0 ? step.opcode : OP.CONT, body.subarray(i, i + size), { fin: last, rsv1: compressed && i === 0 }));
    }
    const what = `${opName(step.opcode)} message[${step.payload.length}]${compressed ? ` deflated to ${body.length}` : ''} in ${frames.length} frame(s)`;
    await this.write(frames.length === 1 ? frames[0]! : Buffer.concat(frames), step, what);
  }

  /** §7.2.1: raw deflate ending in a sync flush, without its 00 00 ff ff. Context takeover via a dictionary of what we sent before. */
  private compress(data: Buffer): Buffer {
    const d = this.deflate!;
    // zlib can't deflate with an 8-bit window: stored blocks reference nothing, so fit any window.
    const bits = Math.max(9, d.clientMaxWindowBits);
    const opts: zlib.ZlibOptions = { windowBits: bits, level: d.clientMaxWindowBits < 9 ? 0 : 6, finishFlush: zlib.constants.Z_SYNC_FLUSH };
    if (!d.clientNoContextTakeover && this.clientHistory.length > 0) opts.dictionary = this.clientHistory;
    let out = zlib.deflateRawSync(data, opts);
    if (out.subarray(-4).equals(TRAILER)) out = out.subarray(0, -4);
    if (!d.clientNoContextTakeover) this.clientHistory = tail(Buffer.concat([this.clientHistory, data]));
    return out;
  }

  private sendClose(code: number | undefined): void {
    this.noteCloseSent();
    const payload = closePayload(code);
    this.sent.push(`close ${code ?? '(empty)'}`);
    if (!this.client.socket.destroyed) this.client.socket.write(clientFrame(OP.CLOSE, payload));
  }

  private noteCloseSent(): void {
    if (!this.closeSent && this.serverClose === null) this.closedByMe = true;
    this.closeSent = true;
  }

  // --- receiving ---

  private onData(data: Buffer): void {
    this.reader.read(data, (opcode, payload, rsv1, b0, masked) =>
      this.onFrame({ fin: (b0 & 0x80) !== 0, rsv1, rsv2: (b0 & 0x20) !== 0, rsv3: (b0 & 0x10) !== 0, opcode, masked, payload: Buffer.from(payload) }),
    );
    this.changed();
  }

  private onFrame(f: ReceivedFrame): void {
    this.received.push(`${opName(f.opcode)} fin=${f.fin}${f.rsv1 ? ' rsv1' : ''} ${hex(f.payload)}`);
    if (this.serverClose !== null) {
      this.problems.push(`data after the server's close frame: ${opName(f.opcode)} (RFC 6455 §5.5.1)`);
      return;
    }
    this.checkFrame(f);
    switch (f.opcode) {
      case OP.CONT:
        if (this.assembling === null) this.problems.push('server sent a continuation frame with no message to continue');
        else this.assembling.parts.push(f.payload);
        if (f.fin) this.endMessage();
        return;
      case OP.TEXT:
      case OP.BINARY:
        if (this.assembling !== null) this.problems.push('server started a message inside another');
        this.assembling = { opcode: f.opcode, compressed: f.rsv1, parts: [f.payload] };
        if (f.fin) this.endMessage();
        return;
      case OP.CLOSE:
        return this.onClose(f.payload);
      case OP.PING:
        this.events.push({ type: 'ping', data: f.payload });
        if (!this.closeSent && !this.client.socket.destroyed) this.client.socket.write(clientFrame(OP.PONG, f.payload));
        return;
      case OP.PONG:
        this.events.push({ type: 'pong', data: f.payload });
        return;
      default:
        this.problems.push(`server sent reserved opcode ${f.opcode}`);
    }
  }

  private checkFrame(f: ReceivedFrame): void {
    if (f.masked) this.problems.push('server frame is masked (RFC 6455 §5.1)');
    const firstData = f.opcode === OP.TEXT || f.opcode === OP.BINARY;
    if (f.rsv2 || f.rsv3 || (f.rsv1 && !(this.deflate && firstData))) this.problems.push(`server frame has RSV bits not agreed (RFC 6455 §5.2, RFC 7692 §6): ${opName(f.opcode)}`);
    if (f.opcode >= 8 && (!f.fin || f.payload.length > 125)) this.problems.push('server control frame fragmented or over 125 bytes (RFC 6455 §5.5)');
  }

  private endMessage(): void {
    const m = this.assembling!;
    this.assembling = null;
    let data: Buffer = Buffer.concat(m.parts);
    if (m.compressed && this.deflate !== null) {
      try {
        data = this.inflate(data);
      } catch (err) {
        this.problems.push(`server message does not inflate with the negotiated parameters ${this.negotiated}: ${(err as Error).message}`);
      }
    }
    if (m.opcode === OP.TEXT && !isUtf8(data)) this.problems.push('server sent a text message that is not UTF-8');
    this.events.push({ type: 'message', binary: m.opcode === OP.BINARY, data });
  }

  /**
   * Inflates with the negotiated server window; with context takeover the server's earlier
   * messages are the dictionary, without it none, so a server keeping its context fails here.
   * zlib resolves back-references from its output buffer when it can, so a message inflated
   * in one call would pass with any window: 64-byte output chunks (zlib's minimum) make every
   * reference further back than that go through the window, and one beyond the agreed
   * server_max_window_bits fail with "invalid distance too far back".
   */
  private inflate(payload: Buffer): Buffer {
    const d = this.deflate!;
    const opts: zlib.ZlibOptions = { windowBits: d.serverMaxWindowBits, finishFlush: zlib.constants.Z_SYNC_FLUSH, chunkSize: zlib.constants.Z_MIN_CHUNK };
    if (!d.serverNoContextTakeover && this.serverHistory.length > 0) opts.dictionary = this.serverHistory;
    const out = zlib.inflateRawSync(Buffer.concat([payload, TRAILER]), opts);
    if (!d.serverNoContextTakeover) this.serverHistory = tail(Buffer.concat([this.serverHistory, out]));
    return out;
  }

  private onClose(payload: Buffer): void {
    const code = payload.length >= 2 ? payload.readUInt16BE(0) : undefined;
    if (payload.length === 1) this.problems.push('server close frame has a 1-byte payload (RFC 6455 §5.5.1)');
    if (code !== undefined && !isWireCode(code)) this.problems.push(`server sent close code ${code}, which is not allowed on the wire (RFC 6455 §7.4)`);
    if (!isUtf8(payload.subarray(2))) this.problems.push('server close reason is not UTF-8');
    this.serverClose = { code };
    if (this.assembling !== null) this.problems.push('server closed in the middle of a message');
    // Answer like a client should (§5.5.1), echoing the status code.
    if (!this.closeSent) this.sendClose(code !== undefined && isWireCode(code) ? code : undefined);
  }

  private readNegotiation(header: string | undefined): Deflate | null {
    const { deflate, problems } = checkNegotiation(this.spec.offer, header);
    this.problems.push(...problems);
    return deflate;
  }

  // --- waiting ---

  private changed(): void {
    for (const w of [...this.waiters]) w();
  }

  private waitFor(predicate: () => boolean, ms: number): Promise<boolean> {
    if (predicate()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (!predicate()) return;
        done(true);
      };
      const timer = setTimeout(() => done(false), ms);
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(ok);
      };
      this.waiters.add(check);
    });
  }

  private countEvents(): number {
    return this.events.filter((e) => e.type !== 'timeout').length;
  }
}

function longest(expected: CaseSpec['expected']): CaseEvent[] {
  const lists = Object.values(expected).filter((l): l is CaseEvent[] => l !== undefined);
  return lists.reduce((a, b) => (b.length > a.length ? b : a), [] as CaseEvent[]);
}

function tail(data: Buffer): Buffer {
  return data.length > 32768 ? Buffer.from(data.subarray(data.length - 32768)) : data;
}

function opName(opcode: number): string {
  return ['cont', 'text', 'binary', 'op3', 'op4', 'op5', 'op6', 'op7', 'close', 'ping', 'pong'][opcode] ?? `op${opcode}`;
}

// --- permessage-deflate negotiation, checked from the client's side (RFC 7692 §5, §7.1) ---

type Params = Map<string, string | true>;

function parseExtensions(header: string): Array<{ name: string; params: Params }> {
  return header.split(',').map((ext) => {
    const [name = '', ...rest] = ext.split(';').map((p) => p.trim());
    const params: Params = new Map();
    for (const p of rest) {
      const eq = p.indexOf('=');
      const key = eq === -1 ? p : p.slice(0, eq).trim();
      if (params.has(key)) params.set('duplicate parameter', key);
      params.set(key, eq === -1 ? true : p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
    }
    return { name, params };
  });
}

/** Whether `response` is a valid answer to `offer` (RFC 7692 §7.1.1, §7.1.2). */
function answers(offer: Params, response: Params): boolean {
  if (offer.has('server_no_context_takeover') && !response.has('server_no_context_takeover')) return false;
  const offeredServerBits = offer.get('server_max_window_bits');
  const serverBits = response.get('server_max_window_bits');
  if (typeof offeredServerBits === 'string' && (typeof serverBits !== 'string' || Number(serverBits) > Number(offeredServerBits))) return false;
  const offeredClientBits = offer.get('client_max_window_bits');
  const clientBits = response.get('client_max_window_bits');
  if (clientBits !== undefined && offeredClientBits === undefined) return false;
  if (typeof clientBits === 'string' && typeof offeredClientBits === 'string' && Number(clientBits) > Number(offeredClientBits)) return false;
  return true;
}

export function checkNegotiation(offer: string | undefined, response: string | undefined): { deflate: Deflate | null; problems: string[] } {
  if (response === undefined || response.trim() === '') return { deflate: null, problems: [] };
  const problems: string[] = [];
  if (offer === undefined) return { deflate: null, problems: [`server answered extensions nobody offered: ${response}`] };
  const exts = parseExtensions(response);
  if (exts.length !== 1 || exts[0]!.name !== 'permessage-deflate') problems.push(`server answered more than, or other than, one permessage-deflate: ${response}`);
  const params = exts[0]!.params;
  const known = ['server_no_context_takeover', 'client_no_context_takeover', 'server_max_window_bits', 'client_max_window_bits'];
  for (const [k, v] of params) {
    if (!known.includes(k)) problems.push(`unknown or duplicate parameter ${k} in ${response}`);
    else if (k.endsWith('_window_bits') && (typeof v !== 'string' || !/^(?:[89]|1[0-5])$/.test(v))) problems.push(`bad ${k} value in ${response}`);
    else if (k.endsWith('_takeover') && v !== true) problems.push(`${k} takes no value: ${response}`);
  }
  const offers = parseExtensions(offer).filter((o) => o.name === 'permessage-deflate');
  if (!offers.some((o) => answers(o.params, params))) problems.push(`response "${response}" answers none of the offers "${offer}" (RFC 7692 §7.1)`);
  const bits = (k: string) => {
    const v = params.get(k);
    return typeof v === 'string' ? Number(v) : 15;
  };
  return {
    deflate: {
      serverNoContextTakeover: params.has('server_no_context_takeover'),
      clientNoContextTakeover: params.has('client_no_context_takeover'),
      serverMaxWindowBits: bits('server_max_window_bits'),
      clientMaxWindowBits: bits('client_max_window_bits'),
    },
    problems,
  };
}

// --- verdicts ---

export function describeResult(r: CaseResult): string {
  return [
    `case ${r.id}: behaviour ${r.behavior} (passing: ${r.allowed.join(', ')}), close ${r.closeBehavior}`,
    ...r.problems.map((p) => `  problem: ${p}`),
    `  extensions: ${r.negotiated ?? '(none)'}`,
    `  sent:     ${r.sent.join(' | ')}`,
    `  received: ${r.received.join(' | ') || '(nothing)'}`,
    `  events:   ${r.events.map(describeEvent).join(', ') || '(none)'}`,
    `  server close frame ${r.serverClosed ? `code ${r.serverCloseCode ?? '(none)'}` : '(none)'}, closing handshake started by ${r.closedByMe ? 'client' : r.serverClosed ? 'server' : r.closeSent ? 'client' : 'nobody'}, clean ${r.wasClean}, server closed TCP ${r.serverClosedTcp}`,
  ].join('\n');
}

/** Throws with the whole exchange unless the case passed with one of its allowed behaviours. */
export function assertCase(r: CaseResult): void {
  if (!r.allowed.includes(r.behavior) || r.closeBehavior !== 'OK' || r.problems.length > 0) throw new Error(describeResult(r));
}

/** One line per category: counts by behaviour and the cases that were not plainly OK. */
export function summarize(title: string): string {
  const counts = new Map<string, number>();
  for (const r of outcomes) counts.set(r.behavior, (counts.get(r.behavior) ?? 0) + 1);
  const notable = outcomes.filter((r) => r.behavior !== 'OK').map((r) => `${r.id}=${r.behavior}`);
  const line = `${title}: ${outcomes.length} cases; ${[...counts].map(([k, v]) => `${k} ${v}`).join(', ')}${notable.length ? `; not OK: ${notable.join(' ')}` : ''}`;
  // The next block (the same cases over the other transport) counts its own.
  outcomes.length = 0;
  return line;
}
