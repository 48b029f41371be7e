import type { Container, Pod, Volume } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../api';
import type { StatsSummary } from '../../api/stats-summary';
import { admitUnderPressure, diskThresholdBytes, EVICTION_MONITORING_MS, startEvictionManager } from './eviction-manager';

// nodefs.available and local-storage-limit eviction on a fake clock, over hand-made stats summaries.
const Mi = 1024 * 1024;
const CAPACITY = 100 * Mi;

interface PodUse {
  containers: Record<string, { rootfs: number; logs: number }>;
  volumes?: Record<string, number>;
  memoryVolumes?: string[];
}

const pod = (name: string, containers: Container[], opts: { volumes?: Volume[]; priority?: number } = {}): Pod => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
  spec: { containers, ...(opts.volumes ? { volumes: opts.volumes } : {}), ...(opts.priority !== undefined ? { priority: opts.priority } : {}) },
  status: { phase: 'Running' },
});
const c = (name: string, resources: Container['resources'] = {}): Container => ({ name, image: 'busybox', resources });

function summaryOf(usage: Record<string, PodUse>): StatsSummary {
  const zero = { time: '', usageCoreNanoSeconds: 0 };
  const mem = { time: '', workingSetBytes: 0, usageBytes: 0 };
  let used = 0;
  const pods = Object.entries(usage).map(([name, u]) => {
    const containers = Object.entries(u.containers).map(([cn, x]) => ({ name: cn, cpu: zero, memory: mem, rootfs: { time: '', usedBytes: x.rootfs }, logs: { time: '', usedBytes: x.logs } }));
    const volume = Object.entries(u.volumes ?? {}).map(([vn, b]) => ({ time: '', name: vn, usedBytes: b }));
    const eph = containers.reduce((a, x) => a + x.rootfs.usedBytes + x.logs.usedBytes, 0) + volume.filter((v) => !u.memoryVolumes?.includes(v.name)).reduce((a, v) => a + v.usedBytes, 0);
    used += eph;
    return { podRef: { name, namespace: 'default', uid: `uid-${name}` }, containers, cpu: zero, memory: mem, volume, 'ephemeral-storage': { time: '', usedBytes: eph } };
  });
  return { node: { nodeName: 'n', cpu: zero, memory: mem, fs: { time: '', capacityBytes: CAPACITY, usedBytes: used, availableBytes: CAPACITY - used } }, pods };
}

function setup(pods: Pod[], usage: Record<string, PodUse>) {
  const clock = new FakeClock();
  const evicted: Array<{ name: string; message: string; disruptionTarget: boolean }> = [];
  const pressures: Array<{ memory: boolean; disk: boolean }> = [];
  const state = { usage };
  const m = startEvictionManager({
    clock,
    capacityBytes: 8148824 * 1024,
    summary: async () => summaryOf(state.usage),
    activePods: () => pods.filter((p) => !evicted.some((e) => e.name === p.metadata?.name)),
    evict: async (p, message, disruptionTarget) => void evicted.push({ name: p.metadata?.name ?? '', message, disruptionTarget }),
    onPressure: (p) => pressures.push({ ...p }),
  });
  return { clock, m, evicted, pressures, state };
}

describe('eviction manager: ephemeral storage', () => {
  it('uses the default nodefs.available<10% hard threshold (a float32 percentage)', () => {
    expect(diskThresholdBytes(CAPACITY)).toBe(10485760);
    expect(diskThresholdBytes(61202244 * 1024)).toBe(6267109878);
  });

  it('reports DiskPressure under 10% available and evicts one pod per pass by the kubelet ranking', async () => {
    const pods = [
      pod('within', [c('app', { requests: { 'ephemeral-storage': '40Mi' } })]),
      pod('big', [c('app'), c('side')]),
      pod('small', [c('app')]),
      pod('critical', [c('app')], { priority: 2000000000 }),
    ];
    const use = (rootfs: number, logs = 0) => ({ rootfs, logs });
    const { m, evicted, pressures, state } = setup(pods, {
      within: { containers: { app: use(30 * Mi) } },
      big: { containers: { app: use(10 * Mi, 1 * Mi), side: use(0, 512) } },
      small: { containers: { app: use(0, 2 * Mi) } },
      critical: { containers: { app: use(0, 20 * Mi) } },
    });
    expect(await m.synchronize()).toBeUndefined();
    expect(m.pressure()).toEqual({ memory: false, disk: false });

    // 30 + 11 + 2 + 20 + 30 (scratch) = 93Mi used: available 7Mi < 10Mi
    state.usage.big.volumes = { scratch: 30 * Mi };
    expect((await m.synchronize())?.metadata?.name).toBe('big');
    expect(m.pressure()).toEqual({ memory: false, disk: true });
    expect(pressures).toEqual([{ memory: false, disk: true }]);
    const available = CAPACITY - (93 * Mi + 512);
    expect(evicted[0]).toEqual({
      name: 'big',
      disruptionTarget: true,
      message: `The node was low on resource: ephemeral-storage. Threshold quantity: 10Mi, available: ${available}. Container app was using 11Mi, request is 0, has larger consumption of ephemeral-storage. Container side was using 512, request is 0, has larger consumption of ephemeral-storage. `,
    });
    // still under pressure (the stats did not change): next the non-critical pod above its request with
    // lower priority ('small'), then 'critical'; 'within' uses less than it requested
    expect((await m.synchronize())?.metadata?.name).toBe('small');
    expect((await m.synchronize())?.metadata?.name).toBe('critical');
    expect((await m.synchronize())?.metadata?.name).toBe('within');
    // space freed: pressure clears
    state.usage = { within: { containers: { app: use(30 * Mi) } } };
    expect(await m.synchronize()).toBeUndefined();
    expect(pressures.at(-1)).toEqual({ memory: false, disk: false });
    m.dispose();
  });

  it('evicts pods over their emptyDir sizeLimit, pod and container ephemeral-storage limits, with the kubelet messages', async () => {
    const limit = (l: string) => ({ limits: { 'ephemeral-storage': l } });
    const pods = [
      pod('vol', [c('app')], { volumes: [{ name: 'cache', emptyDir: { sizeLimit: '1Mi' } }, { name: 'data', emptyDir: { sizeLimit: '2Mi' } }] }),
      pod('podlimit', [c('a', limit('1Mi')), c('b', limit('2Mi'))]),
      pod('ctr', [c('a', limit('4Mi')), c('writer', limit('1Mi'))]),
      pod('single', [c('app', limit('3Mi'))]),
      pod('fine', [c('app', limit('2Mi'))], { volumes: [{ name: 'cache', emptyDir: { sizeLimit: '1Mi' } }] }),
    ];
    const { m, evicted } = setup(pods, {
      vol: { containers: { app: { rootfs: 0, logs: 0 } }, volumes: { cache: 1 * Mi, data: 2 * Mi + 1 } },
      podlimit: { containers: { a: { rootfs: 1 * Mi, logs: 0 }, b: { rootfs: 1 * Mi, logs: 0 } }, volumes: { scratch: 1 * Mi + 1 } },
      ctr: { containers: { a: { rootfs: 0, logs: 0 }, writer: { rootfs: 1 * Mi, logs: 1 } } },
      single: { containers: { app: { rootfs: 3 * Mi, logs: 1 } } },
      fine: { containers: { app: { rootfs: 1 * Mi, logs: 0 } }, volumes: { cache: 1 * Mi } },
    });
    // no DiskPressure (about 12Mi used of 100Mi): the limits alone evict, all violators in one pass
    expect((await m.synchronize())?.metadata?.name).toBe('vol');
    expect(m.pressure().disk).toBe(false);
    expect(evicted).toEqual([
      { name: 'vol', disruptionTarget: false, message: 'Usage of EmptyDir volume "data" exceeds the limit "2Mi". ' },
      { name: 'podlimit', disruptionTarget: false, message: 'Pod ephemeral local storage usage exceeds the total limit of containers 3Mi. ' },
      { name: 'ctr', disruptionTarget: false, message: 'Container writer exceeded its local ephemeral storage limit "1Mi". ' },
      { name: 'single', disruptionTarget: false, message: 'Pod ephemeral local storage usage exceeds the total limit of containers 3Mi. ' },
    ]);
    expect(await m.synchronize()).toBeUndefined();
    m.dispose();
  });

  it('a memory-medium emptyDir counts against its sizeLimit but not against ephemeral storage', async () => {
    const pods = [pod('shm', [c('app', { limits: { 'ephemeral-storage': '1Mi' } })], { volumes: [{ name: 'm', emptyDir: { medium: 'Memory', sizeLimit: '4Mi' } }] })];
    const { m, evicted, state } = setup(pods, { shm: { containers: { app: { rootfs: 0, logs: 0 } }, volumes: { m: 3 * Mi }, memoryVolumes: ['m'] } });
    expect(await m.synchronize()).toBeUndefined();
    state.usage.shm.volumes = { m: 5 * Mi };
    await m.synchronize();
    expect(evicted.map((e) => e.message)).toEqual(['Usage of EmptyDir volume "m" exceeds the limit "4Mi". ']);
    m.dispose();
  });

  it('runs on the monitoring period of the clock', async () => {
    const { clock, evicted, m } = setup([pod('w', [c('app', { limits: { 'ephemeral-storage': '1Mi' } })])], { w: { containers: { app: { rootfs: 2 * Mi, logs: 0 } } } });
    await clock.advance(EVICTION_MONITORING_MS - 1);
    expect(evicted).toEqual([]);
    await clock.advance(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(evicted.map((e) => e.name)).toEqual(['w']);
    m.dispose();
  });
});

describe('eviction manager admission (managerImpl.Admit)', () => {
  const best = pod('best', [c('app')]);
  const burstable = pod('burst', [c('app', { requests: { memory: '10Mi' } })]);
  const critical = pod('crit', [c('app')], { priority: 2000000000 });
  const reject = (conditions: string) => ({ admit: false, reason: 'Evicted', message: `The node had condition: [${conditions}]. ` });

  it('admits everything without pressure, and critical pods always', () => {
    expect(admitUnderPressure({ memory: false, disk: false }, best)).toEqual({ admit: true });
    expect(admitUnderPressure({ memory: true, disk: true }, critical)).toEqual({ admit: true });
    expect(admitUnderPressure({ memory: false, disk: true }, { ...best, metadata: { ...best.metadata, annotations: { 'kubernetes.io/config.mirror': 'x' } } })).toEqual({ admit: true });
  });

  it('under MemoryPressure rejects only BestEffort pods not tolerating the memory-pressure taint', () => {
    expect(admitUnderPressure({ memory: true, disk: false }, best)).toEqual(reject('MemoryPressure'));
    expect(admitUnderPressure({ memory: true, disk: false }, burstable)).toEqual({ admit: true });
    const tolerant = { ...best, spec: { ...best.spec!, tolerations: [{ key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' }] } };
    expect(admitUnderPressure({ memory: true, disk: false }, tolerant)).toEqual({ admit: true });
  });

  it('under DiskPressure rejects every non-critical pod', async () => {
    expect(admitUnderPressure({ memory: false, disk: true }, burstable)).toEqual(reject('DiskPressure'));
    expect(admitUnderPressure({ memory: true, disk: true }, burstable)).toEqual(reject('MemoryPressure DiskPressure'));
    const { m } = setup([], { hog: { containers: { app: { rootfs: 95 * Mi, logs: 0 } } } });
    expect(m.admit(burstable)).toEqual({ admit: true });
    await m.synchronize();
    expect(m.admit(burstable)).toEqual(reject('DiskPressure'));
    m.dispose();
  });
});
