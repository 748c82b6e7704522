import { describe, expect, it } from 'vitest';
import { keySlot, parseSlots } from '../../src/shared/bus/shard-map.ts';
import { SEQ_BYTES, StreamJudge, StreamStamper } from '../../src/shared/bus/stream-order.ts';

describe('per-channel sequence numbers (stream-order.ts)', () => {
  it('stamps epoch and a per-channel sequence', () => {
    const s = new StreamStamper(7);
    const buf = Buffer.alloc(SEQ_BYTES * 3);
    s.stamp(buf, 0, 'a');
    s.stamp(buf, 8, 'a');
    s.stamp(buf, 16, 'b');
    expect([buf.readUInt32BE(0), buf.readUInt32BE(4), buf.readUInt32BE(12), buf.readUInt32BE(20)]).toEqual([7, 1, 2, 1]);
  });

  it('delivers next and gaps, drops duplicates and late ones, counts each', () => {
    const j = new StreamJudge();
    const v = (seq: number, epoch = 1) => j.judge('x', epoch, seq).verdict;
    expect([v(1), v(2), v(5), v(5), v(3), v(6)]).toEqual(['first', 'next', 'gap', 'duplicate', 'reordered', 'next']);
    expect(j.counts).toEqual({ gaps: 1, lost: 2, duplicates: 1, reordered: 1 });
    expect(v(1, 2)).toBe('restarted'); // a new epoch: the sender restarted, tracking starts again
    expect(StreamJudge.deliverable('reordered')).toBe(false);
    expect(StreamJudge.deliverable('gap')).toBe(true);
  });

  it('compares modulo 2^32 across the wrap', () => {
    const j = new StreamJudge();
    j.judge('w', 1, 0xffff_fffe);
    expect(j.judge('w', 1, 0xffff_ffff).verdict).toBe('next');
    expect(j.judge('w', 1, 0).verdict).toBe('next');
    expect(j.judge('w', 1, 0xffff_fff0).verdict).toBe('reordered');
  });
});

describe('Redis Cluster hash slots (shard-map.ts)', () => {
  it('matches the cluster spec: CRC16 mod 16384, only the {tag} when it has one', () => {
    expect(keySlot('123456789')).toBe(0x31c3 % 16384); // the spec's CRC16 check value
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    expect(keySlot('foo{}{bar}')).toBe(keySlot('foo{}{bar}')); // empty tag: the whole key
    expect(keySlot('{sy:n3}:w:3:0')).toBe(keySlot('{sy:n3}:s:1'));
  });

  it('reads CLUSTER SLOTS into a map (an empty host is the node asked)', () => {
    const asked = { host: '127.0.0.1', port: 7000, tls: false };
    const map = parseSlots([[0, 8191, ['', 7000]], [8192, 16383, ['127.0.0.1', 7001, 'id']]], asked);
    expect(map.masterOf(0)?.id).toBe('127.0.0.1:7000');
    expect(map.masterOf(16383)?.id).toBe('127.0.0.1:7001');
    expect(map.complete).toBe(true);
    expect([...map.masters().keys()]).toEqual(['127.0.0.1:7000', '127.0.0.1:7001']);
  });
});
