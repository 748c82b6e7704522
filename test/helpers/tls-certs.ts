import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway PKI made with Debian's `openssl` in a temporary directory: a CA, and server or
 * client certificates it signs. Keys are EC P-256 (fast to make and to handshake with).
 */
export interface Pki {
  dir: string;
  /** The CA certificate's path and its PEM (a client's `ca`). */
  caFile: string;
  ca: string;
  /** A server certificate for `names` (DNS names and IPs in subjectAltName). */
  server(name: string, names: string[]): CertPaths;
  /** A client certificate with subject CN=`cn`, O=`org`. */
  client(name: string, cn: string, org: string): CertPaths;
  /** A key and a self-signed certificate no CA knows. */
  selfSigned(name: string, cn: string): CertPaths;
  cleanup(): void;
}

export interface CertPaths {
  cert: string;
  key: string;
  /** SHA-256 fingerprint as node:crypto writes it (AB:CD:...). */
  fingerprint: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-pki-'));
  const keyOf = (name: string) => {
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`], dir);
    return join(dir, `${name}.key`);
  };
  keyOf('ca');
  openssl(['req', '-x509', '-new', '-key', 'ca.key', '-sha256', '-days', '2', '-subj', '/CN=Switchyard Test CA', '-out', 'ca.crt'], dir);
  const sign = (name: string, subject: string, ext: string): CertPaths => {
    const key = keyOf(name);
    openssl(['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`], dir);
    writeFileSync(join(dir, `${name}.ext`), ext);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.crt`], dir);
    const cert = join(dir, `${name}.crt`);
    return { cert, key, fingerprint: new X509Certificate(readFileSync(cert)).fingerprint256 };
  };
  return {
    dir,
    caFile: join(dir, 'ca.crt'),
    ca: readFileSync(join(dir, 'ca.crt'), 'utf8'),
    server: (name, names) =>
      sign(name, `/CN=${names[0]}`, `subjectAltName=${names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',')}\nextendedKeyUsage=serverAuth\n`),
    client: (name, cn, org) => sign(name, `/CN=${cn}/O=${org}`, 'extendedKeyUsage=clientAuth\n'),
    selfSigned: (name, cn) => {
      const key = keyOf(name);
      openssl(['req', '-x509', '-new', '-key', `${name}.key`, '-sha256', '-days', '2', '-subj', `/CN=${cn}`, '-out', `${name}.crt`], dir);
      const cert = join(dir, `${name}.crt`);
      return { cert, key, fingerprint: new X509Certificate(readFileSync(cert)).fingerprint256 };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
