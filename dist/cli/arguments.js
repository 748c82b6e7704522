import { ConfigError } from '../shared/errors.js';
export const VERBS = ['start', 'stop', 'status', 'reload', 'drain'];
/**
 * `switchyard [start|stop|status] [--config FILE] [--setting value ...]`, or --help / --version.
 * The verb comes first (start when omitted); settings are left to the config loader, which
 * reports every bad one at once.
 */
export function parseCommandLine(argv, env) {
    if (argv.some((a) => a === '--help' || a === '-h') || argv[0] === 'help')
        return { kind: 'help' };
    if (argv.some((a) => a === '--version' || a === '-v'))
        return { kind: 'version' };
    let verb = 'start';
    let rest = [...argv];
    const first = rest[0];
    if (first !== undefined && !first.startsWith('-')) {
        if (!VERBS.includes(first)) {
            throw new ConfigError([`unknown command ${JSON.stringify(first)}: use start (the default), stop or status; switchyard --help lists every setting`]);
        }
        verb = first;
        rest = rest.slice(1);
    }
    let configFile = env.SWITCHYARD_CONFIG !== undefined && env.SWITCHYARD_CONFIG !== '' ? env.SWITCHYARD_CONFIG : undefined;
    const flags = [];
    for (let i = 0; i < rest.length; i++) {
        const arg = rest[i];
        if (arg === '--config') {
            const next = rest[i + 1];
            if (next === undefined || next.startsWith('--'))
                throw new ConfigError(['--config: missing value (a .json, .js, .mjs or .ts file)']);
            configFile = next;
            i++;
        }
        else if (arg.startsWith('--config=')) {
            configFile = arg.slice('--config='.length);
        }
        else {
            flags.push(arg);
        }
    }
    return { kind: 'run', verb, flags, configFile };
}
//# sourceMappingURL=arguments.js.map