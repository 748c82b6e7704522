/**
 * What every request must pass before it is routed, upgrade or not, whichever parser read it
 * (RFC 9110, RFC 9112): the HTTP version, the Host header, the form of the request-target.
 * Node's parser (llhttp) accepts a few things these RFCs tell a server to refuse — HTTP/2.0
 * and HTTP/0.9 request lines, a repeated Host — so these checks run on its results too. Pure:
 * fields in, a verdict out.
 */
import { HttpError } from '../errors.js';
/**
 * RFC 9112 §3.2: Host = uri-host [ ":" port ], uri-host an IP-literal, an IPv4 address or a
 * reg-name (RFC 3986 §3.2.2: unreserved, pct-encoded, sub-delims). An empty value is valid.
 */
const HOST = /^(?:\[[0-9A-Za-z:.!$&'()*+,;=~_-]+\]|[0-9A-Za-z\-._~%!$&'()*+,;=]*)(?::[0-9]*)?$/;
/** RFC 9112 §3.2.2: absolute-form = absolute-URI (scheme "://" authority path-abempty [ "?" query ]). */
const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)(.*)$/;
/** A request line as llhttp's error left it: method, target, version digits (for 505 vs 400). */
const REQUEST_LINE = /^(?:\r\n)*[!#$%&'*+\-.^_`|~0-9A-Za-z]+ [\x21-\x7e]+ HTTP\/([0-9])\.([0-9])(?:\r|$)/;
export function isValidHost(value) {
    return HOST.test(value);
}
/**
 * RFC 9110 §15.6.6 / RFC 9112 §2.3: this server speaks HTTP/1.x; any other major version is
 * answered 505 (HTTP/1.0 is HTTP: whether it may upgrade is the handshake's business).
 */
export function versionError(major, minor) {
    if (major === 1)
        return null;
    return new HttpError('ERR_HTTP_VERSION', `HTTP/${major}.${minor} is not supported: this server speaks HTTP/1.1`);
}
/**
 * For bytes llhttp refused: 505 when the request line itself is well formed but names another
 * major version (llhttp refuses HTTP/3.0 and HTTP/1.2 alike), else null (a plain 400).
 */
export function versionErrorOf(bytes) {
    const line = REQUEST_LINE.exec(bytes.toString('latin1', 0, Math.min(bytes.length, 8192)));
    return line === null ? null : versionError(Number(line[1]), Number(line[2]));
}
/** The Host header lines of a request, as sent. */
function hostValues(rawHeaders) {
    const values = [];
    for (let i = 0; i < rawHeaders.length; i += 2) {
        if (rawHeaders[i].length === 4 && rawHeaders[i].toLowerCase() === 'host')
            values.push(rawHeaders[i + 1]);
    }
    return values;
}
/** Checks a request head and says where it goes, or the error to answer it with. */
export function checkRequest(head) {
    const version = versionError(head.httpVersionMajor, head.httpVersionMinor);
    if (version !== null)
        return version;
    // RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1
    // request message that lacks a Host header field and to any that contains more than one Host
    // header field line or a Host header field with an invalid field value." (Node keeps the
    // first of two and answers a missing one itself.)
    const hosts = hostValues(head.rawHeaders);
    if (hosts.length > 1)
        return new HttpError('ERR_HTTP_HOST', 'More than one Host header');
    const host = hosts[0];
    if (host !== undefined && !isValidHost(host))
        return new HttpError('ERR_HTTP_HOST', `Invalid Host header ${JSON.stringify(host)}`);
    if (host === undefined && head.httpVersionMinor >= 1)
        return new HttpError('ERR_HTTP_HOST', 'Missing Host header');
    return routedTarget(head.method, head.url, host);
}
/** RFC 9112 §3.2: the four forms of request-target, and which methods may use which. */
function routedTarget(method, url, host) {
    if (url.startsWith('/'))
        return { url, host };
    // §3.2.4: asterisk-form is only for a server-wide OPTIONS.
    if (url === '*')
        return method === 'OPTIONS' ? { url, host } : new HttpError('ERR_HTTP_TARGET', `${method} * is not a valid request`);
    const absolute = ABSOLUTE.exec(url);
    if (absolute === null)
        return new HttpError('ERR_HTTP_TARGET', `Invalid request-target ${JSON.stringify(url.slice(0, 100))}`);
    const authority = absolute[1];
    // RFC 9110 §4.2.4: a recipient SHOULD treat userinfo in an http(s) URI as an error.
    if (authority.includes('@') || !isValidHost(authority)) {
        return new HttpError('ERR_HTTP_TARGET', `Invalid authority in request-target ${JSON.stringify(authority.slice(0, 100))}`);
    }
    // §3.2.2: the target's authority wins over Host ("MUST ignore the received Host header
    // field"); an empty path is "/" (RFC 9110 §4.2.3).
    const rest = absolute[2];
    return { url: rest.startsWith('/') ? rest : `/${rest}`, host: authority };
}
//# sourceMappingURL=request-checks.js.map