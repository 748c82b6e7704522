import { describe, expect, it } from 'vitest';
import { EMPTY_COUNTERS } from '../src/shared/cluster-messages.ts';
import { emptyWorkerMetrics, isNodeMetrics, metricFamilies, renderMetrics, type NodeMetrics } from '../src/shared/metrics/catalogue.ts';
import { formatValue, renderExposition } from '../src/shared/metrics/exposition.ts';
import { Histogram } from '../src/shared/metrics/histogram.ts';
import { closeCodeSlot, CLOSE_CODES, HANDSHAKE_STATUSES, statusSlot, WorkerMeters } from '../src/shared/metrics/worker-meters.ts';
import { parseExposition, sampleValue, total } from './helpers/exposition.ts';

describe('exposition renderer', () => {
  it('escapes label values (backslash, quote, newline) and HELP text, and reads back the same', () => {
    const text = renderExposition([{ name: 'x_total', help: 'a \\ b\nc "q"', type: 'counter', samples: [{ labels: { path: 'C:\\dir "x"\nnext' }, value: 3 }] }]);
    expect(text).toBe('# HELP x_total a \\\\ b\\nc "q"\n# TYPE x_total counter\nx_total{path="C:\\\\dir \\"x\\"\\nnext"} 3\n');
    const p = parseExposition(text);
    expect(p.help.get('x_total')).toBe('a \\ b\nc "q"');
    expect(p.samples).toEqual([{ name: 'x_total', labels: { path: 'C:\\dir "x"\nnext' }, value: 3 }]);
  });

  it('histograms: cumulative buckets, +Inf equal to _count, then _sum and _count', () => {
    const h = new Histogram([0.1, 1, 10]);
    for (const v of [0.05, 0.1, 0.5, 1, 5, 50, 500]) h.observe(v);
    // a value equal to a bound is in that bucket (le: less or equal)
    expect(h.counts).toEqual([2, 2, 1, 2]);
    const text = renderExposition([{ name: 'd_seconds', help: 'd', type: 'histogram', bounds: h.bounds, samples: [{ labels: { slot: '0' }, data: h.data() }] }]);
    expect(text.split('\n').slice(2)).toEqual([
      'd_seconds_bucket{slot="0",le="0.1"} 2',
      'd_seconds_bucket{slot="0",le="1"} 4',
      'd_seconds_bucket{slot="0",le="10"} 5',
      'd_seconds_bucket{slot="0",le="+Inf"} 7',
      `d_seconds_sum{slot="0"} ${0.05 + 0.1 + 0.5 + 1 + 5 + 50 + 500}`,
      'd_seconds_count{slot="0"} 7',
      '',
    ]);
    const p = parseExposition(text);
    expect(sampleValue(p, 'd_seconds_bucket', { slot: '0', le: '+Inf' })).toBe(sampleValue(p, 'd_seconds_count', { slot: '0' }));
  });

  it('special values and programmer errors', () => {
    expect([NaN, Infinity, -Infinity, 0, 1.5e-7, 12].map(formatValue)).toEqual(['NaN', '+Inf', '-Inf', '0', '1.5e-7', '12']);
    expect(() => renderExposition([{ name: 'no_suffix', help: '', type: 'counter', samples: [] }])).toThrow(RangeError);
    expect(() => renderExposition([{ name: 'bad-name', help: '', type: 'gauge', samples: [] }])).toThrow(RangeError);
    expect(() => renderExposition([{ name: 'g', help: '', type: 'gauge', samples: [{ labels: { le: '1' }, value: 1 }] }])).toThrow(RangeError);
    expect(() => renderExposition([{ name: 'g', help: '', type: 'gauge', samples: [] }, { name: 'g', help: '', type: 'gauge', samples: [] }])).toThrow(RangeError);
    expect(() => new Histogram([1, 1])).toThrow(RangeError);
  });
});

describe('worker meters', () => {
  it('bounded label sets: unknown statuses and close codes count as "other"', () => {
    const other = HANDSHAKE_STATUSES.length;
    expect(statusSlot(101)).toBe(0);
    expect([statusSlot(418), statusSlot(-1), statusSlot(600), statusSlot(99999)]).toEqual([other, other, other, other]);
    expect(HANDSHAKE_STATUSES.map(statusSlot)).toEqual(HANDSHAKE_STATUSES.map((_, i) => i));
    expect(CLOSE_CODES.map(closeCodeSlot)).toEqual(CLOSE_CODES.map((_, i) => i));
    expect([1004, 999, 1016, 3000, 4999].map(closeCodeSlot)).toEqual(Array(5).fill(CLOSE_CODES.length));
  });

  it('counts by side and code; slow consumers are summed from the set, not from every connection', () => {
    const m = new WorkerMeters();
    m.answered(101);
    m.answered(426);
    m.answered(418);
    m.closed(1000, 'client');
    m.closed(4000, 'client');
    m.closed(1008, 'server');
    m.localPushes.written += 2;
    m.slow.add({ bufferedAmount: 100 });
    m.slow.add({ bufferedAmount: 23 });
    const s = m.snapshot({ residentBytes: 1, cpuSeconds: 2, busRejected: 3 });
    expect(s.busRejected).toBe(3);
    expect(s.handshakes[statusSlot(101)]).toBe(1);
    expect(s.handshakes[statusSlot(426)]).toBe(1);
    expect(s.handshakes[HANDSHAKE_STATUSES.length]).toBe(1);
    expect(s.closesReceived[closeCodeSlot(1000)]).toBe(1);
    expect(s.closesReceived[CLOSE_CODES.length]).toBe(1);
    expect(s.closesSent[closeCodeSlot(1008)]).toBe(1);
    expect(s.localPushes[0]).toBe(2);
    expect([s.slowConsumers, s.slowConsumerBytes]).toEqual([2, 123]);
  });
});

function node(id: number, workers: number): NodeMetrics {
  return {
    node: id,
    startTime: 1_700_000_000,
    accepted: 5,
    handoffFailed: 0,
    unavailable: 0,
    nodeConnections: 0,
    refused: { maxConnection: 0, perIp: 0, rate: 0, flood: 0 },
    residentBytes: 1e8,
    cpuSeconds: 1.5,
    workers: Array.from({ length: workers }, (_, slot) => ({ slot, up: true, restarts: slot, counters: { ...EMPTY_COUNTERS, connections: slot + 1, messagesIn: 10 * (slot + 1) }, metrics: emptyWorkerMetrics() })),
  };
}

describe('the catalogue', () => {
  it('every family: a switchyard_ name, HELP and TYPE, counters in _total, one series per node and slot', () => {
    const text = renderMetrics([node(1, 2), node(0, 2)]);
    const p = parseExposition(text);
    for (const [name, type] of p.type) {
      expect(name).toMatch(/^switchyard_/);
      expect(p.help.get(name)?.length).toBeGreaterThan(0);
      if (type === 'counter') expect(name).toMatch(/_total$/);
    }
    expect(sampleValue(p, 'switchyard_connections', { node: '1', slot: '1' })).toBe(2);
    expect(total(p, 'switchyard_messages_received_total')).toBe(60);
    expect(total(p, 'switchyard_worker_restarts_total', { node: '0' })).toBe(1);
    expect(p.samples.filter((s) => s.name === 'switchyard_handshakes_total' && s.labels.node === '0' && s.labels.slot === '0').map((s) => s.labels.status)).toEqual([...HANDSHAKE_STATUSES.map(String), 'other']);
    // nodes sorted
    expect(p.samples.find((s) => s.name === 'switchyard_connections')!.labels).toEqual({ node: '0', slot: '0' });
    expect(metricFamilies([]).every((f) => f.samples.length === 0)).toBe(true);
  });

  it('what another node published is checked before it is rendered', () => {
    const good = JSON.parse(JSON.stringify(node(3, 1))) as unknown;
    expect(isNodeMetrics(good)).toBe(true);
    const bad: unknown[] = [null, 7, { ...node(3, 1), node: 'x' }, { ...node(3, 1), workers: [{ slot: 0 }] }];
    const n = node(3, 1);
    n.workers[0]!.metrics.handshakes.pop();
    bad.push(n);
    const m = node(3, 1);
    const { messagesOut: _dropped, ...partial } = m.workers[0]!.counters;
    bad.push({ ...m, workers: [{ ...m.workers[0]!, counters: partial }] });
    for (const b of bad) expect(isNodeMetrics(b)).toBe(false);
  });
});
