/** What the server API accepts as a message, and how it is turned into frames. */
/** The opcode of a push: text for strings, binary for bytes, unless the caller names one of the four it may send. */
export declare function opcodeFor(data: string | Buffer | Uint8Array, opcode: number | undefined): number;
export declare function toBuffer(data: string | Buffer | Uint8Array): Buffer;
export declare function toList(fds: number | number[] | undefined): number[];
//# sourceMappingURL=payload.d.ts.map