/**
 * The session table's Lua scripts: each keeps the hashes, worker sets, node sets and uid sets
 * consistent in one atomic step. They build key names from the prefix as redis-keys.ts lists
 * them (ClusterKeys; test/session-table/redis-session-table.test.ts holds the two together).
 */
/** Every script is called with its prefix as its one key (KEYS[1], so a Redis Cluster routes it
 * to the prefix's slot) and again as ARGV[1]. */
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
/** ARGV[2..]: a | fd node slot addr port t;  s | fd node slot addr port t uid ('' = none: a re-write);
 * r | fd node slot;  b | fd uid;  u | fd. fds stay strings (Lua would print 2^52 as 4.5e+15).
 * -> binds that found no session (the table lost it: the caller re-writes). */
export const APPLY = `${LIB}
local i, missed = 2, 0
while i <= #ARGV do
  local op, fd = ARGV[i], ARGV[i + 1]
  local k = p .. ':s:' .. fd
  if op == 'a' or op == 's' then
    local node, slot = ARGV[i + 2], ARGV[i + 3]
    drop(fd)
    redis.call('HSET', k, 'node', node, 'slot', slot, 'addr', ARGV[i + 4], 'port', ARGV[i + 5], 't', ARGV[i + 6])
    redis.call('SADD', p .. ':ws:' .. node .. ':' .. slot, fd)
    redis.call('SADD', p .. ':nw:' .. node, slot)
    redis.call('SADD', p .. ':sn', node)
    i = i + 7
    if op == 's' then
      if ARGV[i] ~= '' then
        redis.call('HSET', k, 'uid', ARGV[i])
        redis.call('SADD', p .. ':u:' .. ARGV[i], fd)
      end
      i = i + 1
    end
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
      else
        missed = missed + 1
      end
      i = i + 3
    else
      i = i + 2
    end
  end
end
return missed`;
/** ARGV[2] node, ARGV[3] slot ('' = every slot of the node), ARGV[4] step, ARGV[5] the node's
 * lease key ('' = none): a node that holds its lease again is not purged (it re-writes its sessions).
 * -> {hashes dropped, 1 once nothing is left to purge} */
export const PURGE = `${LIB}
local node, only, limit = ARGV[2], ARGV[3], tonumber(ARGV[4])
if ARGV[5] ~= '' and redis.call('EXISTS', ARGV[5]) == 1 then return {0, 1} end
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
export const SCAN = `${LIB}
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
/** Partitioned tables only (a Redis Cluster): KEYS[1] P:sn, KEYS[2] the node's lease, ARGV[1]
 * the node. Drops the node from P:sn unless it holds a lease again (both keys in P's slot). */
export const PRUNE_NODE = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
return redis.call('SREM', KEYS[1], ARGV[1])`;
//# sourceMappingURL=redis-scripts.js.map