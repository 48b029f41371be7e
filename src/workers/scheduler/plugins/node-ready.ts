import type { Taint } from 'kubernetes-types/core/v1';
import { nodeFacts, unschedulable, type FilterPlugin } from '../framework';
import { tolerationsTolerateTaint, untoleratedTaintReason } from './taint-toleration';
import { NODE_CHANGE_EVENTS } from './event-hints';

/**
 * Filter: only Ready nodes take new pods. In kube this is the node lifecycle controller's
 * node.kubernetes.io/not-ready (Ready False or missing) and node.kubernetes.io/unreachable (Ready Unknown)
 * NoSchedule taints meeting TaintToleration; this plugin applies the same rule before those taints land,
 * with the same reason text, and lets pods that tolerate the taint through (as DaemonSet pods do).
 */
export const NodeReady: FilterPlugin = {
  name: 'NodeReady',
  events: NODE_CHANGE_EVENTS,
  filter(pod, ni) {
    const ready = nodeFacts(ni).ready;
    if (ready === 'True') return null;
    const taint: Taint = { key: ready === 'Unknown' ? 'node.kubernetes.io/unreachable' : 'node.kubernetes.io/not-ready', effect: 'NoSchedule' };
    return tolerationsTolerateTaint(pod.spec?.tolerations, taint) ? null : unschedulable(untoleratedTaintReason(taint));
  },
};
