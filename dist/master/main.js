import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterError } from '../shared/errors.js';
import { createLogger } from '../shared/logger.js';
import { redactUrl, secretsOnCommandLine } from '../shared/secrets.js';
import { tlsEnabled } from '../shared/tls-files.js';
import { checkPidFile, ControlServer } from './control-server.js';
import { Master } from './master.js';
/** The app's `server` in the master: keeps the master-only hooks, ignores worker callbacks. */
function masterFacade(config) {
    const hooks = {};
    const host = {
        isMaster: true,
        config,
        on(event, callback) {
            const cb = callback;
            switch (event) {
                case 'start':
                    hooks.start = (info) => cb(host, info);
                    break;
                case 'shutdown':
                    hooks.shutdown = () => cb(host);
                    break;
                case 'workerError':
                    hooks.workerError = (...args) => void cb(host, ...args);
                    break;
                case 'workerExit':
                    hooks.workerExit = (...args) => void cb(host, ...args);
                    break;
                case 'dispatch':
                    hooks.dispatch = callback;
                    break;
            }
            return host;
        },
    };
    return { host, hooks };
}
/** The master process: runs the app's master hooks, joins the cluster (with --redis), listens. */
export async function runMaster(config, setup) {
    const log = createLogger(config.logLevel, { role: 'master' });
    for (const { flag, instead } of secretsOnCommandLine(process.argv.slice(2))) {
        log.warn({ event: 'secret-on-command-line', flag }, `${flag} is on the command line, where every local user can read it (ps, /proc/<pid>/cmdline); workers do not get it there, but use ${instead}`);
    }
    // Left to Node, SIGHUP (a closed terminal, or `kill -HUP`) would kill the master silently.
    // With TLS it reloads the certificates (README "TLS"); without, it is ignored.
    let onHangup = () => log.warn({ event: 'sighup' }, 'SIGHUP ignored: no TLS certificates to reload; SIGTERM stops the server');
    process.on('SIGHUP', () => onHangup());
    let master = null;
    const control = config.pidFile !== undefined ? await openControl(config.pidFile, log, () => master) : null;
    const { host, hooks } = masterFacade(config);
    await setup(host);
    let membership = null;
    if (config.redis) {
        // Redis code is loaded only by nodes that use it: a single host starts faster without it.
        const { joinCluster } = await import('./cluster/membership.js');
        try {
            membership = await joinCluster({ ...config, redis: config.redis }, log);
        }
        catch (err) {
            log.fatal({ err: err.message, redis: redactUrl(config.redis) }, 'cannot join the cluster through Redis');
            control?.close();
            process.exit(1);
        }
    }
    // The embedded bus's sockets live in a private (0700) directory, removed when the master stops.
    const busDir = mkdtempSync(join(tmpdir(), 'switchyard-'));
    const cleanup = async () => {
        control?.close();
        await membership?.leave();
        rmSync(busDir, { recursive: true, force: true });
    };
    master = new Master(config, log, hooks, {
        nodeId: membership?.nodeId ?? 0,
        busDir,
        ...(membership ? { seqBlock: membership.seqBlock, nextSeqBlock: membership.nextSeqBlock, peers: membership.peers, redisReady: () => membership?.redisReady ?? false } : {}),
        onStopped: () => void cleanup().then(() => process.exit(0)),
    });
    // Another node holds our id now: two nodes must never share one. Stop cleanly.
    const running = master;
    if (membership)
        membership.onLost = (reason) => void running.shutdown(`node id lost: ${reason}`);
    // Redis lost this node's data (a restart without persistence, a flush, a failover): the workers hold the truth.
    if (membership)
        membership.onRestored = (reason) => running.resyncWorkers(reason);
    // Stop signals are taken from here on: one that comes while the start is under way (an app's
    // async 'start' callback runs after the listening line) stops the server once it has started,
    // gracefully, instead of killing the master with the default action.
    let started = false;
    let stopWhenStarted = null;
    const stop = (why) => {
        if (started)
            void running.shutdown(why);
        else
            stopWhenStarted ??= why;
    };
    // A worker's server.shutdown() takes the same path (see Master).
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    try {
        await running.start();
    }
    catch (err) {
        log.fatal({ err }, 'cannot listen');
        await cleanup();
        process.exit(1);
    }
    started = true;
    if (stopWhenStarted !== null) {
        void running.shutdown(stopWhenStarted);
        return;
    }
    if (tlsEnabled(config))
        onHangup = () => running.reloadTls();
    // Zero-drop reload: new app code in every worker, connections kept (Master.reload).
    process.on('SIGUSR1', () => void running.reload('SIGUSR1').catch((err) => log.error({ event: 'reload-failed', err: err.message }, 'reload failed: the old workers keep serving')));
}
/**
 * The pid file, written first as Swoole does (a second master on the same file stops here), and
 * the control socket `switchyard status` asks. A pid file that cannot be written stops the start.
 */
async function openControl(pidFile, log, master) {
    const taken = checkPidFile(pidFile);
    if (taken !== null) {
        log.fatal({ pidFile }, taken);
        process.exit(1);
    }
    try {
        const notYet = () => Promise.reject(new ClusterError('ERR_NOT_LISTENING', 'starting: not listening yet'));
        return await ControlServer.open(pidFile, log, () => master()?.stats() ?? notYet(), () => master()?.metrics() ?? notYet(), () => master()?.reload('switchyard reload') ?? notYet(), (seconds) => master()?.drain(seconds) ?? notYet());
    }
    catch (err) {
        log.fatal({ err: err.message, pidFile }, 'cannot write the pid file');
        process.exit(1);
    }
}
//# sourceMappingURL=main.js.map