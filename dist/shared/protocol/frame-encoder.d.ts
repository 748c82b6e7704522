/** The header for a frame of `length` bytes (2, 4 or 10 bytes). */
export declare function frameHeader(opcode: number, length: number, fin?: boolean, rsv1?: boolean): Buffer;
/** [header, payload] — the payload is returned untouched, never copied (write both with cork/writev). */
export declare function encodeFrame(opcode: number, payload: Buffer, fin?: boolean, rsv1?: boolean): [Buffer, Buffer];
/** A whole frame in one buffer: header and payload copied together (for small messages and control frames). */
export declare function encodeSmallFrame(opcode: number, payload: Buffer, rsv1?: boolean): Buffer;
/**
 * Close payload (§5.5.1): 2-byte code + UTF-8 reason. Codes that may not go on the wire
 * (1005, 1006, 1015 and anything else !isWireCloseCode, §7.4) and reasons over 123 bytes
 * are programmer errors.
 */
export declare function encodeClosePayload(code: number, reason?: string): Buffer;
/**
 * Throws RangeError unless `code` may go on the wire (§7.4.1, §7.4.2: 1000-1003, 1007-1014,
 * 3000-4999) and `reason` fits a control frame with it (§5.5: at most 123 bytes of UTF-8);
 * returns the reason's byte length. For a close the app asks for: checked before anything changes.
 */
export declare function checkCloseArguments(code: number, reason: string): number;
/** A close frame; without a code the payload is empty (§5.5.1: the code is optional, a reason needs one). */
export declare function closeFrame(code?: number, reason?: string): Buffer;
/** A ping frame; RangeError if the payload is over 125 bytes (§5.5). */
export declare function pingFrame(payload?: Buffer): Buffer;
/** A pong frame (§5.5.3: a reply echoes the ping's payload); RangeError over 125 bytes. */
export declare function pongFrame(payload?: Buffer): Buffer;
/** Payloads at or below this are copied next to their header (one buffer); larger ones are written as they are. */
export declare const INLINE_PAYLOAD = 1024;
/** A frame as queued for writing: small ones in one buffer with their header, large payloads by reference. */
export declare function encodeForQueue(opcode: number, payload: Buffer, rsv1?: boolean): Buffer[];
/** Close reasons are at most 123 bytes (§5.5: 125 minus the code); cut on a code point boundary. */
export declare function truncateReason(reason: string): string;
//# sourceMappingURL=frame-encoder.d.ts.map