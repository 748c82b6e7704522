/** The one list of Redis key and channel names (src/shared/redis-keys.ts): names other nodes of
 * older releases read too, so they must not change by accident. */
import { describe, expect, it } from 'vitest';
import { busChannels } from '../src/shared/bus/redis-bus.ts';
import { ClusterKeys, CLUSTER_NAME, checkPrefixName } from '../src/shared/redis-keys.ts';

describe('ClusterKeys', () => {
  it('names every key and channel under the cluster prefix', () => {
    const k = ClusterKeys.of('prod');
    expect([k.nodeSeq, k.node(7), k.sessionSeq(7), k.stats(7)]).toEqual(['prod:node-seq', 'prod:node:7', 'prod:seq:7', 'prod:stats:7']);
    expect([k.workerChannel({ node: 7, slot: 2 }), k.broadcastChannel]).toEqual(['prod:w:7:2', 'prod:all']);
    expect([k.session(42), k.workerSessions(7, 2), k.nodeWorkers(7), k.uidSessions('alice'), k.sessionNodes]).toEqual(['prod:s:42', 'prod:ws:7:2', 'prod:nw:7', 'prod:u:alice', 'prod:sn']);
    expect(k.nodeIdOf(k.node(4095))).toBe(4095);
    expect(k.emitterSeq).toBe('prod:emitter-seq');
  });

  it('with a hash tag (Redis Cluster), every name shares one slot: {name}', () => {
    const k = ClusterKeys.forConfig({ clusterName: 'prod', redisSharded: true });
    expect([k.node(1), k.broadcastChannel, k.session(3)]).toEqual(['{prod}:node:1', '{prod}:all', '{prod}:s:3']);
    expect(busChannels('prod', true).worker({ node: 1, slot: 0 })).toBe('{prod}:w:1:0');
  });

  it('matches lease keys literally in SCAN patterns, and refuses names that cannot prefix keys', () => {
    expect(new ClusterKeys('a*b').nodePattern).toBe('a\\*b:node:*');
    expect(new ClusterKeys('{a?}').nodePattern).toBe('{a\\?}:node:*');
    expect(() => checkPrefixName('a b', 'bus')).toThrow(/bus prefix must be non-empty/);
    expect(() => checkPrefixName('a{b}', 'bus')).toThrow(RangeError);
    expect(CLUSTER_NAME.test('prod-eu.1')).toBe(true);
    expect(CLUSTER_NAME.test('a{b}')).toBe(false);
  });
});
