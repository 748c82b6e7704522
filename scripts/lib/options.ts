/**
 * Command-line options of the load scripts. The common contract: `--port` of a running
 * cluster (otherwise the script starts its own with `--workers`, default 2), `--duration`
 * seconds bounding the measured part, `--quick` for the test suite's smoke run, `--pin` for the
 * server on core 0 and the generators on core 1. Every problem
 * is reported at once, naming the flag, and the script exits 2.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Common {
  /** A running cluster's port; null: start our own. */
  port: number | null;
  host: string;
  workers: number;
  duration: number;
  quick: boolean;
  /** Server on core 0, generators on core 1 (taskset), when pinning works here. */
  pin: boolean;
}

const COMMON = {
  port: { type: 'string' },
  host: { type: 'string' },
  workers: { type: 'string' },
  duration: { type: 'string' },
  quick: { type: 'boolean' },
  pin: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

type Options = NonNullable<ParseArgsConfig['options']>;

export class ArgReader {
  readonly problems: string[] = [];
  readonly values: Record<string, string | boolean | undefined>;

  constructor(
    private readonly name: string,
    private readonly usage: string,
    options: Options,
    argv = process.argv.slice(2),
  ) {
    let values: Record<string, unknown> = {};
    try {
      values = parseArgs({ args: argv, options: { ...COMMON, ...options }, strict: true }).values;
    } catch (err) {
      this.problems.push((err as Error).message);
    }
    this.values = values as Record<string, string | boolean | undefined>;
    if (this.values.help) {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    }
  }

  /** A number flag within [min, max] (integer unless `fractional`), or `fallback` when absent. */
  number(flag: string, fallback: number, min: number, max: number, fractional = false): number {
    const raw = this.values[flag];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n) || n < min || n > max || (!fractional && !Number.isInteger(n))) {
      this.problems.push(`--${flag} ${String(raw)}: expected ${fractional ? 'a number' : 'an integer'} from ${min} to ${max}`);
      return fallback;
    }
    return n;
  }

  choice<T extends string>(flag: string, fallback: T, allowed: readonly T[]): T {
    const raw = this.values[flag];
    if (raw === undefined) return fallback;
    if (!allowed.includes(raw as T)) {
      this.problems.push(`--${flag} ${String(raw)}: expected one of ${allowed.join(', ')}`);
      return fallback;
    }
    return raw as T;
  }

  flag(flag: string): boolean {
    return this.values[flag] === true;
  }

  string(flag: string, fallback: string): string {
    const raw = this.values[flag];
    return typeof raw === 'string' ? raw : fallback;
  }

  common(defaults: { duration: number; quickDuration: number; maxDuration?: number }): Common {
    const quick = this.flag('quick');
    const host = this.string('host', '127.0.0.1');
    if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) this.problems.push(`--host ${host}: load scripts stay on loopback (127.0.0.0/8)`);
    return {
      port: this.values.port === undefined ? null : this.number('port', 0, 1, 65535),
      host,
      workers: this.number('workers', 2, 1, 64),
      duration: this.number('duration', quick ? defaults.quickDuration : defaults.duration, 0.5, defaults.maxDuration ?? 600, true),
      quick,
      pin: this.flag('pin'),
    };
  }

  /** Exits 2 with every problem named, if any. */
  done(): void {
    if (this.problems.length === 0) return;
    process.stderr.write(`${this.name}: ${this.problems.join('; ')}\n\n${this.usage}\n`);
    process.exit(2);
  }
}
