import { describe, expect, it } from 'vitest';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { FakeClock } from '../../api';
import { type FilterPlugin, type Profile } from './framework';
import { schedulePod } from './schedule-pod';
import { NodeInfoCache } from './node-info-cache';
import { defaultProfile, nodeResources } from './plugins';
import { SchedulingQueue } from './scheduling-queue';

/** The contracts the scheduling cycle's shortcuts rely on: PreFilter Skip, per-NodeInfo memos, queue order read once. */

const node = (name: string, cpu = '4'): Node => ({
  metadata: { name, labels: { 'kubernetes.io/hostname': name } },
  status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { cpu, memory: '8Gi', pods: '110' } },
});
const pod = (name: string, cpu: string, spec: Partial<Pod['spec']> = {}): Pod => ({
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'pause', resources: { requests: { cpu } } }], ...spec },
});

describe('scheduling cycle shortcuts', () => {
  it('a filter whose skip() is true is not called, yet shows as passed in the diagnosis', () => {
    let calls = 0;
    const counting: FilterPlugin = { name: 'Counting', skip: (p) => !p.metadata?.labels?.count, filter: () => (calls++, null) };
    const profile: Profile = { ...defaultProfile(), filters: [...defaultProfile().filters, counting] };
    const cache = new NodeInfoCache();
    for (const n of ['a', 'b', 'c']) cache.setNode(node(n));
    const skipped = schedulePod(profile, pod('p', '100m'), cache.list());
    expect(skipped.ok).toBe(true);
    expect(calls).toBe(0);
    expect(skipped.diagnosis.nodes[0].filters.find((f) => f.plugin === 'Counting')).toEqual({ plugin: 'Counting', passed: true });
    schedulePod(profile, { ...pod('q', '100m'), metadata: { name: 'q', namespace: 'default', labels: { count: 'y' } } }, cache.list());
    expect(calls).toBe(3);
  });

  it('skipped NodePorts/NodeName/affinity filters still reject when the pod uses them', () => {
    const cache = new NodeInfoCache();
    for (const n of ['a', 'b']) cache.setNode(node(n));
    cache.setPod(pod('web', '100m', { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }] }), 'a');
    const withPort = pod('p', '100m', { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }] });
    const r = schedulePod(defaultProfile(), withPort, cache.list());
    expect(r.ok && r.node).toBe('b');
    const named = schedulePod(defaultProfile(), pod('n', '100m', { nodeName: 'a' }), cache.list());
    expect(named.ok && named.node).toBe('a');
  });

  it('a NodeInfo’s resource sums follow the pods placed on it (memo is per NodeInfo object)', () => {
    const cache = new NodeInfoCache();
    cache.setNode(node('a', '1'));
    expect(nodeResources(cache.get('a')!).exact.get('cpu') ?? 0).toBe(0);
    cache.setPod(pod('x', '600m'), 'a');
    expect(nodeResources(cache.get('a')!).exact.get('cpu')).toBe(600);
    const r = schedulePod(defaultProfile(), pod('y', '600m'), cache.list());
    expect(r.ok ? '' : r.message).toBe('0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
    cache.removePod('default/x');
    expect(nodeResources(cache.get('a')!).exact.get('cpu') ?? 0).toBe(0);
    expect(schedulePod(defaultProfile(), pod('y', '600m'), cache.list()).ok).toBe(true);
  });

  it('the queue reads a pod’s order once, when it enters activeQ, and keeps arrival order among equals', async () => {
    const reads: string[] = [];
    const q = new SchedulingQueue(new FakeClock(), (k) => {
      reads.push(k);
      return { priority: k.startsWith('hi') ? 10 : 0, timestamp: 0 };
    });
    for (const k of ['lo1', 'lo2', 'hi1', 'lo3', 'hi2']) q.add(k);
    expect(reads).toEqual(['lo1', 'lo2', 'hi1', 'lo3', 'hi2']);
    const out: string[] = [];
    for (let i = 0; i < 5; i++) {
      const k = (await q.pop())!;
      out.push(k);
      q.done(k);
    }
    expect(out).toEqual(['hi1', 'hi2', 'lo1', 'lo2', 'lo3']);
    q.dispose();
  });
});
