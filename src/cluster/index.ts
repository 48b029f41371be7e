/**
 * src/cluster: the whole cluster composed in one process (Node tests, `npm run serve`): store → apiserver →
 * controller-manager → scheduler → kubelets, each awaited until it serves.
 * - local-cluster: startLocalCluster(opts) → LocalCluster ({ client, api, nodes, store, idle, stop } & Disposable)
 */
export { startLocalCluster, DEFAULT_NODES, type LocalCluster, type LocalClusterOptions, type LocalNode } from './local-cluster';
