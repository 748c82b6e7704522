/**
 * A fresh project that installs Switchyard as a user would: from the tarball `npm pack` makes,
 * with its dependencies. Without the network: npm's cache has every tarball after `npm ci` of
 * this repository, and a lock file made from ours (runtime entries only, plus @types/node) lets
 * `npm ci --offline` install them; npm's cache has no packuments, so resolving version ranges
 * (plain `npm install`) would need the registry.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/process.ts';

interface LockEntry {
  version?: string;
  dev?: boolean;
  [k: string]: unknown;
}

/** Our environment without what configures the server or describes the npm script running us. */
export function userEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SWITCHYARD_') && k !== 'REDIS_URL' && !k.startsWith('npm_package_') && !k.startsWith('npm_lifecycle_')));
}

function npm(args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, env: userEnv(), encoding: 'utf8', timeout: 240_000 });
}

/** Packs this repository into `dir` and installs the tarball there; returns how npm reached its packages. */
export function makeConsumer(dir: string): { tarball: string; offline: boolean } {
  const pack = npm(['pack', '--ignore-scripts', '--pack-destination', dir], ROOT);
  if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
  const tarball = pack.stdout.trim().split('\n').pop()!;
  const ours = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  const typesNode = ours.packages['node_modules/@types/node']!.version!;
  const dependencies = { '@types/node': typesNode, switchyard: `file:${tarball}` };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies }, null, 2)}\n`);

  const packages: Record<string, LockEntry> = {
    '': { name: 'consumer', dependencies },
    'node_modules/switchyard': {
      version: manifest.version as string,
      resolved: `file:${tarball}`,
      integrity: `sha512-${createHash('sha512').update(readFileSync(join(dir, tarball))).digest('base64')}`,
      dependencies: manifest.dependencies,
      bin: manifest.bin,
      engines: manifest.engines,
    },
  };
  for (const [path, entry] of Object.entries(ours.packages)) {
    const typesOnly = path === 'node_modules/@types/node' || path === 'node_modules/undici-types';
    if (path === '' || (entry.dev && !typesOnly)) continue;
    const { dev: _dev, ...rest } = entry;
    packages[path] = rest;
  }
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);

  let install = npm(['ci', '--offline'], dir);
  let offline = true;
  if (install.status !== 0 && /ENOTCACHED/.test(install.stderr)) {
    // A cache cleaned since this repository's install: the registry has the same packages.
    offline = false;
    install = npm(['ci', '--prefer-offline'], dir);
  }
  if (install.status !== 0) throw new Error(`npm ci of the tarball failed:\n${install.stderr}`);
  return { tarball, offline };
}
