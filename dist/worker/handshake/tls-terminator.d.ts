import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { Logger } from '../../shared/logger.ts';
import type { TlsInfo } from '../app-contract.ts';
import { type TlsSettings } from '../../shared/tls-files.ts';
/**
 * TLS ends here, in the worker, on the socket the master handed over without reading a byte
 * of it: the TCP handle is wrapped by Node's TLSWrap (C++, no JS stream in between) and
 * everything above — the HTTP entry, its head reader, Node's parser for plain requests, the
 * connection's frames — reads and writes decrypted bytes through the same Socket API. The
 * contexts are built from the files at start and again at each reload (SIGHUP to the master):
 * new handshakes take the current ones, established connections keep theirs.
 */
export declare class TlsTerminator {
    private contexts;
    private readonly settings;
    private readonly log;
    private readonly sniCallback;
    constructor(settings: TlsSettings, log: Logger);
    /** The server side of TLS over an accepted (paused) TCP socket. */
    wrap(socket: Socket): TLSSocket;
    /**
     * Reads the files again. True when the new certificates are in use for new handshakes; a
     * file that fails its check is logged and the current certificates stay.
     */
    reload(): boolean;
    /** The main certificate's SHA-256 fingerprint. */
    get fingerprint(): string;
}
/** Whether `socket` is TLS whose handshake has not finished (nothing decrypted can be answered on it yet). */
export declare function tlsHandshaking(socket: Socket): boolean;
/** A connection's TLS as getClientInfo reports it, or null for plain TCP (or no socket: a test's stand-in). */
export declare function tlsInfoOf(socket: Socket | undefined): TlsInfo | null;
//# sourceMappingURL=tls-terminator.d.ts.map