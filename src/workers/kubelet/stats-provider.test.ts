import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../api';
import type { ContainerStats, PodSandbox, RuntimeService } from '../runtime/cri';
import { createHostFs } from '../runtime/volume-mounts';
import { startStatsProvider, STATS_HOUSEKEEPING_MS } from './stats-provider';

/** A runtime whose containers' cumulative CPU (ns) and memory are set by the test. */
function fakeRuntime(clock: FakeClock) {
  const cpu = new Map<string, number>([['c1', 0], ['c2', 0]]);
  const sandboxes: PodSandbox[] = [{ id: 's1', metadata: { name: 'web', namespace: 'default', uid: 'u1', attempt: 0 }, state: 'SANDBOX_READY', createdAt: clock.now(), labels: {} }];
  const runtime = {
    listPodSandbox: async () => sandboxes,
    async listContainerStats(): Promise<ContainerStats[]> {
      return [...cpu].map(([id, ns]) => ({
        attributes: { id, podSandboxId: 's1', metadata: { name: id === 'c1' ? 'app' : 'sidecar', attempt: 0 }, labels: {} },
        cpu: { timestamp: clock.now(), usageCoreNanoSeconds: ns },
        memory: { timestamp: clock.now(), workingSetBytes: 1 << 20 },
        ...(id === 'c1' ? { writableLayer: { timestamp: clock.now(), usedBytes: 3000 } } : {}),
      }));
    },
  } as unknown as RuntimeService;
  return { runtime, cpu };
}

describe('kubelet stats provider', () => {
  it('gives usageNanoCores over the window since a housekeeping sample, summed per pod and node', async () => {
    const clock = new FakeClock();
    const { runtime, cpu } = fakeRuntime(clock);
    const p = startStatsProvider({ nodeName: 'n1', runtime, clock });
    await clock.advance(1);
    const first = await p.summary();
    expect(first.pods[0].containers[0].cpu.usageNanoCores).toBeUndefined();
    expect(first.node.cpu.usageNanoCores).toBeUndefined();
    await clock.advance(STATS_HOUSEKEEPING_MS - 1);
    cpu.set('c1', 5e9).set('c2', 1e9); // 5 s and 1 s of CPU in the next 10 s
    await clock.advance(10_000);
    const s = await p.summary();
    expect(s.node.nodeName).toBe('n1');
    const pod = s.pods[0];
    expect(pod.podRef).toEqual({ name: 'web', namespace: 'default', uid: 'u1' });
    expect(pod.containers.map((c) => [c.name, c.cpu.usageNanoCores, c.cpu.windowMs, c.memory.workingSetBytes])).toEqual([['app', 500_000_000, 10_000, 1 << 20], ['sidecar', 100_000_000, 10_000, 1 << 20]]);
    expect(pod.cpu.usageNanoCores).toBe(600_000_000);
    expect(pod.memory.workingSetBytes).toBe(2 << 20);
    expect(s.node.cpu.usageNanoCores).toBe(600_000_000);
    // Right after a housekeeping sample the rate is taken over the sample before it.
    await clock.advance(1);
    expect((await p.summary()).pods[0].containers[0].cpu.windowMs).toBe(10_001);
    p.dispose();
  });

  it('measures rootfs, logs, emptyDir volumes, the pod ephemeral storage and the node fs', async () => {
    const clock = new FakeClock();
    const { runtime } = fakeRuntime(clock);
    const hostFs = createHostFs(() => clock.now());
    const write = (path: string, bytes: number) => {
      const parts = path.split('/').filter(Boolean);
      let dir = hostFs.root;
      for (const p of parts.slice(0, -1)) dir = dir.children.get(p) ?? hostFs.create('dir', dir, p);
      hostFs.create('file', dir, parts[parts.length - 1]).write(0, new Uint8Array(bytes));
    };
    const vols = '/var/lib/kubelet/pods/u1/volumes/kubernetes.io~empty-dir';
    write(`${vols}/scratch/a`, 1000);
    write(`${vols}/scratch/sub/b`, 24);
    write(`${vols}/shm/c`, 500); // medium Memory: not ephemeral storage
    const logs = {
      listLogs: async (prefix: string) =>
        [
          { path: '/var/log/pods/default_web_u1/app/0.log', bytes: 100 },
          { path: '/var/log/pods/default_web_u1/app/0.log.20240101-000000', bytes: 50 },
          { path: '/var/log/pods/default_web_u1/sidecar/0.log', bytes: 7 },
          { path: '/var/log/pods/default_other_u2/app/0.log', bytes: 9999 },
        ].filter((f) => f.path.startsWith(prefix)),
    };
    const podOf = () => ({ spec: { containers: [], volumes: [{ name: 'scratch', emptyDir: {} }, { name: 'shm', emptyDir: { medium: 'Memory' } }] } });
    const p = startStatsProvider({ nodeName: 'n1', runtime, clock, storage: { capacityBytes: 1 << 20, hostFs, logs, podOf } });
    const s = await p.summary();
    const pod = s.pods[0];
    expect(pod.containers.map((c) => [c.name, c.rootfs?.usedBytes, c.logs?.usedBytes])).toEqual([['app', 3000, 150], ['sidecar', 0, 7]]);
    expect(pod.volume?.map((v) => [v.name, v.usedBytes])).toEqual([['scratch', 1024], ['shm', 500]]);
    expect(pod['ephemeral-storage']?.usedBytes).toBe(3000 + 150 + 7 + 1024);
    expect(s.node.fs).toMatchObject({ capacityBytes: 1 << 20, usedBytes: 4181, availableBytes: (1 << 20) - 4181 });
    // without storage sources there are no fs figures
    expect((await startStatsProvider({ nodeName: 'n1', runtime, clock }).summary()).node.fs).toBeUndefined();
    p.dispose();
  });
});
