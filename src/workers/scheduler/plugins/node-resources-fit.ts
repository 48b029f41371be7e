import type { Node, Pod } from 'kubernetes-types/core/v1';
import { resolvable, MAX_NODE_SCORE, type ClusterEvent, type FilterPlugin, type ScorePlugin } from '../framework';
import { pluginAcceptsNode } from './event-hints';
import { amount, nodeResources, podRequests } from './resource-requests';

export const ERR_REASON_TOO_MANY_PODS = 'Too many pods';
export const insufficient = (resource: string) => `Insufficient ${resource}`;

/**
 * Filter (NodeResourcesFit): the pod's requests (see podRequests) must fit allocatable minus the requests
 * of the node's pods; a node full by pod count says "Too many pods". Every lacking resource is a reason
 * (cpu, memory, ephemeral-storage, then extended resources by name). Rejections are resolvable (preemption may help).
 */
export const NodeResourcesFit: FilterPlugin = {
  name: 'NodeResourcesFit',
  // Any assigned pod going away may free room; a node helps when the pod fits its allocatable and it is new or one of
  // the resources the pod requests (or its pod count) grew.
  events: [
    { resource: 'AssignedPod', actions: ['Delete'] },
    { resource: 'Node', actions: ['Add', 'Update'], hint: (pod, ev, plugin) => nodeMayFit(pod, ev, plugin) },
  ],
  filter(pod, ni) {
    let reasons: string[] | undefined;
    const nr = nodeResources(ni);
    if (nr.allocPods !== undefined && nr.podCount + 1 > nr.allocPods) (reasons ??= []).push(ERR_REASON_TOO_MANY_PODS);
    const o = checkOrder(pod);
    if (o.cpuMemoryOnly) {
      // the common case (only cpu and/or memory requested): same checks and order, no map lookups
      if (o.cpu > 0 && o.cpu > nr.allocCpu - nr.exactCpu) (reasons ??= []).push(INSUFFICIENT_CPU);
      if (o.memory > 0 && o.memory > nr.allocMemory - nr.exactMemory) (reasons ??= []).push(INSUFFICIENT_MEMORY);
      return reasons ? resolvable(...reasons) : null;
    }
    const { names, wants } = o;
    for (let i = 0; i < names.length; i++) {
      const r = names[i];
      const free = (nr.allocatable.get(r) ?? 0) - (nr.exact.get(r) ?? 0);
      if (wants[i] > free) (reasons ??= []).push(insufficient(r));
    }
    return reasons ? resolvable(...reasons) : null;
  },
};

const INSUFFICIENT_CPU = insufficient('cpu');
const INSUFFICIENT_MEMORY = insufficient('memory');

interface CheckOrder {
  names: string[];
  wants: number[];
  /** names ⊆ {cpu, memory}. */
  cpuMemoryOnly: boolean;
  /** Exact requests (cpu in millicores), 0 when absent. */
  cpu: number;
  memory: number;
  /** The same with the scoring defaults (podRequests(pod, true)). */
  nonZeroCpu: number;
  nonZeroMemory: number;
}
const orderCache = new WeakMap<Pod, CheckOrder>();
let lastOrderPod: Pod | undefined;
let lastOrder: CheckOrder = { names: [], wants: [], cpuMemoryOnly: true, cpu: 0, memory: 0, nonZeroCpu: 0, nonZeroMemory: 0 };
/** The pod's requested resources (> 0) and amounts in kube's check order: cpu, memory, ephemeral-storage, then by name. */
function checkOrder(pod: Pod): CheckOrder {
  if (pod === lastOrderPod) return lastOrder;
  let o = orderCache.get(pod);
  if (!o) {
    const req = podRequests(pod);
    const rest = [...req.keys()].filter((k) => k !== 'cpu' && k !== 'memory' && k !== 'ephemeral-storage' && k !== 'pods').sort();
    const names = ['cpu', 'memory', 'ephemeral-storage', ...rest].filter((k) => (req.get(k) ?? 0) > 0);
    const nz = podRequests(pod, true);
    o = {
      names,
      wants: names.map((k) => req.get(k) ?? 0),
      cpuMemoryOnly: names.every((k) => k === 'cpu' || k === 'memory'),
      cpu: req.get('cpu') ?? 0,
      memory: req.get('memory') ?? 0,
      nonZeroCpu: nz.get('cpu') ?? 0,
      nonZeroMemory: nz.get('memory') ?? 0,
    };
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
    const o = checkOrder(pod);
    return Math.trunc((leastAllocated(nr.allocCpu, nr.nonZeroCpu + o.nonZeroCpu) + leastAllocated(nr.allocMemory, nr.nonZeroMemory + o.nonZeroMemory)) / SCORED.length);
  },
};

function leastAllocated(alloc: number, want: number): number {
  if (alloc === 0 || want > alloc) return 0;
  return Math.trunc(((alloc - want) * MAX_NODE_SCORE) / alloc);
}

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
    const o = checkOrder(pod);
    let f0 = -1;
    let std = 0;
    if (nr.allocCpu !== 0) f0 = Math.min(1, (nr.exactCpu + o.cpu) / nr.allocCpu);
    if (nr.allocMemory !== 0) {
      const f = Math.min(1, (nr.exactMemory + o.memory) / nr.allocMemory);
      if (f0 >= 0) std = Math.abs((f0 - f) / 2);
    }
    return Math.trunc((1 - std) * MAX_NODE_SCORE);
  },
};

/** NodeResourcesFit's Node hint (isSchedulableAfterNodeChange): fits the empty node, and added or requested resources increased. */
function nodeMayFit(pod: Pod, ev: ClusterEvent, plugin: FilterPlugin): boolean {
  const node = ev.newObj as Node | undefined;
  if (!node || !pluginAcceptsNode(plugin, pod, node)) return false;
  const old = ev.oldObj as Node | undefined;
  if (!old) return true;
  const was = old.status?.allocatable ?? {};
  const now = node.status?.allocatable ?? {};
  const grew = (r: string) => amount(r, now[r] === undefined ? undefined : String(now[r])) > amount(r, was[r] === undefined ? undefined : String(was[r]));
  if (grew('pods')) return true;
  for (const [r, v] of podRequests(pod)) if (v > 0 && grew(r)) return true;
  return false;
}
