import type { Pod } from 'kubernetes-types/core/v1';
import { milliValue } from '../../../api/quantity';

/**
 * pkg/controller/podautoscaler/replica_calculator.go for Resource metrics, as pure functions of the pods,
 * their metrics (milli-units: millicores, milli-bytes) and the time. Errors carry kube's texts.
 */
export const DEFAULT_TOLERANCE = 0.1;
/** --horizontal-pod-autoscaler-cpu-initialization-period */
export const CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
/** --horizontal-pod-autoscaler-initial-readiness-delay */
export const INITIAL_READINESS_DELAY_MS = 30_000;

export interface PodMetric {
  /** Sum over the pod's containers, in milli-units. */
  value: number;
  /** Sample time and window, ms. */
  timestamp: number;
  window: number;
}
export type PodMetrics = Map<string, PodMetric>;

export interface ReplicaResult {
  replicas: number;
  /** Utilization target: the percentage of requests (integer); average value target: unused (0). */
  utilization: number;
  /** Average raw usage per pod with metrics, milli-units. */
  rawAverage: number;
}

export interface CalcInput {
  currentReplicas: number;
  pods: Pod[];
  metrics: PodMetrics;
  resource: string;
  now: number;
  tolerance?: number;
}

const ms = (t: string | undefined) => (t ? Date.parse(t) : NaN);

/** groupPods: ready pods with metrics, and the names of unready, missing and ignored pods. */
export function groupPods(pods: Pod[], metrics: PodMetrics, resource: string, now: number) {
  let readyPodCount = 0;
  const unready = new Set<string>();
  const missing = new Set<string>();
  const ignored = new Set<string>();
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '';
    if (pod.metadata?.deletionTimestamp || pod.status?.phase === 'Failed') {
      ignored.add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      unready.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (!metric) {
      missing.add(name);
      continue;
    }
    if (resource === 'cpu') {
      const cond = pod.status?.conditions?.find((c) => c.type === 'Ready');
      const start = ms(pod.status?.startTime);
      let isUnready: boolean;
      if (!cond || Number.isNaN(start)) isUnready = true;
      else if (start + CPU_INITIALIZATION_PERIOD_MS > now) {
        // Within the initialization period: unready, or no full window since the last readiness change.
        isUnready = cond.status === 'False' || metric.timestamp < ms(cond.lastTransitionTime) + metric.window;
      } else {
        // Afterwards only a pod that has never been ready is ignored.
        isUnready = cond.status === 'False' && start + INITIAL_READINESS_DELAY_MS > ms(cond.lastTransitionTime);
      }
      if (isUnready) {
        unready.add(name);
        continue;
      }
    }
    readyPodCount++;
  }
  return { readyPodCount, unready, missing, ignored };
}

/** Requests per pod (sum over containers, milli-units); a container without one is an error. */
export function podRequests(pods: Pod[], resource: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    let sum = 0;
    for (const c of pod.spec?.containers ?? []) {
      const req = c.resources?.requests?.[resource];
      if (req === undefined) throw new Error(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata?.name}`);
      sum += milliValue(String(req));
    }
    out.set(pod.metadata?.name ?? '', sum);
  }
  return out;
}

/** GetResourceUtilizationRatio: [ratio, utilization %, raw average]; only pods with requests count. */
export function utilizationRatio(metrics: PodMetrics, requests: Map<string, number>, target: number): [number, number, number] {
  let usage = 0;
  let requested = 0;
  let n = 0;
  for (const [name, m] of metrics) {
    const r = requests.get(name);
    if (r === undefined) continue;
    usage += m.value;
    requested += r;
    n++;
  }
  if (requested === 0) throw new Error('no metrics returned matched known pods');
  const utilization = Math.trunc((usage * 100) / requested);
  return [utilization / target, utilization, Math.trunc(usage / n)];
}

function checkCommon(pods: Pod[], metrics: PodMetrics, resource: string): void {
  if (!metrics.size) throw new Error(`unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`);
  if (!pods.length) throw new Error('no pods returned by selector while calculating replica count');
}

/**
 * The shared tail of both calculations: ratio(metrics) gives the usage ratio. Missing pods count as the
 * fallback (scale down) or 0 (scale up); on a scale up unready pods count as 0; the answer never flips direction.
 */
function adjust(input: CalcInput, metrics: PodMetrics, ratioOf: (m: PodMetrics) => number, fallback: (name: string) => number, groups: ReturnType<typeof groupPods>): number {
  const tolerance = input.tolerance ?? DEFAULT_TOLERANCE;
  const ratio = ratioOf(metrics);
  const scaleUpWithUnready = groups.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (Math.abs(1 - ratio) <= tolerance) return input.currentReplicas;
    return Math.ceil(ratio * groups.readyPodCount);
  }
  const filled = new Map(metrics);
  const stub = (value: number): PodMetric => ({ value, timestamp: input.now, window: 0 });
  if (groups.missing.size) {
    for (const name of groups.missing) {
      if (ratio < 1) filled.set(name, stub(fallback(name)));
      else if (ratio > 1) filled.set(name, stub(0));
    }
  }
  if (scaleUpWithUnready) for (const name of groups.unready) filled.set(name, stub(0));
  const newRatio = ratioOf(filled);
  if (Math.abs(1 - newRatio) <= tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) return input.currentReplicas;
  const replicas = Math.ceil(newRatio * filled.size);
  if ((newRatio < 1 && replicas > input.currentReplicas) || (newRatio > 1 && replicas < input.currentReplicas)) return input.currentReplicas;
  return replicas;
}

/** GetResourceReplicas: a Utilization target (percent of requests). Throws kube's errors. */
export function resourceReplicas(input: CalcInput, targetUtilization: number): ReplicaResult {
  const { pods, resource, now } = input;
  checkCommon(pods, input.metrics, resource);
  const groups = groupPods(pods, input.metrics, resource, now);
  const metrics = new Map([...input.metrics].filter(([n]) => !groups.ignored.has(n) && !groups.unready.has(n)));
  const requests = podRequests(pods, resource);
  if (!metrics.size) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const [, utilization, rawAverage] = utilizationRatio(metrics, requests, targetUtilization);
  const fallbackPct = Math.max(100, targetUtilization);
  const replicas = adjust(input, metrics, (m) => utilizationRatio(m, requests, targetUtilization)[0], (n) => Math.trunc(((requests.get(n) ?? 0) * fallbackPct) / 100), groups);
  return { replicas, utilization, rawAverage };
}

/** GetRawResourceReplicas: an AverageValue target (milli-units per pod). Throws kube's errors. */
export function rawResourceReplicas(input: CalcInput, targetAverageMilli: number): ReplicaResult {
  const { pods, resource, now } = input;
  checkCommon(pods, input.metrics, resource);
  const groups = groupPods(pods, input.metrics, resource, now);
  const metrics = new Map([...input.metrics].filter(([n]) => !groups.ignored.has(n) && !groups.unready.has(n)));
  if (!metrics.size) throw new Error('did not receive metrics for any ready pods');
  // GetMetricUsageRatio divides integers: the average is truncated.
  const average = (m: PodMetrics) => Math.trunc([...m.values()].reduce((a, x) => a + x.value, 0) / m.size);
  const rawAverage = average(metrics);
  const replicas = adjust(input, metrics, (m) => average(m) / targetAverageMilli, () => targetAverageMilli, groups);
  return { replicas, utilization: 0, rawAverage };
}
