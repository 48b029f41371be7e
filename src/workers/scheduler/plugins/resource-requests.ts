import type { Container, Pod } from 'kubernetes-types/core/v1';
import { milliValue, quantityValue } from '../../../api/quantity';
import type { NodeInfo } from '../framework';

/** Requests in scheduler units: cpu in millicores, everything else in Value() (bytes, counts). */
export type Resources = Map<string, number>;

/** schedutil defaults for containers without a request, used only for scoring (GetNonzeroRequests). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export function amount(name: string, q: string | undefined): number {
  return name === 'cpu' ? milliValue(q) : quantityValue(q);
}

function containerRequests(c: Container, nonZero: boolean): Resources {
  const out: Resources = new Map();
  for (const [k, v] of Object.entries(c.resources?.requests ?? {})) out.set(k, amount(k, String(v)));
  if (nonZero) {
    if (!out.get('cpu')) out.set('cpu', DEFAULT_MILLI_CPU_REQUEST);
    if (!out.get('memory')) out.set('memory', DEFAULT_MEMORY_REQUEST);
  }
  return out;
}

function add(into: Resources, r: Resources): void {
  for (const [k, v] of r) into.set(k, (into.get(k) ?? 0) + v);
}

function max(into: Resources, r: Resources): void {
  for (const [k, v] of r) if (v > (into.get(k) ?? 0)) into.set(k, v);
}

interface PodReq {
  exact: Resources;
  nonZero: Resources;
  /** The spec parts besides containers the figures were computed from (checked by identity). */
  init: unknown;
  overhead: unknown;
}
/**
 * Keyed by spec.containers (identity), so shallow copies of a pod (the scheduler's assumed copy) share one
 * entry; initContainers and overhead must be the same objects too.
 */
const cache = new WeakMap<object, PodReq>();
const NO_CONTAINERS: Container[] = [];

/**
 * resourcehelper.PodRequests: the sum of containers (restartable init containers run alongside them),
 * the max with each init container (plus the restartable ones started before it), plus spec.overhead.
 * nonZero applies the scoring defaults (100m cpu, 200Mi memory) to containers that request none.
 */
export function podRequests(pod: Pod, nonZero = false): Resources {
  // One-entry memo before the WeakMap: the filters and scores ask for the same incoming pod on every node.
  let c = pod === lastPod ? lastReq : undefined;
  if (!c) {
    const spec = pod.spec;
    const key = spec?.containers ?? NO_CONTAINERS;
    c = cache.get(key);
    if (!c || c.init !== spec?.initContainers || c.overhead !== spec?.overhead) {
      c = { exact: compute(pod, false), nonZero: compute(pod, true), init: spec?.initContainers, overhead: spec?.overhead };
      if (key !== NO_CONTAINERS) cache.set(key, c);
    }
  }
  lastPod = pod;
  lastReq = c;
  return nonZero ? c.nonZero : c.exact;
}
let lastPod: Pod | undefined;
let lastReq: PodReq | undefined;

function compute(pod: Pod, nonZero: boolean): Resources {
  const reqs: Resources = new Map();
  for (const c of pod.spec?.containers ?? []) add(reqs, containerRequests(c, nonZero));
  const restartable: Resources = new Map();
  const initMax: Resources = new Map();
  for (const c of pod.spec?.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      add(reqs, r);
      add(restartable, r);
      max(initMax, restartable);
    } else {
      const tmp: Resources = new Map(r);
      add(tmp, restartable);
      max(initMax, tmp);
    }
  }
  max(reqs, initMax);
  for (const [k, v] of Object.entries(pod.spec?.overhead ?? {})) reqs.set(k, (reqs.get(k) ?? 0) + amount(k, String(v)));
  return reqs;
}

export interface NodeResources {
  exact: Resources;
  nonZero: Resources;
  allocatable: Resources;
  /** Non-terminal pods (counted against allocatable "pods"). */
  podCount: number;
  /**
   * The same figures for cpu (millicores) and memory as plain numbers (absent = 0), and allocatable "pods"
   * (undefined when the node does not state it): the per-node hot path reads these, not the maps.
   */
  allocCpu: number;
  allocMemory: number;
  allocPods: number | undefined;
  exactCpu: number;
  exactMemory: number;
  nonZeroCpu: number;
  nonZeroMemory: number;
}

const allocCache = new WeakMap<object, Resources>();

function isTerminal(p: Pod): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}

/** nodeInfo.Requested / NonZeroRequested (sums over its non-terminal pods) and Allocatable. Memoized on the NodeInfo (ni.resources). */
export function nodeResources(ni: NodeInfo): NodeResources {
  let c = ni.resources;
  if (!c) {
    const exact: Resources = new Map();
    const nz: Resources = new Map();
    let podCount = 0;
    for (const p of ni.pods) {
      if (isTerminal(p)) continue;
      podCount++;
      add(exact, podRequests(p));
      add(nz, podRequests(p, true));
    }
    const allocObj = ni.node.status?.allocatable ?? {};
    let allocatable = allocCache.get(allocObj);
    if (!allocatable) {
      allocatable = new Map();
      for (const [k, v] of Object.entries(allocObj)) allocatable.set(k, amount(k, String(v)));
      allocCache.set(allocObj, allocatable);
    }
    c = {
      exact,
      nonZero: nz,
      allocatable,
      podCount,
      allocCpu: allocatable.get('cpu') ?? 0,
      allocMemory: allocatable.get('memory') ?? 0,
      allocPods: allocatable.get('pods'),
      exactCpu: exact.get('cpu') ?? 0,
      exactMemory: exact.get('memory') ?? 0,
      nonZeroCpu: nz.get('cpu') ?? 0,
      nonZeroMemory: nz.get('memory') ?? 0,
    };
    ni.resources = c;
  }
  return c;
}

/** Pods counted against allocatable "pods" (non-terminal). */
export function activePodCount(ni: NodeInfo): number {
  return nodeResources(ni).podCount;
}
