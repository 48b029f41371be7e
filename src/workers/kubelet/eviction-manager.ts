import type { Pod, PodStatus } from 'kubernetes-types/core/v1';
import { rfc3339, type Clock } from '../../api/clock';
import type { Disposable } from '../../api/disposable';
import type { StatsSummary } from '../../api/stats-summary';
import { quantityBytes } from './quantity-bytes';

/** evictionMonitoringPeriod (housekeeping-interval). */
export const EVICTION_MONITORING_MS = 10_000;
const MI = 1024 * 1024;
/** The memory capacity of a default node (DEFAULT_CAPACITY), whose threshold is the kubelet's 100Mi. */
const REFERENCE_MEMORY_BYTES = 8148824 * 1024;

/**
 * The hard memory.available threshold for a node: the kubelet's default 100Mi, scaled down in proportion for
 * a node smaller than the default 8148824Ki (a tab may size its nodes small), whole Mi, at least 1Mi.
 */
export function memoryThresholdBytes(capacityBytes: number): number {
  if (capacityBytes >= REFERENCE_MEMORY_BYTES) return 100 * MI;
  return Math.max(1, Math.round((100 * capacityBytes) / REFERENCE_MEMORY_BYTES)) * MI;
}

/** A byte count (may be negative) as resource.Quantity prints it in BinarySI: the largest exact power-of-1024 suffix. */
export function formatBytes(bytes: number): string {
  const n = Math.round(bytes);
  if (n === 0) return '0';
  for (const [suffix, unit] of [['Ei', 2 ** 60], ['Pi', 2 ** 50], ['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
    if (n % unit === 0) return `${n / unit}${suffix}`;
  }
  return String(n);
}

export interface EvictionDeps {
  clock: Clock;
  /** The node's memory capacity in bytes (allocatable: this kubelet reserves nothing). */
  capacityBytes: number;
  summary(): Promise<StatsSummary>;
  /** The active pods bound to this node (not terminal, not being deleted). */
  activePods(): Pod[];
  /** Evicts the pod: kill it and post phase Failed, reason Evicted, with `message`, and the Evicted event. */
  evict(pod: Pod, message: string): Promise<void>;
  /** Node conditions changed (the heartbeat reports them). */
  onPressure?(pressure: EvictionPressure): void;
}

export interface EvictionPressure {
  memory: boolean;
}

export type EvictionManager = Disposable & { pressure(): EvictionPressure; synchronize(): Promise<Pod | undefined> };

/**
 * The kubelet's eviction manager for the memory.available signal (node memory capacity minus the pods'
 * working sets). Every EVICTION_MONITORING_MS: when available < the threshold the node is under
 * MemoryPressure and at most one pod is evicted per pass, ranked as rankMemoryPressure does: pods whose usage
 * exceeds their requests first, then lower priority, then larger usage above requests. Pressure clears
 * when available is back at or above the threshold. synchronize() runs one pass now (tests) and resolves with the
 * evicted pod; errors of the summary end the pass without eviction.
 */
export function startEvictionManager(d: EvictionDeps): EvictionManager {
  const threshold = memoryThresholdBytes(d.capacityBytes);
  let pressure: EvictionPressure = { memory: false };
  let running: Promise<Pod | undefined> | undefined;

  const pass = async (): Promise<Pod | undefined> => {
    const summary = await d.summary().catch(() => undefined);
    if (!summary) return undefined;
    const usage = new Map<string, { pod: number; containers: Map<string, number> }>();
    let used = 0;
    for (const p of summary.pods) {
      used += p.memory.workingSetBytes;
      usage.set(p.podRef.uid, { pod: p.memory.workingSetBytes, containers: new Map(p.containers.map((c) => [c.name, c.memory.workingSetBytes])) });
    }
    const available = d.capacityBytes - used;
    const memory = available < threshold;
    if (memory !== pressure.memory) {
      pressure = { memory };
      d.onPressure?.(pressure);
    }
    if (!memory) return undefined;
    const candidates = d.activePods().filter((p) => usage.has(p.metadata?.uid ?? ''));
    const ranked = candidates
      .map((pod) => {
        const u = usage.get(pod.metadata?.uid ?? '')!;
        const request = (pod.spec?.containers ?? []).reduce((a, c) => a + (quantityBytes(String(c.resources?.requests?.memory ?? '0')) ?? 0), 0);
        return { pod, u, request, above: u.pod - request, priority: pod.spec?.priority ?? 0 };
      })
      .sort((a, b) => Number(b.above > 0) - Number(a.above > 0) || a.priority - b.priority || b.above - a.above);
    const victim = ranked[0];
    if (!victim) return undefined;
    let message = `The node was low on resource: memory. Threshold quantity: ${formatBytes(threshold)}, available: ${formatBytes(available - (available % 1024))}. `;
    for (const c of victim.pod.spec?.containers ?? []) {
      const using = victim.u.containers.get(c.name) ?? 0;
      const req = quantityBytes(String(c.resources?.requests?.memory ?? '0')) ?? 0;
      if (using > req) message += `Container ${c.name} was using ${formatBytes(using - (using % 1024))}, request is ${c.resources?.requests?.memory ?? 0}, has larger consumption of memory. `;
    }
    await d.evict(victim.pod, message);
    return victim.pod;
  };

  const synchronize = () => (running ??= pass().finally(() => (running = undefined)));
  const timer = d.clock.every(EVICTION_MONITORING_MS, () => void synchronize());
  return { pressure: () => pressure, synchronize, dispose: () => timer.dispose() };
}

/** The status the kubelet posts for an evicted pod: Failed, reason Evicted, and a DisruptionTarget condition. */
export function evictedStatus(current: PodStatus, message: string, now: number): PodStatus {
  const conditions = (current.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
  conditions.unshift({ type: 'DisruptionTarget', status: 'True', lastProbeTime: null as unknown as string, lastTransitionTime: rfc3339(now), reason: 'TerminationByKubelet', message });
  return { ...current, phase: 'Failed', reason: 'Evicted', message, conditions };
}
