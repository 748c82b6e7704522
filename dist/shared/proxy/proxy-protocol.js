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
export const MAX_V1_BYTES = 107;
/** The v2 address-and-TLV block we accept: real proxies send tens of bytes, a few hundred with TLVs. */
export const MAX_V2_PAYLOAD = 2048;
/** The most bytes a header can need: what a caller buffers at most. */
export const MAX_HEADER_BYTES = 16 + MAX_V2_PAYLOAD;
const V1_PREFIX = Buffer.from('PROXY ', 'latin1');
const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const NEED = { kind: 'need' };
const fail = (reason) => ({ kind: 'error', reason });
/** What the bytes received so far (from the connection's first byte) hold. */
export function parseProxyHeader(bytes) {
    if (bytes.length === 0)
        return NEED;
    if (startsLike(bytes, V2_SIGNATURE))
        return bytes.length < 16 ? NEED : parseV2(bytes);
    if (startsLike(bytes, V1_PREFIX))
        return bytes.length < V1_PREFIX.length ? NEED : parseV1(bytes);
    return fail('no PROXY protocol signature');
}
/** Whether `bytes` and `signature` agree on their common length. */
function startsLike(bytes, signature) {
    const n = Math.min(bytes.length, signature.length);
    for (let i = 0; i < n; i++)
        if (bytes[i] !== signature[i])
            return false;
    return true;
}
function parseV1(bytes) {
    const limit = Math.min(bytes.length, MAX_V1_BYTES);
    let lf = -1;
    for (let i = 0; i < limit; i++) {
        if (bytes[i] === 0x0a) {
            lf = i;
            break;
        }
        // Only printable US-ASCII and the CR before LF belong in a v1 header.
        if (bytes[i] < 0x20 && bytes[i] !== 0x0d)
            return fail('v1: control byte in the header');
        if (bytes[i] > 0x7e)
            return fail('v1: non-ASCII byte in the header');
    }
    if (lf === -1)
        return bytes.length >= MAX_V1_BYTES ? fail(`v1: no CRLF within ${MAX_V1_BYTES} bytes`) : NEED;
    if (lf === 0 || bytes[lf - 1] !== 0x0d)
        return fail('v1: line not ended by CRLF');
    const line = Buffer.from(bytes.buffer, bytes.byteOffset, lf - 1).toString('latin1');
    const length = lf + 1;
    const parts = line.split(' ');
    const proto = parts[1];
    if (proto === 'UNKNOWN')
        return { kind: 'header', version: 1, source: null, destination: null, length };
    if (proto !== 'TCP4' && proto !== 'TCP6')
        return fail(`v1: unknown protocol ${JSON.stringify(proto ?? '')}`);
    if (parts.length !== 6)
        return fail('v1: expected protocol, two addresses and two ports separated by single spaces');
    const [src, dst, sport, dport] = [parts[2], parts[3], parts[4], parts[5]];
    const okAddress = proto === 'TCP4' ? isV4Text : isV6Text;
    if (!okAddress(src) || !okAddress(dst))
        return fail(`v1: address not ${proto === 'TCP4' ? 'IPv4' : 'IPv6'}`);
    const sp = portOf(sport);
    const dp = portOf(dport);
    if (sp === null || dp === null)
        return fail('v1: port not a decimal 0-65535');
    return { kind: 'header', version: 1, source: { address: src, port: sp }, destination: { address: dst, port: dp }, length };
}
function portOf(s) {
    if (!/^(?:0|[1-9]\d{0,4})$/.test(s))
        return null;
    const n = Number(s);
    return n <= 65535 ? n : null;
}
function isV4Text(s) {
    return /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(s);
}
function isV6Text(s) {
    if (s.length < 2 || s.length > 45 || !/^[0-9A-Fa-f:.]+$/.test(s) || !s.includes(':'))
        return false;
    const double = s.split('::').length - 1;
    if (double > 1)
        return false;
    const groups = s.split(':').filter((g) => g !== '');
    const last = groups[groups.length - 1] ?? '';
    const v4Tail = last.includes('.');
    if (v4Tail && !isV4Text(last))
        return false;
    const hex = v4Tail ? groups.slice(0, -1) : groups;
    if (!hex.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g)))
        return false;
    const count = hex.length + (v4Tail ? 2 : 0);
    return double === 1 ? count <= 7 : count === 8;
}
function parseV2(bytes) {
    const verCmd = bytes[12];
    if (verCmd >> 4 !== 2)
        return fail(`v2: version ${verCmd >> 4}`);
    const command = verCmd & 0x0f;
    if (command > 1)
        return fail(`v2: command ${command}`);
    const famProto = bytes[13];
    const payload = (bytes[14] << 8) | bytes[15];
    if (payload > MAX_V2_PAYLOAD)
        return fail(`v2: ${payload} bytes of addresses and TLVs (at most ${MAX_V2_PAYLOAD})`);
    const length = 16 + payload;
    if (bytes.length < length)
        return NEED;
    // LOCAL: the proxy speaks for itself; whatever the block holds is ignored (spec §2.2).
    if (command === 0)
        return { kind: 'header', version: 2, source: null, destination: null, length };
    const family = famProto >> 4;
    const transport = famProto & 0x0f;
    if (transport > 2)
        return fail(`v2: transport ${transport}`);
    if (family === 0 || family === 3)
        return { kind: 'header', version: 2, source: null, destination: null, length };
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, length);
    if (family === 1) {
        if (payload < 12)
            return fail('v2: IPv4 block shorter than 12 bytes');
        return {
            kind: 'header', version: 2, length,
            source: { address: v4At(view, 16), port: view.readUInt16BE(24) },
            destination: { address: v4At(view, 20), port: view.readUInt16BE(26) },
        };
    }
    if (family === 2) {
        if (payload < 36)
            return fail('v2: IPv6 block shorter than 36 bytes');
        return {
            kind: 'header', version: 2, length,
            source: { address: v6At(view, 16), port: view.readUInt16BE(48) },
            destination: { address: v6At(view, 32), port: view.readUInt16BE(50) },
        };
    }
    return fail(`v2: address family ${family}`);
}
function v4At(b, at) {
    return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}
/** RFC 5952 text (lower case, longest zero run as ::, IPv4-mapped as ::ffff:a.b.c.d). */
function v6At(b, at) {
    const groups = [];
    for (let i = 0; i < 8; i++)
        groups.push(b.readUInt16BE(at + i * 2));
    if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff)
        return `::ffff:${v4At(b, at + 12)}`;
    let bestAt = -1;
    let bestLen = 1;
    for (let i = 0; i < 8;) {
        if (groups[i] !== 0) {
            i++;
            continue;
        }
        let j = i;
        while (j < 8 && groups[j] === 0)
            j++;
        if (j - i > bestLen) {
            bestAt = i;
            bestLen = j - i;
        }
        i = j;
    }
    const hex = (gs) => gs.map((g) => g.toString(16)).join(':');
    if (bestAt === -1)
        return hex(groups);
    return `${hex(groups.slice(0, bestAt))}::${hex(groups.slice(bestAt + bestLen))}`;
}
/** A v1 header's bytes (for tests and tools). */
export function encodeProxyV1(source, destination) {
    const proto = source.address.includes(':') ? 'TCP6' : 'TCP4';
    return Buffer.from(`PROXY ${proto} ${source.address} ${destination.address} ${source.port} ${destination.port}\r\n`, 'latin1');
}
/** A v2 header's bytes (PROXY, TCP, IPv4 or IPv6 from dotted/colon text; `local` for LOCAL), optional TLV bytes appended. */
export function encodeProxyV2(source, destination, tlvs = new Uint8Array(0)) {
    if (source === 'local') {
        const out = Buffer.alloc(16 + tlvs.length);
        V2_SIGNATURE.copy(out);
        out[12] = 0x20;
        out[13] = 0x00;
        out.writeUInt16BE(tlvs.length, 14);
        out.set(tlvs, 16);
        return out;
    }
    const dst = destination ?? { address: source.address.includes(':') ? '::1' : '127.0.0.1', port: 0 };
    const v6 = source.address.includes(':');
    const addrBytes = v6 ? 36 : 12;
    const out = Buffer.alloc(16 + addrBytes + tlvs.length);
    V2_SIGNATURE.copy(out);
    out[12] = 0x21;
    out[13] = v6 ? 0x21 : 0x11;
    out.writeUInt16BE(addrBytes + tlvs.length, 14);
    if (v6) {
        v6Bytes(source.address).copy(out, 16);
        v6Bytes(dst.address).copy(out, 32);
        out.writeUInt16BE(source.port, 48);
        out.writeUInt16BE(dst.port, 50);
    }
    else {
        Buffer.from(source.address.split('.').map(Number)).copy(out, 16);
        Buffer.from(dst.address.split('.').map(Number)).copy(out, 20);
        out.writeUInt16BE(source.port, 24);
        out.writeUInt16BE(dst.port, 26);
    }
    out.set(tlvs, 16 + addrBytes);
    return out;
}
function v6Bytes(text) {
    const [head = '', tail = ''] = text.split('::');
    const hs = head === '' ? [] : head.split(':');
    const ts = tail === '' ? [] : text.includes('::') ? tail.split(':') : [];
    const groups = [...hs, ...new Array(8 - hs.length - ts.length).fill('0'), ...ts];
    const out = Buffer.alloc(16);
    groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
    return out;
}
//# sourceMappingURL=proxy-protocol.js.map