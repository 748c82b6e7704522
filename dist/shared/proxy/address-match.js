/**
 * Addresses and CIDR ranges, for `trustProxy`: which peers' forwarding headers (and PROXY
 * protocol headers) are believed. Pure: strings in, booleans out.
 *
 * Every address is read into 16 bytes (IPv6 form); an IPv4 address, and an IPv4-mapped IPv6
 * address (`::ffff:10.0.0.1`, what a dual-stack listener's getpeername() gives for an IPv4
 * client), become the same `::ffff:a.b.c.d`, so `10.0.0.0/8` matches both and `::ffff:0:0/96`
 * is every IPv4 address. A zone (`fe80::1%eth0`) is ignored for matching.
 */
/** Names accepted in a trust list for the usual ranges (as Express's `trust proxy`). */
const NAMED_RANGES = {
    loopback: ['127.0.0.0/8', '::1/128'],
    linklocal: ['169.254.0.0/16', 'fe80::/10'],
    uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};
/** The 16-byte (IPv6) form of an IPv4 or IPv6 address, or null if it is neither. */
export function parseAddress(text) {
    const zone = text.indexOf('%');
    const s = zone === -1 ? text : text.slice(0, zone);
    if (s.includes(':'))
        return parseV6(s);
    const v4 = parseV4(s);
    if (v4 === null)
        return null;
    const out = new Uint8Array(16);
    out[10] = 0xff;
    out[11] = 0xff;
    out.set(v4, 12);
    return out;
}
function parseV4(s) {
    const parts = s.split('.');
    if (parts.length !== 4)
        return null;
    const out = new Uint8Array(4);
    for (let i = 0; i < 4; i++) {
        const p = parts[i];
        // No leading zeros (octal in some parsers), at most 3 digits, at most 255.
        if (!/^(?:0|[1-9]\d{0,2})$/.test(p))
            return null;
        const n = Number(p);
        if (n > 255)
            return null;
        out[i] = n;
    }
    return out;
}
function parseV6(s) {
    if (s.length > 45)
        return null;
    const double = s.indexOf('::');
    if (double !== -1 && s.indexOf('::', double + 1) !== -1)
        return null;
    const head = double === -1 ? s : s.slice(0, double);
    const tail = double === -1 ? '' : s.slice(double + 2);
    const groups = (part) => {
        if (part === '')
            return [];
        const out = [];
        const pieces = part.split(':');
        for (let i = 0; i < pieces.length; i++) {
            const p = pieces[i];
            // The last group may be an IPv4 address (two groups' worth).
            if (i === pieces.length - 1 && p.includes('.')) {
                const v4 = parseV4(p);
                if (v4 === null)
                    return null;
                out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
                continue;
            }
            if (!/^[0-9A-Fa-f]{1,4}$/.test(p))
                return null;
            out.push(parseInt(p, 16));
        }
        return out;
    };
    const a = groups(head);
    const b = groups(tail);
    if (a === null || b === null)
        return null;
    // An IPv4 tail only at the very end.
    if (double !== -1 && head.includes('.'))
        return null;
    const missing = 8 - a.length - b.length;
    if (double === -1 ? missing !== 0 : missing < 1)
        return null;
    const all = [...a, ...new Array(double === -1 ? 0 : missing).fill(0), ...b];
    const out = new Uint8Array(16);
    all.forEach((g, i) => {
        out[i * 2] = g >> 8;
        out[i * 2 + 1] = g & 0xff;
    });
    return out;
}
/** Whether a 16-byte address is an IPv4 one (or IPv4-mapped). */
function isV4(bytes) {
    for (let i = 0; i < 10; i++)
        if (bytes[i] !== 0)
            return false;
    return bytes[10] === 0xff && bytes[11] === 0xff;
}
/**
 * The canonical text of an address: dotted quad for IPv4 and IPv4-mapped IPv6, lower-case
 * IPv6 otherwise (as written, minus a zone, when it does not parse: never thrown at).
 */
export function normalizeAddress(text) {
    const bytes = parseAddress(text);
    if (bytes === null)
        return text;
    if (isV4(bytes))
        return `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
    const zone = text.indexOf('%');
    return (zone === -1 ? text : text.slice(0, zone)).toLowerCase();
}
/** One entry of a trust list: an address, `address/bits`, or a named range. Null if invalid. */
export function parseRange(text) {
    const t = text.trim();
    const named = NAMED_RANGES[t.toLowerCase()];
    if (named)
        return named.flatMap((r) => parseRange(r));
    const slash = t.indexOf('/');
    const addr = slash === -1 ? t : t.slice(0, slash);
    const bytes = parseAddress(addr);
    if (bytes === null || addr.includes('%'))
        return null;
    const v4 = !addr.includes(':');
    const max = v4 ? 32 : 128;
    let bits = max;
    if (slash !== -1) {
        const b = t.slice(slash + 1);
        if (!/^\d{1,3}$/.test(b) || Number(b) > max)
            return null;
        bits = Number(b);
    }
    return [{ bytes, bits: v4 ? bits + 96 : bits, text: t }];
}
/** A parsed trust list: `matches(address)` for each connection. */
export class AddressSet {
    ranges;
    constructor(ranges) {
        this.ranges = ranges;
    }
    /** Entries separated by commas (or given as an array); the entries that do not parse. */
    static parse(list) {
        const entries = (typeof list === 'string' ? list.split(',') : (list ?? [])).map((e) => e.trim()).filter((e) => e !== '');
        const ranges = [];
        const invalid = [];
        for (const e of entries) {
            const r = parseRange(e);
            if (r === null)
                invalid.push(e);
            else
                ranges.push(...r);
        }
        return { set: new AddressSet(ranges), invalid };
    }
    get empty() {
        return this.ranges.length === 0;
    }
    /** Whether `address` (IPv4, IPv6 or IPv4-mapped IPv6) is in one of the ranges; false if it does not parse. */
    matches(address) {
        if (this.ranges.length === 0)
            return false;
        const bytes = parseAddress(address);
        if (bytes === null)
            return false;
        return this.ranges.some((r) => inRange(bytes, r));
    }
}
function inRange(bytes, range) {
    const whole = range.bits >> 3;
    for (let i = 0; i < whole; i++)
        if (bytes[i] !== range.bytes[i])
            return false;
    const rest = range.bits & 7;
    if (rest === 0)
        return true;
    const mask = (0xff << (8 - rest)) & 0xff;
    return (bytes[whole] & mask) === (range.bytes[whole] & mask);
}
//# sourceMappingURL=address-match.js.map