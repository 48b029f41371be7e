import type { Pod } from 'kubernetes-types/core/v1';
import { resolvable, MAX_NODE_SCORE, type FilterPlugin, type ScorePlugin } from '../framework';
import { nodeResources, podRequests } from './resource-requests';

export const ERR_REASON_TOO_MANY_PODS = 'Too many pods';
export const insufficient = (resource: string) => `Insufficient ${resource}`;

/**
 * Filter (NodeResourcesFit): the pod's requests (see podRequests) must fit allocatable minus the requests
 * of the node's pods; a node full by pod count says "Too many pods". Every lacking resource is a reason
 * (cpu, memory, ephemeral-storage, then extended resources by name). Rejections are resolvable (preemption may help).
 */
export const NodeResourcesFit: FilterPlugin = {
  name: 'NodeResourcesFit',
  filter(pod, ni) {
    const reasons: string[] = [];
    const { exact: used, allocatable, podCount } = nodeResources(ni);
    const maxPods = allocatable.get('pods');
    if (maxPods !== undefined && podCount + 1 > maxPods) reasons.push(ERR_REASON_TOO_MANY_PODS);
    const req = podRequests(pod);
    for (const r of checkOrder(pod)) {
      const want = req.get(r) ?? 0;
      const free = (allocatable.get(r) ?? 0) - (used.get(r) ?? 0);
      if (want > free) reasons.push(insufficient(r));
    }
    return reasons.length ? resolvable(...reasons) : null;
  },
};

const orderCache = new WeakMap<Pod, string[]>();
/** The pod's requested resources (> 0) in kube's check order: cpu, memory, ephemeral-storage, then by name. */
function checkOrder(pod: Pod): string[] {
  let o = orderCache.get(pod);
  if (!o) {
    const req = podRequests(pod);
    const rest = [...req.keys()].filter((k) => k !== 'cpu' && k !== 'memory' && k !== 'ephemeral-storage' && k !== 'pods').sort();
    o = ['cpu', 'memory', 'ephemeral-storage', ...rest].filter((k) => (req.get(k) ?? 0) > 0);
    orderCache.set(pod, o);
  }
  return o;
}

const SCORED = ['cpu', 'memory'];

/** (allocatable, requested-after-placing-the-pod) for cpu and memory. nonZero: scoring defaults applied. */
function allocation(pod: Parameters<ScorePlugin['score']>[0], ni: Parameters<ScorePlugin['score']>[1], nonZero: boolean): [number, number][] {
  const nr = nodeResources(ni);
  const used = nonZero ? nr.nonZero : nr.exact;
  const req = podRequests(pod, nonZero);
  return SCORED.map((r) => [nr.allocatable.get(r) ?? 0, (used.get(r) ?? 0) + (req.get(r) ?? 0)]);
}

/** Score (NodeResourcesFit, LeastAllocated strategy, cpu and memory weight 1): mean of (free·100/allocatable), integer math. */
export const NodeResourcesLeastAllocated: ScorePlugin = {
  name: 'NodeResourcesFit',
  weight: 1,
  score(pod, ni) {
    const nr = nodeResources(ni);
    const req = podRequests(pod, true);
    let sum = 0;
    for (const r of SCORED) {
      const alloc = nr.allocatable.get(r) ?? 0;
      const want = (nr.nonZero.get(r) ?? 0) + (req.get(r) ?? 0);
      if (alloc === 0 || want > alloc) continue;
      sum += Math.trunc(((alloc - want) * MAX_NODE_SCORE) / alloc);
    }
    return Math.trunc(sum / SCORED.length);
  },
};

/** Score (NodeResourcesBalancedAllocation): (1 − std of requested/allocatable fractions)·100; skipped for best-effort pods. */
export const NodeResourcesBalancedAllocation: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  preScore(pod) {
    const req = podRequests(pod);
    return SCORED.some((r) => (req.get(r) ?? 0) > 0);
  },
  score(pod, ni) {
    const fractions: number[] = [];
    for (const [alloc, req] of allocation(pod, ni, false)) {
      if (alloc === 0) continue;
      fractions.push(Math.min(1, req / alloc));
    }
    let std = 0;
    if (fractions.length === 2) std = Math.abs((fractions[0] - fractions[1]) / 2);
    else if (fractions.length > 2) {
      const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
      std = Math.sqrt(fractions.reduce((a, f) => a + (f - mean) ** 2, 0) / fractions.length);
    }
    return Math.trunc((1 - std) * MAX_NODE_SCORE);
  },
};
