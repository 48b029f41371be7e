import type { ContainerStats, ContainerStatsFilter, ContainerStatus } from './cri';
import type { ProcessStats } from './container-stats';
import type { RunningProcess } from './process-launcher';

/**
 * CRI ListContainerStats over the runtime's running processes: one entry per running container whose
 * process publishes stats, stamped with `now` (ms of cluster time), with its writable layer's usage when
 * `layerBytes` knows it, and the CPU of its exec'd processes (`execCpuNanos`) added to its own, as a cgroup
 * counts every process in it; likewise the throttling counters are the container's CpuGroup's (`groupThrottling`,
 * every process of the container) when it has any, else the main process's own. Containers that are not
 * running are left out.
 */
export function listContainerStats(
  containers: Iterable<ContainerStatus>,
  processOf: (id: string) => RunningProcess | undefined,
  now: number,
  filter?: ContainerStatsFilter,
  layerBytes?: (id: string) => number | undefined,
  execCpuNanos?: (id: string) => number,
  groupThrottling?: (id: string) => ProcessStats['throttling'],
): ContainerStats[] {
  const out: ContainerStats[] = [];
  for (const c of containers) {
    if (c.state !== 'CONTAINER_RUNNING' || (filter?.id && c.id !== filter.id) || (filter?.podSandboxId && c.podSandboxId !== filter.podSandboxId)) continue;
    const s = processOf(c.id)?.stats?.();
    if (!s) continue;
    const throttling = groupThrottling?.(c.id) ?? s.throttling;
    out.push({
      attributes: { id: c.id, podSandboxId: c.podSandboxId, metadata: { ...c.metadata }, labels: { ...c.labels } },
      cpu: { timestamp: now, usageCoreNanoSeconds: s.cpuNanos + (execCpuNanos?.(c.id) ?? 0), ...(throttling ? { throttling } : {}) },
      memory: { timestamp: now, workingSetBytes: s.memoryBytes },
    });
    const layer = layerBytes?.(c.id);
    if (layer !== undefined) out[out.length - 1].writableLayer = { timestamp: now, usedBytes: layer };
  }
  return out;
}
