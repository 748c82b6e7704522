import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { AddressSet } from '../../shared/proxy/address-match.ts';
/** The client of a request, and the proxy that spoke for it (null: the peer is the client). */
export interface ClientAddress {
    remoteAddress: string;
    remotePort: number;
    proxyAddress: string | null;
    proxyPort: number;
}
/**
 * What the `request` callback receives: Node's request, with the client's address resolved as
 * for an upgrade (behind a trustProxy proxy, the address it declared; `req.socket.remoteAddress`
 * stays the TCP peer's, or the PROXY header's source).
 */
export type HttpRequest = IncomingMessage & ClientAddress;
/** Marks a socket whose `remoteAddress` came from a PROXY protocol header sent by `proxy`. */
export declare function markProxied(socket: Socket, proxy: {
    address: string;
    port: number;
}): void;
/** Carries the PROXY mark from a raw socket to the TLS socket that wraps it (tls-terminator.ts). */
export declare function copyProxied(from: Socket, to: Socket): void;
/**
 * The client of a request on `socket`: its peer (for a PROXY-protocol connection, the source
 * the header declared: the master dispatched on it), then, if that address is a trusted proxy,
 * the request's Forwarded / X-Forwarded-For walk (shared/proxy/forwarded.ts). Per request, not
 * per socket: a proxy's keep-alive connection carries many clients' requests. `proxyAddress` is
 * the TCP peer when a proxy's word was taken.
 */
export declare function clientAddressOf(socket: Socket, headers: Readonly<Record<string, string | string[] | undefined>>, trust: AddressSet): ClientAddress;
//# sourceMappingURL=client-address.d.ts.map