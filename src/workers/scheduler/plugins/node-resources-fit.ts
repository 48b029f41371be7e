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
    let reasons: string[] | undefined;
    const { exact: used, allocatable, podCount } = nodeResources(ni);
    const maxPods = allocatable.get('pods');
    if (maxPods !== undefined && podCount + 1 > maxPods) (reasons ??= []).push(ERR_REASON_TOO_MANY_PODS);
    const { names, wants } = checkOrder(pod);
    for (let i = 0; i < names.length; i++) {
      const r = names[i];
      const free = (allocatable.get(r) ?? 0) - (used.get(r) ?? 0);
      if (wants[i] > free) (reasons ??= []).push(insufficient(r));
    }
    return reasons ? resolvable(...reasons) : null;
  },
};

interface CheckOrder {
  names: string[];
  wants: number[];
}
const orderCache = new WeakMap<Pod, CheckOrder>();
let lastOrderPod: Pod | undefined;
let lastOrder: CheckOrder = { names: [], wants: [] };
/** The pod's requested resources (> 0) and amounts in kube's check order: cpu, memory, ephemeral-storage, then by name. */
function checkOrder(pod: Pod): CheckOrder {
  if (pod === lastOrderPod) return lastOrder;
  let o = orderCache.get(pod);
  if (!o) {
    const req = podRequests(pod);
    const rest = [...req.keys()].filter((k) => k !== 'cpu' && k !== 'memory' && k !== 'ephemeral-storage' && k !== 'pods').sort();
    const names = ['cpu', 'memory', 'ephemeral-storage', ...rest].filter((k) => (req.get(k) ?? 0) > 0);
    o = { names, wants: names.map((k) => req.get(k) ?? 0) };
    orderCache.set(pod, o);
  }
  lastOrderPod = pod;
  lastOrder = o;
  return o;
}

const SCORED = ['cpu', 'memory'];

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
    // (allocatable, requested-after-placing-the-pod) for cpu and memory, exact requests; with two resources
    // the standard deviation is |f0 − f1| / 2, with one it is 0.
    const nr = nodeResources(ni);
    const req = podRequests(pod);
    let f0 = -1;
    let std = 0;
    for (const r of SCORED) {
      const alloc = nr.allocatable.get(r) ?? 0;
      if (alloc === 0) continue;
      const f = Math.min(1, ((nr.exact.get(r) ?? 0) + (req.get(r) ?? 0)) / alloc);
      if (f0 < 0) f0 = f;
      else std = Math.abs((f0 - f) / 2);
    }
    return Math.trunc((1 - std) * MAX_NODE_SCORE);
  },
};
