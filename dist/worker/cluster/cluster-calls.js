import { encodeFd, nodeOf, slotOf } from '../../shared/session-id.js';
import { OPS } from './cluster-ops.js';
import { byId, MALFORMED, OpMessage } from './op-kit.js';
import { opcodeFor, toList } from './payload.js';
import { RemoteCallError } from '../../shared/errors.js';
/** The smallest fd the master can issue (seq 1, node 0, slot 0). */
const FIRST_CLUSTER_FD = encodeFd(1, 0, 0);
const FAILURE = { ERR_UNREACHABLE: 'unreachable', ERR_CONGESTED: 'congested', ERR_TIMEOUT: 'timeout' };
/** A request that timed out, before its op's failure answer is chosen (see ask). */
const TIMED_OUT = Symbol('timed out');
/**
 * Runs the cluster operations (cluster-ops.ts) wherever they belong. The one place that decides
 * local or remote: by the fd alone (it names its owner's node and slot), with no lookup. Remote
 * calls go over the router: fire-and-forget (the op says what the bus's answer means), requests
 * whose failures become the op's answers ('unreachable', 'congested', 'timeout', null...) and
 * never exceptions, fan-outs (one bus message per worker, then this worker's share) and
 * questions to every worker of this node. Calls from other workers arrive here too (serve).
 */
export class ClusterCalls {
    router;
    workerCount;
    sessions;
    local;
    log;
    ops;
    liveness;
    constructor(init) {
        this.liveness = init.liveness ?? null;
        this.router = init.router;
        this.workerCount = init.workerCount;
        this.sessions = init.sessions;
        this.local = init.local;
        this.log = init.log;
        this.ops = byId(init.ops ?? OPS);
    }
    /** The worker holding fd when it is another one; null when this worker answers (no bus, our
     * own fd, or no cluster fd at all: only this worker can say 'unknown'). */
    ownerOf(fd) {
        // Hot path (every push): arithmetic on the fd, one object only for a remote owner.
        const router = this.router;
        if (router === null || !Number.isSafeInteger(fd) || fd < FIRST_CLUSTER_FD)
            return null;
        const slot = slotOf(fd);
        const node = nodeOf(fd);
        return slot === router.self.slot && node === router.self.node ? null : { node, slot };
    }
    isLocal(fd) {
        return this.ownerOf(fd) === null;
    }
    /** Several nodes: a session table lists the cluster's sessions and uids. */
    get hasSessionTable() {
        return this.sessions !== null;
    }
    /** An op on fd, fire-and-forget when another worker holds it: the local result, or what the
     * op makes of the bus's answer. Synchronous, no promise. */
    fire(op, fd, b, c) {
        const to = this.ownerOf(fd);
        if (to === null)
            return op.local(this.local, fd, b, c);
        // Another node's fd, and that node is known dead: nobody holds it (a map read, no I/O).
        const gone = op;
        if (gone.gone !== undefined && this.liveness !== null && to.node !== this.router.self.node && this.liveness.knownDead(to.node))
            return gone.gone();
        const fires = op;
        return fires.forwarded(this.router.send(to, new OpMessage(op, fd, b, c)), this.local);
    }
    /** An op on fd that waits for the owner's answer; the op's failure answer when there is none. */
    async ask(op, fd, b, c) {
        const to = this.ownerOf(fd);
        if (to === null)
            return op.local(this.local, fd, b, c);
        if (this.liveness !== null && to.node !== this.router.self.node) {
            // A node that is not alive never answers: say so now rather than after busTimeoutMs.
            const alive = this.liveness.alive(to.node);
            if (alive === false || (alive !== true && !(await alive))) {
                const gone = op;
                const answers = op;
                return gone.gone !== undefined ? gone.gone() : answers.failed('unreachable');
            }
            const answer = await this.request(op, to, new OpMessage(op, fd, b, c), true);
            // No answer in time, and the cached "alive" may be older than the node's death: a fresh
            // look. A node that is gone holds no fd any more, which is the op's answer for it.
            if (answer !== TIMED_OUT)
                return answer;
            const gone = op;
            if (gone.gone !== undefined && !(await this.liveness.recheck(to.node)))
                return gone.gone();
            const answers = op;
            return answers.failed('timeout');
        }
        return this.request(op, to, new OpMessage(op, fd, b, c));
    }
    /** An op every worker runs, this one included: one bus message per worker. False when a bus could not carry it. */
    all(op, a, b, c) {
        // The other workers first: they run their share in parallel while this one runs its own.
        let sent = true;
        if (this.router) {
            sent = this.router.broadcast(new OpMessage(op, a, b, c)) === 'ok';
            // A large share here would hold the bus message until the end of the turn: send it now.
            // Small ones (a room of a few) keep coalescing with the turn's other bus traffic.
            if (op.flushFirst?.(this.local, a, b, c))
                this.router.flush();
        }
        op.local(this.local, a, b, c);
        return sent;
    }
    /** An op every worker of the cluster answers with a list: the lists together (the session
     * table answers instead when there is one). Workers that do not answer add nothing. */
    async each(op, a) {
        if (this.sessions && op.sessions)
            return op.sessions(this.sessions, a);
        const mine = op.local(this.local, a, undefined, undefined);
        const router = this.router;
        if (!router)
            return mine;
        const node = router.self.node;
        const peers = Array.from({ length: this.workerCount }, (_, slot) => ({ node, slot })).filter((p) => !router.isSelf(p));
        const lists = await Promise.all(peers.map((to) => this.request(op, to, new OpMessage(op, a, undefined, undefined))));
        return [...mine, ...lists.flat()];
    }
    /**
     * An 'each' op asked of every worker of the cluster, whatever the session table holds: this
     * node's slots and, with several nodes, every other worker that holds sessions (read from the
     * session table: one read of every session fd). Workers that do not answer add nothing.
     */
    async gather(op, a) {
        const mine = op.local(this.local, a, undefined, undefined);
        const router = this.router;
        if (!router)
            return mine;
        const self = router.self;
        const peers = new Map();
        for (let slot = 0; slot < this.workerCount; slot++)
            peers.set(self.node * 256 + slot, { node: self.node, slot });
        if (this.sessions) {
            for (const fd of await this.sessions.all()) {
                const node = nodeOf(fd);
                if (node !== self.node)
                    peers.set(node * 256 + slotOf(fd), { node, slot: slotOf(fd) });
            }
        }
        peers.delete(self.node * 256 + self.slot);
        const lists = await Promise.all([...peers.values()].map((to) => this.request(op, to, new OpMessage(op, a, undefined, undefined))));
        return [...mine, ...lists.flat()];
    }
    /**
     * An op for one worker: `workerId` is the slot on this node, or node * 256 + slot for a worker
     * of another node. False for this worker itself (as Swoole's sendMessage) or without a bus.
     */
    toWorker(op, workerId, a, b, c) {
        if (!this.router)
            return false;
        const to = { node: workerId >= 256 ? Math.floor(workerId / 256) : this.router.self.node, slot: workerId % 256 };
        if (this.router.isSelf(to))
            return false;
        const fires = op;
        return fires.forwarded(this.router.send(to, new OpMessage(op, a, b, c)), this.local);
    }
    /** `server.to(room)`. */
    room(room) {
        const except = [];
        const target = {
            except: (fds) => {
                except.push(...toList(fds));
                return target;
            },
            push: (data, opcode) => this.all(OPS.broadcast, data, opcodeFor(data, opcode), { except, room }),
        };
        return target;
    }
    /** A call another worker made (the router's LocalHandler): decoded, checked, run here. */
    serve(body, from, wantsReply) {
        const op = this.ops[body[0] ?? 0];
        if (op === undefined) {
            this.log.warn({ op: body[0], from }, 'unknown cluster operation dropped');
            return undefined;
        }
        const result = op.args.read(body, 1, op.served ?? op.local, this.local);
        if (result === MALFORMED) {
            this.log.warn({ op: op.name, from, bytes: body.length }, 'malformed cluster operation dropped');
            return undefined;
        }
        return wantsReply && op.reply ? op.reply.pack(result) : undefined;
    }
    async request(op, to, msg, markTimeout = false) {
        let body;
        try {
            body = await this.router.request(to, msg);
        }
        catch (err) {
            if (err instanceof RemoteCallError)
                return markTimeout && err.code === 'ERR_TIMEOUT' ? TIMED_OUT : op.failed(FAILURE[err.code]);
            throw err;
        }
        const value = body.length === 0 ? MALFORMED : op.reply.read(body);
        // Empty: the owner could not run it (it logged why); anything else malformed is a bug.
        return value === MALFORMED ? op.failed('unreachable') : value;
    }
}
//# sourceMappingURL=cluster-calls.js.map