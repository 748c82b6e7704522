import { isToken, isValidHeaderValue } from './handshake.js';
const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');
const REQUEST_PREFIX = 'GET /';
const VERSION_SUFFIX = ' HTTP/1.1';
/** Request-target characters: VCHAR only (no SP, no controls, no obs-text), as llhttp in strict mode. */
const TARGET = /^\/[\x21-\x7e]*$/;
const OWS = /^[ \t]+|[ \t]+$/g;
/**
 * Where the head ends (the index after its blank line) in `bytes`, or -1 while incomplete.
 * `from` is how many bytes were already searched, so re-scans of a growing buffer stay linear.
 */
export function headEnd(bytes, from = 0) {
    const at = bytes.indexOf(HEAD_END, Math.max(0, from - 3));
    return at === -1 ? -1 : at + HEAD_END.length;
}
/** Node keeps only the first of these when repeated (IncomingMessage's matchKnownFields). */
const FIRST_WINS = new Set([
    'content-type',
    'content-length',
    'user-agent',
    'referer',
    'host',
    'authorization',
    'proxy-authorization',
    'if-modified-since',
    'if-unmodified-since',
    'from',
    'location',
    'max-forwards',
    'retry-after',
    'etag',
    'last-modified',
    'server',
    'age',
    'expires',
]);
/**
 * The head `bytes[0, end)` (end from `headEnd`) as an upgrade request, or null when it is not
 * a plain HTTP/1.1 GET upgrade in the strict form read here (Node's parser takes it then).
 */
export function readUpgradeHead(bytes, end) {
    const text = bytes.toString('latin1', 0, end - 4);
    const lines = text.split('\r\n');
    const requestLine = lines[0];
    if (!requestLine.startsWith(REQUEST_PREFIX) || !requestLine.endsWith(VERSION_SUFFIX))
        return null;
    const url = requestLine.slice(4, requestLine.length - VERSION_SUFFIX.length);
    if (!TARGET.test(url))
        return null;
    const rawHeaders = [];
    const headers = {};
    let upgrade = false;
    let connectionUpgrade = false;
    for (let i = 1; i < lines.length; i++) {
        const line = lines[i];
        const colon = line.indexOf(':');
        // No colon, an empty name or obs-fold (a line starting with SP/HTAB): llhttp's business.
        if (colon <= 0)
            return null;
        const name = line.slice(0, colon);
        if (!isToken(name))
            return null;
        // OWS is SP and HTAB only (String.trim would also eat the 0xA0 of obs-text).
        const value = line.slice(colon + 1).replace(OWS, '');
        if (!isValidHeaderValue(value))
            return null;
        const key = name.toLowerCase();
        // A plain object holds the headers (as node's): a name that is a prototype key goes to Node.
        if (key === '__proto__')
            return null;
        // A body on an upgrade request: framing is llhttp's to judge (and to reject).
        if (key === 'content-length' || key === 'transfer-encoding')
            return null;
        rawHeaders.push(name, value);
        if (key === 'upgrade')
            upgrade = true;
        else if (key === 'connection' && /(^|,)\s*upgrade\s*(,|$)/i.test(value))
            connectionUpgrade = true;
        addHeader(headers, key, value);
    }
    // Not an upgrade as Node sees one (it needs both): a plain request, answered through Node.
    if (!upgrade || !connectionUpgrade)
        return null;
    return { method: 'GET', url, httpVersionMajor: 1, httpVersionMinor: 1, rawHeaders, headers };
}
/** IncomingMessage's rules for repeated names: some keep the first, cookies join with '; ', set-cookie is a list, the rest join with ', '. */
function addHeader(headers, key, value) {
    const previous = headers[key];
    if (previous === undefined) {
        headers[key] = key === 'set-cookie' ? [value] : value;
    }
    else if (key === 'set-cookie') {
        previous.push(value);
    }
    else if (!FIRST_WINS.has(key)) {
        headers[key] = `${previous}${key === 'cookie' ? '; ' : ', '}${value}`;
    }
}
//# sourceMappingURL=request-head.js.map