import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, loadConfig, resolveConfig } from '../src/shared/config.ts';
import { ConfigError } from '../src/shared/errors.ts';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('defaults need no input', () => {
    expect(loadConfig([], {})).toEqual(DEFAULT_CONFIG);
  });

  it('parses flags in both forms, booleans and their negations', () => {
    const c = loadConfig(['--port', '0', '--host=0.0.0.0', '--no-websocket-compression', '--open-websocket-ping-frame', '--buffer-full-policy', 'close', '--heartbeat-idle-time', '1.5'], {});
    expect(c).toMatchObject({ port: 0, host: '0.0.0.0', websocketCompression: false, openWebsocketPingFrame: true, bufferFullPolicy: 'close', heartbeatIdleTime: 1.5, heartbeatCheckInterval: 0.75 });
  });

  it('flags win over environment variables, which win over defaults', () => {
    const env = { SWITCHYARD_PORT: '7000', SWITCHYARD_PACKAGE_MAX_LENGTH: '4096' };
    expect(loadConfig([], env)).toMatchObject({ port: 7000, packageMaxLength: 4096 });
    expect(loadConfig(['--port', '7001'], env)).toMatchObject({ port: 7001, packageMaxLength: 4096 });
  });

  it('reports every problem at once, each naming its flag or variable', () => {
    const problems = problemsOf(() => loadConfig(['--port', 'x', '--nope', '--max-connection', '0', '--log-level'], { SWITCHYARD_CLOSE_TIMEOUT_MS: 'soon' }));
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/--nope: unknown flag/);
    expect(problems.join('\n')).toMatch(/--log-level: missing value/);
    expect(problems.join('\n')).toMatch(/--port: expected an integer/);
    expect(problems.join('\n')).toMatch(/--max-connection: 0 is out of range/);
    expect(problems.join('\n')).toMatch(/environment variable SWITCHYARD_CLOSE_TIMEOUT_MS: expected an integer/);
  });

  it('cluster names must be safe as Redis key prefixes', () => {
    expect(loadConfig(['--cluster-name', 'prod-eu.1'], {}).clusterName).toBe('prod-eu.1');
    expect(problemsOf(() => loadConfig(['--cluster-name', 'a b{c}'], {}))[0]).toMatch(/--cluster-name: expected 1-64 letters/);
  });

  it('REDIS_URL turns on the Redis bus; --redis wins over it', () => {
    expect(loadConfig([], { REDIS_URL: 'redis://h:1' }).redis).toBe('redis://h:1');
    expect(loadConfig(['--redis', 'redis://h:2'], { REDIS_URL: 'redis://h:1' }).redis).toBe('redis://h:2');
  });

  it('checks settings from code too, and cross-field rules', () => {
    expect(problemsOf(() => resolveConfig({ bufferHighWatermark: 10_000_000, bufferOutputSize: 1_000_000 }))[0]).toMatch(/bufferHighWatermark/);
    expect(problemsOf(() => resolveConfig({ bogus: 1 } as never))[0]).toMatch(/bogus: unknown setting/);
  });
});

describe('config: flag syntax problems alone', () => {
  it('an unknown flag or a missing value fails even when every value is fine', () => {
    expect(problemsOf(() => loadConfig(['--port', '0', '--unknown-flag'], {}))).toEqual(['--unknown-flag: unknown flag']);
    expect(problemsOf(() => loadConfig(['--port', '0', '--max-wait-time'], {}))).toEqual(['--max-wait-time: missing value']);
  });
});
