/**
 * The opening handshake, server side (RFC 6455 §4.2): validate the client's upgrade
 * request and build the bytes we answer with. Pure: Node's HTTP parser (llhttp) has
 * already split the request into method, version and headers; this module only judges
 * them and never touches a socket.
 */
import * as crypto from 'node:crypto';
import { HandshakeError } from '../errors.js';
import { isValidHost, versionError } from './request-checks.js';
/** RFC 6455 §1.3: the GUID appended to the key before hashing. */
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/**
 * A key is 16 random bytes in base64 (§4.1 item 7): 22 characters, '==' padding, and the
 * 22nd character may only carry 2 significant bits (A, Q, g or w), so this accepts
 * exactly the canonical encodings of 16 bytes and nothing Buffer.from would "repair".
 */
const KEY_PATTERN = /^[A-Za-z0-9+/]{21}[AQgw]==$/;
/** RFC 7230 §3.2.6: token = 1*tchar. */
const TOKEN_PATTERN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/**
 * RFC 7230 §3.2: field-value is VCHAR, SP, HTAB and obs-text (0x80-0xFF). Anything else,
 * CR/LF/NUL above all, would let a value split the response. Same set as node's http.
 */
const INVALID_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/;
/** Reason phrases (RFC 9110 §15) of the statuses a WebSocket server answers with. */
const REASON_PHRASES = {
    101: 'Switching Protocols',
    200: 'OK',
    301: 'Moved Permanently',
    302: 'Found',
    307: 'Temporary Redirect',
    308: 'Permanent Redirect',
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    408: 'Request Timeout',
    409: 'Conflict',
    413: 'Payload Too Large',
    426: 'Upgrade Required',
    429: 'Too Many Requests',
    431: 'Request Header Fields Too Large',
    500: 'Internal Server Error',
    501: 'Not Implemented',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
    505: 'HTTP Version Not Supported',
};
export function isToken(s) {
    return TOKEN_PATTERN.test(s);
}
export function isValidHeaderName(name) {
    return isToken(name);
}
export function isValidHeaderValue(value) {
    return !INVALID_VALUE_CHAR.test(value);
}
/** Repeated header lines arrive as an array for a few names; a list header means the same joined (RFC 7230 §3.2.2). */
function headerValue(req, name) {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
}
/**
 * Splits a #list (RFC 7230 §7) into its trimmed elements. Empty elements ("a, , b") are
 * skipped, as §7 asks recipients to accept them.
 */
function listElements(value) {
    return value
        .split(',')
        .map((element) => element.trim())
        .filter((element) => element !== '');
}
/** Sec-WebSocket-Protocol: 1#token, all unique (RFC 6455 §4.1 item 10, §11.3.4). */
function parseProtocols(value) {
    if (value === undefined)
        return [];
    const protocols = listElements(value);
    const fail = (why) => new HandshakeError('ERR_HANDSHAKE_PROTOCOL', `Invalid Sec-WebSocket-Protocol header: ${why}`);
    if (protocols.length === 0)
        return fail('no subprotocol listed');
    const seen = new Set();
    for (const protocol of protocols) {
        if (!isToken(protocol))
            return fail(`${JSON.stringify(protocol)} is not a token`);
        // Subprotocol names are compared case-sensitively (§4.1 item 10: "unique strings").
        if (seen.has(protocol))
            return fail(`${JSON.stringify(protocol)} is listed twice`);
        seen.add(protocol);
    }
    return protocols;
}
/**
 * Validates a client's opening handshake (RFC 6455 §4.2.1); the first failure wins. A
 * HandshakeError, or an HttpError for what any request would be refused for (HTTP/2.0: 505).
 */
export function validateUpgrade(req) {
    // RFC 9110 §15.6.6: a major version we do not speak is 505, before anything it carries.
    const unsupported = versionError(req.httpVersionMajor, req.httpVersionMinor);
    if (unsupported !== null)
        return unsupported;
    // §4.1 item 1: "The method of the request MUST be GET". Methods are case-sensitive.
    if (req.method !== 'GET') {
        return new HandshakeError('ERR_HANDSHAKE_METHOD', `Method ${req.method} not allowed, use GET`, {
            Allow: 'GET',
        });
    }
    // §4.1 item 1: "the HTTP version MUST be at least 1.1".
    if (req.httpVersionMinor < 1) {
        return new HandshakeError('ERR_HANDSHAKE_HTTP_VERSION', `HTTP/${req.httpVersionMajor}.${req.httpVersionMinor} cannot upgrade, HTTP/1.1 or later is required`);
    }
    // §4.2.1 item 2: "A |Host| header field containing the server's authority."
    const host = headerValue(req, 'host');
    if (host === undefined || host.trim() === '') {
        return new HandshakeError('ERR_HANDSHAKE_HOST', 'Missing Host header');
    }
    // RFC 9112 §3.2: a Host "with an invalid field value" MUST get 400.
    if (!isValidHost(host))
        return new HandshakeError('ERR_HANDSHAKE_HOST', `Invalid Host header ${JSON.stringify(host)}`);
    // §4.2.1 item 3: Upgrade is "websocket", "treated as an ASCII case-insensitive value".
    const upgrade = headerValue(req, 'upgrade');
    if (upgrade === undefined || upgrade.trim().toLowerCase() !== 'websocket') {
        return new HandshakeError('ERR_HANDSHAKE_UPGRADE', upgrade === undefined ? 'Missing Upgrade header' : 'Upgrade header must be "websocket"');
    }
    // §4.2.1 item 4: Connection "that includes the token 'Upgrade'", case-insensitively;
    // proxies and browsers send lists such as "keep-alive, Upgrade".
    const connection = headerValue(req, 'connection');
    if (connection === undefined || !listElements(connection).some((t) => t.toLowerCase() === 'upgrade')) {
        return new HandshakeError('ERR_HANDSHAKE_CONNECTION', 'Connection header must include "Upgrade"');
    }
    // §4.2.1 item 5: a key that "when decoded, is 16 bytes in length".
    const key = headerValue(req, 'sec-websocket-key')?.trim();
    if (key === undefined || !KEY_PATTERN.test(key)) {
        return new HandshakeError('ERR_HANDSHAKE_KEY', key === undefined ? 'Missing Sec-WebSocket-Key header' : 'Sec-WebSocket-Key must be 16 bytes in base64');
    }
    // §4.2.1 item 6 and §4.4: on any version other than 13, answer 426 and list the ones we speak.
    const version = headerValue(req, 'sec-websocket-version')?.trim();
    if (version !== '13') {
        return new HandshakeError('ERR_HANDSHAKE_VERSION', version === undefined ? 'Missing Sec-WebSocket-Version header' : `Unsupported WebSocket version ${version}, use 13`, { 'Sec-WebSocket-Version': '13' });
    }
    const protocols = parseProtocols(headerValue(req, 'sec-websocket-protocol'));
    if (protocols instanceof HandshakeError)
        return protocols;
    return { key, protocols, extensions: headerValue(req, 'sec-websocket-extensions') };
}
/** Sec-WebSocket-Accept (RFC 6455 §4.2.2 item 5.4): base64(SHA-1(key + GUID)). */
export function acceptKey(key) {
    // Node ≥ 20.12 hashes in one call, without a Hash object per handshake.
    if (oneShotHash !== undefined)
        return oneShotHash('sha1', key + WEBSOCKET_GUID, 'base64');
    return crypto.createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
}
const oneShotHash = crypto.hash;
/** Header lines for a response head; a bad name or value is a bug in the caller, not peer input. */
function headerLines(headers) {
    let lines = '';
    for (const [name, value] of headers) {
        if (!isValidHeaderName(name))
            throw new TypeError(`Invalid header name ${JSON.stringify(name)}`);
        if (!isValidHeaderValue(value))
            throw new TypeError(`Invalid value for header ${name}`);
        lines += `${name}: ${value}\r\n`;
    }
    return lines;
}
/**
 * The 101 response head (RFC 6455 §4.2.2 item 5), ending with the empty line. Characters
 * are latin1 (header values may carry obs-text): write it with the 'latin1' encoding.
 */
export function buildUpgradeResponse(opts) {
    // The accept value is our own base64: only the optional headers need checking.
    let head = `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${opts.accept}\r\n`;
    if (opts.protocol !== undefined)
        head += headerLines([['Sec-WebSocket-Protocol', opts.protocol]]);
    if (opts.extensions !== undefined)
        head += headerLines([['Sec-WebSocket-Extensions', opts.extensions]]);
    if (opts.headers !== undefined && opts.headers.length > 0)
        head += headerLines(opts.headers);
    return `${head}\r\n`;
}
/** Framing headers we compute ourselves: a second copy would desynchronise the client (RFC 7230 §3.3.3). */
const RESERVED_ERROR_HEADERS = new Set(['connection', 'content-length', 'transfer-encoding']);
/**
 * Statuses a refusal may carry: final ones (RFC 9110 §15.2: 1xx are interim, and 101 is the
 * upgrade itself) that have content, since a refusal always carries a body and its length
 * (§15.3.5, §15.3.6, §15.4.5: 204, 205 and 304 have none).
 */
export function isRefusalStatus(status) {
    return Number.isInteger(status) && status >= 200 && status <= 599 && status !== 204 && status !== 205 && status !== 304;
}
/**
 * Headers only the server writes on a 101 or a refusal: message framing and connection
 * management (RFC 9112 §6, §9.6: a second or contradicting copy desynchronises the client)
 * and the handshake's own fields (RFC 6455 §4.2.2), which the server computes.
 */
const SERVER_OWNED = new Set(['connection', 'upgrade', 'content-length', 'transfer-encoding', 'keep-alive', 'te', 'trailer', 'proxy-connection']);
/** Why an app's header cannot go on a 101 or a refusal, or null when it can. */
export function appHeaderProblem(name, value) {
    if (typeof name !== 'string' || !isValidHeaderName(name))
        return `invalid header name ${JSON.stringify(name)}`;
    if (typeof value !== 'string' || !isValidHeaderValue(value))
        return `invalid value for header ${name}: ${JSON.stringify(value)}`;
    const lower = name.toLowerCase();
    if (SERVER_OWNED.has(lower) || lower.startsWith('sec-websocket-'))
        return `header ${name} is written by the server`;
    return null;
}
/**
 * A complete refusal response. We always close after it (Connection: close): the socket
 * was headed for an upgrade, nothing else may follow on it. The body defaults to the
 * reason phrase so a human poking with curl sees why.
 */
export function buildHttpResponse(status, body, headers = []) {
    if (!isRefusalStatus(status)) {
        throw new RangeError(`A refusal needs a final status with content (200-599 but 204, 205, 304), got ${status}`);
    }
    const reason = REASON_PHRASES[status] ?? '';
    const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : (body ?? Buffer.from(reason, 'utf8'));
    for (const [name] of headers) {
        if (RESERVED_ERROR_HEADERS.has(name.toLowerCase()))
            throw new TypeError(`Header ${name} is set by buildHttpResponse`);
    }
    const hasContentType = headers.some(([name]) => name.toLowerCase() === 'content-type');
    const head = [['Connection', 'close']];
    if (!hasContentType)
        head.push(['Content-Type', 'text/plain; charset=utf-8']);
    head.push(['Content-Length', String(payload.length)], ...headers);
    // RFC 7230 §3.1.2: the reason phrase may be empty, the space before it may not.
    const text = `HTTP/1.1 ${status} ${reason}\r\n${headerLines(head)}\r\n`;
    return Buffer.concat([Buffer.from(text, 'latin1'), payload]);
}
//# sourceMappingURL=handshake.js.map