/**
 * What the hostile client roles share besides the client kit (scripts/lib/frames.ts,
 * upgrade.ts): one raw request and its answer, and the server's close frame found in a byte
 * stream (RFC 6455 §5.5.1).
 */
import { connect } from 'node:net';
import { ServerFrameReader } from '../../lib/frames.ts';

export interface Endpoint {
  host: string;
  port: number;
}

export interface Answer {
  /** The response's status, or null without one. */
  status: number | null;
  /** `HTTP <status>`, `closed without an answer`, `reset` (or another errno), `no answer within N ms`. */
  outcome: string;
  /** From the write to the answer (or the close / the deadline). */
  ms: number;
}

/** Writes `bytes` on a new connection and waits for the status line of the answer. */
export function exchange(at: Endpoint, bytes: Buffer, deadlineMs: number): Promise<Answer> {
  return new Promise((resolve) => {
    let t0 = performance.now();
    let buf = Buffer.alloc(0);
    let settled = false;
    const s = connect({ host: at.host, port: at.port, noDelay: true });
    const end = (status: number | null, outcome: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      s.destroy();
      resolve({ status, outcome, ms: Math.round((performance.now() - t0) * 10) / 10 });
    };
    const timer = setTimeout(() => end(null, `no answer within ${deadlineMs} ms`), deadlineMs);
    s.once('connect', () => {
      t0 = performance.now();
      s.write(bytes);
    });
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const line = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(buf.subarray(0, 64).toString('latin1'));
      if (line) end(Number(line[1]), `HTTP ${line[1]}`);
      else if (buf.includes('\r\n') || buf.length >= 64) end(null, `not HTTP: ${JSON.stringify(buf.subarray(0, 24).toString('latin1'))}`);
    });
    s.on('error', (err: NodeJS.ErrnoException) => end(null, err.code === 'ECONNRESET' ? 'reset' : (err.code ?? err.message)));
    s.once('close', () => end(null, 'closed without an answer'));
  });
}

/**
 * Reads server frames off a stream, remembering the first close frame's code (1005 when it
 * carries none). Whole frames only; payloads are not kept.
 */
export class CloseWatcher {
  private readonly reader = new ServerFrameReader();
  closeCode: number | null = null;
  frames = 0;
  bytes = 0;

  feed(chunk: Buffer): void {
    this.bytes += chunk.length;
    this.reader.read(chunk, (opcode, payload) => {
      this.frames++;
      if (opcode === 0x8 && this.closeCode === null) this.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
    });
  }
}

/** How a socket ended, as seen by the client. */
export function endedBy(err: NodeJS.ErrnoException | null): string {
  if (err === null) return 'closed';
  return err.code === 'ECONNRESET' ? 'reset' : (err.code ?? err.message);
}

export const seconds = (ms: number): number => Math.round(ms / 10) / 100;
