import { type SecureContext } from 'node:tls';
import type { SniCerts } from './config-table.ts';
/** The settings this module reads (a part of Config, typed here so config.ts is not imported back). */
export interface TlsSettings {
    sslCertFile: string | undefined;
    sslKeyFile: string | undefined;
    sslCaFile: string | undefined;
    sslVerifyPeer: boolean;
    sslSniCerts: SniCerts | undefined;
    sslMinVersion: string;
}
/** Whether the settings turn TLS on (checkTlsFiles has made sure both files are given). */
export declare function tlsEnabled(cfg: TlsSettings): boolean;
/** Everything a worker terminates TLS with, built from the files as they are now. */
export interface TlsContexts {
    /** For clients without SNI or with a name not in sslSniCerts. */
    main: SecureContext;
    /** Exact host names (lower case) and `*.domain` patterns (stored as `.domain`). */
    exact: ReadonlyMap<string, SecureContext>;
    wildcard: ReadonlyMap<string, SecureContext>;
    /** SHA-256 fingerprint of the main certificate (logged at each reload). */
    fingerprint: string;
    /** When the main certificate expires. */
    validTo: string;
}
/**
 * Reads every TLS file and builds the contexts a worker serves with. Throws TlsFileError naming
 * the first file that is missing, unreadable, not PEM, or a key that is not its certificate's.
 */
export declare function loadTlsContexts(cfg: TlsSettings): TlsContexts;
/** The context for an SNI name: exact, then `*.` one label deep, else none (the main one). */
export declare function contextFor(contexts: TlsContexts, servername: string): SecureContext | undefined;
/**
 * Checks the TLS settings together and loads their files once (resolveConfig calls it): both
 * files or neither, sslVerifyPeer and sslSniCerts only with them; each problem goes to `problems`.
 */
export declare function checkTlsFiles(cfg: TlsSettings, labelOf: (key: string) => string, problems: string[]): void;
/**
 * sslSniCerts from a config object ({ host: { cert, key } }, Swoole's { ssl_cert_file,
 * ssl_key_file } accepted too), a JSON string of one, or the flag's HOST=CERT:KEY,... form.
 */
export declare function parseSniCerts(raw: unknown, problems: string[], label: string): SniCerts | undefined;
//# sourceMappingURL=tls-files.d.ts.map