/**
 * `switchyard --help`: generated from the one settings table (config-table.ts), so a setting
 * added there is listed here with its flag, variable, config-file names, default and meaning.
 */
/** This package's version, from its package.json (one level above src/ and dist/). */
export declare function packageVersion(): string;
export declare function helpText(): string;
//# sourceMappingURL=help.d.ts.map