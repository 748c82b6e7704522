import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { AddressSet } from '../../shared/proxy/address-match.ts';
import { resolveClient } from '../../shared/proxy/forwarded.ts';

/** Where a handed-over socket keeps the proxy whose PROXY header named its client (see worker-main.ts). */
const PROXY_PEER = Symbol('switchyard.proxyPeer');
type ProxiedSocket = Socket & { [PROXY_PEER]?: { address: string; port: number } };

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
export function markProxied(socket: Socket, proxy: { address: string; port: number }): void {
  (socket as ProxiedSocket)[PROXY_PEER] = proxy;
}

/**
 * The client of a request on `socket`: its peer (for a PROXY-protocol connection, the source
 * the header declared: the master dispatched on it), then, if that address is a trusted proxy,
 * the request's Forwarded / X-Forwarded-For walk (shared/proxy/forwarded.ts). Per request, not
 * per socket: a proxy's keep-alive connection carries many clients' requests. `proxyAddress` is
 * the TCP peer when a proxy's word was taken.
 */
export function clientAddressOf(socket: Socket, headers: Readonly<Record<string, string | string[] | undefined>>, trust: AddressSet): ClientAddress {
  const peer = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
  const proxied = (socket as ProxiedSocket)[PROXY_PEER];
  const client = trust.empty ? null : resolveClient(peer, { forwarded: headers.forwarded, 'x-forwarded-for': headers['x-forwarded-for'] }, trust);
  const address = client?.address ?? peer.address;
  const port = client?.port ?? peer.port;
  if (proxied) return { remoteAddress: address, remotePort: port, proxyAddress: proxied.address, proxyPort: proxied.port };
  return { remoteAddress: address, remotePort: port, proxyAddress: client?.proxyAddress ?? null, proxyPort: client?.proxyPort ?? 0 };
}
