/**
 * permessage-deflate (RFC 7692) negotiation: pure string work. The codec itself (node:zlib
 * streams, the process-wide job limiter) is I/O-side: src/worker/connection/deflate-codec.ts, behind
 * the MessageCodec interface of extension.ts.
 */
import { isToken } from './handshake.js';
export const DEFAULT_DEFLATE_SETTINGS = Object.freeze({
    /** Keeping our window across messages makes repeated keys of JSON messages nearly free. */
    serverNoContextTakeover: false,
    /** Same benefit for the client's messages; costs us one 32 KiB inflate window per connection. */
    clientNoContextTakeover: false,
    /** Full window: the best ratio, and the only size every client must support (§7.1.2.1). */
    serverMaxWindowBits: 15,
    clientMaxWindowBits: 15,
    /** Below ~1 KiB the deflate block overhead and the CPU cost outweigh the bytes saved. */
    threshold: 1024,
    /**
     * Levels 1-3 use zlib's fast strategy (no lazy matching): most of level 6's ratio on
     * text/JSON for a fraction of its CPU, which matters when every push is compressed.
     */
    level: 3,
    /** zlib's default: 128 KiB of hash state, the usual speed/memory balance. */
    memLevel: 8,
});
const EXTENSION_NAME = 'permessage-deflate';
/** §7.1.2.1/§7.1.2.2: "a decimal integer value without leading zeroes between 8 to 15". */
const WINDOW_BITS_PATTERN = /^(?:[89]|1[0-5])$/;
/**
 * Parses Sec-WebSocket-Extensions (RFC 6455 §9.1): a comma list of
 * `token *( ";" token [ "=" ( token | quoted-string ) ] )`, with optional whitespace
 * between items. A quoted value must be a token once unescaped (§9.1). Empty list
 * elements are skipped (RFC 7230 §7). Returns null when the value is malformed.
 */
export function parseExtensionHeader(value) {
    let i = 0;
    const skipSpace = () => {
        while (value[i] === ' ' || value[i] === '\t')
            i++;
    };
    const readToken = () => {
        const start = i;
        while (i < value.length && isToken(value[i]))
            i++;
        return i > start ? value.slice(start, i) : null;
    };
    const readQuoted = () => {
        let out = '';
        for (i++; i < value.length; i++) {
            const c = value[i];
            if (c === '"') {
                i++;
                return out;
            }
            if (c === '\\')
                i++;
            if (i >= value.length)
                return null;
            out += value[i];
        }
        return null;
    };
    const offers = [];
    skipSpace();
    while (i < value.length) {
        if (value[i] === ',') {
            i++;
            skipSpace();
            continue;
        }
        const name = readToken();
        if (name === null)
            return null;
        const params = [];
        skipSpace();
        while (value[i] === ';') {
            i++;
            skipSpace();
            const param = readToken();
            if (param === null)
                return null;
            skipSpace();
            let paramValue = true;
            if (value[i] === '=') {
                i++;
                skipSpace();
                const v = value[i] === '"' ? readQuoted() : readToken();
                if (v === null || !isToken(v))
                    return null;
                paramValue = v;
                skipSpace();
            }
            params.push([param, paramValue]);
        }
        offers.push({ name, params });
        if (i < value.length && value[i] !== ',')
            return null;
    }
    return offers.length > 0 ? offers : null;
}
/** The offer's parameters, or null for an unknown, repeated or invalid one (§7: decline the offer). */
function readDeflateOffer(params) {
    const offer = {
        serverNoContextTakeover: false,
        clientNoContextTakeover: false,
        serverMaxWindowBits: undefined,
        clientMaxWindowBits: undefined,
    };
    const seen = new Set();
    for (const [name, value] of params) {
        if (seen.has(name))
            return null;
        seen.add(name);
        switch (name) {
            case 'server_no_context_takeover':
            case 'client_no_context_takeover':
                // §7.1.1.1/§7.1.1.2: these have no value.
                if (value !== true)
                    return null;
                offer[name === 'server_no_context_takeover' ? 'serverNoContextTakeover' : 'clientNoContextTakeover'] = true;
                break;
            case 'server_max_window_bits':
                // §7.1.2.1: the value is required in an offer.
                if (value === true || !WINDOW_BITS_PATTERN.test(value))
                    return null;
                offer.serverMaxWindowBits = Number(value);
                break;
            case 'client_max_window_bits':
                // §7.1.2.2: the value is optional in an offer.
                if (value !== true && !WINDOW_BITS_PATTERN.test(value))
                    return null;
                offer.clientMaxWindowBits = value === true ? true : Number(value);
                break;
            default:
                return null;
        }
    }
    return offer;
}
/** Our answer to one valid offer, or null when our settings can't honour it. */
function acceptOffer(offer, settings) {
    // zlib refuses an 8-bit window for raw deflate (node silently uses 9, zlib.h deflateInit2),
    // so a client asking for 256 bytes gets a decline rather than a window we can't promise.
    if (offer.serverMaxWindowBits === 8)
        return null;
    // §7.1.2.2: without client_max_window_bits in the offer we may not limit the client,
    // who may then use 15 bits; a smaller configured limit can't be met.
    if (offer.clientMaxWindowBits === undefined && settings.clientMaxWindowBits < 15)
        return null;
    const offeredClientBits = offer.clientMaxWindowBits === true ? 15 : offer.clientMaxWindowBits;
    const agreement = {
        // §7.1.1.1: accepting an offer with server_no_context_takeover means honouring it.
        serverNoContextTakeover: offer.serverNoContextTakeover || settings.serverNoContextTakeover,
        // §7.1.1.2: the server may add client_no_context_takeover to any response.
        clientNoContextTakeover: offer.clientNoContextTakeover || settings.clientNoContextTakeover,
        // §7.1.2.1: same or smaller than offered.
        serverMaxWindowBits: Math.min(offer.serverMaxWindowBits ?? 15, settings.serverMaxWindowBits),
        // §7.1.2.2: smaller than or equal to the offered value; absent means 15.
        clientMaxWindowBits: Math.min(offeredClientBits ?? 15, settings.clientMaxWindowBits),
    };
    const response = [EXTENSION_NAME];
    if (agreement.serverNoContextTakeover)
        response.push('server_no_context_takeover');
    if (agreement.clientNoContextTakeover)
        response.push('client_no_context_takeover');
    // §7.1.2.1: an offered server_max_window_bits is accepted by answering it; otherwise the
    // server MAY still announce a smaller window.
    if (offer.serverMaxWindowBits !== undefined || agreement.serverMaxWindowBits < 15) {
        response.push(`server_max_window_bits=${agreement.serverMaxWindowBits}`);
    }
    // §7.1.2.2: "MUST NOT include" it unless offered; 15 is what absence means anyway.
    if (offer.clientMaxWindowBits !== undefined && agreement.clientMaxWindowBits < 15) {
        response.push(`client_max_window_bits=${agreement.clientMaxWindowBits}`);
    }
    return { agreement, response: response.join('; ') };
}
/** Accepts the first acceptable permessage-deflate offer (RFC 7692 §5, §7.1); null declines all. */
export function negotiateDeflate(offerHeader, settings) {
    assertSettings(settings);
    if (offerHeader === undefined)
        return null;
    // A header we can't parse declines the extension; the handshake itself still succeeds.
    const offers = parseExtensionHeader(offerHeader);
    if (offers === null)
        return null;
    for (const { name, params } of offers) {
        if (name !== EXTENSION_NAME)
            continue;
        const offer = readDeflateOffer(params);
        const accepted = offer && acceptOffer(offer, settings);
        if (accepted)
            return accepted;
    }
    return null;
}
export function assertWindowBits(what, bits, min) {
    if (!Number.isInteger(bits) || bits < min || bits > 15)
        throw new RangeError(`${what} must be ${min}..15, got ${bits}`);
}
/** Bad settings are a configuration bug, not peer input: throw. */
export function assertSettings(settings) {
    assertWindowBits('serverMaxWindowBits', settings.serverMaxWindowBits, 9);
    assertWindowBits('clientMaxWindowBits', settings.clientMaxWindowBits, 9);
    if (!(settings.threshold >= 0))
        throw new RangeError(`threshold must be >= 0, got ${settings.threshold}`);
    if (!Number.isInteger(settings.level) || settings.level < 0 || settings.level > 9) {
        throw new RangeError(`level must be 0..9, got ${settings.level}`);
    }
    if (!Number.isInteger(settings.memLevel) || settings.memLevel < 1 || settings.memLevel > 9) {
        throw new RangeError(`memLevel must be 1..9, got ${settings.memLevel}`);
    }
}
//# sourceMappingURL=permessage-deflate.js.map