/**
 * src/cluster: the whole cluster composed in one process (Node tests, `npm run serve`): store → apiserver →
 * controller-manager → scheduler → kubelets, each awaited until it serves.
 * - local-cluster: startLocalCluster(opts) → LocalCluster ({ client, api, nodes, store, idle, stop } & Disposable)
 * - mark-control-plane: markControlPlane(adminClient, nodeName) — kubeadm's mark-control-plane phase: the admin adds
 *   the role labels (CONTROL_PLANE_LABELS) to the Node its kubelet registered with the control-plane taint.
 * - hollow-nodes: startHollowNodes({ client, clock, ids, nodes }) → HollowNodes — KWOK-style hollow nodes, a test and
 *   benchmark tool (not a kubelet): Nodes registered Ready with a status heartbeat, bound pods reported Running/Ready,
 *   terminating pods deleted; so the control plane can be measured alone (bench:control-plane, hollow-bench.test.ts).
 */
export { startLocalCluster, DEFAULT_NODES, type LocalCluster, type LocalClusterOptions, type LocalNode } from './local-cluster';
export { markControlPlane, CONTROL_PLANE_LABELS } from './mark-control-plane';
export { startHollowNodes, hollowNodeAddressing, hollowRunningStatus, HOLLOW_DEFAULT_CAPACITY, type HollowNodes, type HollowNodesOptions } from './hollow-nodes';
