import type { Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1';
import { matchesLabelSelector } from '../../../api/label-selector';
import { MAX_NODE_SCORE, resolvable, unschedulable, type CycleState, type FilterPlugin, type ScorePlugin } from '../framework';
import { NodeAffinity } from './node-affinity';

export const ERR_REASON_TOPOLOGY_SPREAD = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_TOPOLOGY_MISSING_LABEL = "node(s) didn't match pod topology spread constraints (missing required label)";

interface Spread {
  c: TopologySpreadConstraint;
  /** topology value → matching pods */
  counts: Map<string, number>;
  min: number;
  selfMatch: number;
}

/** The constraint's selector with matchLabelKeys merged from the pod's labels. */
function matches(pod: Pod, c: TopologySpreadConstraint, other: Pod): boolean {
  if ((other.metadata?.namespace ?? '') !== (pod.metadata?.namespace ?? '')) return false;
  if (!matchesLabelSelector(c.labelSelector, other.metadata?.labels)) return false;
  const own = pod.metadata?.labels ?? {};
  return (c.matchLabelKeys ?? []).every((k) => !(k in own) || other.metadata?.labels?.[k] === own[k]);
}

function compute(pod: Pod, constraints: TopologySpreadConstraint[], state: CycleState): Spread[] {
  return constraints.map((c) => {
    const counts = new Map<string, number>();
    for (const ni of state.all) {
      const labels = ni.node.metadata?.labels ?? {};
      if (!(c.topologyKey in labels)) continue;
      // nodeAffinityPolicy Honor (default): only nodes the pod could land on by nodeSelector/affinity count.
      if (c.nodeAffinityPolicy !== 'Ignore' && NodeAffinity.filter(pod, ni, state)) continue;
      const v = labels[c.topologyKey];
      let n = counts.get(v) ?? 0;
      for (const p of ni.pods) if (!p.metadata?.deletionTimestamp && matches(pod, c, p)) n++;
      counts.set(v, n);
    }
    let min = counts.size ? Math.min(...counts.values()) : 0;
    if (c.minDomains && counts.size < c.minDomains) min = 0;
    return { c, counts, min, selfMatch: matchesLabelSelector(c.labelSelector, pod.metadata?.labels) ? 1 : 0 };
  });
}

const hard = (pod: Pod) => (pod.spec?.topologySpreadConstraints ?? []).filter((c) => c.whenUnsatisfiable === 'DoNotSchedule');
const soft = (pod: Pod) => (pod.spec?.topologySpreadConstraints ?? []).filter((c) => c.whenUnsatisfiable === 'ScheduleAnyway');

/**
 * Filter (PodTopologySpread, DoNotSchedule constraints): placing the pod must keep
 * count(domain) + self − min(domains) ≤ maxSkew. A node without the topology label is unresolvable.
 * (Cluster default constraints are ScheduleAnyway only, so they never filter.)
 */
export const PodTopologySpread: FilterPlugin = {
  name: 'PodTopologySpread',
  // An assigned pod counted by one of the pod's constraints appearing, changing or leaving; any node change (topology).
  events: [
    {
      resource: 'AssignedPod',
      actions: ['Add', 'Update', 'Delete'],
      hint: (pod, ev) => hard(pod).some((c) => [ev.oldObj, ev.newObj].some((o) => !!o && matches(pod, c, o as Pod))),
    },
    { resource: 'Node', actions: ['Add', 'Update', 'Delete'] },
  ],
  preFilter(pod, state) {
    const cs = hard(pod);
    if (cs.length) state.data.set('PodTopologySpread', compute(pod, cs, state));
    return null;
  },
  skip: (_pod, state) => !state.data.has('PodTopologySpread'),
  filter(pod, ni, state) {
    const spreads = state.data.get('PodTopologySpread') as Spread[] | undefined;
    if (!spreads) return null;
    const labels = ni.node.metadata?.labels ?? {};
    for (const s of spreads) {
      if (!(s.c.topologyKey in labels)) return unschedulable(ERR_REASON_TOPOLOGY_MISSING_LABEL);
      const skew = (s.counts.get(labels[s.c.topologyKey]) ?? 0) + s.selfMatch - s.min;
      if (skew > s.c.maxSkew) return resolvable(ERR_REASON_TOPOLOGY_SPREAD);
    }
    return null;
  },
};

/**
 * Score (PodTopologySpread, weight 2, ScheduleAnyway constraints): fewer matching pods in the node's domains
 * is better; each constraint weighs log(domains + 2); nodes missing a label score 0; normalized so the
 * emptiest domain gets 100. (The cluster-level default constraints need Service/ReplicaSet selectors: not applied.)
 */
export const PodTopologySpreadScore: ScorePlugin = {
  name: 'PodTopologySpread',
  weight: 2,
  preScore(pod, _feasible, state) {
    const cs = soft(pod);
    if (!cs.length) return false;
    state.data.set('PodTopologySpreadScore', compute(pod, cs, state));
    return true;
  },
  score(_pod, ni, state) {
    const spreads = state.data.get('PodTopologySpreadScore') as Spread[];
    const labels = ni.node.metadata?.labels ?? {};
    let sum = 0;
    for (const s of spreads) {
      if (!(s.c.topologyKey in labels)) return -1;
      sum += ((s.counts.get(labels[s.c.topologyKey]) ?? 0) + s.c.maxSkew - 1) * Math.log(s.counts.size + 2);
    }
    return Math.round(sum);
  },
  normalize(scores) {
    const vals = scores.filter((v) => v >= 0);
    const max = vals.length ? Math.max(...vals) : 0;
    const min = vals.length ? Math.min(...vals) : 0;
    for (let i = 0; i < scores.length; i++) {
      const v = scores[i];
      scores[i] = v < 0 ? 0 : max === 0 ? MAX_NODE_SCORE : Math.trunc((MAX_NODE_SCORE * (max + min - v)) / max);
    }
  },
};
