/**
 * Which origins may open a WebSocket (allowedOrigins, requireOrigin). A browser sends the page's
 * origin with every handshake (RFC 6455 §4.1 item 8, §10.2) and lets any page open a WebSocket
 * to any server, cookies included: a server that does not check it can be driven by any site the
 * user visits (cross-site WebSocket hijacking). Non-browser clients send no Origin.
 *
 * Origins are compared as RFC 6454 §6.2 serializes them — `scheme://host[:port]`, lowercased,
 * the port left out when it is the scheme's default — so `https://Example.com:443` and
 * `https://example.com` are the same origin. An entry may be:
 *   - an origin: `https://app.example.com`, `http://localhost:3000`;
 *   - a pattern `https://*.example.com`: any subdomain (one label or more) of example.com, not
 *     example.com itself, with that scheme and port;
 *   - either without a scheme (`example.com`, `*.example.com:8443`): any scheme, the port given
 *     or else the origin scheme's default;
 *   - `null`: the opaque origin browsers send from sandboxed frames and files.
 * Pure: strings in, a verdict out.
 */
import { HandshakeError } from '../errors.js';
/** What an entry of allowedOrigins may look like (checked when the config is loaded). */
export const ORIGIN_ENTRY = /^(?:null|(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?(?:\*\.)?(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)(?::[0-9]{1,5})?)$/;
const DEFAULT_PORTS = { http: '80', https: '443', ws: '80', wss: '443' };
const ORIGIN = /^([a-z][a-z0-9+.-]*):\/\/(\[[0-9a-f:.]+\]|[^/:?#[\]@]+)(?::([0-9]{1,5}))?\/?$/;
function parseOrigin(value) {
    const m = ORIGIN.exec(value.trim().toLowerCase());
    if (m === null)
        return null;
    const scheme = m[1];
    const port = m[3] !== undefined ? String(Number(m[3])) : (DEFAULT_PORTS[scheme] ?? '');
    return { scheme, host: m[2], port };
}
function parseRule(entry) {
    const lower = entry.trim().toLowerCase();
    const schemeEnd = lower.indexOf('://');
    const scheme = schemeEnd === -1 ? undefined : lower.slice(0, schemeEnd);
    let rest = schemeEnd === -1 ? lower : lower.slice(schemeEnd + 3);
    let port;
    const colon = rest.lastIndexOf(':');
    if (colon !== -1 && !rest.endsWith(']')) {
        port = String(Number(rest.slice(colon + 1)));
        rest = rest.slice(0, colon);
    }
    if (port === undefined && scheme !== undefined)
        port = DEFAULT_PORTS[scheme];
    const wildcard = rest.startsWith('*.');
    return { scheme, host: wildcard ? rest.slice(1) : rest, wildcard, port };
}
function matches(rule, origin) {
    if (rule.scheme !== undefined && rule.scheme !== origin.scheme)
        return false;
    const port = rule.port ?? DEFAULT_PORTS[origin.scheme] ?? '';
    if (port !== origin.port)
        return false;
    return rule.wildcard ? origin.host.endsWith(rule.host) && origin.host.length > rule.host.length : origin.host === rule.host;
}
/** The origin policy of a server: built once from the config, asked once per handshake. */
export class OriginCheck {
    rules;
    allowNull;
    required;
    constructor(allowed, requireOrigin) {
        this.allowNull = allowed.some((e) => e.trim().toLowerCase() === 'null');
        this.rules = allowed.filter((e) => e.trim().toLowerCase() !== 'null').map(parseRule);
        this.required = requireOrigin;
    }
    /** Whether any check is configured at all (none by default). */
    get active() {
        return this.rules.length > 0 || this.allowNull || this.required;
    }
    /** null to go on, or the 403 to answer: `origin` is the Origin header's value, if any. */
    check(origin) {
        if (origin === undefined) {
            return this.required ? new HandshakeError('ERR_HANDSHAKE_ORIGIN', 'An Origin header is required') : null;
        }
        if (this.rules.length === 0 && !this.allowNull)
            return null;
        if (origin.trim().toLowerCase() === 'null')
            return this.allowNull ? null : refused(origin);
        const parts = parseOrigin(origin);
        if (parts !== null && this.rules.some((r) => matches(r, parts)))
            return null;
        return refused(origin);
    }
}
function refused(origin) {
    return new HandshakeError('ERR_HANDSHAKE_ORIGIN', `Origin ${JSON.stringify(origin.slice(0, 200))} is not allowed`);
}
//# sourceMappingURL=origin-check.js.map