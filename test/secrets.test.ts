/** The pure parts of secrets.ts: what a worker's command line and environment get. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/shared/config.ts';
import { redactUrl, secretsOnCommandLine, workerArgs, workerSecretEnv } from '../src/shared/secrets.ts';

describe('secrets', () => {
  it('workerArgs drops every secret flag with its value, in both spellings, and keeps the rest', () => {
    const argv = ['--port', '0', '--admin-token', 't1', '--redis=redis://:p@h:1', '--redis-sharded', '--admin-token-file', '/f', '--redis-url-file=/g', '--workers', '2', '--redis', 'redis://h', '--bus-secret', 's'.repeat(16), '--bus-secret-file=/h'];
    expect(workerArgs(argv)).toEqual(['--port', '0', '--redis-sharded', '--workers', '2']);
    // What is left still parses, to the same settings but the secrets.
    expect(loadConfig(workerArgs(argv), {})).toMatchObject({ port: 0, workers: 2, redisSharded: true, adminToken: undefined, redis: undefined, busSecret: undefined });
  });

  it('workerSecretEnv carries the resolved values and removes the file variables', () => {
    expect(workerSecretEnv({ adminToken: 't', redis: undefined, busSecret: 'b'.repeat(16) })).toEqual({
      SWITCHYARD_ADMIN_TOKEN: 't',
      SWITCHYARD_ADMIN_TOKEN_FILE: undefined,
      SWITCHYARD_REDIS: undefined,
      SWITCHYARD_REDIS_URL_FILE: undefined,
      SWITCHYARD_BUS_SECRET: 'b'.repeat(16),
      SWITCHYARD_BUS_SECRET_FILE: undefined,
    });
    // A worker reading that environment (and no secret flags) gets the master's values.
    expect(loadConfig([], { REDIS_URL: 'redis://other', SWITCHYARD_REDIS: 'redis://:p@h:1', SWITCHYARD_ADMIN_TOKEN: 't' })).toMatchObject({ adminToken: 't', redis: 'redis://:p@h:1' });
  });

  it('secretsOnCommandLine: the token always, a Redis URL only with a password', () => {
    expect(secretsOnCommandLine(['--admin-token=x', '--redis', 'redis://h:6379'])).toEqual([{ flag: '--admin-token', instead: '--admin-token-file or SWITCHYARD_ADMIN_TOKEN' }]);
    expect(secretsOnCommandLine(['--redis', 'redis://u:pw@h:6379']).map((s) => s.flag)).toEqual(['--redis']);
    expect(secretsOnCommandLine(['--redis-url-file', '/f', '--port', '0'])).toEqual([]);
    expect(secretsOnCommandLine(['--bus-secret', 's'.repeat(16)])).toEqual([{ flag: '--bus-secret', instead: '--bus-secret-file or SWITCHYARD_BUS_SECRET' }]);
    expect(secretsOnCommandLine(['--bus-secret-file', '/f'])).toEqual([]);
  });

  it('redactUrl hides a password, keeps the rest', () => {
    expect(redactUrl('redis://u:pw@h:6379/2')).toBe('redis://u:***@h:6379/2');
    expect(redactUrl('redis://h:6379')).toBe('redis://h:6379');
  });

  it('a Redis URL file outranks REDIS_URL (the conventional variable), not our own variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-secret-unit-'));
    try {
      const file = join(dir, 'url');
      writeFileSync(file, 'redis://:pw@from-file:6379\n');
      expect(loadConfig(['--redis-url-file', file], { REDIS_URL: 'redis://h' }).redis).toBe('redis://:pw@from-file:6379');
      expect(() => loadConfig(['--redis-url-file', file], { SWITCHYARD_REDIS: 'redis://h' })).toThrow('--redis-url-file and environment variable SWITCHYARD_REDIS: give only one of them');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
