import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
/**
 * The master's pid file (Swoole's pid_file) and, beside it, a control socket (`<pid file>.sock`,
 * mode 0600: only the owner may ask) that answers `switchyard status` with the master's figures
 * (a `status` line: JSON), `metrics` with the Prometheus exposition (text; an error as JSON)
 * and `reload` with the reload's report once it is done (JSON: `reloaded`, or `error`).
 * `switchyard stop` needs only the pid: it sends SIGTERM, as `kill $(cat pid)` would.
 */
/** The control socket that goes with a pid file. */
export function controlSocketPath(pidFile) {
    return `${pidFile}.sock`;
}
/** The pid a pid file names, or null (no file, or not a pid). */
export function readPid(pidFile) {
    let text;
    try {
        text = readFileSync(pidFile, 'utf8').trim();
    }
    catch {
        return null;
    }
    return /^[1-9][0-9]*$/.test(text) ? Number(text) : null;
}
/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
export function alive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (err) {
        return err.code === 'EPERM';
    }
}
/** Refuses to start over a live master's pid file (a stale one, from a master that was killed, is taken over). */
export function checkPidFile(pidFile) {
    const pid = readPid(pidFile);
    if (pid === null || pid === process.pid || !alive(pid))
        return null;
    return `--pid-file ${pidFile}: pid ${pid} is running (switchyard status --pid-file ${pidFile}); stop it first, or delete the file if that process is not a switchyard master`;
}
export class ControlServer {
    server;
    pidFile;
    constructor(pidFile, server) {
        this.pidFile = pidFile;
        this.server = server;
    }
    /** Writes the pid file and opens the control socket; `status` and `metrics` answer the requests of those names. */
    static async open(pidFile, log, status, metrics, reload, drain) {
        writeFileSync(pidFile, `${process.pid}\n`);
        const path = controlSocketPath(pidFile);
        rmSync(path, { force: true });
        const server = createServer((socket) => {
            socket.on('error', () => { });
            socket.setEncoding('utf8');
            let request = '';
            socket.on('data', (chunk) => {
                request += chunk;
                if (!request.includes('\n')) {
                    if (request.length > 1024)
                        socket.destroy();
                    return;
                }
                const cmd = request.trim();
                if (cmd === 'metrics' && metrics) {
                    metrics().then((text) => socket.end(text), (err) => socket.end(`${JSON.stringify({ error: err.message })}\n`));
                    return;
                }
                if (cmd === 'reload' && reload) {
                    reload().then((report) => socket.end(`${JSON.stringify({ reloaded: report })}\n`), (err) => socket.end(`${JSON.stringify({ error: err.message })}\n`));
                    return;
                }
                const drainCmd = /^drain ([0-9]+(?:\.[0-9]+)?)$/.exec(cmd);
                if (drainCmd && drain) {
                    drain(Number(drainCmd[1])).then((report) => socket.end(`${JSON.stringify({ drained: report })}\n`), (err) => socket.end(`${JSON.stringify({ error: err.message })}\n`));
                    return;
                }
                if (cmd !== 'status') {
                    socket.end(`${JSON.stringify({ error: `unknown command ${JSON.stringify(cmd.slice(0, 40))}` })}\n`);
                    return;
                }
                status().then((figures) => socket.end(`${JSON.stringify({ pid: process.pid, ...figures })}\n`), (err) => socket.end(`${JSON.stringify({ error: err.message })}\n`));
            });
        });
        server.on('error', (err) => log.warn({ err: err.message, path }, 'control socket error'));
        try {
            await new Promise((resolve, reject) => {
                server.once('error', reject);
                server.listen(path, () => {
                    server.off('error', reject);
                    resolve();
                });
            });
            chmodSync(path, 0o600);
        }
        catch (err) {
            // The pid file alone still serves `stop`; `status` will say the master does not answer.
            log.warn({ err: err.message, path }, 'cannot open the control socket: switchyard status will not work');
        }
        return new ControlServer(pidFile, server);
    }
    /** Removes the socket and the pid file (only if it still names us). */
    close() {
        this.server.close();
        rmSync(controlSocketPath(this.pidFile), { force: true });
        if (readPid(this.pidFile) === process.pid)
            rmSync(this.pidFile, { force: true });
    }
}
//# sourceMappingURL=control-server.js.map