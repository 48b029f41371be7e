import { rfc3339, type Clock } from '../../api/clock';
import type { Disposable } from '../../api/disposable';
import type { Pod } from 'kubernetes-types/core/v1';
import type { ContainerStatsSummary, CpuStats, FsStats, PodStatsSummary, StatsSummary } from '../../api/stats-summary';
import type { ContainerStats, NodeDisk, RuntimeService } from '../runtime/cri';
import { treeUsedBytes } from '../runtime/fs-usage';
import type { MemFs } from '../runtime/wasi/mem-fs';
import { podLogDir } from './container-logs';

/** cAdvisor's housekeeping interval: how often a CPU sample is kept as the base of the next rate. */
export const STATS_HOUSEKEEPING_MS = 10_000;
/** A rate is taken over at least this much cluster time (else over the sample before). */
const MIN_WINDOW_MS = 1_000;

interface Sample {
  t: number;
  cpu: number;
}

export type StatsProvider = Disposable & { summary(): Promise<StatsSummary> };

/** Where the node's ephemeral storage is measured. */
export interface StorageSources {
  /** The node's ephemeral-storage capacity in bytes (nodefs capacity). */
  capacityBytes: number;
  /** The host filesystem holding /var/lib/kubelet/pods/<uid>/volumes (emptyDir data). */
  hostFs?: MemFs;
  /** Container log files under /var/log/pods. */
  logs?: Pick<NodeDisk, 'listLogs'>;
  /** The pod's spec (emptyDir medium); unknown pods count every emptyDir as disk. */
  podOf?(uid: string): Pod | undefined;
}

const EMPTY_DIR = 'kubernetes.io~empty-dir';

/**
 * The kubelet's summary provider over the runtime's ListContainerStats. Every STATS_HOUSEKEEPING_MS of the
 * injected clock it keeps one CPU sample per running container (the last two); summary() samples now and
 * gives each container's usageNanoCores over [newest kept sample at least MIN_WINDOW_MS old, now] — absent for
 * a container with no such sample yet (as metrics-server needs two points). Pod figures are sums of their
 * containers' (a pod's rate only when all have one); the node's rate sums the containers that have one.
 * A runtime without listContainerStats yields no pods. Errors of the runtime reject summary().
 * With `storage`: each container's rootfs (its writable layer, from the runtime) and logs (its log files),
 * each pod's emptyDir volumes and ephemeral-storage (rootfs + logs + emptyDirs not of medium Memory), and
 * the node's fs (capacity; used = the pods' ephemeral storage; available = capacity - used, may be < 0).
 */
export function startStatsProvider(opts: { nodeName: string; runtime: RuntimeService; clock: Clock; storage?: StorageSources }): StatsProvider {
  const { nodeName, runtime, clock, storage } = opts;
  const history = new Map<string, Sample[]>(); // container id → up to two kept samples, oldest first
  const started = clock.now();

  const housekeep = async () => {
    const stats = (await runtime.listContainerStats?.().catch(() => [])) ?? [];
    const live = new Set<string>();
    for (const s of stats) {
      live.add(s.attributes.id);
      const h = history.get(s.attributes.id) ?? [];
      h.push({ t: s.cpu.timestamp, cpu: s.cpu.usageCoreNanoSeconds });
      if (h.length > 2) h.shift();
      history.set(s.attributes.id, h);
    }
    for (const id of history.keys()) if (!live.has(id)) history.delete(id);
  };
  void housekeep();
  const timer = clock.every(STATS_HOUSEKEEPING_MS, () => void housekeep());

  const cpuOf = (s: ContainerStats): CpuStats => {
    const now = s.cpu.timestamp;
    const base = [...(history.get(s.attributes.id) ?? [])].reverse().find((h) => now - h.t >= MIN_WINDOW_MS);
    const out: CpuStats = { time: rfc3339(now), usageCoreNanoSeconds: s.cpu.usageCoreNanoSeconds };
    if (base) {
      out.windowMs = now - base.t;
      out.usageNanoCores = Math.max(0, Math.round(((s.cpu.usageCoreNanoSeconds - base.cpu) * 1000) / out.windowMs));
    }
    return out;
  };

  const sumCpu = (parts: CpuStats[], time: string): CpuStats => {
    const out: CpuStats = { time, usageCoreNanoSeconds: parts.reduce((a, c) => a + c.usageCoreNanoSeconds, 0) };
    if (parts.length && parts.every((c) => c.usageNanoCores !== undefined)) {
      out.usageNanoCores = parts.reduce((a, c) => a + (c.usageNanoCores ?? 0), 0);
      out.windowMs = Math.max(...parts.map((c) => c.windowMs ?? 0));
    }
    return out;
  };
  const memory = (bytes: number, time: string) => ({ time, workingSetBytes: bytes, usageBytes: bytes });

  return {
    async summary() {
      const [stats, sandboxes] = await Promise.all([runtime.listContainerStats?.() ?? Promise.resolve([]), runtime.listPodSandbox()]);
      const now = clock.now();
      const time = rfc3339(now);
      const pods = new Map<string, PodStatsSummary>();
      for (const s of stats) {
        const sb = sandboxes.find((x) => x.id === s.attributes.podSandboxId);
        if (!sb || sb.state !== 'SANDBOX_READY') continue;
        let pod = pods.get(sb.id);
        if (!pod) {
          pod = { podRef: { name: sb.metadata.name, namespace: sb.metadata.namespace, uid: sb.metadata.uid }, startTime: rfc3339(sb.createdAt), containers: [], cpu: { time, usageCoreNanoSeconds: 0 }, memory: memory(0, time) };
          pods.set(sb.id, pod);
        }
        const c: ContainerStatsSummary = { name: s.attributes.metadata.name, cpu: cpuOf(s), memory: memory(s.memory.workingSetBytes, rfc3339(s.memory.timestamp)) };
        pod.containers.push(c);
      }
      for (const pod of pods.values()) {
        pod.cpu = sumCpu(pod.containers.map((c) => c.cpu), time);
        pod.memory = memory(pod.containers.reduce((a, c) => a + c.memory.workingSetBytes, 0), time);
      }
      const all = [...pods.values()];
      let fs: FsStats | undefined;
      if (storage) {
        const layers = new Map(stats.map((s) => [`${s.attributes.podSandboxId}/${s.attributes.metadata.name}`, s.writableLayer?.usedBytes ?? 0]));
        let used = 0;
        for (const [sandboxId, pod] of pods) {
          await measurePod(pod, storage, time, (name) => layers.get(`${sandboxId}/${name}`) ?? 0);
          used += pod['ephemeral-storage']?.usedBytes ?? 0;
        }
        fs = { time, capacityBytes: storage.capacityBytes, usedBytes: used, availableBytes: storage.capacityBytes - used };
      }
      // The node's rate counts the containers that have one, so a new pod does not hide the node for a window.
      const containerCpu = all.flatMap((p) => p.containers.map((c) => c.cpu));
      const rated = containerCpu.filter((c) => c.usageNanoCores !== undefined);
      const nodeCpu = sumCpu(rated, time);
      nodeCpu.usageCoreNanoSeconds = containerCpu.reduce((a, c) => a + c.usageCoreNanoSeconds, 0);
      if (!containerCpu.length) Object.assign(nodeCpu, { usageNanoCores: 0 });
      return {
        node: { nodeName, startTime: rfc3339(started), cpu: nodeCpu, memory: memory(all.reduce((a, p) => a + p.memory.workingSetBytes, 0), time), ...(fs ? { fs } : {}) },
        pods: all,
      };
    },
    dispose: () => timer.dispose(),
  };
}

/** Fills a pod's rootfs/logs/volume/ephemeral-storage figures. A log listing that fails counts 0. */
async function measurePod(pod: PodStatsSummary, storage: StorageSources, time: string, layerOf: (container: string) => number): Promise<void> {
  const spec = storage.podOf?.(pod.podRef.uid);
  const logDir = podLogDir({ metadata: { ...pod.podRef } });
  const logFiles = storage.logs ? await storage.logs.listLogs(`${logDir}/`).catch(() => []) : [];
  let total = 0;
  for (const c of pod.containers) {
    const logs = logFiles.filter((f) => f.path.startsWith(`${logDir}/${c.name}/`)).reduce((a, f) => a + f.bytes, 0);
    c.rootfs = { time, usedBytes: layerOf(c.name) };
    c.logs = { time, usedBytes: logs };
    total += c.rootfs.usedBytes + logs;
  }
  const volumes: Array<FsStats & { name: string }> = [];
  const dir = storage.hostFs ? lookupDir(storage.hostFs, `/var/lib/kubelet/pods/${pod.podRef.uid}/volumes/${EMPTY_DIR}`) : undefined;
  for (const [name, node] of dir?.children ?? []) {
    const usedBytes = treeUsedBytes(node);
    volumes.push({ time, name, usedBytes });
    const medium = spec?.spec?.volumes?.find((v) => v.name === name)?.emptyDir?.medium;
    if (medium !== 'Memory') total += usedBytes;
  }
  pod.volume = volumes;
  pod['ephemeral-storage'] = { time, usedBytes: total };
}

function lookupDir(fs: MemFs, path: string) {
  try {
    const node = fs.lookup(fs.root, path, true).node;
    return node?.kind === 'dir' ? node : undefined;
  } catch {
    return undefined;
  }
}
