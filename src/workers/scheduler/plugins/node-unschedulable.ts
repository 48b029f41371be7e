import { nodeFacts, unschedulable, type FilterPlugin } from '../framework';
import { tolerationsTolerateTaint } from './taint-toleration';
import { NODE_CHANGE_EVENTS } from './event-hints';

/** The reason kube-scheduler's NodeUnschedulable plugin reports. */
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

/** Filter: spec.unschedulable (cordon) rejects pods that do not tolerate node.kubernetes.io/unschedulable:NoSchedule. */
export const NodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  events: NODE_CHANGE_EVENTS,
  filter(pod, ni) {
    if (!nodeFacts(ni).unschedulable) return null;
    const tolerated = tolerationsTolerateTaint(pod.spec?.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' });
    return tolerated ? null : unschedulable(ERR_REASON_UNSCHEDULABLE);
  },
};
