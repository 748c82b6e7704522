import cluster from 'node:cluster';
import { join } from 'node:path';
import { HandoffLink } from '../shared/handoff/sender.js';
import { HandoffError } from '../shared/errors.js';
import { ENV_HANDOFF_FD } from '../shared/handoff/wire.js';
import { CUMULATIVE_FIELDS, EMPTY_COUNTERS, ENV_BUS_DIR, ENV_GENERATION, ENV_MOVE_PATH, ENV_NODE, ENV_SLOT } from '../shared/cluster-messages.js';
import { ReloadError } from '../shared/errors.js';
import { workerArgs } from '../shared/secrets.js';
/** A worker that dies before it is ready, or less than this after, counts as crash-looping. */
const QUICK_CRASH_MS = 2000;
/** How long a reload's report waits for the new worker's `adopted` after the old one exited. */
const ADOPTED_WAIT_MS = 2000;
/** Back-off for crash loops: 250 ms, 500 ms, 1 s, ... capped. */
const BACKOFF_BASE_MS = 250;
const BACKOFF_MAX_MS = 30_000;
/** The descriptor a worker finds its hand-off pipe on (after stdin, stdout, stderr and node:cluster's IPC). */
const HANDOFF_FD = 4;
/** One worker slot (Swoole's worker_id): stable across respawns. */
export class Slot {
    slot;
    worker = null;
    /** The current incarnation's hand-off pipe. */
    link = null;
    pid = 0;
    up = false;
    /** Hand-offs sent to the current incarnation. */
    sent = 0;
    /** The worker's last report. */
    counters = { ...EMPTY_COUNTERS };
    /** Totals of earlier incarnations, so cluster figures survive restarts. */
    retired = { ...EMPTY_COUNTERS };
    restarts = 0;
    /** Multi-node: whether the worker's last report said its Redis bus and session table are connected. */
    redisUp = undefined;
    quickCrashes = 0;
    /** When the current incarnation became ready (0: not yet). */
    startedAt = 0;
    respawnTimer = null;
    /** While a reload replaces this slot's worker: messages and the exit of the other process. */
    other = null;
    constructor(slot) {
        this.slot = slot;
    }
    /** Connections held, counting hand-offs the worker has not reported yet. */
    get connections() {
        return this.counters.connections + this.counters.pendingHandshakes + Math.max(0, this.sent - this.counters.received);
    }
    /** Hand-offs written to the worker's pipe (or queued for it) and not completed. */
    get inflight() {
        return this.link?.inflight ?? 0;
    }
    get lagMs() {
        return this.counters.lagMs;
    }
}
/**
 * Forks and supervises N workers in stable slots. A worker that dies is respawned in its slot
 * at once (with back-off when it keeps dying young); connections on the others are untouched.
 */
export class WorkerPool {
    slots;
    log;
    events;
    nodeId;
    stopping = false;
    /** Forks so far: each gets a hand-off socket path of its own (a reload runs two per slot at once). */
    spawned = 0;
    /** The last generation given to a fork (nextGeneration). */
    generation = 0;
    busDir;
    /** Secrets for each worker's environment (workerSecretEnv): never on its command line. */
    secretEnv;
    constructor(workers, nodeId, busDir, log, events, semiSpaceMb = 0, secretEnv = {}) {
        this.busDir = busDir;
        this.secretEnv = secretEnv;
        this.slots = Array.from({ length: workers }, (_, i) => new Slot(i));
        this.log = log;
        this.events = events;
        this.nodeId = nodeId;
        // Buffers may cross IPC later (worker messages): keep them Buffers, not JSON arrays.
        // The workers' V8 flags: ours after the master's own (tsx's loader among them).
        const execArgv = semiSpaceMb > 0 ? [...process.execArgv, `--max-semi-space-size=${semiSpaceMb}`] : process.execArgv;
        // Workers re-read the master's flags (src/cli.ts), all but the secret ones: any local user
        // can read a command line, only we our environment.
        cluster.setupPrimary({ serialization: 'advanced', execArgv, args: workerArgs(process.argv.slice(2)) });
    }
    /**
     * Forks every slot; resolves once each is up or has already died trying (a crash-looping
     * app must not keep the master from listening and answering 503), or after `timeoutMs`.
     * A crashing app is seen at its first death (see onExit), so the deadline only bounds slow
     * starts, which on a loaded host can take many seconds: clients should find workers ready.
     */
    async start(timeoutMs = 60_000) {
        for (const s of this.slots)
            void this.fork(s);
        const deadline = Date.now() + timeoutMs;
        while (this.slots.some((s) => !s.up && s.quickCrashes === 0) && Date.now() < deadline)
            await new Promise((r) => setTimeout(r, 10));
    }
    async fork(s) {
        s.respawnTimer = null;
        const made = await this.spawn(s, {});
        if (made === null) {
            s.quickCrashes++;
            if (!this.stopping)
                s.respawnTimer = setTimeout(() => void this.fork(s), this.backoff(s));
            return;
        }
        this.install(s, made.worker, made.link);
    }
    /** Larger at every fork, and across masters on one host as the clock goes (ms). */
    nextGeneration() {
        this.generation = Math.max(this.generation + 1, Date.now());
        return this.generation;
    }
    /** Forks a worker for slot `s` with its own hand-off pipe; null when the pipe cannot be made (or we are stopping). */
    async spawn(s, env) {
        let made;
        try {
            made = await HandoffLink.create(join(this.busDir, `handoff-${s.slot}-${++this.spawned}.sock`));
        }
        catch (err) {
            // Only a broken private directory gets here; retry as for a worker that died young.
            this.log.error({ slot: s.slot, err: err.message }, 'cannot make the hand-off pipe: worker not started');
            return null;
        }
        if (this.stopping) {
            made.link.close();
            made.childEnd.destroy();
            return null;
        }
        // The pair's other end becomes the worker's descriptor 4; settings apply to this fork only.
        cluster.setupPrimary({ stdio: ['inherit', 'inherit', 'inherit', 'ipc', made.childEnd] });
        let worker;
        try {
            worker = cluster.fork({ ...this.secretEnv, [ENV_SLOT]: String(s.slot), [ENV_NODE]: String(this.nodeId), [ENV_BUS_DIR]: this.busDir, [ENV_HANDOFF_FD]: String(HANDOFF_FD), [ENV_GENERATION]: String(this.nextGeneration()), ...env });
        }
        finally {
            cluster.setupPrimary({ stdio: undefined });
            made.childEnd.destroy();
        }
        // The worker's pid goes as workerPid: `pid` is the master's own, in every line of its logger.
        worker.on('message', (msg) => {
            if (s.worker !== worker)
                return s.other?.(worker, msg);
            if (msg.t === 'ready') {
                s.up = true;
                s.startedAt = Date.now();
                this.log.info({ event: 'worker-up', slot: s.slot, workerPid: s.pid }, 'worker up');
            }
            else if (msg.t === 'load' || msg.t === 'counters') {
                s.counters = msg.counters;
            }
            this.events.message(s, msg);
        });
        // EPIPE and the like when a worker dies mid-send: the exit handler does the cleanup.
        worker.on('error', (err) => this.log.warn({ slot: s.slot, workerPid: worker.process.pid, err: err.message }, 'worker channel error'));
        worker.on('exit', (code, signal) => {
            if (s.worker !== worker)
                return s.other?.(worker, null, { code, signal });
            this.onExit(s, worker, code, signal);
        });
        return { worker, link: made.link };
    }
    /** Makes `worker` the slot's current one. */
    install(s, worker, link) {
        s.worker = worker;
        s.link = link;
        s.pid = worker.process.pid ?? 0;
        s.up = false;
        s.redisUp = undefined;
        s.sent = 0;
        s.counters = { ...EMPTY_COUNTERS };
        s.startedAt = 0;
    }
    /**
     * A reload of one slot: a new worker (the app loaded afresh) listening at `movePath` for its
     * predecessor's connections; once it is ready, new connections go to it; the old worker is
     * told to hand everything over (`move-out`) after its last hand-off, then exits. Rejects
     * (ERR_RELOAD_START_FAILED, with the new worker's error) when the new worker does not get
     * ready: the old one keeps serving, untouched.
     */
    async replace(s, movePath, startTimeoutMs, moveTimeoutMs) {
        if (s.other !== null)
            throw new ReloadError('ERR_RELOAD_BUSY', `slot ${s.slot} is already being replaced`);
        const old = s.worker;
        const oldLink = s.link;
        if (!old || !s.up || !oldLink)
            throw new ReloadError('ERR_RELOAD_START_FAILED', `worker ${s.slot} is down: nothing to reload (it restarts with the new code by itself)`);
        let ready;
        let failed;
        const started = new Promise((resolve, reject) => ((ready = resolve), (failed = reject)));
        let moved;
        const movedOut = new Promise((resolve) => (moved = resolve));
        let oldExited;
        const oldGone = new Promise((resolve) => (oldExited = resolve));
        let startError = '';
        let successor = null;
        s.other = (worker, msg, exit) => {
            if (worker === old) {
                if (msg?.t === 'moved')
                    moved(msg.report);
                // Sockets that closed in the old worker for good (could not move, closed by the client):
                // the master's connection limits count them no more. Moved ones are not reported.
                else if (msg?.t === 'released')
                    this.events.message(s, msg);
                else if (msg && (msg.t === 'load' || msg.t === 'counters'))
                    return;
                if (exit) {
                    oldExited();
                    moved({ moved: 0, failed: [{ fd: 0, why: `the old worker exited (code ${exit.code}, signal ${exit.signal}) before it reported`, closed: 1006 }], ms: 0, cpuUs: 0 });
                }
                return;
            }
            if (msg?.t === 'start-failed')
                startError = msg.error;
            else if (msg?.t === 'ready')
                ready();
            if (exit)
                failed(new ReloadError('ERR_RELOAD_START_FAILED', `the new worker for slot ${s.slot} exited (code ${exit.code}, signal ${exit.signal}) before it was ready${startError ? `:\n${startError}` : ''}`));
        };
        try {
            const made = await this.spawn(s, { [ENV_MOVE_PATH]: movePath });
            if (made === null)
                throw new ReloadError('ERR_RELOAD_START_FAILED', `cannot fork a new worker for slot ${s.slot}`);
            successor = made.worker;
            const timer = setTimeout(() => failed(new ReloadError('ERR_RELOAD_START_FAILED', `the new worker for slot ${s.slot} was not ready within ${startTimeoutMs} ms`)), startTimeoutMs);
            try {
                await started;
            }
            catch (err) {
                made.link.close();
                if (successor.process.exitCode === null)
                    successor.process.kill('SIGKILL');
                throw err;
            }
            finally {
                clearTimeout(timer);
            }
            // The switch: new connections go to the new worker from now on.
            const retired = { ...s.retired };
            for (const f of CUMULATIVE_FIELDS)
                retired[f] += s.counters[f];
            s.retired = retired;
            const oldPid = s.pid;
            this.install(s, made.worker, made.link);
            // The new worker's cost of the move, for the report (it comes once the old worker's end is read).
            const adopted = new Promise((resolve) => {
                made.worker.on('message', (msg) => msg?.t === 'adopted' && resolve(msg));
                made.worker.once('exit', () => resolve(null));
            });
            s.up = true;
            s.startedAt = Date.now();
            this.log.info({ event: 'worker-up', slot: s.slot, workerPid: s.pid, replacing: oldPid }, 'worker up (reload)');
            // The old worker's last hand-offs are written, then its pipe ends: it moves out after them.
            const deadline = Date.now() + 5000;
            while (oldLink.inflight > 0 && Date.now() < deadline)
                await new Promise((r) => setTimeout(r, 2));
            oldLink.close();
            try {
                old.send({ t: 'move-out', path: movePath });
            }
            catch {
                /* gone: its exit reports */
            }
            const killer = setTimeout(() => {
                this.log.warn({ slot: s.slot, workerPid: oldPid }, 'reload: the old worker did not finish in time: killed');
                old.process.kill('SIGKILL');
            }, moveTimeoutMs);
            const report = await movedOut;
            await oldGone;
            clearTimeout(killer);
            const cost = await Promise.race([adopted, new Promise((r) => setTimeout(() => r(null), ADOPTED_WAIT_MS).unref())]);
            return { oldPid, newPid: s.pid, report: cost === null ? report : { ...report, adoptMs: cost.ms, adoptCpuUs: cost.cpuUs } };
        }
        finally {
            s.other = null;
        }
    }
    onExit(s, worker, code, signal) {
        if (s.worker !== worker)
            return;
        const pid = s.pid;
        s.worker = null;
        s.up = false;
        s.redisUp = undefined;
        s.link?.close();
        s.link = null;
        // Connections the dead worker held were dropped: they count as closed.
        const retired = { ...s.retired };
        for (const f of CUMULATIVE_FIELDS)
            retired[f] += s.counters[f];
        retired.closed += s.counters.connections;
        s.retired = retired;
        s.counters = { ...EMPTY_COUNTERS };
        const abnormal = code !== 0 || signal !== null;
        (abnormal ? this.log.error : this.log.info).call(this.log, { event: 'worker-exit', slot: s.slot, workerPid: pid, code, signal }, 'worker exited');
        this.events.exit(s, pid, code, signal);
        if (this.stopping)
            return;
        // Measured from ready, not from fork: on a loaded host a start alone can take longer than
        // QUICK_CRASH_MS, and an app that dies while starting must still back off.
        s.quickCrashes = s.startedAt === 0 || Date.now() - s.startedAt < QUICK_CRASH_MS ? s.quickCrashes + 1 : 0;
        const delay = this.backoff(s);
        s.restarts++;
        if (delay > 0)
            this.log.warn({ slot: s.slot, delayMs: delay, quickCrashes: s.quickCrashes }, 'worker crash-looping: respawn delayed');
        s.respawnTimer = setTimeout(() => void this.fork(s), delay);
    }
    backoff(s) {
        return s.quickCrashes <= 1 ? 0 : Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (s.quickCrashes - 2));
    }
    /**
     * Hands an accepted TCP handle (not yet reading) to a worker over its hand-off pipe: one
     * write, no acknowledgement, any number in flight. `inflight` is what the pipe has not
     * written yet: the dispatcher sees a backed-up worker and sends new connections elsewhere.
     */
    handoff(s, handle, fd, peer, onFailed, extras) {
        const link = s.link;
        if (!s.worker || !s.up || !link) {
            onFailed(new HandoffError('ERR_HANDOFF_WORKER_DOWN', `worker ${s.slot} is down`));
            return;
        }
        s.sent++;
        link.send(fd, peer, handle, (err) => {
            // Once written, the message holds its own copy of the descriptor: ours goes now.
            if (err)
                onFailed(err);
            else
                handle.close();
        }, extras);
    }
    send(s, msg) {
        if (!s.worker || !s.worker.isConnected())
            return false;
        try {
            s.worker.send(msg);
            return true;
        }
        catch {
            return false;
        }
    }
    /** Stops respawning and asks every worker to stop; resolves when all have exited (or are killed at the deadline). */
    async stop(deadlineMs) {
        this.stopping = true;
        for (const s of this.slots) {
            if (s.respawnTimer)
                clearTimeout(s.respawnTimer);
            s.up = false;
            s.redisUp = undefined;
            this.send(s, { t: 'shutdown' });
        }
        const alive = () => this.slots.filter((s) => s.worker !== null);
        const deadline = Date.now() + deadlineMs;
        while (alive().length > 0 && Date.now() < deadline)
            await new Promise((r) => setTimeout(r, 20));
        for (const s of alive()) {
            this.log.warn({ slot: s.slot, workerPid: s.pid }, 'worker did not stop in time: killed');
            s.worker?.process.kill('SIGKILL');
        }
        while (alive().length > 0)
            await new Promise((r) => setTimeout(r, 20));
    }
}
//# sourceMappingURL=worker-pool.js.map