/**
 * The app contract is an interface (src/worker/app-contract.ts): the worker's modules depend on
 * it, not on the Server class, so that server.ts is imported only by the entry points and the
 * worker has no import cycle through it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ServerApi, ServerCallbacks } from '../../src/worker/app-contract.ts';
import { Server } from '../../src/worker/server.ts';

const WORKER = new URL('../../src/worker/', import.meta.url).pathname;

describe('the app contract', () => {
  it('no worker module imports server.ts but the worker entry point', () => {
    const importers = readdirSync(WORKER)
      .filter((f) => f.endsWith('.ts') && f !== 'server.ts')
      .filter((f) => /from\s+['"]\.\/server\.ts['"]/.test(readFileSync(join(WORKER, f), 'utf8')));
    expect(importers).toEqual(['worker-main.ts']);
  });

  it('Server is a ServerApi, and callbacks receive a ServerApi', () => {
    expectTypeOf<Server>().toMatchTypeOf<ServerApi>();
    expectTypeOf<Parameters<ServerCallbacks['message']>[0]>().toEqualTypeOf<ServerApi>();
    const server: ServerApi = new Server({ port: 0 });
    expect(typeof server.push).toBe('function');
  });
});
