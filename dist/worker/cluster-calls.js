import { opcodeFor, remotePayload, toBuffer, toList } from './payload.js';
import { RemoteCallError } from './router.js';
/** What pushAsync answers when the call to the owner failed. */
const CALL_FAILURE = { ERR_UNREACHABLE: 'unreachable', ERR_CONGESTED: 'congested', ERR_TIMEOUT: 'timeout' };
/** From this many local recipients on, a fan-out writes its bus message before its own share
 * (writing 256 sockets takes a few milliseconds the other workers would otherwise wait). */
export const EARLY_BUS_FLUSH = 256;
/**
 * The server API's calls that involve other workers, over the router: fire-and-forget to an
 * fd's owner; requests whose bus failures become answers ('unreachable', 'congested',
 * 'timeout', null), never exceptions; fan-outs (one bus message per worker, then this worker's share); and
 * questions to every worker of this node.
 */
export class ClusterCalls {
    router;
    workerCount;
    sessions;
    local;
    constructor(init) {
        this.router = init.router;
        this.workerCount = init.workerCount;
        this.sessions = init.sessions;
        this.local = init.local;
    }
    /** Fire-and-forget to the worker that holds fd (a remote fd: there is a router): 'ok' when a bus took it. */
    forward(fd, msg) {
        return this.router.send(this.router.owner(fd), msg);
    }
    /** A request to fd's owner; for a push, 'unreachable', 'congested' or 'timeout' instead of an
     * answer when the bus fails (null for other requests). */
    async ask(fd, msg) {
        const owner = this.router.owner(fd);
        if (!owner)
            return msg.t === 'push' ? 'unknown' : null;
        try {
            return await this.router.request(owner, msg);
        }
        catch (err) {
            if (err instanceof RemoteCallError) {
                if (msg.t !== 'push')
                    return null;
                return CALL_FAILURE[err.code];
            }
            throw err;
        }
    }
    /** Every established connection (or a room's members) of the cluster exactly once. False when a bus could not carry it. */
    fanOut(data, opcode, except, room) {
        const op = opcodeFor(data, opcode);
        // The other workers first: they fan out in parallel while this one writes its own share.
        let sent = true;
        if (this.router) {
            const msg = { t: 'broadcast', op, data: remotePayload(data), ...(except.length ? { except } : {}), ...(room !== undefined ? { room } : {}) };
            sent = this.router.broadcast(msg) === 'ok';
            // A large share here would hold the bus message until the end of the turn: send it now.
            // Small ones (a room of a few) keep coalescing with the turn's other bus traffic.
            if (this.local.fanOutSize(room) >= EARLY_BUS_FLUSH)
                this.router.flush();
        }
        this.local.broadcast(op, toBuffer(data), except, room);
        return sent;
    }
    room(room) {
        const except = [];
        const target = {
            except: (fds) => {
                except.push(...toList(fds));
                return target;
            },
            push: (data, opcode) => this.fanOut(data, opcode, except, room),
        };
        return target;
    }
    /** Every fd bound to uid, wherever they are: one bus message per worker. */
    pushToUid(uid, data, opcode) {
        const op = opcodeFor(data, opcode);
        const sent = this.router ? this.router.broadcast({ t: 'call', method: 'pushUid', args: [uid, remotePayload(data), op], rid: 0 }) === 'ok' : true;
        this.local.pushUid(uid, toBuffer(data), op);
        return sent;
    }
    /** Every fd bound to uid across the cluster. */
    async fdsByUid(uid) {
        if (this.sessions)
            return this.sessions.fdsByUid(uid);
        const remote = await this.gather('fdsByUid', [uid]);
        return [...this.local.fdsOf(uid), ...remote.flat()];
    }
    /** The established fds of the whole cluster. */
    async allConnections() {
        if (this.sessions)
            return this.sessions.all();
        const lists = await this.gather('fds', []);
        return [...this.local.fds(), ...lists.flat()];
    }
    /**
     * To another worker's `pipeMessage` callback (Swoole's sendMessage). workerId is the slot on
     * this node, or node * 256 + slot for a worker of another node; false for this worker itself.
     */
    pipe(workerId, src, data) {
        if (!this.router)
            return false;
        const to = { node: workerId >= 256 ? Math.floor(workerId / 256) : this.router.self.node, slot: workerId % 256 };
        if (this.router.isSelf(to))
            return false; // as Swoole: not to yourself
        return this.router.send(to, { t: 'pipe', src, data }) === 'ok';
    }
    /** Asks every other worker of the cluster for a list and waits (bounded) for the answers. */
    async gather(method, args) {
        if (!this.router)
            return [];
        const peers = this.peers().filter((p) => !this.router.isSelf(p));
        const answers = await Promise.all(peers.map((to) => this.router.request(to, { t: 'call', method, args, rid: 0 }).catch(() => null)));
        return answers.filter((a) => Array.isArray(a));
    }
    /** The workers this one can ask: every slot of this node (other nodes come with the Redis session table). */
    peers() {
        const node = this.router?.self.node ?? 0;
        return Array.from({ length: this.workerCount }, (_, slot) => ({ node, slot }));
    }
}
//# sourceMappingURL=cluster-calls.js.map