import type { Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../api';
import type { StatsSummary } from '../../api/stats-summary';
import { diskThresholdBytes, EVICTION_MONITORING_MS, evictedStatus, formatBytes, memoryThresholdBytes, startEvictionManager } from './eviction-manager';

const Mi = 1024 * 1024;
const pod = (name: string, opts: { request?: string; priority?: number } = {}): Pod => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
  spec: { ...(opts.priority !== undefined ? { priority: opts.priority } : {}), containers: [{ name: 'c', image: 'polinux/stress', ...(opts.request ? { resources: { requests: { memory: opts.request } } } : {}) }] },
  status: { phase: 'Running' },
});
const summaryOf = (usage: Record<string, number>): StatsSummary => ({
  node: { nodeName: 'n', cpu: { time: '', usageCoreNanoSeconds: 0 }, memory: { time: '', workingSetBytes: 0, usageBytes: 0 } },
  pods: Object.entries(usage).map(([name, bytes]) => ({
    podRef: { name, namespace: 'default', uid: `uid-${name}` },
    containers: [{ name: 'c', cpu: { time: '', usageCoreNanoSeconds: 0 }, memory: { time: '', workingSetBytes: bytes, usageBytes: bytes } }],
    cpu: { time: '', usageCoreNanoSeconds: 0 },
    memory: { time: '', workingSetBytes: bytes, usageBytes: bytes },
  })),
});

function setup(capacity: number, pods: Pod[], usage: Record<string, number>) {
  const clock = new FakeClock();
  const evicted: Array<{ name: string; message: string }> = [];
  const pressures: boolean[] = [];
  const state = { usage };
  const m = startEvictionManager({
    clock,
    capacityBytes: capacity,
    summary: async () => summaryOf(state.usage),
    activePods: () => pods.filter((p) => !evicted.some((e) => e.name === p.metadata?.name)),
    evict: async (p, message) => void evicted.push({ name: p.metadata?.name ?? '', message }),
    onPressure: (p) => pressures.push(p.memory),
  });
  return { clock, m, evicted, pressures, state };
}

describe('eviction manager', () => {
  it('uses the kubelet default 100Mi on a default node and scales it down for a small one', () => {
    expect(memoryThresholdBytes(8148824 * 1024)).toBe(100 * Mi);
    expect(memoryThresholdBytes(16 * 1024 * Mi)).toBe(100 * Mi);
    expect(memoryThresholdBytes(1024 * Mi)).toBe(13 * Mi);
    expect([formatBytes(100 * Mi), formatBytes(87364 * 1024), formatBytes(0), formatBytes(1000)]).toEqual(['100Mi', '87364Ki', '0', '1000']);
  });

  it('evicts one pod per pass, ranked by usage above requests, priority, then usage; with the kubelet message', async () => {
    const pods = [pod('small', { request: '10Mi' }), pod('big'), pod('guaranteed', { request: '400Mi' }), pod('critical', { priority: 2000000000 })];
    const capacity = 8148824 * 1024;
    const { m, evicted, pressures, state } = setup(capacity, pods, { small: 60 * Mi, big: 0, guaranteed: 300 * Mi, critical: 500 * Mi });
    expect(await m.synchronize()).toBeUndefined();
    expect(m.pressure()).toEqual({ memory: false, disk: false });

    const used = capacity - 80 * Mi;
    state.usage = { small: 60 * Mi, big: used - 60 * Mi - 300 * Mi - 500 * Mi, guaranteed: 300 * Mi, critical: 500 * Mi };
    const victim = await m.synchronize();
    expect(victim?.metadata?.name).toBe('big');
    expect(m.pressure()).toEqual({ memory: true, disk: false });
    expect(pressures).toEqual([true]);
    expect(evicted[0].message).toBe(
      `The node was low on resource: memory. Threshold quantity: 100Mi, available: 80Mi. Container c was using ${formatBytes(state.usage.big - (state.usage.big % 1024))}, request is 0, has larger consumption of memory. `,
    );
    // next pass: still under pressure; 'big' is gone from the active pods; 'small' exceeds its request, the critical one has higher priority
    expect((await m.synchronize())?.metadata?.name).toBe('small');
    expect(evicted[1].message).toContain('Container c was using 60Mi, request is 10Mi, has larger consumption of memory. ');
    expect((await m.synchronize())?.metadata?.name).toBe('critical');
    // memory back: pressure clears, nothing more is evicted
    state.usage = { guaranteed: 300 * Mi };
    expect(await m.synchronize()).toBeUndefined();
    expect(pressures).toEqual([true, false]);
    m.dispose();
  });

  it('runs every monitoring period of the clock', async () => {
    const { clock, evicted, m } = setup(200 * Mi, [pod('hog')], { hog: 199 * Mi });
    await clock.advance(EVICTION_MONITORING_MS);
    await new Promise((r) => setTimeout(r, 0));
    expect(evicted.map((e) => e.name)).toEqual(['hog']);
    m.dispose();
  });

  it('builds the Failed/Evicted status with a DisruptionTarget condition', () => {
    const s = evictedStatus({ phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] }, 'msg', 0);
    expect(s).toMatchObject({ phase: 'Failed', reason: 'Evicted', message: 'msg' });
    expect(s.conditions?.[0]).toMatchObject({ type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message: 'msg' });
    expect(evictedStatus({ phase: 'Running' }, 'msg', 0, false)).toEqual({ phase: 'Failed', reason: 'Evicted', message: 'msg', conditions: [] });
  });
});
