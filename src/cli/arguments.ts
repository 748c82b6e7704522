import { ConfigError } from '../shared/errors.ts';

/** What the command line asks for, before any setting is read. */
export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | {
      kind: 'run';
      verb: Verb;
      /** The setting flags (the verb and --config taken out). */
      flags: string[];
      /** --config FILE (or SWITCHYARD_CONFIG), undefined without one. */
      configFile: string | undefined;
    };

export const VERBS = ['start', 'stop', 'status', 'reload', 'drain'] as const;
export type Verb = (typeof VERBS)[number];

/**
 * `switchyard [start|stop|status] [--config FILE] [--setting value ...]`, or --help / --version.
 * The verb comes first (start when omitted); settings are left to the config loader, which
 * reports every bad one at once.
 */
export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): Command {
  if (argv.some((a) => a === '--help' || a === '-h') || argv[0] === 'help') return { kind: 'help' };
  if (argv.some((a) => a === '--version' || a === '-v')) return { kind: 'version' };
  let verb: Verb = 'start';
  let rest = [...argv];
  const first = rest[0];
  if (first !== undefined && !first.startsWith('-')) {
    if (!(VERBS as readonly string[]).includes(first)) {
      throw new ConfigError([`unknown command ${JSON.stringify(first)}: use start (the default), stop or status; switchyard --help lists every setting`]);
    }
    verb = first as Verb;
    rest = rest.slice(1);
  }
  let configFile = env.SWITCHYARD_CONFIG !== undefined && env.SWITCHYARD_CONFIG !== '' ? env.SWITCHYARD_CONFIG : undefined;
  const flags: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--config') {
      const next = rest[i + 1];
      if (next === undefined || next.startsWith('--')) throw new ConfigError(['--config: missing value (a .json, .js, .mjs or .ts file)']);
      configFile = next;
      i++;
    } else if (arg.startsWith('--config=')) {
      configFile = arg.slice('--config='.length);
    } else {
      flags.push(arg);
    }
  }
  return { kind: 'run', verb, flags, configFile };
}
