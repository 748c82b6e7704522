import { createServer } from 'node:http';
import { EXPOSITION_CONTENT_TYPE } from '../../shared/metrics/exposition.js';
import { json, readBody } from '../../shared/admin/http-io.js';
import { isLoopbackHost, parseAdminRoute } from '../../shared/admin/admin-api.js';
import { alwaysInfo } from '../../shared/logger.js';
import { authorized } from './auth.js';
/**
 * Admin requests forwarded to workers at once (body reading included); one more gets 429 with
 * Retry-After. Each holds at most a body of packageMaxLength: 64 x 2 MiB by default.
 */
export const ADMIN_MAX_INFLIGHT = 64;
/** Sockets the admin server keeps open at once (a scraper, probes, a few tools); beyond it new ones are refused. */
export const ADMIN_MAX_CONNECTIONS = 256;
/** How much longer than busTimeoutMs a forwarded request may take (IPC, a busy worker loop) before it is a 503. */
export const ADMIN_TIMEOUT_MARGIN_MS = 2000;
/**
 * The master's admin server (README "Admin server"): health, readiness, stats and metrics
 * answered from the master's own state, everything that acts on sessions forwarded to a
 * worker. It is the master's because /healthz means "the master is alive", /readyz reads what
 * only the master knows (listening, every worker slot, shutting down), and the admin port must
 * outlive any worker's crash. Node's HTTP server parses (llhttp); every phase is bounded.
 */
export class AdminServer {
    deps;
    http;
    inflight = 0;
    constructor(deps) {
        this.deps = deps;
        const { config } = deps;
        this.http = createServer({
            maxHeaderSize: config.maxHeaderSize,
            headersTimeout: config.handshakeTimeoutMs,
            requestTimeout: config.bodyTimeoutMs,
            keepAliveTimeout: config.keepAliveTimeoutMs,
        }, (req, res) => void this.handle(req, res).catch((err) => this.failed(res, err)));
        this.http.maxConnections = ADMIN_MAX_CONNECTIONS;
        this.http.on('clientError', (_err, socket) => socket.destroy());
    }
    async start() {
        const { config, log } = this.deps;
        if (config.adminToken === undefined) {
            // config.ts refuses a non-loopback admin host without a token: this one is loopback.
            log.warn({ event: 'admin-no-token', host: config.adminHost }, 'admin server without --admin-token: open to every local user of this machine (loopback only)');
        }
        await new Promise((resolve, reject) => {
            this.http.once('error', reject);
            this.http.listen({ host: config.adminHost, port: config.adminPort ?? 0 }, () => {
                this.http.off('error', reject);
                resolve();
            });
        });
        this.http.on('error', (err) => log.warn({ err: err.message }, 'admin server error'));
        const address = this.http.address();
        alwaysInfo(log).info({ event: 'admin-listening', host: address.address, port: address.port, loopback: isLoopbackHost(address.address) }, 'admin server listening');
        return address;
    }
    close() {
        this.http.close();
        this.http.closeAllConnections();
    }
    async handle(req, res) {
        const { config } = this.deps;
        const target = req.url ?? '/';
        const path = target.split('?', 1)[0];
        const gate = path === '/healthz' || path === '/readyz' || path === '/metrics' ? path.slice(1) : 'worker';
        if (!authorized(gate, req.headers.authorization, { adminToken: config.adminToken, metricsToken: config.metricsToken })) {
            res.setHeader('WWW-Authenticate', 'Bearer');
            return json(res, 401, { error: 'missing or wrong bearer token' });
        }
        const route = parseAdminRoute(req.method ?? 'GET', target);
        if (route.kind === 'refused') {
            if (route.allow !== undefined)
                res.setHeader('Allow', route.allow);
            return json(res, route.status, { error: route.error });
        }
        if (route.kind === 'master')
            return this.master(route.name, res, target);
        if (this.inflight >= ADMIN_MAX_INFLIGHT) {
            res.setHeader('Retry-After', '1');
            return json(res, 429, { error: `${ADMIN_MAX_INFLIGHT} admin requests in flight already` });
        }
        this.inflight++;
        try {
            const body = route.body ? await readBody(req, config.packageMaxLength) : Buffer.alloc(0);
            if (body === null)
                return json(res, 413, { error: `body over ${config.packageMaxLength} bytes (packageMaxLength)` });
            const request = route.make(body);
            if ('kind' in request)
                return json(res, request.status, { error: request.error });
            const answer = await this.deps.forward(request);
            if (answer.retryAfter !== undefined)
                res.setHeader('Retry-After', String(answer.retryAfter));
            return json(res, answer.status, answer.body);
        }
        finally {
            this.inflight--;
        }
    }
    async master(name, res, target) {
        switch (name) {
            case 'healthz':
                return json(res, 200, { status: 'ok', pid: process.pid });
            case 'readyz': {
                const r = this.deps.readiness();
                return json(res, r.ready ? 200 : 503, r);
            }
            case 'stats':
                return json(res, 200, await this.deps.stats());
            case 'metrics': {
                // ?scope=node: this node's series only, for a Prometheus that scrapes every node itself.
                const scope = new URLSearchParams(target.split('?')[1] ?? '').get('scope') === 'node' ? 'node' : 'cluster';
                const text = await this.deps.metrics(scope);
                res.writeHead(200, { 'Content-Type': EXPOSITION_CONTENT_TYPE });
                res.end(text);
                return;
            }
        }
    }
    failed(res, err) {
        this.deps.log.error({ err }, 'admin request failed');
        if (!res.headersSent)
            json(res, 500, { error: 'internal error' });
        else
            res.destroy();
    }
}
//# sourceMappingURL=admin-server.js.map