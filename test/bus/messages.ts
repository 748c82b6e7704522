/**
 * Messages for the bus tests. A bus carries an envelope (kind, rid, sender) and a body it never
 * reads; these bodies are a number (to check order) followed by bytes.
 */
import { BytesMessage } from '../../src/shared/bus/codec.ts';
import type { Incoming, MessageKind } from '../../src/shared/bus/types.ts';

/** A message numbered `n` carrying `data` (a request or reply with kind and rid). */
export function push(n: number, data: Buffer | string = 'x', kind: MessageKind = 'send', rid = 0): BytesMessage {
  const head = Buffer.alloc(8);
  head.writeDoubleBE(n, 0);
  return new BytesMessage(kind, rid, Buffer.concat([head, Buffer.from(data)]));
}

type Message = Incoming | BytesMessage;

/** The number of a message made by push() (-1 for a body too short to carry one). */
export const seqOf = (m: Message): number => (m.body.length >= 8 ? m.body.readDoubleBE(0) : -1);
export const dataOf = (m: Message): Buffer => m.body.subarray(8);
export const textOf = (m: Message): string => dataOf(m).toString();

/** A received message to keep: its body is the bus's buffer, valid during the handler call only. */
export const keep = (m: Incoming): Incoming => ({ kind: m.kind, rid: m.rid, body: Buffer.from(m.body) });

/** A comparable form (a 1 MiB body compares in milliseconds as base64; toEqual on a Buffer walks it byte by byte). */
export const shape = (m: Message): { kind: MessageKind; rid: number; body: string } => ({ kind: m.kind, rid: m.rid, body: m.body.toString('base64') });
