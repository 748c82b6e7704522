/**
 * The error registry (src/shared/errors.ts): every code src/ uses is listed once, each class
 * carries what its code implies, and src/ throws no uncoded Error.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as errors from '../src/shared/errors.ts';

const root = new URL('..', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Plain `new Error(...)` left on purpose: internal invariants (a bug if reached), not conditions to handle. */
const INVARIANTS: Record<string, number> = {
  'src/shared/bus/memory-bus.ts': 1, // the test double's codec round-trip check
};

const TABLES = {
  PROTOCOL_ERRORS: errors.PROTOCOL_ERRORS,
  HANDSHAKE_ERRORS: errors.HANDSHAKE_ERRORS,
  REQUEST_ERRORS: errors.REQUEST_ERRORS,
  CONFIG_ERRORS: errors.CONFIG_ERRORS,
  HOOK_ERRORS: errors.HOOK_ERRORS,
  BUS_ERRORS: errors.BUS_ERRORS,
  REMOTE_CALL_ERRORS: errors.REMOTE_CALL_ERRORS,
  SESSION_TABLE_ERRORS: errors.SESSION_TABLE_ERRORS,
  HANDOFF_ERRORS: errors.HANDOFF_ERRORS,
  CLUSTER_ERRORS: errors.CLUSTER_ERRORS,
  CONNECTION_STATE_ERRORS: errors.CONNECTION_STATE_ERRORS,
  TLS_ERRORS: errors.TLS_ERRORS,
  RELOAD_ERRORS: errors.RELOAD_ERRORS,
};

describe('the error registry', () => {
  it('lists every ERR_ code used in src/', () => {
    const unlisted = sources(join(root, 'src')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/['"`](ERR_[A-Z0-9_]+)['"`]/g)].map((m) => m[1]!).filter((code) => !(code in errors.ERROR_CODES)).map((code) => `${relative(root, file)}: ${code}`),
    );
    expect(unlisted).toEqual([]);
  });

  it('gives each code to one table only', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [table, codes] of Object.entries(TABLES)) {
      for (const code of Object.keys(codes)) {
        if (seen.has(code)) twice.push(`${code} in ${seen.get(code)} and ${table}`);
        seen.set(code, table);
      }
    }
    expect(twice).toEqual([]);
    expect(seen.size).toBe(Object.keys(errors.ERROR_CODES).length);
  });

  it('src/ throws no uncoded Error (argument checks throw TypeError or RangeError)', () => {
    const found: Record<string, number> = {};
    for (const file of sources(join(root, 'src'))) {
      const n = readFileSync(file, 'utf8').match(/new Error\(/g)?.length ?? 0;
      if (n > 0) found[relative(root, file)] = n;
    }
    expect(found).toEqual(INVARIANTS);
  });

  it('each class carries what its code implies, and its name', () => {
    const protocol = new errors.ProtocolError('ERR_MESSAGE_TOO_BIG', 'big');
    expect(protocol).toMatchObject({ name: 'ProtocolError', code: 'ERR_MESSAGE_TOO_BIG', closeCode: 1009 });
    expect(new errors.HandshakeError('ERR_HANDSHAKE_VERSION', 'v')).toMatchObject({ name: 'HandshakeError', status: 426 });
    expect(new errors.HttpError('ERR_HTTP_VERSION', 'v')).toMatchObject({ status: 505 });
    expect(new errors.HandoffError('ERR_HANDOFF_WRITE', 'w', -32)).toMatchObject({ name: 'HandoffError', code: 'ERR_HANDOFF_WRITE', errno: -32 });
    for (const e of [new errors.RemoteCallError('ERR_TIMEOUT', 't'), new errors.BusError('ERR_BUS_STATE', 's'), new errors.SessionTableError('ERR_SESSION_TABLE_CLOSED', 'c'), new errors.ClusterError('ERR_NOT_LISTENING', 'n'), new errors.ConfigError(['x'])]) {
      expect(e).toBeInstanceOf(errors.SwitchyardError);
      expect(e.name).toBe(e.constructor.name);
      expect(e.code in errors.ERROR_CODES).toBe(true);
    }
  });
});
