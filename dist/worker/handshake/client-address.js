import { resolveClient } from '../../shared/proxy/forwarded.js';
/** Where a handed-over socket keeps the proxy whose PROXY header named its client (see worker-main.ts). */
const PROXY_PEER = Symbol('switchyard.proxyPeer');
/** Marks a socket whose `remoteAddress` came from a PROXY protocol header sent by `proxy`. */
export function markProxied(socket, proxy) {
    socket[PROXY_PEER] = proxy;
}
/** Carries the PROXY mark from a raw socket to the TLS socket that wraps it (tls-terminator.ts). */
export function copyProxied(from, to) {
    const proxy = from[PROXY_PEER];
    if (proxy !== undefined)
        to[PROXY_PEER] = proxy;
}
/**
 * The client of a request on `socket`: its peer (for a PROXY-protocol connection, the source
 * the header declared: the master dispatched on it), then, if that address is a trusted proxy,
 * the request's Forwarded / X-Forwarded-For walk (shared/proxy/forwarded.ts). Per request, not
 * per socket: a proxy's keep-alive connection carries many clients' requests. `proxyAddress` is
 * the TCP peer when a proxy's word was taken.
 */
export function clientAddressOf(socket, headers, trust) {
    const peer = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
    const proxied = socket[PROXY_PEER];
    const client = trust.empty ? null : resolveClient(peer, { forwarded: headers.forwarded, 'x-forwarded-for': headers['x-forwarded-for'] }, trust);
    const address = client?.address ?? peer.address;
    const port = client?.port ?? peer.port;
    if (proxied)
        return { remoteAddress: address, remotePort: port, proxyAddress: proxied.address, proxyPort: proxied.port };
    return { remoteAddress: address, remotePort: port, proxyAddress: client?.proxyAddress ?? null, proxyPort: client?.proxyPort ?? 0 };
}
//# sourceMappingURL=client-address.js.map