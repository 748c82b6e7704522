type SecretKey = 'adminToken' | 'metricsToken' | 'redis' | 'busSecret';
type FileKey = 'adminTokenFile' | 'metricsTokenFile' | 'redisUrlFile' | 'busSecretFile';
/** The settings this module reads and fills (a part of Config: typed here, so config.ts, which
 * calls readSecretFiles, is not imported back). */
export type SecretSettings = Record<SecretKey | FileKey, string | undefined>;
/**
 * Reads the secrets named by file settings into their settings (resolveConfig calls it).
 * `given(key)`: the secret itself was set too, which is refused unless it is the file's content
 * (a config resolved once, resolved again): which of two would win is a trap.
 * Problems name the setting as `labelOf` does (the flag or variable the user typed).
 */
export declare function readSecretFiles(cfg: SecretSettings, given: (key: SecretKey) => boolean, labelOf: (key: string) => string, problems: string[]): void;
/**
 * A worker's command line: the master's flags without the secret ones (nor their files: the
 * values travel in the worker's environment, see workerSecretEnv). `argv` parsed already
 * (loadConfig accepted it), so a flag without `=` is followed by its value.
 */
export declare function workerArgs(argv: readonly string[]): string[];
/**
 * The environment a worker gets on top of the master's: each secret as the master resolved it
 * (SWITCHYARD_* outranks REDIS_URL), the file variables removed (a worker reads no file).
 * An undefined value removes the variable (child_process skips it).
 */
export declare function workerSecretEnv(config: Pick<SecretSettings, Exclude<SecretKey, 'metricsToken'>>): Record<string, string | undefined>;
/** The variables a worker received from workerSecretEnv: read into its config, then dropped so
 * that processes the app starts do not inherit them. */
export declare function forgetWorkerSecretEnv(env?: NodeJS.ProcessEnv): void;
/** The secrets given on this command line as flags (a Redis URL only with a password), and
 * what to use instead: the master warns once for each. */
export declare function secretsOnCommandLine(argv: readonly string[]): Array<{
    flag: string;
    instead: string;
}>;
/** A URL fit for a log line: its password replaced. */
export declare function redactUrl(url: string): string;
export {};
//# sourceMappingURL=secrets.d.ts.map