/** Client-to-server masking (RFC 6455 §5.3): unmasking in place, a word at a time. */
/** Turn the key by `n` bytes (new mask[i] = old mask[(i + n) & 3]), to unmask the payload from byte n on with unmask(). */
export function rotate(mask, n) {
    const m0 = mask[0];
    const m1 = mask[1];
    const m2 = mask[2];
    const m3 = mask[3];
    mask[-n & 3] = m0;
    mask[(1 - n) & 3] = m1;
    mask[(2 - n) & 3] = m2;
    mask[(3 - n) & 3] = m3;
}
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Below this a byte loop wins: creating the Uint32Array view costs about 40 ns. */
const WORD_UNMASK_MIN = 48;
/**
 * XOR `data` in place with the 4-byte masking key (§5.3). Large payloads are unmasked a
 * 32-bit word at a time through a Uint32Array view, after a few bytes to reach 4-byte
 * alignment (the view requires it) with the key rotated to match.
 */
export function unmask(data, mask) {
    const length = data.length;
    let i = 0;
    if (length >= WORD_UNMASK_MIN) {
        const lead = (4 - (data.byteOffset & 3)) & 3;
        for (; i < lead; i++)
            data[i] = data[i] ^ mask[i];
        const m0 = mask[lead & 3];
        const m1 = mask[(lead + 1) & 3];
        const m2 = mask[(lead + 2) & 3];
        const m3 = mask[(lead + 3) & 3];
        const key = LITTLE_ENDIAN
            ? m0 | (m1 << 8) | (m2 << 16) | (m3 << 24)
            : (m0 << 24) | (m1 << 16) | (m2 << 8) | m3;
        const words = (length - lead) >>> 2;
        const view = new Uint32Array(data.buffer, data.byteOffset + lead, words);
        for (let w = 0; w < words; w++)
            view[w] = view[w] ^ key;
        i = lead + words * 4;
    }
    for (; i < length; i++)
        data[i] = data[i] ^ mask[i & 3];
}
//# sourceMappingURL=mask.js.map