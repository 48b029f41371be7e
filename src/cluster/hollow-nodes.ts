import type { ContainerStatus, Node, NodeCondition, Pod, PodCondition, Taint } from 'kubernetes-types/core/v1';
import { rfc3339, type Clock } from '../api/clock';
import { DisposableStore, toDisposable, type Disposable } from '../api/disposable';
import type { IdSource } from '../api/ids';
import { Nodes, Pods } from '../api/resources';
import { ApiError } from '../api/status';
import type { ApiClient } from '../client/api-client';
import { runController } from '../client/controller';
import { createSharedInformer } from '../client/informer';
import { createWorkQueue } from '../client/workqueue';

/**
 * Hollow nodes, KWOK-style: a test and benchmark tool that stands in for kubelets so the control plane
 * (apiserver, scheduler, controllers) can be measured alone. It is not a fake of our kubelet: no containers,
 * volumes, probes or images; a bound pod is reported running and Ready as soon as it is seen.
 */
export interface HollowNodesOptions {
  client: ApiClient;
  clock: Clock;
  ids: IdSource;
  /** Node names; node i gets hostIP/podCIDR from its index (see hollowNodeAddressing). */
  nodes: string[];
  /** Extra labels on every node (kubernetes.io/hostname and type=kwok are always set). */
  labels?: Record<string, string>;
  /** Taints on every node (none by default; KWOK's convention is kwok.x-k8s.io/node=fake:NoSchedule). */
  taints?: Taint[];
  /** capacity = allocatable; default 32 cpu, 256Gi memory, 110 pods. */
  capacity?: Record<string, string>;
  /** Heartbeat: every node's status (Ready's lastHeartbeatTime) is re-posted this often; default 10 s of cluster time (kubelet's nodeStatusUpdateFrequency; node-lifecycle's grace is 40 s). */
  heartbeatMs?: number;
  /** Concurrent pod status writers; default 8 per node (kubelets write their pods' statuses in parallel), at most 256. */
  workers?: number;
}

export interface HollowNodes extends Disposable {
  /** Resolves when every node is registered Ready and the pod informer has synced; rejects on a registration error. */
  readonly ready: Promise<void>;
  /** Counts since start: pod status writes (running) and pod deletions (grace 0) done. */
  stats(): { started: number; deleted: number };
}

export const HOLLOW_DEFAULT_CAPACITY: Record<string, string> = { cpu: '32', memory: '256Gi', pods: '110' };
const DEFAULT_HEARTBEAT_MS = 10_000;

/** Node i of a hollow set: InternalIP 172.30.x.y and podCIDR 10.(128+hi).lo.0/24 — apart from the real nodes' kind-like ranges. */
export function hollowNodeAddressing(index: number): { internalIP: string; podCIDR: string; podPrefix: string } {
  const hi = (index >> 8) & 127;
  const lo = index & 255;
  return { internalIP: `172.30.${hi}.${lo + 1 > 254 ? 254 : lo + 1}`, podCIDR: `10.${128 + hi}.${lo}.0/24`, podPrefix: `10.${128 + hi}.${lo}.` };
}

/** Pod IPs .2–.254 of one node's /24; a pod keeps its address until it is deleted. */
class PodIps {
  private readonly used = new Map<string, number>();
  private next = 2;
  constructor(private readonly prefix: string) {}
  /** The pod's address (the one it already reports, if any), or undefined when the /24 is full. */
  get(uid: string, current?: string): string | undefined {
    const have = this.used.get(uid);
    if (have !== undefined) return this.prefix + have;
    const taken = new Set(this.used.values());
    const cur = current?.startsWith(this.prefix) ? Number(current.slice(this.prefix.length)) : NaN;
    let n = Number.isInteger(cur) && !taken.has(cur) ? cur : undefined;
    for (let i = 0; n === undefined && i < 253; i++) {
      const c = ((this.next - 2 + i) % 253) + 2;
      if (!taken.has(c)) n = c;
    }
    if (n === undefined) return undefined;
    this.next = n + 1;
    this.used.set(uid, n);
    return this.prefix + n;
  }
  release(uid: string): void {
    this.used.delete(uid);
  }
}

const isReady = (p: Pod) => p.status?.phase === 'Running' && !!p.status.podIP && !!p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
const isTerminal = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/** The status a kubelet reports once every container of the pod has started (no probes: started and ready at once). */
export function hollowRunningStatus(pod: Pod, hostIP: string, podIP: string, now: number, ids: IdSource): NonNullable<Pod['status']> {
  const t = rfc3339(now);
  const startTime = pod.status?.startTime ?? t;
  const prev = new Map((pod.status?.conditions ?? []).map((c) => [c.type, c]));
  const cond = (type: string): PodCondition => {
    const was = prev.get(type);
    return { type, status: 'True', lastProbeTime: null as unknown as string, lastTransitionTime: was?.status === 'True' && was.lastTransitionTime ? was.lastTransitionTime : t };
  };
  const running = (name: string, image: string | undefined): ContainerStatus => ({
    name,
    image: image ?? '',
    imageID: '',
    containerID: `hollow://${ids.uid().replace(/-/g, '')}`,
    ready: true,
    started: true,
    restartCount: 0,
    state: { running: { startedAt: t } },
    lastState: {},
  });
  const init = (pod.spec?.initContainers ?? []).map((c): ContainerStatus =>
    c.restartPolicy === 'Always'
      ? running(c.name, c.image)
      : { name: c.name, image: c.image ?? '', imageID: '', containerID: `hollow://${ids.uid().replace(/-/g, '')}`, ready: false, started: false, restartCount: 0, lastState: {}, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: t, finishedAt: t } } },
  );
  return {
    phase: 'Running',
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime,
    conditions: [cond('PodReadyToStartContainers'), cond('Initialized'), cond('Ready'), cond('ContainersReady'), cond('PodScheduled')],
    ...(init.length ? { initContainerStatuses: init } : {}),
    containerStatuses: (pod.spec?.containers ?? []).map((c) => running(c.name, c.image)),
  };
}

/**
 * Starts hollow nodes: registers each Node Ready (created with its status; an existing Node gets its status
 * re-posted), re-posts every node's status each heartbeatMs, and runs a level-based controller over an informer
 * on bound pods (fieldSelector spec.nodeName!=): a pod bound to one of the nodes that is not terminal and not yet Running+Ready gets the status a
 * kubelet writes once its containers run (PATCH pods/NAME/status, merge); a pod with a deletionTimestamp is
 * deleted with gracePeriodSeconds 0 and a uid precondition (as the kubelet does once its containers stopped).
 * Failed writes are retried with the workqueue's rate limiter; NotFound and Conflict are dropped (the informer
 * brings the next state). dispose() stops the heartbeat, the controller and the informer; the Nodes stay.
 */
export function startHollowNodes(opts: HollowNodesOptions): HollowNodes {
  const { client, clock, ids } = opts;
  const root = new DisposableStore();
  const index = new Map(opts.nodes.map((n, i) => [n, i]));
  const ips = new Map(opts.nodes.map((n, i) => [n, new PodIps(hollowNodeAddressing(i).podPrefix)]));
  const capacity = opts.capacity ?? HOLLOW_DEFAULT_CAPACITY;
  const counts = { started: 0, deleted: 0 };
  const transitions = new Map<string, string>();

  const nodeStatus = (name: string): Node['status'] => {
    const now = rfc3339(clock.now());
    const since = transitions.get(name) ?? now;
    transitions.set(name, since);
    const c = (type: string, status: string, reason: string, message: string): NodeCondition => ({ type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: since });
    return {
      addresses: [{ type: 'InternalIP', address: hollowNodeAddressing(index.get(name) ?? 0).internalIP }, { type: 'Hostname', address: name }],
      allocatable: { ...capacity },
      capacity: { ...capacity },
      conditions: [
        c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: { architecture: 'amd64', bootID: '', containerRuntimeVersion: 'hollow://0.1.0', kernelVersion: '', kubeProxyVersion: '', kubeletVersion: 'v1.32.0-hollow', machineID: '', operatingSystem: 'linux', osImage: 'hollow (KWOK-style)', systemUUID: '' },
    };
  };
  const postStatus = (name: string) => client.patch<Node>(Nodes, name, undefined, 'merge', { status: nodeStatus(name) }, 'status');
  const register = async (name: string, i: number) => {
    const { podCIDR } = hollowNodeAddressing(i);
    const node: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { ...opts.labels, 'kubernetes.io/hostname': name, type: 'kwok' }, annotations: { 'kwok.x-k8s.io/node': 'fake' } },
      spec: { podCIDR, podCIDRs: [podCIDR], ...(opts.taints?.length ? { taints: opts.taints } : {}) },
      status: nodeStatus(name),
    };
    try {
      const created = await client.create<Node>(Nodes, node);
      if (!created.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) await postStatus(name);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 409)) throw err;
      await postStatus(name);
    }
  };
  const registered = (async () => {
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(32, opts.nodes.length) }, async () => {
      while (next < opts.nodes.length) {
        const i = next++;
        await register(opts.nodes[i], i);
      }
    }));
  })();
  let beating = false;
  root.add(
    clock.every(opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS, () => {
      if (beating) return;
      beating = true;
      void Promise.all(opts.nodes.map((n) => postStatus(n).catch(() => undefined))).finally(() => (beating = false));
    }),
  );

  // Only bound pods, as a kubelet's spec.nodeName watch: unscheduled pods' events never reach this client.
  const pods = root.add(createSharedInformer<Pod>(client, clock, Pods, { fieldSelector: 'spec.nodeName!=' }));
  const queue = createWorkQueue<string>(clock);
  const keyOf = (p: Pod) => `${p.metadata?.namespace}/${p.metadata?.name}`;
  const enqueue = (p: Pod) => {
    if (p.spec?.nodeName && index.has(p.spec.nodeName)) queue.add(keyOf(p));
  };
  root.add(
    pods.addEventHandler({
      onAdd: enqueue,
      onUpdate: (_, p) => enqueue(p),
      onDelete: (p) => {
        if (p.spec?.nodeName && p.metadata?.uid) ips.get(p.spec.nodeName)?.release(p.metadata.uid);
      },
    }),
  );
  const ignoreGone = (err: unknown) => {
    if (!(err instanceof ApiError && (err.code === 404 || err.code === 409))) throw err;
  };
  const reconcile = async (key: string) => {
    const pod = pods.lister().get(key);
    const node = pod?.spec?.nodeName;
    const uid = pod?.metadata?.uid;
    if (!pod || !node || !uid || !index.has(node)) return;
    const [ns, name] = [pod.metadata!.namespace!, pod.metadata!.name!];
    if (pod.metadata?.deletionTimestamp) {
      await client.delete(Pods, name, ns, { gracePeriodSeconds: 0, preconditions: { uid } }).then(() => counts.deleted++, ignoreGone);
      return;
    }
    if (isTerminal(pod) || isReady(pod)) return;
    const podIP = ips.get(node)!.get(uid, pod.status?.podIP);
    if (!podIP) return;
    const status = hollowRunningStatus(pod, hollowNodeAddressing(index.get(node)!).internalIP, podIP, clock.now(), ids);
    await client.patch<Pod>(Pods, name, ns, 'merge', { status }, 'status').then(() => counts.started++, ignoreGone);
  };
  root.add(runController({ name: 'hollow-nodes', queue, reconcile, workers: opts.workers ?? Math.min(256, Math.max(8, 8 * opts.nodes.length)), clock }));
  root.add(toDisposable(() => queue.shutDown()));
  const ready = registered.then(() => {
    pods.run();
    return pods.synced();
  });
  ready.catch(() => undefined);
  return { ready, stats: () => ({ ...counts }), dispose: () => root.dispose() };
}
