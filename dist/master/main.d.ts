import type { Config } from '../shared/config.ts';
import type { AppSetup } from '../worker/app-contract.ts';
/** The master process: runs the app's master hooks, joins the cluster (with --redis), listens. */
export declare function runMaster(config: Config, setup: AppSetup): Promise<void>;
//# sourceMappingURL=main.d.ts.map