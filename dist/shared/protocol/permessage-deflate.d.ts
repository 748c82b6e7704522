import { ProtocolError } from '../errors.ts';
import type { Inflater } from './extension.ts';
export interface DeflateSettings {
    serverNoContextTakeover: boolean;
    clientNoContextTakeover: boolean;
    /** The largest LZ77 window (9..15) we agree to compress with. */
    serverMaxWindowBits: number;
    /** The largest window (9..15) we agree to inflate with; below 15, offers that can't promise it are declined. */
    clientMaxWindowBits: number;
    threshold: number;
    level: number;
    memLevel: number;
}
export declare const DEFAULT_DEFLATE_SETTINGS: Readonly<DeflateSettings>;
export interface ExtensionOffer {
    name: string;
    params: Array<[string, string | true]>;
}
export interface DeflateAgreement {
    serverNoContextTakeover: boolean;
    clientNoContextTakeover: boolean;
    serverMaxWindowBits: number;
    clientMaxWindowBits: number;
}
/**
 * Parses Sec-WebSocket-Extensions (RFC 6455 §9.1): a comma list of
 * `token *( ";" token [ "=" ( token | quoted-string ) ] )`, with optional whitespace
 * between items. A quoted value must be a token once unescaped (§9.1). Empty list
 * elements are skipped (RFC 7230 §7). Returns null when the value is malformed.
 */
export declare function parseExtensionHeader(value: string): ExtensionOffer[] | null;
/** Accepts the first acceptable permessage-deflate offer (RFC 7692 §5, §7.1); null declines all. */
export declare function negotiateDeflate(offerHeader: string | undefined, settings: DeflateSettings): {
    agreement: DeflateAgreement;
    response: string;
} | null;
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
export declare class PerMessageDeflate implements Inflater {
    #private;
    constructor(agreement: DeflateAgreement, settings?: DeflateSettings);
    /** Whether a message of this size is worth compressing (settings.threshold). */
    shouldCompress(byteLength: number): boolean;
    decompress(data: Buffer, fin: boolean, limit: number, callback: InflateJob['callback']): void;
    compress(data: Buffer, callback: DeflateJob['callback']): void;
    dispose(): void;
}
export {};
//# sourceMappingURL=permessage-deflate.d.ts.map