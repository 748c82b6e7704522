/** Rebuilds dist/ from an empty directory: tsc's exit status and (with `pipe`) its output. */
export function build(stdio?: 'pipe' | 'inherit'): { status: number; output: string };
