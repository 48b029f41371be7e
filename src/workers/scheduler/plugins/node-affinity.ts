import type { NodeSelectorRequirement, NodeSelectorTerm } from 'kubernetes-types/core/v1';
import { defaultNormalizeScore, unschedulable, type FilterPlugin, type ScorePlugin } from '../framework';
import { NODE_CHANGE_EVENTS } from './event-hints';

export const ERR_REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

function requirementMatches(r: NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = labels[r.key];
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return has && values.includes(v);
    case 'NotIn':
      return !has || !values.includes(v);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || values.length !== 1) return false;
      const a = Number.parseInt(v, 10);
      const b = Number.parseInt(values[0], 10);
      if (Number.isNaN(a) || Number.isNaN(b)) return false;
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

/** Terms are ORed; a term's matchExpressions are ANDed; an empty term matches nothing (nodeaffinity semantics). */
export function termsMatch(terms: NodeSelectorTerm[], labels: Record<string, string>, nodeName: string): boolean {
  return terms.some((t) => {
    const exprs = t.matchExpressions ?? [];
    const fields = t.matchFields ?? [];
    if (!exprs.length && !fields.length) return false;
    return exprs.every((r) => requirementMatches(r, labels)) && fields.every((r) => r.key === 'metadata.name' && requirementMatches({ ...r, key: 'n' }, { n: nodeName }));
  });
}

/**
 * Filter (kube's NodeAffinity, covering the NodeSelector rule): pod.spec.nodeSelector labels must all be
 * on the node, and requiredDuringSchedulingIgnoredDuringExecution node affinity terms must match.
 */
export const NodeAffinity: FilterPlugin = {
  name: 'NodeAffinity',
  events: NODE_CHANGE_EVENTS,
  skip: (pod) => !pod.spec?.nodeSelector && !pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
  filter(pod, { node }) {
    const labels = node.metadata?.labels ?? {};
    const sel = pod.spec?.nodeSelector;
    if (sel) for (const k in sel) if (labels[k] !== sel[k]) return unschedulable(ERR_REASON_NODE_AFFINITY);
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (required && !termsMatch(required.nodeSelectorTerms ?? [], labels, node.metadata?.name ?? '')) return unschedulable(ERR_REASON_NODE_AFFINITY);
    return null;
  },
};

/** Score (NodeAffinity, weight 2): the summed weights of matching preferred terms, normalized to 0..100 by the max. */
export const NodeAffinityScore: ScorePlugin = {
  name: 'NodeAffinity',
  weight: 2,
  preScore: (pod) => !!pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length,
  score(pod, { node }) {
    const labels = node.metadata?.labels ?? {};
    let sum = 0;
    for (const t of pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
      if (t.weight && termsMatch([t.preference], labels, node.metadata?.name ?? '')) sum += t.weight;
    }
    return sum;
  },
  normalize: (scores) => defaultNormalizeScore(scores, false),
};
