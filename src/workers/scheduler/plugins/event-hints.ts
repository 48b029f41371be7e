import type { Node, Pod } from 'kubernetes-types/core/v1';
import { cycleState, type ClusterEvent, type ClusterEventHint, type FilterPlugin, type NodeInfo } from '../framework';

/**
 * Shared EventsToRegister pieces (kube's QueueingHintFns) for plugins whose verdict depends on the Node alone.
 * Hints return true for Queue, false for QueueSkip.
 */

/** Whether plugin alone (PreFilter, Skip, Filter) accepts pod on node with no pods on it. */
export function pluginAcceptsNode(plugin: FilterPlugin, pod: Pod, node: Node): boolean {
  const ni: NodeInfo = { node, pods: [] };
  const state = cycleState([ni]);
  if (plugin.preFilter?.(pod, state)) return false;
  if (plugin.skip?.(pod, state)) return true;
  return !plugin.filter(pod, ni, state);
}

/**
 * Node Add/Update hint for node-only filters (NodeUnschedulable, NodeName, TaintToleration, NodeReady, NodeAffinity):
 * Queue when the plugin accepts the pod on the new node and the node is new or the plugin rejected its old version.
 */
export function nodeChangeHint(pod: Pod, ev: ClusterEvent, plugin: FilterPlugin): boolean {
  const node = ev.newObj as Node | undefined;
  if (!node || !pluginAcceptsNode(plugin, pod, node)) return false;
  const old = ev.oldObj as Node | undefined;
  return !old || !pluginAcceptsNode(plugin, pod, old);
}

/** Node added or updated, with nodeChangeHint. */
export const NODE_CHANGE_EVENTS: readonly ClusterEventHint[] = [{ resource: 'Node', actions: ['Add', 'Update'], hint: nodeChangeHint }];

/** The pod's namespace and the event object's (new, else old) are the same. */
export function sameNamespace(pod: Pod, ev: ClusterEvent): boolean {
  const obj = (ev.newObj ?? ev.oldObj) as { metadata?: { namespace?: string } } | undefined;
  return (obj?.metadata?.namespace ?? '') === (pod.metadata?.namespace ?? '');
}
