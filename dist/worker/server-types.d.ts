import type { ClusterStats } from '../shared/cluster-messages.ts';
import type { Logger } from '../shared/logger.ts';
import type { Bus } from '../shared/bus/types.ts';
import type { SessionTable } from '../shared/session-table/types.ts';
import type { WorkerMeters } from '../shared/metrics/worker-meters.ts';
/** The app-facing types (callbacks, frames, client info, stats, the server API) live in
 * app-contract.ts; what a Server is built with, here. */
export type * from './app-contract.ts';
export interface ServerOptions {
    logger?: Logger;
    /** Swoole's worker_id; 0 in a single process. */
    workerId?: number;
    /** Session ids: the master assigns them in a cluster; a counter in one process. */
    allocateFd?: () => number;
    /** Cluster-wide figures, from the master (absent in a single process). */
    clusterStats?: () => Promise<ClusterStats>;
    /** In a cluster, shutdown() asks the master to stop everything (Swoole's $server->shutdown()). */
    requestShutdown?: () => void;
    /** In a cluster, reload() asks the master to reload every worker. */
    requestReload?: () => void;
    /** In a cluster, drain(seconds) asks the master to drain the node. */
    requestDrain?: (seconds: number) => void;
    /** The buses to other workers: same node (embedded) and other nodes (Redis). */
    buses?: {
        embedded: Bus | null;
        redis: Bus | null;
    };
    /** This node's id (0 on a single host). */
    node?: number;
    /** Worker slots on this node. */
    workerCount?: number;
    /** The cluster's session table (Redis, multi-node): uids and connections span the nodes. */
    sessions?: SessionTable;
    /** This worker's metric counters (the worker's main reads them for the master); made here if absent. */
    meters?: WorkerMeters;
    /** Multi-node: whether a node is alive (its lease exists); calls to a dead node's fds answer at once. */
    nodeAlive?: (node: number) => Promise<boolean>;
}
//# sourceMappingURL=server-types.d.ts.map