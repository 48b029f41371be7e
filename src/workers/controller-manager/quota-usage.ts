import type { Container, PersistentVolumeClaim, Pod, Service } from 'kubernetes-types/core/v1';
import { parseQuantity } from '../../api/quantity';

/** pkg/quota/v1/evaluator/core: what a pod, claim or service uses of a quota, and quantity sums as kube prints them. */

/** A running sum of quantities: exact milli-units (BigInt) and the format of the first non-zero term. */
export class QuantitySum {
  milli = 0n;
  format: 'BinarySI' | 'DecimalSI' | undefined;

  add(text: string | number | undefined): void {
    if (text === undefined) return;
    const s = String(text);
    let m: bigint;
    try {
      m = BigInt(Math.round(parseQuantity(s).milli));
    } catch {
      return;
    }
    if (m !== 0n && !this.format) this.format = /[KMGTPE]i$/.test(s) ? 'BinarySI' : 'DecimalSI';
    this.milli += m;
  }

  /** Quantity.String(): milli-units as "NNNm" when fractional, else the largest suffix dividing exactly. */
  toString(): string {
    if (this.milli === 0n) return '0';
    if (this.milli % 1000n) return `${this.milli}m`;
    let v = this.milli / 1000n;
    if (this.format === 'BinarySI') {
      const suffixes = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
      let i = 0;
      while (i < suffixes.length - 1 && v % 1024n === 0n && v !== 0n) {
        v /= 1024n;
        i++;
      }
      // kube prints binary quantities below 1Ki in decimal form
      return `${v}${suffixes[i]}`;
    }
    const suffixes = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
    let i = 0;
    while (i < suffixes.length - 1 && v % 1000n === 0n) {
      v /= 1000n;
      i++;
    }
    return `${v}${suffixes[i]}`;
  }
}

export const isTerminalPod = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/**
 * resourcehelper.PodRequests / PodLimits for one resource: max(sum over containers, each init container) plus
 * overhead, as the raw quantity strings to add (so the sum keeps the first term's format).
 */
export function podResourceTerms(pod: Pod, kind: 'requests' | 'limits', resource: string): string[] {
  const of = (c: Container) => (c.resources?.[kind]?.[resource] ?? (kind === 'requests' ? c.resources?.limits?.[resource] : undefined)) as string | undefined;
  const terms = (pod.spec?.containers ?? []).map(of).filter((q): q is string => q !== undefined);
  const sum = new QuantitySum();
  for (const t of terms) sum.add(t);
  const inits = (pod.spec?.initContainers ?? []).map(of).filter((q): q is string => q !== undefined);
  let out = terms;
  for (const i of inits) {
    const one = new QuantitySum();
    one.add(i);
    if (one.milli > sum.milli) out = [i];
  }
  const overhead = pod.spec?.overhead?.[resource] as string | undefined;
  return overhead !== undefined && out.length ? [...out, overhead] : out;
}

/** The compute resources a quota may name for pods, mapped to [requests|limits, resource]. */
export const POD_COMPUTE: Record<string, ['requests' | 'limits', string]> = {
  cpu: ['requests', 'cpu'],
  memory: ['requests', 'memory'],
  'requests.cpu': ['requests', 'cpu'],
  'requests.memory': ['requests', 'memory'],
  'limits.cpu': ['limits', 'cpu'],
  'limits.memory': ['limits', 'memory'],
  'ephemeral-storage': ['requests', 'ephemeral-storage'],
  'requests.ephemeral-storage': ['requests', 'ephemeral-storage'],
  'limits.ephemeral-storage': ['limits', 'ephemeral-storage'],
};

export const claimClass = (c: PersistentVolumeClaim) => c.spec?.storageClassName ?? '';
export const claimStorage = (c: PersistentVolumeClaim) => c.spec?.resources?.requests?.storage as string | undefined;
export const serviceNodePorts = (s: Service) => (s.spec?.type === 'NodePort' || s.spec?.type === 'LoadBalancer' ? (s.spec.ports ?? []).length : 0);

/** One scope selector requirement of a quota (spec.scopes become `<scope> Exists`). */
export interface ScopeRequirement {
  scopeName?: string;
  operator?: string;
  values?: string[];
}

/** getScopeSelectorsFromQuota: spec.scopes as Exists requirements, then spec.scopeSelector.matchExpressions. */
export function quotaScopeSelectors(q: { spec?: { scopes?: string[]; scopeSelector?: { matchExpressions?: ScopeRequirement[] } } }): ScopeRequirement[] {
  return [...(q.spec?.scopes ?? []).map((s) => ({ scopeName: s, operator: 'Exists' })), ...(q.spec?.scopeSelector?.matchExpressions ?? [])];
}

function positive(v: unknown): boolean {
  if (v === undefined) return false;
  const s = new QuantitySum();
  s.add(v as string);
  return s.milli > 0n;
}

/** qos.GetPodQOS(pod) == BestEffort: no container or init container sets a positive cpu/memory request or limit. */
export function isBestEffortPod(pod: Pod): boolean {
  return ![...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].some((c) =>
    ['cpu', 'memory'].some((r) => positive(c.resources?.requests?.[r]) || positive(c.resources?.limits?.[r])),
  );
}

/** podMatchesScopeFunc: Terminating = activeDeadlineSeconds >= 0; PriorityClass as a label requirement on the class name. */
export function podMatchesScope(pod: Pod, sel: ScopeRequirement): boolean {
  const terminating = pod.spec?.activeDeadlineSeconds !== undefined && pod.spec.activeDeadlineSeconds !== null && pod.spec.activeDeadlineSeconds >= 0;
  switch (sel.scopeName) {
    case 'Terminating':
      return terminating;
    case 'NotTerminating':
      return !terminating;
    case 'BestEffort':
      return isBestEffortPod(pod);
    case 'NotBestEffort':
      return !isBestEffortPod(pod);
    case 'PriorityClass': {
      const cls = pod.spec?.priorityClassName ?? '';
      if (sel.operator === 'Exists') return cls !== '';
      if (sel.operator === 'In') return (sel.values ?? []).includes(cls);
      if (sel.operator === 'NotIn') return !(sel.values ?? []).includes(cls);
      return false; // DoesNotExist: the PriorityClass key is always in the pod's scope labels
    }
    case 'CrossNamespacePodAffinity': {
      const terms = [pod.spec?.affinity?.podAffinity, pod.spec?.affinity?.podAntiAffinity].flatMap((a) => [
        ...(a?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
        ...(a?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => w.podAffinityTerm),
      ]);
      return terms.some((t) => (t?.namespaces ?? []).length > 0 || t?.namespaceSelector !== undefined);
    }
    default:
      return false;
  }
}

/**
 * Whether obj (of resource, core group when pods) falls under the quota's scopes: unscoped quotas match
 * everything; scoped ones only pods matching every requirement (other evaluators use MatchesNoScopeFunc).
 */
export function matchesQuotaScopes(q: Parameters<typeof quotaScopeSelectors>[0], isPod: boolean, obj: unknown): boolean {
  const sels = quotaScopeSelectors(q);
  if (!sels.length) return true;
  return isPod && sels.every((s) => podMatchesScope(obj as Pod, s));
}
