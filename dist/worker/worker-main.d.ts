import type { Config } from '../shared/config.ts';
import { type AppSetup } from './server.ts';
/**
 * A cluster worker: no listening socket of its own. The master hands it sockets with their
 * session ids over IPC; it runs the handshake and frame loop for them, and reports its load.
 */
export declare function runWorker(config: Config, app: AppSetup, where: {
    slot: number;
    node: number;
    busDir: string;
    handoffFd: number;
    generation?: number;
    movePath?: string;
}): Promise<void>;
//# sourceMappingURL=worker-main.d.ts.map