/**
 * The kubelet's stats summary (GET /stats/summary, k8s.io/kubelet/pkg/apis/stats/v1alpha1), trimmed to what
 * the metrics pipeline reads. Times are RFC 3339. usageNanoCores is the rate over the sample window; it is
 * absent until the kubelet has two samples of a container. windowMs (an addition) is that window's length.
 */
export interface CpuStats {
  time: string;
  usageNanoCores?: number;
  usageCoreNanoSeconds: number;
  windowMs?: number;
}

export interface MemoryStats {
  time: string;
  workingSetBytes: number;
  usageBytes: number;
  availableBytes?: number;
}

/** FsStats: bytes on the node's filesystem (ours: the tab's memory that stands for it). */
export interface FsStats {
  time: string;
  usedBytes: number;
  capacityBytes?: number;
  availableBytes?: number;
}

export interface ContainerStatsSummary {
  name: string;
  startTime?: string;
  cpu: CpuStats;
  memory: MemoryStats;
  /** The writable layer. */
  rootfs?: FsStats;
  /** The container's log files (all attempts, rotated ones included). */
  logs?: FsStats;
}

export interface PodStatsSummary {
  podRef: { name: string; namespace: string; uid: string };
  startTime?: string;
  containers: ContainerStatsSummary[];
  cpu: CpuStats;
  memory: MemoryStats;
  /** The pod's emptyDir volumes (VolumeStats, trimmed). */
  volume?: Array<FsStats & { name: string }>;
  /** rootfs + logs of its containers + its disk-backed emptyDirs, as the kubelet sums them. */
  'ephemeral-storage'?: FsStats;
}

export interface StatsSummary {
  /** fs: nodefs (capacity = the node's ephemeral-storage, used = the pods' ephemeral storage). */
  node: { nodeName: string; startTime?: string; cpu: CpuStats; memory: MemoryStats; fs?: FsStats };
  pods: PodStatsSummary[];
}
