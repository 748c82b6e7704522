/** What the command line asks for, before any setting is read. */
export type Command = {
    kind: 'help';
} | {
    kind: 'version';
} | {
    kind: 'run';
    verb: Verb;
    /** The setting flags (the verb and --config taken out). */
    flags: string[];
    /** --config FILE (or SWITCHYARD_CONFIG), undefined without one. */
    configFile: string | undefined;
};
export declare const VERBS: readonly ['start', 'stop', 'status', 'reload', 'drain'];
export type Verb = (typeof VERBS)[number];
/**
 * `switchyard [start|stop|status] [--config FILE] [--setting value ...]`, or --help / --version.
 * The verb comes first (start when omitted); settings are left to the config loader, which
 * reports every bad one at once.
 */
export declare function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): Command;
//# sourceMappingURL=arguments.d.ts.map