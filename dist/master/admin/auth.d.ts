import { type MasterRoute } from '../../shared/admin/admin-api.ts';
/** The tokens the admin server checks (README "Admin server"). */
export interface AdminTokens {
    adminToken: string | undefined;
    metricsToken: string | undefined;
}
/**
 * Whether a request may go on: /healthz and /readyz always (a load balancer's probes carry no
 * secret); /metrics with the metrics token when one is set (the admin token works there too),
 * else freely; everything else with the admin token. Without an admin token (a loopback-only
 * admin server, see config.ts) everything is open: whoever reaches loopback is this machine.
 */
export declare function authorized(route: MasterRoute | 'worker', header: string | undefined, tokens: AdminTokens): boolean;
//# sourceMappingURL=auth.d.ts.map