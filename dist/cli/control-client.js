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
//# sourceMappingURL=control-client.js.map