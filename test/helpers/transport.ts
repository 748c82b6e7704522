import type { Config } from '../../src/shared/config.ts';
import type { Server } from '../../src/worker/server.ts';
import { startServer, type Running } from './server.ts';
import { makePki, type Pki } from './tls-certs.ts';

/**
 * The conformance run and the browser test go over both transports the server speaks: plain
 * TCP (ws://) and TLS ended in the worker (wss://), the same cases against the same code above
 * the socket. Each test file runs its describe blocks once per transport (describe.each(TRANSPORTS)).
 */
export type Transport = 'ws' | 'wss';
export const TRANSPORTS: readonly Transport[] = ['ws', 'wss'];

/** Where a case connects: the port, and for wss the CA that signed the server's certificate. */
export interface Target {
  port: number;
  ca?: string;
}

let pki: Pki | null = null;
let certs: { cert: string; key: string } | null = null;

/** One throwaway CA and server certificate per test file, made on first use. */
function serverCerts(): { pki: Pki; cert: string; key: string } {
  if (pki === null) {
    pki = makePki();
    const made = pki.server('conformance', ['localhost', '127.0.0.1']);
    certs = { cert: made.cert, key: made.key };
    const made_ = pki;
    process.once('exit', () => made_.cleanup());
  }
  return { pki, ...certs! };
}

/** startServer() over `transport`: for wss the same config plus the certificate. */
export async function startTarget(transport: Transport, config: Partial<Config>, setup?: (server: Server) => void): Promise<Running & Target> {
  if (transport === 'ws') return startServer(config, setup);
  const { pki: authority, cert, key } = serverCerts();
  const running = await startServer({ ...config, sslCertFile: cert, sslKeyFile: key }, setup);
  return Object.assign(running, { ca: authority.ca, url: running.url.replace('ws://', 'wss://') });
}
