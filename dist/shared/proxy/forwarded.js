import { normalizeAddress, parseAddress } from './address-match.js';
/** Hops read from the right at most: a longer chain of trusted proxies is not real. */
export const MAX_HOPS = 32;
export function resolveClient(peer, headers, trust) {
    const direct = { address: peer.address, port: peer.port, proxyAddress: null, proxyPort: 0 };
    if (trust.empty || !trust.matches(peer.address))
        return direct;
    const forwarded = joined(headers.forwarded);
    const hops = forwarded !== '' ? forwardedHops(forwarded) : xffHops(joined(headers['x-forwarded-for']));
    if (hops.length === 0)
        return direct;
    let current = { address: peer.address, port: peer.port };
    let taken = 0;
    for (let i = hops.length - 1; i >= 0 && taken < MAX_HOPS; i--, taken++) {
        if (!trust.matches(current.address))
            break;
        const hop = hops[i];
        if (hop.address === null)
            break;
        current = hop;
    }
    if (current.address === peer.address && taken === 0)
        return direct;
    return { address: normalizeAddress(current.address), port: current.port, proxyAddress: peer.address, proxyPort: peer.port };
}
function joined(value) {
    if (value === undefined)
        return '';
    return typeof value === 'string' ? value.trim() : value.join(',').trim();
}
/** `X-Forwarded-For: client, proxy1, proxy2` (ports, which some proxies add, are dropped). */
export function xffHops(value) {
    if (value === '')
        return [];
    return value.split(',').map((raw) => ({ address: addressOf(raw.trim()).address, port: 0 }));
}
/**
 * `Forwarded: for=192.0.2.60;proto=http, for="[2001:db8::17]:4711"` (RFC 7239 §4): one hop per
 * element, its `for` parameter. An element without `for` is a hop we cannot read.
 */
export function forwardedHops(value) {
    return splitOutsideQuotes(value, ',').map((element) => {
        for (const pair of splitOutsideQuotes(element, ';')) {
            const eq = pair.indexOf('=');
            if (eq === -1)
                continue;
            if (pair.slice(0, eq).trim().toLowerCase() !== 'for')
                continue;
            let v = pair.slice(eq + 1).trim();
            if (v.length >= 2 && v.startsWith('"') && v.endsWith('"'))
                v = v.slice(1, -1).replace(/\\(.)/g, '$1');
            return addressOf(v);
        }
        return { address: null, port: 0 };
    });
}
/** An address with an optional port: `a.b.c.d`, `a.b.c.d:port`, `[v6]`, `[v6]:port`, bare `v6`. */
function addressOf(text) {
    let host = text;
    let port = 0;
    const v6 = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
    const v4 = /^([\d.]+):(\d{1,5})$/.exec(text);
    if (v6) {
        host = v6[1];
        port = v6[2] === undefined ? 0 : Number(v6[2]);
    }
    else if (v4) {
        host = v4[1];
        port = Number(v4[2]);
    }
    if (port > 65535)
        port = 0;
    return parseAddress(host) === null || host.includes('%') ? { address: null, port: 0 } : { address: host, port };
}
function splitOutsideQuotes(s, sep) {
    const out = [];
    let quoted = false;
    let start = 0;
    for (let i = 0; i < s.length; i++) {
        const c = s[i];
        if (c === '\\' && quoted)
            i++;
        else if (c === '"')
            quoted = !quoted;
        else if (c === sep && !quoted) {
            out.push(s.slice(start, i).trim());
            start = i + 1;
        }
    }
    out.push(s.slice(start).trim());
    return out;
}
//# sourceMappingURL=forwarded.js.map