import { connect } from 'node:net';
import { ClusterError } from '../shared/errors.js';
import { alive, controlSocketPath, readPid } from '../master/control-server.js';
/** `switchyard stop` and `switchyard status`: the master found through its pid file. Each returns the exit code. */
function say(text) {
    process.stdout.write(`${text}\n`);
}
function complain(text) {
    process.stderr.write(`switchyard: ${text}\n`);
}
/** The live master's pid, or null after saying why there is none. */
function runningMaster(config) {
    if (config.pidFile === undefined) {
        complain('stop and status need --pid-file FILE (or pid_file in the config file): the file the master was started with');
        return null;
    }
    const pid = readPid(config.pidFile);
    if (pid === null) {
        complain(`not running (no pid in ${config.pidFile})`);
        return null;
    }
    if (!alive(pid)) {
        complain(`not running (stale pid file ${config.pidFile}: pid ${pid} is gone)`);
        return null;
    }
    return { pid, pidFile: config.pidFile };
}
/** SIGTERM to the master (graceful: close 1001 to every client), then waits until it has exited. */
export async function stopCommand(config) {
    const master = runningMaster(config);
    if (!master)
        return 1;
    process.kill(master.pid, 'SIGTERM');
    // The master waits up to maxWaitTime for closing handshakes and kills stragglers 2 s later.
    const waitS = config.maxWaitTime + 10;
    const deadline = Date.now() + waitS * 1000;
    while (alive(master.pid)) {
        if (Date.now() > deadline) {
            complain(`pid ${master.pid} did not exit within ${waitS} s of SIGTERM`);
            return 1;
        }
        await new Promise((r) => setTimeout(r, 50));
    }
    say(`switchyard: stopped (pid ${master.pid})`);
    return 0;
}
/** Asks the master's control socket for its figures and prints them as JSON. */
export async function statusCommand(config) {
    const master = runningMaster(config);
    if (!master)
        return 1;
    const path = controlSocketPath(master.pidFile);
    try {
        const answer = await new Promise((resolve, reject) => {
            const socket = connect(path);
            let text = '';
            socket.setEncoding('utf8');
            socket.setTimeout(5000, () => socket.destroy(new ClusterError('ERR_CONTROL_NO_ANSWER', 'no answer within 5 s')));
            socket.on('connect', () => socket.write('status\n'));
            socket.on('data', (s) => (text += s));
            socket.on('end', () => resolve(text));
            socket.on('error', reject);
        });
        const figures = JSON.parse(answer);
        if (typeof figures.error === 'string')
            throw new ClusterError('ERR_CONTROL_FAILED', figures.error);
        say(JSON.stringify(figures, null, 2));
        return 0;
    }
    catch (err) {
        complain(`pid ${master.pid} is running but its control socket ${path} does not answer (${err.message})`);
        return 1;
    }
}
/**
 * `switchyard reload`: asks the master's control socket to reload every worker and waits for
 * the report (printed as JSON). A reload that failed (the new code does not start) prints the
 * error and exits 1: the old workers keep serving.
 */
export async function reloadCommand(config) {
    return controlCommand(config, 'reload', 'reloaded', 'reload failed, the old workers keep serving');
}
/** `switchyard drain`: readiness and new connections 503, established ones closed 1012 over drainSeconds; returns when done. */
export async function drainCommand(config) {
    return controlCommand(config, `drain ${config.drainSeconds}`, 'drained', 'drain failed');
}
async function controlCommand(config, command, key, failure) {
    const master = runningMaster(config);
    if (!master)
        return 1;
    const path = controlSocketPath(master.pidFile);
    let answer;
    try {
        answer = await new Promise((resolve, reject) => {
            const socket = connect(path);
            let text = '';
            socket.setEncoding('utf8');
            socket.on('connect', () => socket.write(`${command}\n`));
            socket.on('data', (s) => (text += s));
            socket.on('end', () => resolve(text));
            socket.on('error', reject);
        });
    }
    catch (err) {
        complain(`pid ${master.pid} is running but its control socket ${path} does not answer (${err.message})`);
        return 1;
    }
    const result = JSON.parse(answer);
    if (typeof result.error === 'string') {
        complain(`${failure}: ${result.error}`);
        return 1;
    }
    say(JSON.stringify(result[key], null, 2));
    return 0;
}
//# sourceMappingURL=control-client.js.map