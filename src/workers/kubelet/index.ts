/**
 * src/workers/kubelet: the node agent. Registers its Node (labels, taints, podCIDR, Ready status, 10 s
 * heartbeats and Lease), watches the pods bound to it, runs them on the CRI runtime through per-pod workers
 * (image pulls with back-off, restartPolicy with CrashLoopBackOff, graceful termination and the final
 * delete), writes pod status and events with kubelet 1.32's texts, and serves KubeletApi (container logs).
 * - kubelet: startKubelet → Kubelet (Disposable & { api: KubeletApi })
 * - pod-sync, pod-workers, pod-status, status-manager, image-manager: the sync loop and its parts
 * - node-status: registration and heartbeats; container-logs: kubectl logs from CRI log files
 * - exec-streams: pods/exec (KubeletApi.exec*) over the runtime's ExecService; quantity-bytes: memory limits
 * main.ts is the Worker entry (Comlink) and is not exported here.
 */
export { startKubelet, type Kubelet, type KubeletOptions } from './kubelet';
export { controlPlaneRole, defaultNodeLabels, isControlPlaneName, nodeAddressing, DEFAULT_CAPACITY } from './node-status';
export { parseCriLog } from './container-logs';
