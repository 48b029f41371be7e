import type { Node, Taint } from 'kubernetes-types/core/v1';
import { Nodes } from '../api/resources';
import type { ApiClient } from '../client/api-client';
import { CONTROL_PLANE_TAINT } from '../workers/kubelet/node-status';

/** kubeadm's labelsToAdd: the role label and the external load-balancer exclusion (both ""). */
export const CONTROL_PLANE_LABELS: Readonly<Record<string, string>> = {
  'node-role.kubernetes.io/control-plane': '',
  'node.kubernetes.io/exclude-from-external-load-balancers': '',
};

const sameTaint = (a: Taint, b: Taint) => a.key === b.key && (a.value ?? '') === (b.value ?? '') && a.effect === b.effect && a.timeAdded === b.timeAdded;

/**
 * kubeadm's mark-control-plane phase (markcontrolplane.MarkControlPlane), run by cluster start-up as the admin
 * once the kubelet has registered the Node: a kubelet may not set node-role.kubernetes.io/* labels
 * (NodeRestriction), so the role labels come from here. Sets CONTROL_PLANE_LABELS and puts `taints` first in
 * spec.taints (the Node's other taints kept after them). Writes only when something changes (a cluster
 * started again on its store does one GET), as one strategic-merge PATCH, taints included only when they
 * change. Rejects with the ApiError of the GET (404 when the Node is not registered yet) or of the PATCH.
 */
export async function markControlPlane(client: ApiClient, nodeName: string, taints: Taint[] = [CONTROL_PLANE_TAINT]): Promise<void> {
  const node = await client.get<Node>(Nodes, nodeName);
  const labels = node.metadata?.labels ?? {};
  const addLabels = Object.fromEntries(Object.entries(CONTROL_PLANE_LABELS).filter(([k, v]) => labels[k] !== v));
  const current = node.spec?.taints ?? [];
  const wanted = [...taints, ...current.filter((t) => !taints.some((w) => sameTaint(w, t)))];
  const taintsChanged = wanted.length !== current.length || wanted.some((t, i) => !sameTaint(t, current[i]));
  if (!Object.keys(addLabels).length && !taintsChanged) return;
  const patch = {
    ...(Object.keys(addLabels).length ? { metadata: { labels: addLabels } } : {}),
    ...(taintsChanged ? { spec: { taints: wanted } } : {}),
  };
  await client.patch<Node>(Nodes, nodeName, undefined, 'strategic', patch);
}
