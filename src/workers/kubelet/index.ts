/**
 * src/workers/kubelet: the node agent. Registers its Node (labels, taints, podCIDR, Ready status, 10 s
 * heartbeats and Lease), watches the pods bound to it, runs them on the CRI runtime through per-pod workers
 * (image pulls with back-off, restartPolicy with CrashLoopBackOff, graceful termination and the final
 * delete), writes pod status and events with kubelet 1.32's texts, and serves KubeletApi (container logs).
 * - kubelet: startKubelet → Kubelet (Disposable & { api: KubeletApi })
 * - pod-sync, pod-workers, pod-status, status-manager, image-manager: the sync loop and its parts;
 *   start-or-back-off: one container's start (CRI create/start, postStart) or CrashLoopBackOff wait
 * - node-status: registration and heartbeats; container-logs: kubectl logs from CRI log files (the current
 *   file), a deleted pod's logs kept until container GC (DeletedPodLogs); container-log-manager: containerLogMaxSize/MaxFiles rotation (<logPath>.<YYYYMMDD-hhmmss>)
 * - exec-streams: pods/exec and pods/attach (KubeletApi.exec*, attachOpen) over the runtime's ExecService and
 *   AttachService; pod-sync also starts ephemeral containers (once, never restarted; ephemeralContainerStatuses); quantity-bytes: memory limits
 * - stats-provider: the stats summary (KubeletApi.statsSummary) from the runtime's ListContainerStats, with
 *   ephemeral storage (container rootfs = writable layer, logs, emptyDir volumes, node fs vs ephemeral-storage)
 * - eviction-manager: node-pressure eviction on memory.available (capacity minus pod working sets; hard
 *   threshold 100Mi scaled to the node's memory) and nodefs.available (<10% of ephemeral-storage):
 *   MemoryPressure/DiskPressure conditions, emptyDir sizeLimit and ephemeral-storage limit evictions, pods
 *   Failed/Evicted with the kubelet's messages; container-config: CRI configs (memory limit, CFS quota from limits.cpu)
 * - pod-object-cache: the watch-based ConfigMap/Secret managers (one metadata.name watch per object a pod on the
 *   node references, while one does); env and API-data volumes read through it, never GET per sync
 * - service-lister: the Service informer (kube's serviceLister) that service link variables read; pod-ips: the
 *   podCIDR allocator (one node-disk record per pod)
 * - volume-manager (+ volume-payload, atomic-writer, pv-store, local-volumes): emptyDir, configMap, secret,
 *   downwardAPI, projected, hostPath and PVC volumes laid out in the runtime's host filesystem
 *   (WasmRuntime.hostFs) and mounted into containers as CRI mounts; FailedMount keeps a pod ContainerCreating;
 *   PV data, disk-medium emptyDir (until its pod is deleted) and hostPath data (until its Node is deleted) persist across reloads in
 *   IndexedDB `tabernetes-volumes`.
 * - probe-manager + prober: startup/liveness/readiness probes (exec; httpGet/tcpSocket/grpc through
 *   KubeletOptions.dialTcp; grpc-probe + hpack-decoder (Huffman included): grpc.health.v1 Check over HTTP/2 cleartext); lifecycle-hooks + container-killer: postStart/preStop and killContainer;
 *   pod-containers: sidecar (restartable init container) and finished-pod helpers.
 * main.ts is the Worker entry (Comlink) and is not exported here.
 */
export { startKubelet, type Kubelet, type KubeletOptions } from './kubelet';
export { CONTROL_PLANE_TAINT, defaultNodeLabels, isControlPlaneName, nodeAddressing, DEFAULT_CAPACITY } from './node-status';
export { parseCriLog } from './container-logs';
export { PV_DB_NAME } from './pv-store';
export type { DialTcp, ProbeConn } from './prober';
