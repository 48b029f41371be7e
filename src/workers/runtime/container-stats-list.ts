import type { ContainerStats, ContainerStatsFilter, ContainerStatus } from './cri';
import type { RunningProcess } from './process-launcher';

/**
 * CRI ListContainerStats over the runtime's running processes: one entry per running container whose
 * process publishes stats, stamped with `now` (ms of cluster time). Containers that are not running are left out.
 */
export function listContainerStats(
  containers: Iterable<ContainerStatus>,
  processOf: (id: string) => RunningProcess | undefined,
  now: number,
  filter?: ContainerStatsFilter,
): ContainerStats[] {
  const out: ContainerStats[] = [];
  for (const c of containers) {
    if (c.state !== 'CONTAINER_RUNNING' || (filter?.id && c.id !== filter.id) || (filter?.podSandboxId && c.podSandboxId !== filter.podSandboxId)) continue;
    const s = processOf(c.id)?.stats?.();
    if (!s) continue;
    out.push({
      attributes: { id: c.id, podSandboxId: c.podSandboxId, metadata: { ...c.metadata }, labels: { ...c.labels } },
      cpu: { timestamp: now, usageCoreNanoSeconds: s.cpuNanos, ...(s.throttling ? { throttling: s.throttling } : {}) },
      memory: { timestamp: now, workingSetBytes: s.memoryBytes },
    });
  }
  return out;
}
