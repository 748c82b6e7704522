/** Client-to-server masking (RFC 6455 §5.3): unmasking in place, a word at a time. */
/** Turn the key by `n` bytes (new mask[i] = old mask[(i + n) & 3]), to unmask the payload from byte n on with unmask(). */
export declare function rotate(mask: Uint8Array, n: number): void;
/**
 * XOR `data` in place with the 4-byte masking key (§5.3). Large payloads are unmasked a
 * 32-bit word at a time through a Uint32Array view, after a few bytes to reach 4-byte
 * alignment (the view requires it) with the key rotated to match.
 */
export declare function unmask(data: Buffer, mask: Uint8Array): void;
//# sourceMappingURL=mask.d.ts.map