/**
 * TLS settings' files: the certificate chain and key (sslCertFile, sslKeyFile), the CA client
 * certificates must chain to (sslCaFile), certificates by SNI host name (sslSniCerts). Read and
 * checked here once per load, each problem naming its file: the CLI's start (before any worker
 * is forked: exit code 2) and every worker's reload (a bad file keeps the old certificate).
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { TlsFileError } from './errors.js';
/** Whether the settings turn TLS on (checkTlsFiles has made sure both files are given). */
export function tlsEnabled(cfg) {
    return cfg.sslCertFile !== undefined && cfg.sslKeyFile !== undefined;
}
function readPem(file, what) {
    try {
        return readFileSync(file, 'utf8');
    }
    catch (err) {
        throw new TlsFileError(file, `cannot read the ${what} (${err.code ?? err.message})`);
    }
}
/** A certificate chain and its key, checked: each parses, the key is the certificate's. */
function loadPair(files) {
    const cert = readPem(files.cert, 'certificate');
    const key = readPem(files.key, 'private key');
    let x509;
    try {
        x509 = new X509Certificate(cert);
    }
    catch (err) {
        throw new TlsFileError(files.cert, `not a PEM certificate (${err.message})`);
    }
    let privateKey;
    try {
        privateKey = createPrivateKey(key);
    }
    catch (err) {
        throw new TlsFileError(files.key, `not a PEM private key without a passphrase (${err.message})`);
    }
    if (!x509.checkPrivateKey(privateKey))
        throw new TlsFileError(files.key, `this key does not match the certificate in ${files.cert}`);
    return { cert, key, x509 };
}
function contextOf(pair, files, cfg, ca) {
    try {
        return createSecureContext({ cert: pair.cert, key: pair.key, minVersion: cfg.sslMinVersion, ...(ca !== undefined ? { ca } : {}) });
    }
    catch (err) {
        throw new TlsFileError(files.cert, `unusable certificate or key (${err.message})`);
    }
}
/**
 * Reads every TLS file and builds the contexts a worker serves with. Throws TlsFileError naming
 * the first file that is missing, unreadable, not PEM, or a key that is not its certificate's.
 */
export function loadTlsContexts(cfg) {
    if (cfg.sslCertFile === undefined || cfg.sslKeyFile === undefined)
        throw new TlsFileError(cfg.sslCertFile ?? cfg.sslKeyFile ?? '', 'TLS needs both a certificate and a key file');
    let ca;
    if (cfg.sslCaFile !== undefined) {
        ca = readPem(cfg.sslCaFile, 'CA certificates');
        try {
            new X509Certificate(ca);
        }
        catch (err) {
            throw new TlsFileError(cfg.sslCaFile, `not a PEM certificate (${err.message})`);
        }
    }
    const mainFiles = { cert: cfg.sslCertFile, key: cfg.sslKeyFile };
    const main = loadPair(mainFiles);
    const exact = new Map();
    const wildcard = new Map();
    for (const [host, files] of Object.entries(cfg.sslSniCerts ?? {})) {
        const context = contextOf(loadPair(files), files, cfg, ca);
        const name = host.toLowerCase();
        if (name.startsWith('*.'))
            wildcard.set(name.slice(1), context);
        else
            exact.set(name, context);
    }
    return { main: contextOf(main, mainFiles, cfg, ca), exact, wildcard, fingerprint: main.x509.fingerprint256, validTo: main.x509.validTo };
}
/** The context for an SNI name: exact, then `*.` one label deep, else none (the main one). */
export function contextFor(contexts, servername) {
    const name = servername.toLowerCase();
    const exact = contexts.exact.get(name);
    if (exact !== undefined)
        return exact;
    const dot = name.indexOf('.');
    return dot === -1 ? undefined : contexts.wildcard.get(name.slice(dot));
}
/**
 * Checks the TLS settings together and loads their files once (resolveConfig calls it): both
 * files or neither, sslVerifyPeer and sslSniCerts only with them; each problem goes to `problems`.
 */
export function checkTlsFiles(cfg, labelOf, problems) {
    const cert = cfg.sslCertFile !== undefined;
    const key = cfg.sslKeyFile !== undefined;
    if (cert !== key) {
        problems.push(`${labelOf(cert ? 'sslCertFile' : 'sslKeyFile')}: TLS needs both --ssl-cert-file and --ssl-key-file`);
        return;
    }
    if (!cert) {
        for (const other of ['sslCaFile', 'sslSniCerts'])
            if (cfg[other] !== undefined)
                problems.push(`${labelOf(other)}: needs --ssl-cert-file and --ssl-key-file`);
        if (cfg.sslVerifyPeer)
            problems.push(`${labelOf('sslVerifyPeer')}: needs --ssl-cert-file, --ssl-key-file and --ssl-ca-file`);
        return;
    }
    if (cfg.sslVerifyPeer && cfg.sslCaFile === undefined)
        problems.push(`${labelOf('sslVerifyPeer')}: needs --ssl-ca-file (the CA client certificates must chain to)`);
    try {
        loadTlsContexts(cfg);
    }
    catch (err) {
        if (!(err instanceof TlsFileError))
            throw err;
        problems.push(err.message);
    }
}
/**
 * sslSniCerts from a config object ({ host: { cert, key } }, Swoole's { ssl_cert_file,
 * ssl_key_file } accepted too), a JSON string of one, or the flag's HOST=CERT:KEY,... form.
 */
export function parseSniCerts(raw, problems, label) {
    let value = raw;
    if (typeof raw === 'string') {
        const text = raw.trim();
        if (text.startsWith('{')) {
            try {
                value = JSON.parse(text);
            }
            catch {
                problems.push(`${label}: not valid JSON`);
                return undefined;
            }
        }
        else {
            const out = {};
            for (const entry of text.split(',')) {
                const m = /^([^=\s]+)=([^:]+):(.+)$/.exec(entry.trim());
                if (m === null) {
                    problems.push(`${label}: expected HOST=CERT:KEY[,HOST=CERT:KEY...], got ${JSON.stringify(entry)}`);
                    return undefined;
                }
                out[m[1]] = { cert: m[2], key: m[3] };
            }
            return out;
        }
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        problems.push(`${label}: expected an object of host name -> { cert, key }, got ${JSON.stringify(raw)}`);
        return undefined;
    }
    const out = {};
    for (const [host, files] of Object.entries(value)) {
        const f = (files ?? {});
        const cert = f.cert ?? f.ssl_cert_file;
        const key = f.key ?? f.ssl_key_file;
        if (typeof cert !== 'string' || cert === '' || typeof key !== 'string' || key === '') {
            problems.push(`${label}: "${host}" needs { cert, key } (file names)`);
            continue;
        }
        out[host] = { cert, key };
    }
    return out;
}
//# sourceMappingURL=tls-files.js.map