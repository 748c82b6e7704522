/**
 * Secrets among the settings: the admin and metrics tokens, the Redis URL (it may carry a
 * password) and the bus secret.
 * A process's command line is readable by every local user (`ps`, /proc/<pid>/cmdline), its
 * environment only by its owner (/proc/<pid>/environ is 0400). So: each secret can come from a
 * file (`--admin-token-file`, `--redis-url-file`) or the environment instead of a flag; workers
 * never get one on their command line (the master passes the values in their environment); and
 * the master warns when one was given as a flag.
 */
import { readFileSync } from 'node:fs';
/** Each secret setting, the setting naming a file that holds it, and how a worker receives it. */
const SECRETS = [
    {
        key: 'adminToken',
        file: 'adminTokenFile',
        flag: '--admin-token',
        fileFlag: '--admin-token-file',
        env: 'SWITCHYARD_ADMIN_TOKEN',
        fileEnv: 'SWITCHYARD_ADMIN_TOKEN_FILE',
        instead: '--admin-token-file or SWITCHYARD_ADMIN_TOKEN',
    },
    {
        key: 'metricsToken',
        file: 'metricsTokenFile',
        flag: '--metrics-token',
        fileFlag: '--metrics-token-file',
        env: 'SWITCHYARD_METRICS_TOKEN',
        fileEnv: 'SWITCHYARD_METRICS_TOKEN_FILE',
        instead: '--metrics-token-file or SWITCHYARD_METRICS_TOKEN',
        // Only the master's admin server checks it: workers never hold it.
        masterOnly: true,
    },
    {
        key: 'redis',
        file: 'redisUrlFile',
        flag: '--redis',
        fileFlag: '--redis-url-file',
        env: 'SWITCHYARD_REDIS',
        fileEnv: 'SWITCHYARD_REDIS_URL_FILE',
        instead: '--redis-url-file or REDIS_URL',
    },
    {
        key: 'busSecret',
        file: 'busSecretFile',
        flag: '--bus-secret',
        fileFlag: '--bus-secret-file',
        env: 'SWITCHYARD_BUS_SECRET',
        fileEnv: 'SWITCHYARD_BUS_SECRET_FILE',
        instead: '--bus-secret-file or SWITCHYARD_BUS_SECRET',
    },
];
/**
 * Reads the secrets named by file settings into their settings (resolveConfig calls it).
 * `given(key)`: the secret itself was set too, which is refused unless it is the file's content
 * (a config resolved once, resolved again): which of two would win is a trap.
 * Problems name the setting as `labelOf` does (the flag or variable the user typed).
 */
export function readSecretFiles(cfg, given, labelOf, problems) {
    for (const s of SECRETS) {
        const path = cfg[s.file];
        if (path === undefined)
            continue;
        const value = readSecretFile(path, labelOf(s.file), problems);
        if (value === undefined)
            continue;
        if (given(s.key) && cfg[s.key] !== value) {
            problems.push(`${labelOf(s.file)} and ${labelOf(s.key)}: give only one of them`);
            continue;
        }
        cfg[s.key] = value;
    }
}
/** The file's content without its trailing newline(s): one line, not empty. */
function readSecretFile(path, label, problems) {
    let text;
    try {
        text = readFileSync(path, 'utf8');
    }
    catch (err) {
        const e = err;
        problems.push(`${label}: cannot read ${path} (${e.code ?? e.message})`);
        return undefined;
    }
    const value = text.replace(/[\r\n]+$/, '');
    if (value === '') {
        problems.push(`${label}: ${path} is empty`);
        return undefined;
    }
    if (/[\r\n]/.test(value)) {
        problems.push(`${label}: ${path} must hold the secret on its first and only line`);
        return undefined;
    }
    return value;
}
/** The names of every flag that carries a secret or the file of one. */
const SECRET_FLAGS = new Set(SECRETS.flatMap((s) => [s.flag, s.fileFlag]));
/**
 * A worker's command line: the master's flags without the secret ones (nor their files: the
 * values travel in the worker's environment, see workerSecretEnv). `argv` parsed already
 * (loadConfig accepted it), so a flag without `=` is followed by its value.
 */
export function workerArgs(argv) {
    const out = [];
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const eq = arg.indexOf('=');
        const name = eq === -1 ? arg : arg.slice(0, eq);
        if (!SECRET_FLAGS.has(name))
            out.push(arg);
        else if (eq === -1)
            i++; // its value
    }
    return out;
}
/**
 * The environment a worker gets on top of the master's: each secret as the master resolved it
 * (SWITCHYARD_* outranks REDIS_URL), the file variables removed (a worker reads no file).
 * An undefined value removes the variable (child_process skips it).
 */
export function workerSecretEnv(config) {
    const env = {};
    for (const s of SECRETS) {
        env[s.env] = s.masterOnly === true ? undefined : config[s.key];
        env[s.fileEnv] = undefined;
    }
    return env;
}
/** The variables a worker received from workerSecretEnv: read into its config, then dropped so
 * that processes the app starts do not inherit them. */
export function forgetWorkerSecretEnv(env = process.env) {
    for (const s of SECRETS)
        delete env[s.env];
}
/** The secrets given on this command line as flags (a Redis URL only with a password), and
 * what to use instead: the master warns once for each. */
export function secretsOnCommandLine(argv) {
    const found = [];
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const eq = arg.indexOf('=');
        const name = eq === -1 ? arg : arg.slice(0, eq);
        const secret = SECRETS.find((s) => s.flag === name);
        if (secret === undefined)
            continue;
        const value = eq === -1 ? (argv[++i] ?? '') : arg.slice(eq + 1);
        if (secret.key === 'redis' && !hasPassword(value))
            continue;
        found.push({ flag: secret.flag, instead: secret.instead });
    }
    return found;
}
function hasPassword(url) {
    try {
        return new URL(url).password !== '';
    }
    catch {
        return false;
    }
}
/** A URL fit for a log line: its password replaced. */
export function redactUrl(url) {
    try {
        const u = new URL(url);
        if (u.password !== '')
            u.password = '***';
        return u.href;
    }
    catch {
        return '(not a URL)';
    }
}
//# sourceMappingURL=secrets.js.map