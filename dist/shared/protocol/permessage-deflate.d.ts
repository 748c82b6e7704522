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
export declare function assertWindowBits(what: string, bits: number, min: number): void;
/** Bad settings are a configuration bug, not peer input: throw. */
export declare function assertSettings(settings: DeflateSettings): void;
//# sourceMappingURL=permessage-deflate.d.ts.map