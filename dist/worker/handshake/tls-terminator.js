import { TLSSocket } from 'node:tls';
import { TlsFileError } from '../../shared/errors.js';
import { contextFor, loadTlsContexts } from '../../shared/tls-files.js';
import { copyProxied } from './client-address.js';
/** One listener for every TLS socket: a closure each would stay with every idle connection. */
const ignore = () => { };
/**
 * What tls.Server does on each handshake (Node's onServerSocketSecure) and a TLSSocket made by
 * hand does not: OpenSSL accepts any client certificate and leaves the verdict to us. The
 * chain's check decides `authorized`; with sslVerifyPeer a failed one ends the connection.
 */
function checkClientCertificate() {
    const error = this._handle?.verifyError() ?? null;
    if (error === null)
        this.authorized = true;
    else {
        this.authorizationError = error;
        if (this._rejectUnauthorized)
            this.destroy();
    }
}
/**
 * TLS ends here, in the worker, on the socket the master handed over without reading a byte
 * of it: the TCP handle is wrapped by Node's TLSWrap (C++, no JS stream in between) and
 * everything above — the HTTP entry, its head reader, Node's parser for plain requests, the
 * connection's frames — reads and writes decrypted bytes through the same Socket API. The
 * contexts are built from the files at start and again at each reload (SIGHUP to the master):
 * new handshakes take the current ones, established connections keep theirs.
 */
export class TlsTerminator {
    contexts;
    settings;
    log;
    sniCallback;
    constructor(settings, log) {
        this.settings = settings;
        this.log = log;
        this.contexts = loadTlsContexts(settings);
        this.sniCallback = (servername, cb) => cb(null, contextFor(this.contexts, servername));
    }
    /** The server side of TLS over an accepted (paused) TCP socket. */
    wrap(socket) {
        const { sslCaFile, sslVerifyPeer, sslSniCerts } = this.settings;
        const tls = new TLSSocket(socket, {
            isServer: true,
            secureContext: this.contexts.main,
            // Without SNI certificates the callback would only ever return the main context.
            ...(sslSniCerts !== undefined ? { SNICallback: this.sniCallback } : {}),
            // With a CA, client certificates are asked for; with sslVerifyPeer they are required.
            requestCert: sslCaFile !== undefined,
            rejectUnauthorized: sslVerifyPeer,
            // HTTP/1.1 only: a browser offering h2 must not pick it (the upgrade is HTTP/1.1).
            ALPNProtocols: ['http/1.1'],
        });
        // The client's address as the hand-off gave it (worker-main.ts puts it where net.Socket
        // caches getpeername()): the TLS socket reports the same, not a system call's answer.
        const peer = socket._peername;
        if (peer !== undefined)
            tls._peername = peer;
        // Behind a PROXY-protocol proxy that address is the header's: the proxy must stay visible.
        copyProxied(socket, tls);
        // A failed TLS handshake (no client certificate, a scanner's garbage) ends as a 'close'.
        tls.on('error', ignore);
        if (sslCaFile !== undefined)
            tls.once('secure', checkClientCertificate);
        return tls;
    }
    /**
     * Reads the files again. True when the new certificates are in use for new handshakes; a
     * file that fails its check is logged and the current certificates stay.
     */
    reload() {
        try {
            this.contexts = loadTlsContexts(this.settings);
        }
        catch (err) {
            if (!(err instanceof TlsFileError))
                throw err;
            this.log.error({ event: 'tls-reload-failed', file: err.file, err: err.message }, 'TLS reload failed: the current certificate stays');
            return false;
        }
        this.log.info({ event: 'tls-reloaded', fingerprint: this.contexts.fingerprint, validTo: this.contexts.validTo }, 'TLS certificates reloaded');
        return true;
    }
    /** The main certificate's SHA-256 fingerprint. */
    get fingerprint() {
        return this.contexts.fingerprint;
    }
}
/** Whether `socket` is TLS whose handshake has not finished (nothing decrypted can be answered on it yet). */
export function tlsHandshaking(socket) {
    return socket.encrypted === true && socket._secureEstablished !== true;
}
/** A connection's TLS as getClientInfo reports it, or null for plain TCP (or no socket: a test's stand-in). */
export function tlsInfoOf(socket) {
    if (socket?.encrypted !== true)
        return null;
    const tls = socket;
    const info = { version: tls.getProtocol() ?? 'unknown' };
    const cipher = tls.getCipher()?.standardName;
    if (cipher)
        info.cipher = cipher;
    if (tls.authorized) {
        const peer = tls.getPeerCertificate();
        if (peer && peer.subject)
            info.peerSubject = { ...peer.subject };
    }
    return info;
}
//# sourceMappingURL=tls-terminator.js.map