import type { Pod, Taint, Toleration } from 'kubernetes-types/core/v1';
import { defaultNormalizeScore, nodeFacts, unschedulable, type FilterPlugin, type ScorePlugin } from '../framework';
import { NODE_CHANGE_EVENTS } from './event-hints';

/** v1helper ToleratesTaint: effect (empty = all), key (empty needs Exists = all keys), Exists or Equal value. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
      return !!t.key && (t.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

export function tolerationsTolerateTaint(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/** The first taint in node order passing `include` that no toleration tolerates (FindMatchingUntoleratedTaint). */
export function findUntoleratedTaint(taints: Taint[] | undefined, tolerations: Toleration[] | undefined, include: (t: Taint) => boolean): Taint | undefined {
  return (taints ?? []).find((t) => include(t) && !tolerationsTolerateTaint(tolerations, t));
}

export function untoleratedTaintReason(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
}

/** Filter: NoSchedule and NoExecute taints must be tolerated (PreferNoSchedule is a scoring matter). */
export const TaintToleration: FilterPlugin = {
  name: 'TaintToleration',
  events: NODE_CHANGE_EVENTS,
  filter(pod: Pod, ni) {
    const taints = nodeFacts(ni).taints;
    if (!taints) return null;
    const taint = findUntoleratedTaint(taints, pod.spec?.tolerations, (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
    return taint ? unschedulable(untoleratedTaintReason(taint)) : null;
  },
};

/** Score (TaintToleration, weight 3): fewer untolerated PreferNoSchedule taints is better (reverse-normalized count). */
export const TaintTolerationScore: ScorePlugin = {
  name: 'TaintToleration',
  weight: 3,
  score(pod, ni) {
    const taints = nodeFacts(ni).taints;
    if (!taints?.length) return 0;
    const tols = (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    return taints.filter((t) => t.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tols, t)).length;
  },
  normalize: (scores) => defaultNormalizeScore(scores, true),
};
