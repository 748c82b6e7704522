/**
 * Addresses and CIDR ranges, for `trustProxy`: which peers' forwarding headers (and PROXY
 * protocol headers) are believed. Pure: strings in, booleans out.
 *
 * Every address is read into 16 bytes (IPv6 form); an IPv4 address, and an IPv4-mapped IPv6
 * address (`::ffff:10.0.0.1`, what a dual-stack listener's getpeername() gives for an IPv4
 * client), become the same `::ffff:a.b.c.d`, so `10.0.0.0/8` matches both and `::ffff:0:0/96`
 * is every IPv4 address. A zone (`fe80::1%eth0`) is ignored for matching.
 */
/** A range: the first `bits` bits of `bytes` (IPv6 form, IPv4 prefix lengths shifted by 96). */
export interface AddressRange {
    readonly bytes: Uint8Array;
    readonly bits: number;
    /** As written, for messages. */
    readonly text: string;
}
/** The 16-byte (IPv6) form of an IPv4 or IPv6 address, or null if it is neither. */
export declare function parseAddress(text: string): Uint8Array | null;
/**
 * The canonical text of an address: dotted quad for IPv4 and IPv4-mapped IPv6, lower-case
 * IPv6 otherwise (as written, minus a zone, when it does not parse: never thrown at).
 */
export declare function normalizeAddress(text: string): string;
/** One entry of a trust list: an address, `address/bits`, or a named range. Null if invalid. */
export declare function parseRange(text: string): AddressRange[] | null;
/** A parsed trust list: `matches(address)` for each connection. */
export declare class AddressSet {
    private readonly ranges;
    private constructor();
    /** Entries separated by commas (or given as an array); the entries that do not parse. */
    static parse(list: string | readonly string[] | undefined): {
        set: AddressSet;
        invalid: string[];
    };
    get empty(): boolean;
    /** Whether `address` (IPv4, IPv6 or IPv4-mapped IPv6) is in one of the ranges; false if it does not parse. */
    matches(address: string): boolean;
}
//# sourceMappingURL=address-match.d.ts.map