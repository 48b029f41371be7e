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

export interface ContainerStatsSummary {
  name: string;
  startTime?: string;
  cpu: CpuStats;
  memory: MemoryStats;
}

export interface PodStatsSummary {
  podRef: { name: string; namespace: string; uid: string };
  startTime?: string;
  containers: ContainerStatsSummary[];
  cpu: CpuStats;
  memory: MemoryStats;
}

export interface StatsSummary {
  node: { nodeName: string; startTime?: string; cpu: CpuStats; memory: MemoryStats };
  pods: PodStatsSummary[];
}
