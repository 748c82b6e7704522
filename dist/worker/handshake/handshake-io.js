import { IncomingMessage } from 'node:http';
import { HandshakeAnswerError } from '../../shared/errors.js';
import { appHeaderProblem, isRefusalStatus, isToken } from '../../shared/protocol/handshake.js';
/**
 * What the `handshake` hook and `open` see of the upgrade request: Swoole's Request, with its
 * names (`header`, `get`, `cookie`, `server`) kept as aliases of the camelCase fields.
 */
export class HandshakeRequest {
    fd;
    method;
    /** Path without the query string (Swoole's server.path_info). */
    path;
    /** Path and query string as sent (Swoole's server.request_uri). */
    request_uri;
    queryString;
    /** The client: behind a trusted proxy (trustProxy), the address it declared, not the socket's peer. */
    remoteAddress;
    /** The client's port: 0 when a proxy declared the address without one (X-Forwarded-For). */
    remotePort;
    /** The proxy (the socket's peer) whose word gave remoteAddress, or null when the peer is the client. */
    proxyAddress;
    proxyPort;
    /** Subprotocols the client offered, in its order. */
    protocols;
    /** The subprotocol agreed on ('' for none); set once the handshake is accepted. */
    protocol = '';
    source;
    message;
    constructor(fd, raw, protocols, client) {
        this.fd = fd;
        this.source = raw;
        this.method = raw.method ?? 'GET';
        this.request_uri = raw.url ?? '/';
        const q = this.request_uri.indexOf('?');
        this.path = q === -1 ? this.request_uri : this.request_uri.slice(0, q);
        this.queryString = q === -1 ? '' : this.request_uri.slice(q + 1);
        this.remoteAddress = client.remoteAddress;
        this.remotePort = client.remotePort;
        this.proxyAddress = client.proxyAddress;
        this.proxyPort = client.proxyPort;
        this.protocols = protocols;
    }
    // Query, headers and cookies are built when first read: most upgrades never look at them,
    // and a handshake storm is bound by per-connection work.
    parsed = {};
    get query() {
        return (this.parsed.query ??= Object.fromEntries(new URLSearchParams(this.queryString)));
    }
    get headers() {
        if (this.parsed.headers === undefined) {
            const headers = {};
            for (const [k, v] of Object.entries(this.source.headers)) {
                if (v !== undefined)
                    headers[k] = Array.isArray(v) ? v.join(', ') : v;
            }
            this.parsed.headers = headers;
        }
        return this.parsed.headers;
    }
    get cookies() {
        return (this.parsed.cookies ??= parseCookies(this.headers.cookie));
    }
    /**
     * Node's request object, for anything not mirrored here. Upgrades read by our own head
     * reader get one built on first use (the head, no body: an upgrade has none).
     */
    get raw() {
        if (this.source instanceof IncomingMessage)
            return this.source;
        if (this.message === undefined) {
            const m = new IncomingMessage(this.source.socket);
            m.method = this.source.method ?? 'GET';
            m.url = this.source.url ?? '/';
            m.httpVersion = this.source.httpVersion;
            m.httpVersionMajor = 1;
            m.httpVersionMinor = 1;
            m.headers = { ...this.source.headers };
            m.rawHeaders = this.source.rawHeaders;
            m.upgrade = true;
            m.complete = true;
            m.push(null);
            this.message = m;
        }
        return this.message;
    }
    get header() {
        return this.headers;
    }
    get get() {
        return this.query;
    }
    get cookie() {
        return this.cookies;
    }
    get server() {
        return {
            request_method: this.method,
            request_uri: this.request_uri,
            path_info: this.path,
            query_string: this.queryString,
            remote_addr: this.remoteAddress,
            remote_port: this.remotePort,
            server_protocol: `HTTP/${this.source.httpVersion}`,
        };
    }
}
function parseCookies(header) {
    const out = {};
    if (!header)
        return out;
    for (const part of header.split(';')) {
        const eq = part.indexOf('=');
        if (eq <= 0)
            continue;
        const name = part.slice(0, eq).trim();
        let value = part.slice(eq + 1).trim();
        if (value.startsWith('"') && value.endsWith('"') && value.length >= 2)
            value = value.slice(1, -1);
        try {
            out[name] = decodeURIComponent(value);
        }
        catch {
            out[name] = value;
        }
    }
    return out;
}
/**
 * The hook's answer. Leave the status alone (or set 101) to accept: the server then writes
 * the whole 101 itself. Set a refusal status (and optionally end(body)) to refuse. Each method
 * checks what it is given and throws a HandshakeAnswerError at the call (so the hook fails
 * with 500 where the mistake is); `problem()` checks the whole answer again before anything is
 * written, since its fields can also be set directly.
 */
export class HandshakeResponse {
    statusCode = 101;
    body = '';
    headers = [];
    /** Subprotocol picked by the hook; undefined lets the server pick the client's first. */
    chosenProtocol = undefined;
    ended = false;
    /** 101 accepts; a refusal is 200-599 but 204, 205 and 304 (it always carries a body). */
    status(code) {
        const problem = statusProblem(code);
        if (problem !== null)
            throw new HandshakeAnswerError(problem);
        this.statusCode = code;
        return this;
    }
    /**
     * Adds a header to the 101 or the refusal (repeatable, e.g. Set-Cookie). Sec-WebSocket-Protocol
     * picks the subprotocol; framing, connection and other Sec-WebSocket-* headers are the server's.
     */
    header(name, value) {
        const v = typeof value === 'number' ? String(value) : value;
        if (typeof name === 'string' && name.toLowerCase() === 'sec-websocket-protocol')
            return this.protocol(v);
        const problem = appHeaderProblem(name, v);
        if (problem !== null)
            throw new HandshakeAnswerError(problem);
        this.headers.push([name, v]);
        return this;
    }
    /** Picks the subprotocol (sent only if the client offered it), or null for none. */
    protocol(name) {
        const problem = protocolProblem(name);
        if (problem !== null)
            throw new HandshakeAnswerError(problem);
        this.chosenProtocol = name;
        return this;
    }
    end(body) {
        if (body !== undefined) {
            const problem = bodyProblem(body);
            if (problem !== null)
                throw new HandshakeAnswerError(problem);
            this.body = body;
        }
        this.ended = true;
    }
    /** What makes this answer impossible to send as it stands, or null. */
    problem() {
        const status = statusProblem(this.statusCode);
        if (status !== null)
            return status;
        if (!Array.isArray(this.headers))
            return 'headers must be an array of [name, value] pairs';
        for (const pair of this.headers) {
            if (!Array.isArray(pair) || pair.length !== 2)
                return `header ${JSON.stringify(pair)} is not a [name, value] pair`;
            const header = appHeaderProblem(pair[0], pair[1]);
            if (header !== null)
                return header;
        }
        return bodyProblem(this.body) ?? protocolProblem(this.chosenProtocol ?? null);
    }
}
function statusProblem(code) {
    if (code === 101 || (typeof code === 'number' && isRefusalStatus(code)))
        return null;
    return `status ${String(code)} cannot answer an upgrade: 101 accepts, a refusal is 200-599 but 204, 205 and 304`;
}
function bodyProblem(body) {
    return typeof body === 'string' || body instanceof Uint8Array ? null : `body must be a string or a Buffer, got ${typeof body}`;
}
function protocolProblem(name) {
    return name === null || (typeof name === 'string' && isToken(name)) ? null : `subprotocol ${JSON.stringify(name)} is not a token`;
}
//# sourceMappingURL=handshake-io.js.map