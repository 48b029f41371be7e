import { unschedulable, type FilterPlugin } from '../framework';
import { NODE_CHANGE_EVENTS } from './event-hints';

export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

/** Filter: a pod with spec.nodeName preset only fits that node. */
export const NodeName: FilterPlugin = {
  name: 'NodeName',
  events: NODE_CHANGE_EVENTS,
  skip: (pod) => !pod.spec?.nodeName,
  filter(pod, { node }) {
    const want = pod.spec?.nodeName;
    return !want || want === node.metadata?.name ? null : unschedulable(ERR_REASON_NODE_NAME);
  },
};
