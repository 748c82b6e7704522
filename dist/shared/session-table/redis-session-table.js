import { pino } from 'pino';
import { SwitchyardError } from '../errors.js';
import { decodeFd, nodeOf, slotOf } from '../session-id.js';
const CHUNK_OPS = 1000;
const PURGE_STEP = 500;
/** Shared Lua: ARGV[1] is the prefix; drop() forgets one fd's hash and uid entry. */
const LIB = `
local p = ARGV[1]
local function drop(fd)
  local k = p .. ':s:' .. fd
  local uid = redis.call('HGET', k, 'uid')
  if uid then redis.call('SREM', p .. ':u:' .. uid, fd) end
  return redis.call('DEL', k)
end
local function tidy(node, slot) -- an emptied worker set leaves P:nw, an emptied node P:sn
  local nw = p .. ':nw:' .. node
  if redis.call('EXISTS', p .. ':ws:' .. node .. ':' .. slot) == 0 then redis.call('SREM', nw, slot) end
  if redis.call('EXISTS', nw) == 0 then redis.call('SREM', p .. ':sn', node) end
end
`;
/** ARGV[2..]: a | fd node slot addr port t;  r | fd node slot;  b | fd uid;  u | fd. fds stay strings (Lua would print 2^52 as 4.5e+15). */
const APPLY = `${LIB}
local i = 2
while i <= #ARGV do
  local op, fd = ARGV[i], ARGV[i + 1]
  local k = p .. ':s:' .. fd
  if op == 'a' then
    local node, slot = ARGV[i + 2], ARGV[i + 3]
    drop(fd)
    redis.call('HSET', k, 'node', node, 'slot', slot, 'addr', ARGV[i + 4], 'port', ARGV[i + 5], 't', ARGV[i + 6])
    redis.call('SADD', p .. ':ws:' .. node .. ':' .. slot, fd)
    redis.call('SADD', p .. ':nw:' .. node, slot)
    redis.call('SADD', p .. ':sn', node)
    i = i + 7
  elseif op == 'r' then
    drop(fd)
    redis.call('SREM', p .. ':ws:' .. ARGV[i + 2] .. ':' .. ARGV[i + 3], fd)
    tidy(ARGV[i + 2], ARGV[i + 3])
    i = i + 4
  else
    local old = redis.call('HGET', k, 'uid')
    if old then redis.call('SREM', p .. ':u:' .. old, fd) redis.call('HDEL', k, 'uid') end
    if op == 'b' then
      if redis.call('EXISTS', k) == 1 then
        redis.call('HSET', k, 'uid', ARGV[i + 2])
        redis.call('SADD', p .. ':u:' .. ARGV[i + 2], fd)
      end
      i = i + 3
    else
      i = i + 2
    end
  end
end
return 0`;
/** ARGV[2] node, ARGV[3] slot ('' = every slot of the node), ARGV[4] step.
 * -> {hashes dropped, 1 once nothing is left to purge} */
const PURGE = `${LIB}
local node, only, limit = ARGV[2], ARGV[3], tonumber(ARGV[4])
local nw = p .. ':nw:' .. node
local n, dropped = 0, 0
repeat
  local slot = only
  if only == '' then slot = redis.call('SRANDMEMBER', nw) end
  if not slot then break end
  local fds = redis.call('SPOP', p .. ':ws:' .. node .. ':' .. slot, limit - n)
  for _, fd in ipairs(fds) do dropped = dropped + drop(fd) end
  n = n + #fds
  tidy(node, slot)
until only ~= '' or n >= limit
if only == '' and redis.call('EXISTS', nw) == 0 then redis.call('SREM', p .. ':sn', node) end
local left = nw
if only ~= '' then left = p .. ':ws:' .. node .. ':' .. only end
return {dropped, 1 - redis.call('EXISTS', left)}`;
/** ARGV[2] 'fds' -> every fd; 'count' -> {node, sessions of one of its workers, ...} */
const SCAN = `${LIB}
local out = {}
for _, node in ipairs(redis.call('SMEMBERS', p .. ':sn')) do
  for _, slot in ipairs(redis.call('SMEMBERS', p .. ':nw:' .. node)) do
    local ws = p .. ':ws:' .. node .. ':' .. slot
    if ARGV[2] == 'count' then
      out[#out + 1] = node
      out[#out + 1] = redis.call('SCARD', ws)
    else
      for _, fd in ipairs(redis.call('SMEMBERS', ws)) do out[#out + 1] = fd end
    end
  end
end
return out`;
export class RedisSessionTable {
    redis;
    p;
    isAlive;
    log;
    ownsClient;
    aliveCacheMs;
    timeoutMs;
    maxPendingOps;
    aliveCache = new Map();
    chunks = [];
    scheduled = false;
    pendingOps = 0;
    inflight = new Set();
    failing = false;
    overloaded = false;
    counts = { batches: 0, written: 0, failed: 0, dropped: 0 };
    closed = null;
    constructor(options) {
        const { prefix } = options;
        if (!/^[^\s{}]+$/.test(prefix))
            throw new RangeError(`session table prefix must be non-empty, without spaces or braces: "${prefix}"`);
        this.redis = options.redis;
        this.p = options.hashTag ? `{${prefix}}` : prefix;
        this.isAlive = options.isAlive;
        this.log = (options.log ?? pino({ level: 'silent' })).child({ sessionTable: 'redis' });
        this.ownsClient = options.ownsClient ?? false;
        this.aliveCacheMs = options.aliveCacheMs ?? 1000;
        this.timeoutMs = options.timeoutMs ?? 2000;
        this.maxPendingOps = options.maxPendingOps ?? 100_000;
    }
    stats() {
        return { ...this.counts };
    }
    add(s) {
        const parts = decodeFd(s.fd);
        if (!parts || parts.node !== s.node || parts.slot !== s.slot)
            return void this.counts.dropped++;
        this.enqueue(s.fd, 'a', s.node, s.slot, s.remoteAddress, s.remotePort, s.connectTime);
    }
    remove(fd) {
        this.enqueue(fd, 'r', nodeOf(fd), slotOf(fd));
    }
    bind(fd, uid) {
        this.enqueue(fd, 'b', uid);
    }
    unbind(fd) {
        this.enqueue(fd, 'u');
    }
    fdsByUid(uid) {
        return this.read('fdsByUid', async () => this.live((await this.redis.smembers(`${this.p}:u:${uid}`)).map(Number)));
    }
    get(fd) {
        return this.read('get', async () => {
            if (!decodeFd(fd))
                return null;
            const [h, alive] = await Promise.all([this.redis.hgetall(`${this.p}:s:${fd}`), this.alive(nodeOf(fd))]);
            if (!alive || h.node === undefined)
                return null;
            return { fd, node: Number(h.node), slot: Number(h.slot), remoteAddress: h.addr ?? '', remotePort: Number(h.port), connectTime: Number(h.t), uid: h.uid ?? null };
        });
    }
    all() {
        return this.read('all', async () => this.live((await this.redis.eval(SCAN, 0, this.p, 'fds')).map(Number)));
    }
    count() {
        return this.read('count', async () => {
            const flat = (await this.redis.eval(SCAN, 0, this.p, 'count'));
            const perWorker = [];
            for (let i = 0; i < flat.length; i += 2) {
                const n = Number(flat[i + 1]);
                perWorker.push(this.alive(Number(flat[i])).then((alive) => (alive ? n : 0)));
            }
            return (await Promise.all(perWorker)).reduce((a, b) => a + b, 0);
        });
    }
    async purgeWorker(node, slot) {
        if (!Number.isInteger(node) || !Number.isInteger(slot))
            return 0;
        return this.purge(node, String(slot));
    }
    async purgeDeadNodes() {
        const nodes = (await this.read('purgeDeadNodes', () => this.redis.smembers(`${this.p}:sn`))).map(Number);
        // A fresh answer, never the cache: purging is not undone if we were wrong.
        const alive = await this.read('purgeDeadNodes', () => Promise.all(nodes.map((n) => this.alive(n, true))));
        const dead = nodes.filter((_, i) => !alive[i]);
        const dropped = await Promise.all(dead.map((n) => this.purge(n, '')));
        if (dead.length > 0)
            this.log.info({ nodes: dead, sessions: dropped.reduce((a, b) => a + b, 0) }, 'purged the sessions of dead nodes');
        return dead.sort((a, b) => a - b);
    }
    close() {
        this.closed ??= this.shutdown();
        return this.closed;
    }
    /** Runs PURGE steps until the node (or its one worker) is empty. */
    async purge(node, slot) {
        let dropped = 0;
        for (;;) {
            const [n, done] = await this.read('purge', () => this.redis.eval(PURGE, 0, this.p, String(node), slot, PURGE_STEP));
            dropped += n ?? 0;
            if (done === 1)
                return dropped;
        }
    }
    /** The fds of live nodes, ascending. */
    async live(fds) {
        const nodes = [...new Set(fds.map(nodeOf))];
        const alive = await Promise.all(nodes.map((n) => this.alive(n)));
        const dead = new Set(nodes.filter((_, i) => !alive[i]));
        return fds.filter((fd) => !dead.has(nodeOf(fd))).sort((a, b) => a - b);
    }
    alive(node, fresh = false) {
        const now = Date.now();
        const cached = this.aliveCache.get(node);
        if (!fresh && cached && cached.until > now)
            return cached.alive;
        const alive = Promise.resolve().then(() => this.isAlive(node));
        const entry = { until: now + this.aliveCacheMs, alive };
        this.aliveCache.set(node, entry);
        alive.catch(() => this.aliveCache.get(node) === entry && this.aliveCache.delete(node)); // never cache a failure
        return alive;
    }
    /** Sends pending writes (so this read sees them), then runs `work` within timeoutMs. */
    read(what, work) {
        if (this.closed)
            return Promise.reject(new SwitchyardError('ERR_SESSION_TABLE_CLOSED', `session table closed: ${what} refused`));
        this.flush();
        if (this.redis.status === 'end')
            return Promise.reject(unavailable(what, 'the Redis connection is closed for good'));
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(unavailable(what, `no answer from Redis within ${this.timeoutMs} ms`)), this.timeoutMs);
            work().then((value) => (clearTimeout(timer), resolve(value)), (err) => (clearTimeout(timer), reject(err instanceof SwitchyardError ? err : unavailable(what, err.message))));
        });
    }
    /** Queues one op for APPLY: op name, fd, then its arguments (all sent as strings). */
    enqueue(fd, op, ...args) {
        if (this.closed || !decodeFd(fd))
            return void this.counts.dropped++;
        if (this.pendingOps >= this.maxPendingOps) {
            if (!this.overloaded)
                this.log.error({ maxPendingOps: this.maxPendingOps }, 'session table writes dropped: too many awaiting Redis (logged once until there is room)');
            this.overloaded = true;
            return void this.counts.dropped++;
        }
        this.overloaded = false;
        this.pendingOps++;
        let last = this.chunks[this.chunks.length - 1];
        if (!last || last.ops >= CHUNK_OPS)
            this.chunks.push((last = { args: [], ops: 0 }));
        last.args.push(op, String(fd));
        for (const a of args)
            last.args.push(String(a));
        last.ops++;
        if (!this.scheduled)
            setImmediate(() => this.flush());
        this.scheduled = true;
    }
    /** Sends every queued write now (not in a microtask: a read issued next must queue behind them), one EVAL per chunk. */
    flush() {
        this.scheduled = false;
        if (this.chunks.length === 0)
            return;
        this.counts.batches++;
        for (const { args, ops } of this.chunks.splice(0)) {
            let reply;
            try {
                reply = this.redis.eval(APPLY, 0, this.p, ...args);
            }
            catch (err) {
                reply = Promise.reject(err);
            }
            const sent = reply.then(() => this.settle(sent, ops, null), (err) => this.settle(sent, ops, err));
            this.inflight.add(sent);
        }
    }
    /** Counts a chunk's outcome; failures are logged once per streak. */
    settle(sent, ops, err) {
        this.inflight.delete(sent);
        this.pendingOps -= ops;
        if (err) {
            this.counts.failed += ops;
            if (!this.failing)
                this.log.warn({ err: err.message, ops }, 'session table writes failed (lost; logged once until they work again)');
        }
        else {
            this.counts.written += ops;
            if (this.failing)
                this.log.info({ failed: this.counts.failed }, 'session table writes work again');
        }
        this.failing = err !== null;
    }
    async shutdown() {
        this.flush();
        let timer;
        const timedOut = new Promise((resolve) => (timer = setTimeout(resolve, this.timeoutMs, true)));
        if (await Promise.race([Promise.allSettled([...this.inflight]).then(() => false), timedOut])) {
            this.log.warn({ ops: this.pendingOps }, 'session table closed with writes still awaiting Redis');
        }
        clearTimeout(timer);
        if (!this.ownsClient)
            return;
        if (this.redis.status !== 'ready')
            return void this.redis.disconnect();
        await this.redis.quit().catch(() => this.redis.disconnect());
    }
}
function unavailable(what, why) {
    return new SwitchyardError('ERR_SESSION_TABLE_UNAVAILABLE', `session table ${what} failed: ${why}`);
}
//# sourceMappingURL=redis-session-table.js.map