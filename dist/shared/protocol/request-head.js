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
const PREFIX = Buffer.from(REQUEST_PREFIX, 'latin1');
const CR = 0x0d;
const LF = 0x0a;
/**
 * Whether an incomplete head (no blank line yet) can still become one `readUpgradeHead`
 * reads: it starts as `GET /`, its request line, once complete, ends in ` HTTP/1.1` after a
 * valid target, and no byte so far is one the reader refuses anywhere (a control character, a
 * CR not followed by LF, a bare LF). When it cannot, the caller gives the bytes to Node's parser
 * at once, which answers garbage, a TLS ClientHello or a bare-LF head with 400 as they arrive
 * rather than at the deadline, and reads anything valid as it would have anyway. `from` is how
 * many bytes an earlier call already checked.
 */
export function mayBeUpgradeHead(bytes, from = 0) {
    const prefix = Math.min(bytes.length, PREFIX.length);
    if (bytes.compare(PREFIX, 0, prefix, 0, prefix) !== 0)
        return false;
    // A CR ending the previous chunk is judged with the byte after it.
    for (let i = Math.max(0, from - 1); i < bytes.length; i++) {
        const b = bytes[i];
        if (b >= 0x20 && b !== 0x7f)
            continue;
        if (b === 0x09)
            continue;
        if (b === CR && (i + 1 === bytes.length || bytes[i + 1] === LF))
            continue;
        if (b === LF && i > 0 && bytes[i - 1] === CR)
            continue;
        return false;
    }
    const lineEnd = bytes.indexOf('\r\n', 0, 'latin1');
    if (lineEnd === -1)
        return true;
    const requestLine = bytes.toString('latin1', 0, lineEnd);
    return requestLine.endsWith(VERSION_SUFFIX) && TARGET.test(requestLine.slice(4, requestLine.length - VERSION_SUFFIX.length));
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
        // RFC 9112 §3.2: two Host lines MUST get 400; Node's path answers it (see request-checks.ts).
        if (key === 'host' && headers.host !== undefined)
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