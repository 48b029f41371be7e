import type { Pod, PodAffinityTerm } from 'kubernetes-types/core/v1';
import { matchesLabelSelector } from '../../../api/label-selector';
import { resolvable, unschedulable, type CycleState, type FilterPlugin, type NodeInfo, type ScorePlugin } from '../framework';

export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

/**
 * A term selects pods in term.namespaces, or all namespaces for an empty namespaceSelector ({}), else the
 * owner pod's namespace. (A non-empty namespaceSelector is treated as the owner's namespace: the scheduler
 * keeps no Namespace cache.) matchLabelKeys/mismatchLabelKeys are merged by the apiserver in 1.32.
 */
export function termMatches(owner: Pod, term: PodAffinityTerm, candidate: Pod): boolean {
  const ns = candidate.metadata?.namespace ?? '';
  const sel = term.namespaceSelector;
  const emptySel = sel && !Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length;
  const namespaces = term.namespaces ?? [];
  const nsOk = emptySel || (namespaces.length ? namespaces.includes(ns) : ns === owner.metadata?.namespace);
  return nsOk && matchesLabelSelector(term.labelSelector, candidate.metadata?.labels);
}

const active = (p: Pod) => !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
const pair = (key: string, value: string) => `${key}\u0000${value}`;

interface AffinityState {
  /** Per required affinity term: topology pairs holding a matching pod. */
  affinity: Set<string>[];
  anyAffinityMatch: boolean;
  /** Topology pairs holding a pod matched by the incoming pod's required anti-affinity. */
  anti: Set<string>;
  /** Topology pairs where an existing pod's required anti-affinity matches the incoming pod. */
  existingAnti: Set<string>;
}

/** Visits placed pods with their node's labels: all of them, or only those with affinity terms when onlyAffinity and the state indexes them. */
function each(state: CycleState, onlyAffinity: boolean, fn: (p: Pod, labels: Record<string, string>) => void): void {
  if (onlyAffinity && state.affinityPods) {
    for (const { pod, node } of state.affinityPods) {
      const ni = state.byName.get(node);
      if (ni && active(pod)) fn(pod, ni.node.metadata?.labels ?? {});
    }
    return;
  }
  for (const ni of state.all) {
    const labels = ni.node.metadata?.labels ?? {};
    for (const p of ni.pods) if (active(p)) fn(p, labels);
  }
}

const hasTerms = (pod: Pod) => !!(pod.spec?.affinity?.podAffinity || pod.spec?.affinity?.podAntiAffinity);

function compute(pod: Pod, state: CycleState): AffinityState {
  const aff = pod.spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  const anti = pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  const s: AffinityState = { affinity: aff.map(() => new Set()), anyAffinityMatch: false, anti: new Set(), existingAnti: new Set() };
  each(state, !aff.length && !anti.length, (p, labels) => {
    aff.forEach((t, i) => {
      if (termMatches(pod, t, p)) {
        s.anyAffinityMatch = true;
        if (t.topologyKey in labels) s.affinity[i].add(pair(t.topologyKey, labels[t.topologyKey]));
      }
    });
    for (const t of anti) if (t.topologyKey in labels && termMatches(pod, t, p)) s.anti.add(pair(t.topologyKey, labels[t.topologyKey]));
    for (const t of p.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
      if (t.topologyKey in labels && termMatches(p, t, pod)) s.existingAnti.add(pair(t.topologyKey, labels[t.topologyKey]));
    }
  });
  return s;
}

/**
 * Filter (InterPodAffinity, required terms): every affinity term needs a matching pod in the node's
 * topology domain (unless no pod matches anywhere and the pod matches its own term: the first of a group);
 * no pod matched by an anti-affinity term may share the domain; no existing pod's anti-affinity may match.
 */
export const InterPodAffinity: FilterPlugin = {
  name: 'InterPodAffinity',
  // Assigned pods appearing (affinity), changing labels or leaving (anti-affinity), and node label changes may help.
  events: [
    { resource: 'AssignedPod', actions: ['Add', 'Update', 'Delete'] },
    { resource: 'Node', actions: ['Add', 'Update'] },
  ],
  preFilter(pod, state) {
    state.data.set('InterPodAffinity', compute(pod, state));
    return null;
  },
  skip(pod, state) {
    const s = state.data.get('InterPodAffinity') as AffinityState | undefined;
    return !!s && !hasTerms(pod) && !s.existingAnti.size;
  },
  filter(pod, ni: NodeInfo, state) {
    const s = (state.data.get('InterPodAffinity') as AffinityState | undefined) ?? compute(pod, state);
    if (!hasTerms(pod) && !s.existingAnti.size) return null;
    const labels = ni.node.metadata?.labels ?? {};
    const aff = pod.spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    if (aff.length) {
      const selfMatch = !s.anyAffinityMatch && aff.every((t) => termMatches(pod, t, pod));
      const ok = aff.every((t, i) => t.topologyKey in labels && (selfMatch || s.affinity[i].has(pair(t.topologyKey, labels[t.topologyKey]))));
      if (!ok) return unschedulable(ERR_REASON_AFFINITY);
    }
    const anti = pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    if (anti.some((t) => t.topologyKey in labels && s.anti.has(pair(t.topologyKey, labels[t.topologyKey])))) return resolvable(ERR_REASON_ANTI_AFFINITY);
    for (const [k, v] of Object.entries(labels)) if (s.existingAnti.has(pair(k, v))) return resolvable(ERR_REASON_EXISTING_ANTI_AFFINITY);
    return null;
  },
};

/**
 * Score (InterPodAffinity, weight 2): the incoming pod's preferred (anti-)affinity weights toward pods in
 * each topology domain, plus existing pods' preferred terms and required affinity (hardPodAffinityWeight 1)
 * matching the incoming pod; min-max normalized to 0..100.
 */
export const InterPodAffinityScore: ScorePlugin = {
  name: 'InterPodAffinity',
  weight: 2,
  preScore(pod, _feasible, state) {
    const topo = new Map<string, number>();
    const add = (key: string, labels: Record<string, string>, w: number) => {
      if (key in labels) topo.set(pair(key, labels[key]), (topo.get(pair(key, labels[key])) ?? 0) + w);
    };
    const prefAff = pod.spec?.affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    const prefAnti = pod.spec?.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    each(state, !prefAff.length && !prefAnti.length, (p, labels) => {
      for (const w of prefAff) if (termMatches(pod, w.podAffinityTerm, p)) add(w.podAffinityTerm.topologyKey, labels, w.weight);
      for (const w of prefAnti) if (termMatches(pod, w.podAffinityTerm, p)) add(w.podAffinityTerm.topologyKey, labels, -w.weight);
      const a = p.spec?.affinity;
      for (const t of a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) if (termMatches(p, t, pod)) add(t.topologyKey, labels, 1);
      for (const w of a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) if (termMatches(p, w.podAffinityTerm, pod)) add(w.podAffinityTerm.topologyKey, labels, w.weight);
      for (const w of a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) if (termMatches(p, w.podAffinityTerm, pod)) add(w.podAffinityTerm.topologyKey, labels, -w.weight);
    });
    state.data.set('InterPodAffinityScore', topo);
    return topo.size > 0;
  },
  score(_pod, ni, state) {
    const topo = state.data.get('InterPodAffinityScore') as Map<string, number>;
    let sum = 0;
    for (const [k, v] of Object.entries(ni.node.metadata?.labels ?? {})) sum += topo.get(pair(k, v)) ?? 0;
    return sum;
  },
  normalize(scores) {
    const min = Math.min(...scores);
    const max = Math.max(...scores);
    for (let i = 0; i < scores.length; i++) scores[i] = max - min > 0 ? Math.trunc((100 * (scores[i] - min)) / (max - min)) : 0;
  },
};
