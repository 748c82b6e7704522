import { type AddressSet } from './address-match.ts';
/**
 * Who the client is behind trusted proxies, from `Forwarded` (RFC 7239) or `X-Forwarded-For`.
 * Pure: the peer's address, the request's headers and the trust list in, an address out.
 *
 * The walk starts at the peer (the TCP peer, or the source a PROXY protocol header declared)
 * and goes right to left through the header's hops while the address it stands on is trusted:
 * the first address that is not trusted is the client (the rightmost untrusted hop). Only a
 * trusted proxy's word is taken, so a client cannot choose its address by sending the header
 * itself: what it writes is to the left of what its first trusted proxy appends. A hop that
 * is not an address (`unknown`, an obfuscated `_name`, garbage) ends the walk on the last
 * address that was read (a proxy's: wrong but not the client's choice).
 *
 * `Forwarded` wins when a request has both (it is the standard; a proxy that sends both sends
 * the same hops). Every header line of a name counts, in order, as one list (RFC 9110 §5.3).
 */
/** The client as the walk found it. */
export interface ResolvedClient {
    address: string;
    /** The port the header declared with the address (Forwarded only), else 0; the peer's own port when no header was believed. */
    port: number;
    /** The peer whose header was believed (the nearest proxy), or null: the peer is the client. */
    proxyAddress: string | null;
    proxyPort: number;
}
/** Hops read from the right at most: a longer chain of trusted proxies is not real. */
export declare const MAX_HOPS = 32;
type HeaderValue = string | readonly string[] | undefined;
/** One hop: an address and, from Forwarded, maybe a port; `null` address: not an address. */
interface Hop {
    address: string | null;
    port: number;
}
export declare function resolveClient(peer: {
    address: string;
    port: number;
}, headers: {
    forwarded?: HeaderValue;
    'x-forwarded-for'?: HeaderValue;
}, trust: AddressSet): ResolvedClient;
/** `X-Forwarded-For: client, proxy1, proxy2` (ports, which some proxies add, are dropped). */
export declare function xffHops(value: string): Hop[];
/**
 * `Forwarded: for=192.0.2.60;proto=http, for="[2001:db8::17]:4711"` (RFC 7239 §4): one hop per
 * element, its `for` parameter. An element without `for` is a hop we cannot read.
 */
export declare function forwardedHops(value: string): Hop[];
export {};
//# sourceMappingURL=forwarded.d.ts.map