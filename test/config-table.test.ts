/**
 * The one settings table (src/shared/config-table.ts) and what is derived from it: defaults,
 * validation, config-object names, the typed Config, and the README's settings table.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { objectNames, type SwooleSettings } from '../src/shared/config-sources.ts';
import { DEFAULT_CONFIG, resolveConfig, SETTING_KEYS, SETTINGS, type Config } from '../src/shared/config.ts';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The setting names in the first column of the README's "Defaults:" table under "## Configuration". */
function readmeSettings(): string[] {
  const section = README.slice(README.indexOf('## Configuration'), README.indexOf('\n## ', README.indexOf('## Configuration') + 1));
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  return rows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1]!));
}

describe('the settings table', () => {
  it('DEFAULT_CONFIG is the table\'s defaults, and each passes its own validation', () => {
    expect(Object.keys(DEFAULT_CONFIG)).toEqual([...SETTING_KEYS]);
    for (const key of SETTING_KEYS) expect(DEFAULT_CONFIG[key], key).toBe(SETTINGS[key].default);
    expect(resolveConfig({ ...DEFAULT_CONFIG })).toEqual(DEFAULT_CONFIG);
  });

  it('each row has a --help line, and an enum its values', () => {
    for (const key of SETTING_KEYS) {
      const row = SETTINGS[key] as { help: string; kind: string; values?: readonly string[] };
      expect(row.help.length, key).toBeGreaterThan(10);
      if (row.kind === 'enum') expect(row.values?.length, key).toBeGreaterThan(1);
    }
  });

  it('a config object may use our name, its snake_case form, and the aliases of the table', () => {
    expect(objectNames('workers')).toEqual(['workers', 'worker_num']);
    expect(objectNames('maxConnection')).toEqual(['maxConnection', 'max_connection', 'max_conn']);
    expect(objectNames('port')).toEqual(['port']);
  });

  it('Config keeps the types users had (derived from each row\'s kind)', () => {
    expectTypeOf<Config['host']>().toEqualTypeOf<string>();
    expectTypeOf<Config['app']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Config['logLevel']>().toEqualTypeOf<string>();
    expectTypeOf<Config['dispatchMode']>().toEqualTypeOf<1 | 2 | 3 | 4 | 8>();
    expectTypeOf<Config['bufferFullPolicy']>().toEqualTypeOf<'drop' | 'close'>();
    expectTypeOf<Config['redisSharded']>().toEqualTypeOf<boolean>();
    expectTypeOf<Config['heartbeatIdleTime']>().toEqualTypeOf<number>();
    expectTypeOf<SwooleSettings['worker_num']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SwooleSettings['max_conn']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SwooleSettings['package_max_length']>().toEqualTypeOf<number | undefined>();
  });
});

describe("the README's settings table", () => {
  it('lists every setting of the table, and no other', () => {
    const listed = readmeSettings();
    expect(listed.length).toBeGreaterThan(0);
    expect(SETTING_KEYS.filter((key) => !listed.includes(key)), 'settings missing from the README').toEqual([]);
    expect(listed.filter((name) => !(SETTING_KEYS as readonly string[]).includes(name)), 'README rows naming no setting').toEqual([]);
  });
});
