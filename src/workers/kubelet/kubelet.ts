import type { Pod, Taint } from 'kubernetes-types/core/v1';
import { rfc3339, type Clock } from '../../api/clock';
import { DisposableStore, type Disposable } from '../../api/disposable';
import type { IdSource } from '../../api/ids';
import type { KubeletApi, LogOptions } from '../../api/protocol';
import type { ApiClient } from '../../client/api-client';
import { createEventRecorder, type EventRecorder } from '../../client/event-recorder';
import type { ExecService, ImageService, NodeDisk, RuntimeService } from '../runtime/cri';
import { execStreams } from './exec-streams';
import { DEFAULT_LOG_ROTATION, startContainerLogManager, type LogRotationPolicy } from './container-log-manager';
import { containerLogs, DeletedPodLogs } from './container-logs';
import { DEFAULT_CAPACITY, defaultNodeLabels, machineInfo, nodeAddressing, registerNode, startHeartbeat, updateNodeStatus, type NodeIdentity } from './node-status';
import { PodIps } from './pod-ips';
import { watchNodePods } from './pod-source';
import { PodSyncer } from './pod-sync';
import { PodWorkers } from './pod-workers';
import { StatusManager } from './status-manager';
import { VolumeManager } from './volume-manager';
import type { DialTcp } from './prober';
import { openPvStore, PV_DB_NAME } from './pv-store';
import { VolumeSourceWatch } from './volume-source-watch';
import { PodObjectCache } from './pod-object-cache';
import { watchServices } from './service-lister';
import { createHostFs } from '../runtime/volume-mounts';
import type { MemFs } from '../runtime/wasi/mem-fs';
import { startStatsProvider } from './stats-provider';
import { evictedStatus, startEvictionManager } from './eviction-manager';
import { quantityBytes } from './quantity-bytes';
import { qosClass } from './pod-status';

const TERMINAL_PHASES = new Set(['Succeeded', 'Failed']);

export interface KubeletOptions {
  nodeName: string;
  client: ApiClient;
  /** With ExecService the kubelet serves pods/exec (KubeletApi.exec*). */
  runtime: RuntimeService & ImageService & Partial<ExecService> & { hostFs?: MemFs };
  disk: NodeDisk;
  clock: Clock;
  ids: IdSource;
  /**
   * Extra Node labels (--node-labels), merged over the default ones. Only labels a kubelet may set: NodeRestriction
   * refuses the registration with others (node-role.kubernetes.io/* included; the admin adds those).
   */
  labels?: Record<string, string>;
  /** Taints registered with the Node (register-with-taints); an existing Node keeps its own. */
  taints?: Taint[];
  /** The node's position in the cluster: InternalIP 172.18.0.(index+2), podCIDR 10.244.index.0/24. Default 0. */
  nodeIndex?: number;
  /** The least time a probe gets, in cluster ms: the Worker entry passes 1000 × speed so fast clocks do not time out real work. */
  minProbeTimeoutMs?: () => number;
  /** IndexedDB database of PersistentVolume data (default tabernetes-volumes; null: PVs only in memory). */
  volumesDb?: string | null;
  /** TCP from the node into the cluster network (src/network dialTcp) for httpGet/tcpSocket probes and hooks. */
  dialTcp?: DialTcp;
  /** Node capacity (= allocatable); defaults to DEFAULT_CAPACITY. */
  capacity?: Record<string, string>;
  /** containerLogMaxSize / containerLogMaxFiles / monitor interval over DEFAULT_LOG_ROTATION (10Mi, 5, 10 s). */
  logRotation?: Partial<LogRotationPolicy>;
}

export type Kubelet = Disposable & {
  api: KubeletApi;
  /** Resolves when no pod sync is running and every queued status write and event has been sent (tests). */
  idle(): Promise<void>;
  /** Resolves when the status writes and events queued so far are sent (orderly shutdown: call after dispose). */
  flush(): Promise<void>;
};

/** syncFrequency: every pod is synced at least this often. */
const RESYNC_MS = 60_000;

/**
 * Starts a kubelet: registers the Node (resolving once it is Ready in the API), then watches the pods bound
 * to it, runs them on the runtime, reports their status and events, and serves KubeletApi (logs).
 * Rejects when the Node cannot be registered. Disposing stops the watch, timers and syncs; containers are
 * left as they are (a later kubelet on the same disk adopts them).
 */
export async function startKubelet(opts: KubeletOptions): Promise<Kubelet> {
  const { nodeName, client, runtime, disk, clock, ids } = opts;
  const root = new DisposableStore();
  const nodeIndex = opts.nodeIndex ?? 0;
  const { internalIP, podCIDR } = nodeAddressing(nodeIndex);
  const identity: NodeIdentity = {
    nodeName,
    nodeIndex,
    labels: { ...defaultNodeLabels(nodeName), ...(opts.labels ?? {}) },
    taints: opts.taints ?? [],
    capacity: opts.capacity ?? DEFAULT_CAPACITY,
  };
  const statusDeps = { clock, runtime, info: await machineInfo(disk, ids) };
  const node = await registerNode(client, identity, statusDeps);
  // A deleted Node takes its saved hostPath data with it.
  const nodeGone = { handler: (): void => undefined };
  root.add(startHeartbeat(client, identity, statusDeps, node.metadata?.uid, () => nodeGone.handler()));

  const recorder: EventRecorder = root.add(createEventRecorder(client, clock, ids, { component: 'kubelet', host: nodeName }));
  const status = new StatusManager(client);
  const ips = await PodIps.open(disk, node.spec?.podCIDR ?? podCIDR);
  // Without IndexedDB (unit tests on a fake disk) PV data lives only in this node's memory.
  const pvStore = opts.volumesDb === null ? undefined : await openPvStore(opts.volumesDb ?? PV_DB_NAME).catch(() => undefined);
  if (pvStore) root.add({ dispose: () => pvStore.close() });
  const waits = root.add(new VolumeSourceWatch(client, clock, (uid) => pods.has(uid) && workers.update(uid)));
  // The ConfigMaps and Secrets of the pods on the node, watched (kube's Watch change detection strategy); a
  // change wakes the pods whose volumes wait for it.
  const objects = root.add(new PodObjectCache(client, clock, (key) => waits.changed(key)));
  const hostFs = runtime.hostFs ?? createHostFs(() => clock.now());
  const volumes = new VolumeManager({ client, hostFs, clock, hostIP: internalIP, nodeName, waits, objects, ...(pvStore ? { pvStore } : {}) });
  root.add(volumes.start());
  nodeGone.handler = () => void volumes.nodeDeleted().catch(() => undefined);
  const syncer = new PodSyncer({
    nodeName,
    hostIP: internalIP,
    client,
    objects,
    services: root.add(watchServices(client, clock)),
    runtime,
    disk,
    clock,
    recorder,
    status,
    ips,
    volumes,
    wake: (uid) => pods.has(uid) && workers.update(uid),
    ...(opts.dialTcp ? { dialTcp: opts.dialTcp } : {}),
    ...(opts.minProbeTimeoutMs ? { minProbeTimeoutMs: opts.minProbeTimeoutMs } : {}),
  });
  root.add(syncer.probes);
  root.add(startContainerLogManager({ runtime, disk, clock }, { ...DEFAULT_LOG_ROTATION, ...opts.logRotation }));

  const pods = new Map<string, Pod>(); // uid → latest pod from the API
  const removed = new Map<string, Pod>(); // uid → pods gone from the API, awaiting cleanup
  const deleted = root.add(new DeletedPodLogs(clock, disk)); // pods gone from the API whose logs are still served
  const byName = new Map<string, string>(); // ns/name → uid
  const syncKeys = new Map<string, string>();

  const workers = root.add(
    new PodWorkers(clock, async (uid) => {
      const gone = removed.get(uid);
      if (gone && !pods.has(uid)) {
        removed.delete(uid);
        try {
          await syncer.cleanup(gone, !deleted.has(uid));
        } finally {
          objects.unregister(uid); // only now: no sync of the pod is still reading its objects
        }
        workers.forget(uid);
        return undefined;
      }
      const pod = pods.get(uid);
      if (pod && !admission.has(uid) && !pod.metadata?.deletionTimestamp && !TERMINAL_PHASES.has(pod.status?.phase ?? '')) {
        const verdict = eviction.admit(pod);
        admission.set(uid, verdict.admit);
        if (!verdict.admit) return rejectPod(pod, verdict.reason, verdict.message);
      }
      if (admission.get(uid) === false && !pod?.metadata?.deletionTimestamp) return undefined; // deletion still finalizes it
      const evicting = evictions.get(uid);
      if (pod && evicting !== undefined && !TERMINAL_PHASES.has(pod.status?.phase ?? '')) return evictPod(pod, evicting.message, evicting.disruptionTarget);
      return pod ? syncer.sync(pod) : undefined;
    }),
  );

  /** Only changes kubelet acts on trigger a sync; status-only updates just refresh the cached copy. */
  const syncKey = (p: Pod) =>
    JSON.stringify([p.spec, p.metadata?.deletionTimestamp, p.metadata?.deletionGracePeriodSeconds, p.metadata?.labels, p.metadata?.annotations]);

  const podSource = root.add(
    watchNodePods(client, clock, nodeName, {
      upsert(pod) {
        const uid = pod.metadata?.uid ?? '';
        pods.set(uid, pod);
        byName.set(`${pod.metadata?.namespace}/${pod.metadata?.name}`, uid);
        status.observe(pod);
        const key = syncKey(pod);
        if (syncKeys.get(uid) === key) return;
        syncKeys.set(uid, key);
        objects.register(pod);
        workers.update(uid);
      },
      remove(pod) {
        const uid = pod.metadata?.uid ?? '';
        pods.delete(uid);
        syncKeys.delete(uid);
        evictions.delete(uid);
        admission.delete(uid);
        const name = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
        if (byName.get(name) === uid) byName.delete(name);
        deleted.keep(pod, status.get(uid) ?? pod.status);
        removed.set(uid, pod);
        workers.update(uid);
      },
    }),
  );

  // Saved emptyDirs of pods deleted while no kubelet ran (a page reload) are freed once the pod list is synced.
  void podSource.synced().then(() => volumes.collectOrphans(new Set([...pods.keys(), ...removed.keys()]))).catch(() => undefined);
  root.add(clock.every(RESYNC_MS, () => pods.forEach((_p, uid) => workers.update(uid))));
  root.add(startPleg(runtime, (uid) => pods.has(uid) && workers.update(uid)));

  const findPod = (ns: string, name: string) => {
    const uid = byName.get(`${ns}/${name}`);
    return uid ? pods.get(uid) : undefined;
  };
  const storage = { capacityBytes: quantityBytes(identity.capacity['ephemeral-storage'] ?? '0') ?? 0, hostFs, logs: disk, podOf: (uid: string) => pods.get(uid) };
  const stats = root.add(startStatsProvider({ nodeName, runtime, clock, ...(identity.capacity['ephemeral-storage'] ? { storage } : {}) }));
  // Node-pressure eviction: the pod's worker kills it (grace 0) and posts Failed/Evicted (evictPod).
  const evictions = new Map<string, { message: string; disruptionTarget: boolean }>(); // uid → eviction
  const evictPod = async (pod: Pod, message: string, disruptionTarget: boolean): Promise<undefined> => {
    const uid = pod.metadata?.uid ?? '';
    recorder.event(pod, 'Warning', 'Evicted', message);
    await syncer.sync({ ...pod, status: { ...pod.status, phase: 'Failed' } });
    await syncer.postStatus(pod, true);
    await status.set(pod, evictedStatus(status.get(uid) ?? {}, message, clock.now(), disruptionTarget));
    return undefined;
  };
  // HandlePodAdditions' admission (eviction manager only): once per pod; a rejected pod never starts.
  const admission = new Map<string, boolean>(); // uid → admitted
  const rejectPod = async (pod: Pod, reason: string, message: string): Promise<undefined> => {
    recorder.event(pod, 'Warning', reason, message);
    await status.set(pod, { qosClass: qosClass(pod), phase: 'Failed', reason, message: `Pod was rejected: ${message}`, startTime: rfc3339(clock.now()) });
    return undefined;
  };
  const eviction = root.add(
    startEvictionManager({
      clock,
      capacityBytes: quantityBytes(identity.capacity.memory ?? '0') ?? 0,
      summary: () => stats.summary(),
      activePods: () => [...pods.values()].filter((p) => !p.metadata?.deletionTimestamp && !TERMINAL_PHASES.has(p.status?.phase ?? '') && !evictions.has(p.metadata?.uid ?? '')),
      evict: async (pod, message, disruptionTarget) => {
        evictions.set(pod.metadata?.uid ?? '', { message, disruptionTarget });
        workers.update(pod.metadata?.uid ?? '');
      },
      onPressure: () => void updateNodeStatus(client, identity, statusDeps).catch(() => undefined),
    }),
  );
  Object.assign(statusDeps, { pressure: () => eviction.pressure() });
  const api: KubeletApi = {
    ...execStreams({ findPod, runtime }),
    statsSummary: () => stats.summary(),
    containerLogs(namespace: string, pod: string, container: string, logOpts: LogOptions) {
      return containerLogs(
        {
          findPod: (ns, name) => findPod(ns, name) ?? deleted.find(ns, name),
          statusOf: (p) => status.get(p.metadata?.uid ?? '') ?? deleted.statusOf(p.metadata?.uid ?? '') ?? p.status,
          runtime,
          disk,
          now: () => clock.now(),
        },
        namespace,
        pod,
        container,
        logOpts,
      );
    },
  };

  return {
    api,
    async idle() {
      await workers.idle();
      await status.flush();
      await recorder.flush();
    },
    async flush() {
      await status.flush();
      await recorder.flush();
    },
    dispose: () => root.dispose(),
  };
}

/**
 * The pod lifecycle event generator: long-polls the runtime's container events and wakes the pod's
 * worker when one of its containers stopped. Ends when disposed or when the runtime closes.
 */
function startPleg(runtime: RuntimeService, wake: (uid: string) => void): Disposable {
  let stopped = false;
  const sandboxUid = new Map<string, string>();
  void (async () => {
    let seq = 0;
    while (!stopped) {
      let res: { seq: number; events: { podSandboxId: string; type: string }[] };
      try {
        res = await runtime.getContainerEvents(seq);
      } catch {
        return;
      }
      if (stopped || !res.events.length) return;
      seq = res.seq;
      for (const ev of res.events) {
        if (ev.type !== 'CONTAINER_STOPPED_EVENT') continue;
        if (!sandboxUid.has(ev.podSandboxId)) {
          for (const s of await runtime.listPodSandbox({ id: ev.podSandboxId }).catch(() => [])) sandboxUid.set(s.id, s.metadata.uid);
        }
        const uid = sandboxUid.get(ev.podSandboxId);
        if (uid && !stopped) wake(uid);
      }
    }
  })();
  return { dispose: () => void (stopped = true) };
}
