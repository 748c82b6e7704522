import { ProtocolError } from '../../shared/errors.ts';
import type { CodecMoveState, MessageCodec } from '../../shared/protocol/extension.ts';
import { type DeflateAgreement, type DeflateSettings } from '../../shared/protocol/permessage-deflate.ts';
/**
 * Process-wide cap on zlib jobs in flight, as ws has: thousands of connections compressing at
 * once fragment memory badly (nodejs/node#8871), and a queue costs little latency. Each
 * direction of a connection still runs one job at a time; this bounds them all together.
 */
export declare const MAX_ZLIB_JOBS = 10;
/** zlib jobs holding a slot now (tests). */
export declare function zlibJobsInFlight(): number;
interface InflateJob {
    /** Holds a zlib slot (set when it starts, cleared when the slot is given back). */
    started?: boolean;
    data: Buffer;
    fin: boolean;
    limit: number;
    callback: (err: ProtocolError | null, inflated?: Buffer) => void;
    chunks: Buffer[];
    size: number;
}
interface DeflateJob {
    started?: boolean;
    data: Buffer;
    callback: (err: Error | null, compressed?: Buffer) => void;
    chunks: Buffer[];
    size: number;
}
/**
 * One connection's compressor and decompressor. Each direction runs one job at a time
 * from a FIFO queue: a zlib stream only tells us where output ends by the flush
 * callback, so overlapping jobs could not tell whose bytes are whose.
 */
export declare class PerMessageDeflate implements MessageCodec {
    #private;
    constructor(agreement: DeflateAgreement, settings?: DeflateSettings, window?: Buffer | null);
    /** See MessageCodec.moveState. */
    moveState(): CodecMoveState | null;
    /** Whether a message of this size is worth compressing (settings.threshold). */
    shouldCompress(byteLength: number): boolean;
    decompress(data: Buffer, fin: boolean, limit: number, callback: InflateJob['callback']): void;
    compress(data: Buffer, callback: DeflateJob['callback']): void;
    dispose(): void;
}
export {};
//# sourceMappingURL=deflate-codec.d.ts.map