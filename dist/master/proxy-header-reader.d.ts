import { type ProxyEndpoint } from '../shared/proxy/proxy-protocol.ts';
import type { TcpHandle } from './tcp-handle.ts';
/** What reading a connection's PROXY protocol header came to. */
export type ProxyHeaderOutcome = 
/** `source` null: the header declared no address (LOCAL, UNKNOWN): the TCP peer is the client. */
{
    ok: true;
    source: ProxyEndpoint | null;
    prefix: Buffer;
} | {
    ok: false;
    reason: ProxyHeaderFailure;
    detail: string;
};
/**
 * Why a trusted source's connection was closed without being dispatched. Stats count each but
 * `probe`: the proxy connected and closed without sending a byte (a TCP health check).
 */
export type ProxyHeaderFailure = 'malformed' | 'timeout' | 'closed' | 'oversized' | 'probe';
/**
 * The thin shell around parseProxyHeader (shared/proxy/proxy-protocol.ts): reads the raw TCP
 * handle until the header is complete, malformed, the peer leaves, or `timeoutMs` pass, then
 * STOPS reading and reports once. Bytes read past the header (the HTTP request's start often
 * comes in the same segment) are the outcome's `prefix`: they travel with the hand-off and the
 * worker reads them first; anything not read yet stays in the kernel for the worker. The
 * caller closes the handle on a failure.
 */
export declare function readProxyHeader(handle: TcpHandle, timeoutMs: number, done: (outcome: ProxyHeaderOutcome) => void): void;
//# sourceMappingURL=proxy-header-reader.d.ts.map