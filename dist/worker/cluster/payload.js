import { Opcode } from '../../shared/protocol/constants.js';
/** What the server API accepts as a message, and how it is turned into frames. */
/** The opcode of a push: text for strings, binary for bytes, unless the caller names one of the four it may send. */
export function opcodeFor(data, opcode) {
    const op = opcode ?? (typeof data === 'string' ? Opcode.Text : Opcode.Binary);
    if (op !== Opcode.Text && op !== Opcode.Binary && op !== Opcode.Ping && op !== Opcode.Pong) {
        throw new TypeError(`push: opcode ${op} is not text (1), binary (2), ping (9) or pong (10)`);
    }
    return op;
}
export function toBuffer(data) {
    if (typeof data === 'string')
        return Buffer.from(data);
    return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
export function toList(fds) {
    return fds === undefined ? [] : Array.isArray(fds) ? fds : [fds];
}
//# sourceMappingURL=payload.js.map