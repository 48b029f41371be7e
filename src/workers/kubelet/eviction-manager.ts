import type { Pod, PodStatus } from 'kubernetes-types/core/v1';
import { rfc3339, type Clock } from '../../api/clock';
import type { Disposable } from '../../api/disposable';
import type { PodStatsSummary, StatsSummary } from '../../api/stats-summary';
import { quantityBytes } from './quantity-bytes';
import { qosClass } from './pod-status';
import { tolerationsTolerateTaint } from '../scheduler/plugins/taint-toleration';

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

/** The kubelet's default hard threshold nodefs.available<10% (a float32 percentage, as the kubelet parses it). */
export function diskThresholdBytes(capacityBytes: number): number {
  return Math.floor(capacityBytes * Math.fround(0.1));
}

export interface EvictionDeps {
  clock: Clock;
  /** The node's memory capacity in bytes (allocatable: this kubelet reserves nothing). */
  capacityBytes: number;
  summary(): Promise<StatsSummary>;
  /** The active pods bound to this node (not terminal, not being deleted). */
  activePods(): Pod[];
  /**
   * Evicts the pod: kill it and post phase Failed, reason Evicted, with `message`, and the Evicted event;
   * `disruptionTarget`: also the DisruptionTarget condition (threshold evictions; not local-storage limits).
   */
  evict(pod: Pod, message: string, disruptionTarget: boolean): Promise<void>;
  /** Node conditions changed (the heartbeat reports them). */
  onPressure?(pressure: EvictionPressure): void;
}

export interface EvictionPressure {
  memory: boolean;
  disk: boolean;
}

/** The eviction manager's PodAdmitHandler verdict (lifecycle.PodAdmitResult). */
export type AdmitResult = { admit: true } | { admit: false; reason: 'Evicted'; message: string };

export type EvictionManager = Disposable & { pressure(): EvictionPressure; synchronize(): Promise<Pod | undefined>; admit(pod: Pod): AdmitResult };

/** kubelettypes.IsCriticalPod: static or mirror pods, or priority at least system-critical (2000000000). */
function isCriticalPod(pod: Pod): boolean {
  const a = pod.metadata?.annotations ?? {};
  if ((a['kubernetes.io/config.source'] ?? 'api') !== 'api' || a['kubernetes.io/config.mirror'] !== undefined) return true;
  return (pod.spec?.priority ?? 0) >= 2_000_000_000;
}

/**
 * managerImpl.Admit under the given pressure: admits everything without pressure and critical pods always;
 * under MemoryPressure alone, all but BestEffort pods (and those tolerating the memory-pressure NoSchedule
 * taint); under DiskPressure nothing. Rejection: reason Evicted, `The node had condition: [MemoryPressure DiskPressure]. `.
 */
export function admitUnderPressure(pressure: EvictionPressure, pod: Pod): AdmitResult {
  const conditions = [...(pressure.memory ? ['MemoryPressure'] : []), ...(pressure.disk ? ['DiskPressure'] : [])];
  if (!conditions.length || isCriticalPod(pod)) return { admit: true };
  if (!pressure.disk) {
    if (qosClass(pod) !== 'BestEffort') return { admit: true };
    if (tolerationsTolerateTaint(pod.spec?.tolerations, { key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' })) return { admit: true };
  }
  return { admit: false, reason: 'Evicted', message: `The node had condition: [${conditions.join(' ')}]. ` };
}

interface Usage {
  pod: Pod;
  stats: PodStatsSummary;
}

type Signal = 'memory' | 'ephemeral-storage';

/**
 * The kubelet's eviction manager for memory.available (node memory capacity minus the pods' working sets)
 * and, when the summary carries node.fs, nodefs.available (ephemeral-storage capacity minus the pods'
 * ephemeral storage; hard threshold 10%). Every EVICTION_MONITORING_MS, in the kubelet's order:
 * 1. the MemoryPressure/DiskPressure conditions follow their signals (onPressure on a change);
 * 2. local storage limits (summary with node.fs only): each active pod whose emptyDir exceeds its sizeLimit,
 *    whose ephemeral storage exceeds the sum of its containers' limits.ephemeral-storage, or one of whose
 *    containers' rootfs + logs exceeds its own limit is evicted (all such pods, no DisruptionTarget), and
 *    the pass ends;
 * 3. otherwise, under pressure (memory first), at most one pod is evicted, ranked as rankMemoryPressure /
 *    rankDiskPressure do: pods whose usage exceeds their requests first, then lower priority, then larger
 *    usage above requests.
 * synchronize() runs one pass now (tests) and resolves with the (first) evicted pod; errors of the summary
 * end the pass without eviction.
 */
export function startEvictionManager(d: EvictionDeps): EvictionManager {
  const threshold = memoryThresholdBytes(d.capacityBytes);
  let pressure: EvictionPressure = { memory: false, disk: false };
  let running: Promise<Pod | undefined> | undefined;

  const pass = async (): Promise<Pod | undefined> => {
    const summary = await d.summary().catch(() => undefined);
    if (!summary) return undefined;
    const byUid = new Map(summary.pods.map((p) => [p.podRef.uid, p]));
    const memAvailable = d.capacityBytes - summary.pods.reduce((a, p) => a + p.memory.workingSetBytes, 0);
    const fs = summary.node.fs;
    const diskThreshold = fs ? diskThresholdBytes(fs.capacityBytes ?? 0) : 0;
    const next = { memory: memAvailable < threshold, disk: !!fs && (fs.availableBytes ?? 0) < diskThreshold };
    if (next.memory !== pressure.memory || next.disk !== pressure.disk) {
      pressure = next;
      d.onPressure?.(pressure);
    }
    const candidates: Usage[] = d.activePods().flatMap((pod) => {
      const stats = byUid.get(pod.metadata?.uid ?? '');
      return stats ? [{ pod, stats }] : [];
    });
    if (fs) {
      const evicted: Pod[] = [];
      for (const u of candidates) {
        const message = localStorageViolation(u);
        if (message === undefined) continue;
        await d.evict(u.pod, message, false);
        evicted.push(u.pod);
      }
      if (evicted.length) return evicted[0];
    }
    const signal: Signal | undefined = next.memory ? 'memory' : next.disk ? 'ephemeral-storage' : undefined;
    if (!signal) return undefined;
    const victim = rank(candidates, signal)[0];
    if (!victim) return undefined;
    const message =
      signal === 'memory'
        ? `The node was low on resource: memory. Threshold quantity: ${formatBytes(threshold)}, available: ${formatBytes(memAvailable - (memAvailable % 1024))}. `
        : `The node was low on resource: ephemeral-storage. Threshold quantity: ${formatBytes(diskThreshold)}, available: ${formatBytes(fs?.availableBytes ?? 0)}. `;
    await d.evict(victim.pod, message + containerMessages(victim, signal), true);
    return victim.pod;
  };

  const synchronize = () => (running ??= pass().finally(() => (running = undefined)));
  const timer = d.clock.every(EVICTION_MONITORING_MS, () => void synchronize());
  return { pressure: () => pressure, synchronize, admit: (pod) => admitUnderPressure(pressure, pod), dispose: () => timer.dispose() };
}

const bytesOf = (q: unknown) => quantityBytes(String(q ?? '0')) ?? 0;
const podUsage = (u: Usage, signal: Signal) => (signal === 'memory' ? u.stats.memory.workingSetBytes : (u.stats['ephemeral-storage']?.usedBytes ?? 0));
const containerUsage = (u: Usage, name: string, signal: Signal) => {
  const c = u.stats.containers.find((x) => x.name === name);
  if (!c) return 0;
  return signal === 'memory' ? c.memory.workingSetBytes : (c.rootfs?.usedBytes ?? 0) + (c.logs?.usedBytes ?? 0);
};

function rank(candidates: Usage[], signal: Signal): Usage[] {
  return candidates
    .map((u) => {
      const request = (u.pod.spec?.containers ?? []).reduce((a, c) => a + bytesOf(c.resources?.requests?.[signal]), 0);
      return { ...u, above: podUsage(u, signal) - request, priority: u.pod.spec?.priority ?? 0 };
    })
    .sort((a, b) => Number(b.above > 0) - Number(a.above > 0) || a.priority - b.priority || b.above - a.above);
}

/** helpers.go evictionMessage: one sentence per container using more than its request. */
function containerMessages(u: Usage, signal: Signal): string {
  let out = '';
  for (const c of u.pod.spec?.containers ?? []) {
    const using = containerUsage(u, c.name, signal);
    const request = c.resources?.requests?.[signal];
    if (using <= bytesOf(request)) continue;
    const shown = signal === 'memory' ? using - (using % 1024) : using;
    out += `Container ${c.name} was using ${formatBytes(shown)}, request is ${request ?? 0}, has larger consumption of ${signal}. `;
  }
  return out;
}

/** The kubelet's local storage limit checks, in its order (emptyDir, pod, container): the eviction message, or undefined. */
function localStorageViolation(u: Usage): string | undefined {
  const spec = u.pod.spec;
  for (const v of spec?.volumes ?? []) {
    const limit = v.emptyDir?.sizeLimit;
    if (limit === undefined) continue;
    const used = u.stats.volume?.find((x) => x.name === v.name)?.usedBytes;
    if (used !== undefined && bytesOf(limit) > 0 && used > bytesOf(limit)) return `Usage of EmptyDir volume "${v.name}" exceeds the limit "${limit}". `;
  }
  const limited = (spec?.containers ?? []).filter((c) => c.resources?.limits?.['ephemeral-storage'] !== undefined);
  if (limited.length) {
    const total = limited.reduce((a, c) => a + bytesOf(c.resources?.limits?.['ephemeral-storage']), 0);
    if ((u.stats['ephemeral-storage']?.usedBytes ?? 0) > total) {
      const shown = limited.length === 1 ? String(limited[0].resources?.limits?.['ephemeral-storage']) : formatBytes(total);
      return `Pod ephemeral local storage usage exceeds the total limit of containers ${shown}. `;
    }
  }
  for (const c of spec?.containers ?? []) {
    const limit = c.resources?.limits?.['ephemeral-storage'];
    if (limit === undefined || bytesOf(limit) === 0) continue;
    if (containerUsage(u, c.name, 'ephemeral-storage') > bytesOf(limit)) return `Container ${c.name} exceeded its local ephemeral storage limit "${limit}". `;
  }
  return undefined;
}

/**
 * The status the kubelet posts for an evicted pod: Failed, reason Evicted, and (threshold evictions) a
 * DisruptionTarget condition.
 */
export function evictedStatus(current: PodStatus, message: string, now: number, disruptionTarget = true): PodStatus {
  const conditions = (current.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
  if (disruptionTarget) conditions.unshift({ type: 'DisruptionTarget', status: 'True', lastProbeTime: null as unknown as string, lastTransitionTime: rfc3339(now), reason: 'TerminationByKubelet', message });
  return { ...current, phase: 'Failed', reason: 'Evicted', message, conditions };
}
