import type { NodeSelectorRequirement, NodeSelectorTerm } from 'kubernetes-types/core/v1';
import { unschedulable, type FilterPlugin } from '../framework';

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
function termsMatch(terms: NodeSelectorTerm[], labels: Record<string, string>, nodeName: string): boolean {
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
  filter(pod, { node }) {
    const labels = node.metadata?.labels ?? {};
    for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return unschedulable(ERR_REASON_NODE_AFFINITY);
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (required && !termsMatch(required.nodeSelectorTerms ?? [], labels, node.metadata?.name ?? '')) return unschedulable(ERR_REASON_NODE_AFFINITY);
    return null;
  },
};
