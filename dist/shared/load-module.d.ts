/** The module's exports. `label` names it in errors (e.g. `--app ./app.ts`). */
export declare function importUserModule(path: string, label: string): Promise<Record<string, unknown>>;
//# sourceMappingURL=load-module.d.ts.map