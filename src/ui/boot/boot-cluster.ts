import * as Comlink from 'comlink';
import type { ApiHandler } from '../../api/protocol';
import { ApiClient } from '../../client/api-client';
import { systemClock, type AdjustableClock } from '../../platform/system-clock';
import type { StoreBenchResult, StoreBenchSpec } from '../../storage/run-store-bench';
import type { StoreVerification } from '../../storage/verify-idb-store';
import type { TxnRequest, TxnResponse } from '../../storage/store';
import type { SchedulingExplanation } from '../../workers/scheduler/explain';
import { attachScheduler } from '../console-handle';
import { NetworkFabric } from '../../network/network-fabric';
import { startKubeProxy } from '../../workers/kube-proxy';
import { startIngressNginx } from '../../workers/ingress-nginx';
import { cryptoIds } from '../../platform/crypto-ids';
import type { AuditEntry } from '../../workers/apiserver/authz';
import { KUBE_CONTROLLER_MANAGER_USER, KUBE_PROXY_USER, KUBE_SCHEDULER_USER, nodeUser } from '../../workers/apiserver/authz/component-identities';
import type { UserInfo } from '../../api/protocol';
import { markControlPlane } from '../../cluster/mark-control-plane';
import { isControlPlaneName } from '../../workers/kubelet/node-status';

/** The objects each Worker entry exposes (docs/architecture.md, "Worker entry contracts"). */
interface Epoch {
  wall: number;
  cluster: number;
}
interface ApiServerEntry {
  start(opts: { dbName: string; speed: number; epoch: Epoch; openApiUrl?: string; network?: SharedArrayBuffer }): Promise<void>;
  connect(port: MessagePort, user?: UserInfo): void;
  connectNode(nodeName: string, port: MessagePort): void;
  audit(): Promise<AuditEntry[]>;
}
/** The apiserver entry's store administration (snapshot save/restore and debug hooks). */
export interface StoreAdmin {
  snapshot(): Promise<Uint8Array>;
  importSnapshot(bytes: Uint8Array): Promise<void>;
  verifyStore(): Promise<StoreVerification>;
  benchStore(spec?: Partial<StoreBenchSpec>): Promise<StoreBenchResult>;
  storeTxn(req: TxnRequest): Promise<TxnResponse>;
  storeKeys(prefix: string): Promise<string[]>;
}
/** Every entry also accepts setSpeed(speed, epoch) so all components keep one cluster time. */
interface SpeedControl {
  setSpeed(speed: number, epoch: Epoch): void;
}
interface ComponentEntry {
  start(opts: { apiPort: MessagePort; speed: number; epoch: Epoch }): Promise<void>;
  stop(): Promise<void>;
}
/** The scheduler entry's extras: explain a decision, count bindings (src/workers/scheduler/main.ts). */
export interface SchedulerAdmin {
  explain(namespace: string, name: string): Promise<SchedulingExplanation | undefined>;
  stats(): Promise<{ bound: number }>;
  pause(): Promise<void>;
  resume(): Promise<void>;
}
interface KubeletEntry {
  start(opts: { nodeName: string; nodeIndex: number; apiPort: MessagePort; kubeletPort: MessagePort; imagesBaseUrl: string; network?: SharedArrayBuffer; speed: number; epoch: Epoch; warmContainerWorkers?: number }): Promise<void>;
  stop(): Promise<void>;
}

/** kind's node names for a cluster of `count` nodes: the control plane, then tabernetes-worker, -worker2, -worker3… */
export function nodeNames(count = 3): string[] {
  return Array.from({ length: Math.max(1, count) }, (_, i) => (i === 0 ? 'tabernetes-control-plane' : i === 1 ? 'tabernetes-worker' : `tabernetes-worker${i}`));
}

export interface BootedCluster {
  client: ApiClient;
  /** Opens one more API connection (each client gets its own MessagePort). */
  connect(): ApiClient;
  /** Milliseconds from boot start until each step finished. */
  timings: Record<string, number>;
  /** The apiserver Worker's store administration. */
  store: StoreAdmin;
  /** The page's view of cluster time (kubectl's AGE columns use it). */
  clock: AdjustableClock;
  /** Runs cluster time at `speed` (1, 10, 60…) in every component, from one shared epoch. */
  setSpeed(speed: number): Promise<void>;
  /** Terminates every Worker, the apiserver last, so nothing writes to the store afterwards. */
  stop(): Promise<void>;
  /**
   * Simulated node failure: stop(name) terminates the node's kubelet Worker and its containers (the node
   * stops renewing its Lease; the node lifecycle controller marks it NotReady and later evicts its pods);
   * start(name) boots a fresh kubelet for it, which re-registers and resyncs the pods bound to it.
   * Both reject for an unknown node; stop of a stopped node and start of a running one are no-ops.
   */
  nodes: { stop(name: string): Promise<void>; start(name: string): Promise<void>; running(): string[] };
  /** The apiserver's audit ring (recent requests, oldest first). */
  audit(): Promise<AuditEntry[]>;
  /** The pod network (its buffer is shared with every kubelet and the apiserver); the page's /proxy/ URLs dial it. */
  network: NetworkFabric;
}

export interface BootOptions {
  dbName?: string;
  speed?: number;
  imagesBaseUrl: string;
  /** public/openapi/definitions.json, served by the apiserver as /openapi/v3 (kubectl explain). */
  openApiUrl?: string;
  /** How many nodes (kubelet Workers) to run, 1..64 (default 3: a control plane and two workers). */
  nodes?: number;
  /** Install the ingress-nginx addon (IngressClass tabernetes and its controller pod); default true. */
  ingressNginx?: boolean;
  /** Container Workers each kubelet warms in idle time (default: the kubelet's, 16); more start a burst sooner. */
  warmContainerWorkers?: number;
}

/**
 * Boots the cluster in explicit order: apiserver (opens the store, bootstraps) → controller-manager,
 * scheduler and one kubelet per node. Each start() resolves only once that component serves, so the
 * returned promise resolves when every node has registered. Rejects with the first component's error.
 */
export async function bootCluster(opts: BootOptions): Promise<BootedCluster> {
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  const mark = (k: string) => (timings[k] = Math.round(performance.now() - t0));
  const speed = opts.speed ?? 1;
  const epoch = { wall: Date.now(), cluster: Date.now() };
  const clock = systemClock(speed, epoch);
  // The speed and epoch now in force, for components started after a setSpeed (a restarted node).
  let timebase = { speed, epoch };
  const speedControls: Array<Comlink.Remote<SpeedControl>> = [];
  const workers: Worker[] = [];
  const track = (w: Worker) => (workers.push(w), w);

  const apiserver = Comlink.wrap<ApiServerEntry & StoreAdmin>(
    track(new Worker(new URL('../../workers/apiserver/main.ts', import.meta.url), { type: 'module', name: 'kube-apiserver' })),
  );
  // One pod network for the whole cluster: every kubelet hands it to its containers (src/network); the
  // apiserver dials it for pods/services proxy, the page for the Service Worker's /proxy/ URLs.
  const fabric = NetworkFabric.create();
  const network = fabric.buffer;
  await apiserver.start({ dbName: opts.dbName ?? 'tabernetes-etcd', speed, epoch, openApiUrl: opts.openApiUrl, network });
  speedControls.push(apiserver as unknown as Comlink.Remote<SpeedControl>);
  mark('apiserver');

  // `user`: the component's identity on this connection (kubeadm's client certificates); none: the admin.
  const connectPort = (user?: UserInfo): MessagePort => {
    const ch = new MessageChannel();
    void apiserver.connect(Comlink.transfer(ch.port1, [ch.port1]), user);
    return ch.port2;
  };
  const connect = () => new ApiClient(Comlink.wrap<ApiHandler>(connectPort()), 'kubectl/v1.32.5 (tabernetes)');
  // The page's admin connection: the returned `client`, and kubeadm's mark-control-plane below (its own user agent).
  const adminPort = Comlink.wrap<ApiHandler>(connectPort());
  const client = new ApiClient(adminPort, 'kubectl/v1.32.5 (tabernetes)');

  // Vite bundles a Worker only when `new Worker(new URL(...))` is written out literally.
  const startComponent = async (name: string, worker: Worker, user: UserInfo) => {
    const entry = Comlink.wrap<ComponentEntry>(worker);
    const apiPort = connectPort(user);
    await entry.start(Comlink.transfer({ apiPort, speed, epoch }, [apiPort]));
    mark(name);
    speedControls.push(entry as unknown as Comlink.Remote<SpeedControl>);
    return entry;
  };

  const NODE_NAMES = nodeNames(Math.min(64, Math.max(1, opts.nodes ?? 3)));
  // kube-proxy + cluster DNS: one per cluster, on the page (it only writes the fabric's service table).
  const kubeProxy = startKubeProxy({ client: new ApiClient(Comlink.wrap<ApiHandler>(connectPort(KUBE_PROXY_USER)), 'kube-proxy/v1.32.0 (linux/amd64) kubernetes/tabernetes'), clock, fabric });
  // The ingress-nginx addon's Kubernetes side (its nginx runs as a pod in namespace ingress-nginx).
  const ingressNginx = opts.ingressNginx === false ? undefined : startIngressNginx({ client: new ApiClient(Comlink.wrap<ApiHandler>(connectPort()), 'nginx-ingress-controller/v1.11.3 (tabernetes)'), clock, ids: cryptoIds() });
  const kubelets = new Map<string, { worker: Worker; control: Comlink.Remote<SpeedControl> }>();
  const startKubelet = async (nodeName: string, nodeIndex: number) => {
    const worker = track(new Worker(new URL('../../workers/kubelet/main.ts', import.meta.url), { type: 'module', name: `kubelet ${nodeName}` }));
    const entry = Comlink.wrap<KubeletEntry>(worker);
    const kubeletChannel = new MessageChannel();
    await apiserver.connectNode(nodeName, Comlink.transfer(kubeletChannel.port1, [kubeletChannel.port1]));
    const apiPort = connectPort(nodeUser(nodeName));
    const kubeletPort = kubeletChannel.port2;
    await entry.start(
      Comlink.transfer({ nodeName, nodeIndex, apiPort, kubeletPort, imagesBaseUrl: opts.imagesBaseUrl, network, ...timebase, ...(opts.warmContainerWorkers !== undefined ? { warmContainerWorkers: opts.warmContainerWorkers } : {}) }, [apiPort, kubeletPort]),
    );
    mark(`kubelet/${nodeName}`);
    const control = entry as unknown as Comlink.Remote<SpeedControl>;
    speedControls.push(control);
    kubelets.set(nodeName, { worker, control });
  };
  const nodeIndex = (name: string) => {
    const i = NODE_NAMES.indexOf(name);
    if (i < 0) throw new Error(`node "${name}" not found`);
    return i;
  };
  const nodes: BootedCluster['nodes'] = {
    async stop(name) {
      nodeIndex(name);
      const k = kubelets.get(name);
      if (!k) return;
      kubelets.delete(name);
      k.worker.terminate();
      workers.splice(workers.indexOf(k.worker), 1);
      speedControls.splice(speedControls.indexOf(k.control), 1);
    },
    async start(name) {
      const i = nodeIndex(name);
      if (!kubelets.has(name)) await startKubelet(name, i);
    },
    running: () => NODE_NAMES.filter((n) => kubelets.has(n)),
  };

  const [, schedulerEntry] = await Promise.all([
    startComponent(
      'kube-controller-manager',
      track(new Worker(new URL('../../workers/controller-manager/main.ts', import.meta.url), { type: 'module', name: 'kube-controller-manager' })),
      KUBE_CONTROLLER_MANAGER_USER,
    ),
    startComponent('kube-scheduler', track(new Worker(new URL('../../workers/scheduler/main.ts', import.meta.url), { type: 'module', name: 'kube-scheduler' })), KUBE_SCHEDULER_USER),
    // kubeadm's mark-control-plane as the admin once the control-plane kubelet registered its Node (a kubelet may
    // not set node-role.kubernetes.io/*): one GET and PATCH overlapping the other components' start-up, awaited
    // so `kubectl get nodes` shows ROLES control-plane from `ready` on.
    ...NODE_NAMES.map((n, i) =>
      isControlPlaneName(n)
        ? startKubelet(n, i).then(async () => {
            await markControlPlane(new ApiClient(adminPort, 'kubeadm/v1.32.0 (tabernetes)'), n);
            mark('mark-control-plane');
          })
        : startKubelet(n, i),
    ),
    kubeProxy.ready.then(() => mark('kube-proxy')),
  ]);
  mark('ready');
  const scheduler = schedulerEntry as unknown as Comlink.Remote<SchedulerAdmin>;
  attachScheduler({ explain: (ns, name) => scheduler.explain(ns, name), stats: () => scheduler.stats(), pause: () => scheduler.pause(), resume: () => scheduler.resume() });
  const store: StoreAdmin = {
    snapshot: () => apiserver.snapshot(),
    importSnapshot: (bytes) => apiserver.importSnapshot(bytes),
    verifyStore: () => apiserver.verifyStore(),
    benchStore: (spec) => apiserver.benchStore(spec),
    storeTxn: (req) => apiserver.storeTxn(req),
    storeKeys: (prefix) => apiserver.storeKeys(prefix),
  };
  const setSpeed = async (next: number) => {
    const at = { wall: Date.now(), cluster: clock.now() };
    clock.setSpeed(next, at);
    timebase = { speed: next, epoch: at };
    await Promise.all(speedControls.map((c) => c.setSpeed(next, at)));
  };
  const stop = async () => {
    ingressNginx?.dispose();
    kubeProxy.dispose();
    // workers[0] is the apiserver: the components stop first, so no request is in flight when it goes.
    for (const w of workers.slice(1)) w.terminate();
    await new Promise((r) => setTimeout(r, 50));
    workers[0]?.terminate();
  };
  return { client, connect, timings, store, clock, setSpeed, stop, nodes, network: fabric, audit: () => apiserver.audit() };
}
