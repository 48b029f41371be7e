import { newCpuGroupBuffer, readCpuGroupStat } from './cpu-throttle';
import type { ProcessStats } from './container-stats';
import { newPidCounter, pidAllocator } from './wasi/process-table';

/**
 * The shared blocks that make a container's processes (main, exec'd, their children; each in its own Worker
 * or nested on one) one cgroup and one pid namespace: its CpuGroup (limits.cpu and cpu.stat, cpu-throttle.ts)
 * and its pid counter (wasi/process-table.ts). Created on first use; forget(id) when the container is removed
 * (a restart is a new container, so it starts again at pid 1 with fresh counters).
 */
export class ContainerGroups {
  private readonly cpu = new Map<string, SharedArrayBuffer>();
  private readonly pids = new Map<string, SharedArrayBuffer>();

  cpuGroupOf(id: string): SharedArrayBuffer {
    return this.cpu.get(id) ?? this.cpu.set(id, newCpuGroupBuffer()).get(id)!;
  }

  pidCounterOf(id: string): SharedArrayBuffer {
    return this.pids.get(id) ?? this.pids.set(id, newPidCounter()).get(id)!;
  }

  /** A pid for a new exec'd process of the container. */
  newPid(id: string): number {
    return pidAllocator(this.pidCounterOf(id))();
  }

  /** The container's cpu.stat once one of its processes has counted a period (never with the in-process launcher). */
  throttling(id: string): ProcessStats['throttling'] {
    const g = this.cpu.get(id);
    const st = g && readCpuGroupStat(g);
    return st && st.periods > 0 ? st : undefined;
  }

  forget(id: string): void {
    this.cpu.delete(id);
    this.pids.delete(id);
  }
}
