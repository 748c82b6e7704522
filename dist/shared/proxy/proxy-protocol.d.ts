/**
 * The PROXY protocol header (HAProxy's spec, versions 1 and 2), sans I/O: the bytes received
 * so far in, one answer out — need more bytes, the header (and how many bytes it took), or an
 * error. Peer input never throws. The caller keeps the bytes (at most MAX_HEADER_BYTES are
 * ever needed) and asks again when more come; what follows the header is the client's.
 *
 * Version 1 (text), at most 107 bytes with its CRLF (spec §2.1):
 *
 *   "PROXY TCP4 192.0.2.1 198.51.100.1 56324 443\r\n"
 *   "PROXY TCP6 2001:db8::1 2001:db8::2 56324 443\r\n"
 *   "PROXY UNKNOWN[ anything]\r\n"          address unknown: the TCP peer's is used
 *
 * Version 2 (binary, spec §2.2):
 *
 *    0                  12        13        14        16
 *   +------------------+---------+---------+---------+----------------------------+
 *   | signature        | ver|cmd | fam|prot| len     | addresses, then TLVs       |
 *   | \r\n\r\n\0\r\nQUIT\n | 0x2_  |         | u16 BE  | len bytes                  |
 *   +------------------+---------+---------+---------+----------------------------+
 *
 *   cmd 0 LOCAL (the proxy's own connection, a health check: the TCP peer's address is used),
 *   cmd 1 PROXY. fam 0x1_ IPv4: src 4, dst 4, sport 2, dport 2 (12 bytes); 0x2_ IPv6: 16, 16,
 *   2, 2 (36 bytes); 0x0_ UNSPEC and 0x3_ UNIX: address unknown (the TCP peer's is used).
 *   TLVs after the addresses (SSL, unique id, AWS/Azure ids...) are skipped.
 */
/** A v1 header is at most this long, CRLF included (spec §2.1). */
export declare const MAX_V1_BYTES = 107;
/** The v2 address-and-TLV block we accept: real proxies send tens of bytes, a few hundred with TLVs. */
export declare const MAX_V2_PAYLOAD = 2048;
/** The most bytes a header can need: what a caller buffers at most. */
export declare const MAX_HEADER_BYTES: number;
export interface ProxyEndpoint {
    address: string;
    port: number;
}
/** A complete header: `source` null when it declares no address (LOCAL, UNKNOWN, UNSPEC, UNIX). */
export interface ProxyHeader {
    kind: 'header';
    version: 1 | 2;
    source: ProxyEndpoint | null;
    destination: ProxyEndpoint | null;
    /** Bytes the header took: the client's bytes start there. */
    length: number;
}
export interface ProxyNeedMore {
    kind: 'need';
}
export interface ProxyFailure {
    kind: 'error';
    /** For logs and counters; never sent to the peer. */
    reason: string;
}
export type ProxyParse = ProxyHeader | ProxyNeedMore | ProxyFailure;
/** What the bytes received so far (from the connection's first byte) hold. */
export declare function parseProxyHeader(bytes: Uint8Array): ProxyParse;
/** A v1 header's bytes (for tests and tools). */
export declare function encodeProxyV1(source: ProxyEndpoint, destination: ProxyEndpoint): Buffer;
/** A v2 header's bytes (PROXY, TCP, IPv4 or IPv6 from dotted/colon text; `local` for LOCAL), optional TLV bytes appended. */
export declare function encodeProxyV2(source: ProxyEndpoint | 'local', destination?: ProxyEndpoint, tlvs?: Uint8Array): Buffer;
//# sourceMappingURL=proxy-protocol.d.ts.map