import { bearerMatches } from '../../shared/admin/admin-api.js';
/**
 * Whether a request may go on: /healthz and /readyz always (a load balancer's probes carry no
 * secret); /metrics with the metrics token when one is set (the admin token works there too),
 * else freely; everything else with the admin token. Without an admin token (a loopback-only
 * admin server, see config.ts) everything is open: whoever reaches loopback is this machine.
 */
export function authorized(route, header, tokens) {
    if (route === 'healthz' || route === 'readyz')
        return true;
    const admin = tokens.adminToken !== undefined && bearerMatches(header, tokens.adminToken);
    if (route === 'metrics') {
        if (tokens.metricsToken === undefined)
            return true;
        return admin || bearerMatches(header, tokens.metricsToken);
    }
    return tokens.adminToken === undefined || admin;
}
//# sourceMappingURL=auth.js.map