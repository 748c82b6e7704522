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
import { HandshakeError } from '../errors.ts';
/** What an entry of allowedOrigins may look like (checked when the config is loaded). */
export declare const ORIGIN_ENTRY: RegExp;
/** The origin policy of a server: built once from the config, asked once per handshake. */
export declare class OriginCheck {
    private readonly rules;
    private readonly allowNull;
    private readonly required;
    constructor(allowed: readonly string[], requireOrigin: boolean);
    /** Whether any check is configured at all (none by default). */
    get active(): boolean;
    /** null to go on, or the 403 to answer: `origin` is the Origin header's value, if any. */
    check(origin: string | undefined): HandshakeError | null;
}
//# sourceMappingURL=origin-check.d.ts.map