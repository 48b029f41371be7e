import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { rfc3339 } from '../../../api';
import { rawResourceReplicas, resourceReplicas, type PodMetrics } from './hpa-replica-calculator';

const NOW = Date.parse('2026-01-01T00:10:00Z');

function pod(name: string, o: { phase?: string; request?: string | null; startedAgo?: number; readySince?: number; ready?: boolean } = {}): Pod {
  const started = NOW - (o.startedAgo ?? 600_000);
  return {
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'x', resources: o.request === null ? {} : { requests: { cpu: o.request ?? '100m', memory: '64Mi' } } }] },
    status: {
      phase: o.phase ?? 'Running',
      startTime: rfc3339(started),
      conditions: o.phase === 'Pending' ? [] : [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: rfc3339(o.readySince ?? started + 5_000) }],
    },
  };
}
const metrics = (m: Record<string, number>, window = 15_000): PodMetrics => new Map(Object.entries(m).map(([k, v]) => [k, { value: v, timestamp: NOW, window }]));
const calc = (pods: Pod[], m: PodMetrics, current: number, target: number) => resourceReplicas({ currentReplicas: current, pods, metrics: m, resource: 'cpu', now: NOW }, target);

describe('replica calculator (Resource Utilization)', () => {
  it('scales to ceil(usage ratio × ready pods) and reports utilization and the raw average', () => {
    expect(calc([pod('a'), pod('b')], metrics({ a: 200, b: 200 }), 2, 50)).toEqual({ replicas: 8, utilization: 200, rawAverage: 200 });
    expect(calc([pod('a'), pod('b'), pod('c')], metrics({ a: 10, b: 20, c: 30 }), 3, 50)).toEqual({ replicas: 2, utilization: 20, rawAverage: 20 });
  });

  it('keeps the current count within the 0.1 tolerance', () => {
    expect(calc([pod('a'), pod('b')], metrics({ a: 54, b: 54 }), 2, 50).replicas).toBe(2);
    expect(calc([pod('a'), pod('b')], metrics({ a: 56, b: 56 }), 2, 50).replicas).toBe(3);
  });

  it('on a scale down counts pods without metrics as using 100% of their request', () => {
    // Without c: ceil(0.2 × 2) = 1. With c at its request: (10+10+100)/300 = 40% → ceil(0.8 × 3) = 3 = current.
    expect(calc([pod('a'), pod('b'), pod('c')], metrics({ a: 10, b: 10 }), 3, 50).replicas).toBe(3);
  });

  it('on a scale up counts missing and unready pods as 0 and never flips direction', () => {
    // a alone is at 140% of target; with the Pending b at 0 the ratio drops below 1: stay at 1.
    expect(calc([pod('a', { request: '100m' }), pod('b', { phase: 'Pending' })], metrics({ a: 70 }), 1, 50).replicas).toBe(1);
    // missing metrics for c on a scale up: (200+200+0)/300 → ceil(2.67 × 3) = 8
    expect(calc([pod('a'), pod('b'), pod('c')], metrics({ a: 200, b: 200 }), 3, 50).replicas).toBe(8);
  });

  it('ignores cpu samples of pods in their initialization period taken less than a window after becoming ready', () => {
    const young = pod('b', { startedAgo: 60_000, readySince: NOW - 5_000 });
    // b's sample is ignored (unready); a alone: 100/100 = 100% of 50 → ratio 2, b counts 0 → 50% → stays 2
    expect(calc([pod('a'), young], metrics({ a: 100, b: 900 }), 2, 50).replicas).toBe(2);
    const settled = pod('b', { startedAgo: 60_000, readySince: NOW - 40_000 });
    expect(calc([pod('a'), settled], metrics({ a: 100, b: 900 }), 2, 50).replicas).toBe(20);
  });

  it('ignores deleted and Failed pods', () => {
    const gone = { ...pod('b'), metadata: { name: 'b', deletionTimestamp: rfc3339(NOW) } };
    expect(calc([pod('a'), gone, pod('c', { phase: 'Failed' })], metrics({ a: 100, b: 900, c: 900 }), 1, 50).replicas).toBe(2);
  });

  it('fails with kube’s texts', () => {
    expect(() => calc([pod('a')], metrics({}), 1, 50)).toThrow('unable to get metrics for resource cpu: no metrics returned from resource metrics API');
    expect(() => calc([], metrics({ a: 1 }), 1, 50)).toThrow('no pods returned by selector while calculating replica count');
    expect(() => calc([pod('a', { request: null })], metrics({ a: 1 }), 1, 50)).toThrow('missing request for cpu in container c of Pod a');
    expect(() => calc([pod('a', { phase: 'Pending' })], metrics({ a: 1 }), 1, 50)).toThrow('did not receive metrics for targeted pods (pods might be unready)');
  });
});

describe('replica calculator (Resource AverageValue)', () => {
  it('scales on the average usage per pod against the target value', () => {
    expect(rawResourceReplicas({ currentReplicas: 2, pods: [pod('a'), pod('b')], metrics: metrics({ a: 300, b: 300 }), resource: 'cpu', now: NOW }, 100)).toEqual({ replicas: 6, utilization: 0, rawAverage: 300 });
    expect(rawResourceReplicas({ currentReplicas: 2, pods: [pod('a'), pod('b')], metrics: metrics({ a: 105, b: 100 }), resource: 'cpu', now: NOW }, 100).replicas).toBe(2);
  });

  it('on a scale down counts pods without metrics at the target value', () => {
    // a at 10 of 100: alone → 1; with b at the target: (10+100)/2 = 55 → ceil(0.55 × 2) = 2
    expect(rawResourceReplicas({ currentReplicas: 2, pods: [pod('a'), pod('b')], metrics: metrics({ a: 10 }), resource: 'cpu', now: NOW }, 100).replicas).toBe(2);
  });
});
