/** This package's version, from its package.json (one level above src/ and dist/). */
export declare function packageVersion(): string;
export declare function helpText(): string;
//# sourceMappingURL=help.d.ts.map