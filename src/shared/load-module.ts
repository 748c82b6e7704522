import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from './errors.ts';

/**
 * Imports a user's module (an app, a config file). Switchyard itself runs compiled JavaScript;
 * TypeScript is loaded only for the user's own `.ts` files: through tsx when it is installed (in
 * the user's project or beside Switchyard), else through Node's own type stripping where this
 * Node has it. Neither: a ConfigError that says what to install.
 */

const TYPESCRIPT = /\.(?:ts|mts|cts|tsx)$/i;

let tsLoader: Promise<'tsx' | 'node' | null> | null = null;

/** Registers a TypeScript loader once per process; says which, or null when there is none. */
function typeScriptLoader(): Promise<'tsx' | 'node' | null> {
  tsLoader ??= (async () => {
    // The user's project first (their tsx), then ours (a clone of this repository has it).
    for (const from of [join(process.cwd(), 'package.json'), import.meta.url]) {
      let loader: string;
      try {
        // tsx's main export is its loader: importing it is what `node --import tsx` does.
        loader = createRequire(from).resolve('tsx');
      } catch {
        continue;
      }
      await import(pathToFileURL(loader).href);
      return 'tsx';
    }
    // Node 22.6+ strips types (by default from 23.6; 22.6-23.5 with --experimental-strip-types).
    const features = process.features as { typescript?: string | false };
    return features.typescript ? 'node' : null;
  })();
  return tsLoader;
}

/** The module's exports. `label` names it in errors (e.g. `--app ./app.ts`). */
export async function importUserModule(path: string, label: string): Promise<Record<string, unknown>> {
  const file = resolve(path);
  if (TYPESCRIPT.test(file) && (await typeScriptLoader()) === null) {
    throw new ConfigError([
      `${label}: loading a TypeScript file needs a TypeScript loader: install tsx beside your app (npm install --save-dev tsx), ` +
        `run a Node.js that strips types (22.18 or later), or compile it to .js first`,
    ]);
  }
  try {
    const ns = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    // A module compiled to CommonJS (tsx does that to .ts files outside a "type": "module"
    // package) arrives as one `default` object holding its exports, marked __esModule.
    const inner = ns.default as { __esModule?: unknown } | undefined;
    return inner !== null && typeof inner === 'object' && inner.__esModule === true ? (inner as Record<string, unknown>) : ns;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ConfigError([`${label}: cannot load the module (${e.code ?? e.name}: ${e.message.split('\n')[0]})`]);
  }
}
