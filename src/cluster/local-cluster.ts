import { NetworkFabric } from '../network/network-fabric';
import { dialTcp } from '../network/dial-tcp';
import type { Clock } from '../api/clock';
import { DisposableStore, type Disposable } from '../api/disposable';
import type { IdSource } from '../api/ids';
import type { ApiHandler } from '../api/protocol';
import { ApiClient } from '../client/api-client';
import { serviceAccountTransport } from '../client/service-account-credentials';
import { authenticatedAs, CONTROLLER_SERVICE_ACCOUNTS, KUBE_CONTROLLER_MANAGER_USER, KUBE_PROXY_USER, KUBE_SCHEDULER_USER, nodeUser } from '../workers/apiserver/authz';
import { openIdbStore } from '../storage';
import type { Store } from '../storage/store';
import { createApiServer, type ApiServerOptions } from '../workers/apiserver';
import { startControllerManager } from '../workers/controller-manager';
import { CONTROL_PLANE_TAINT, isControlPlaneName, nodeAddressing, startKubelet, type Kubelet } from '../workers/kubelet';
import { markControlPlane } from './mark-control-plane';
import { createWasmRuntime, openNodeDisk, type ImageSource, type NodeDisk, type ProcessLauncher, type WasmRuntime } from '../workers/runtime';
import { startScheduler } from '../workers/scheduler';
import { startKubeProxy, type KubeProxy } from '../workers/kube-proxy';
import { startIngressNginx } from '../workers/ingress-nginx';

export const DEFAULT_NODES = ['tabernetes-control-plane', 'tabernetes-worker', 'tabernetes-worker2'];

export interface LocalClusterOptions {
  /** A store to use (the caller keeps owning it); otherwise one is opened on IndexedDB as storeName. */
  store?: Store;
  /** IndexedDB database of the cluster's store; default "tabernetes-etcd". */
  storeName?: string;
  clock: Clock;
  ids: IdSource;
  images: ImageSource;
  launcher: ProcessLauncher;
  /**
   * Node names in index order; default DEFAULT_NODES. A name ending in "-control-plane" gets that role: its
   * kubelet registers with the control-plane taint, then the admin adds the role labels (markControlPlane).
   */
  nodes?: string[];
  /** The node disk database key for a node (default: the node name; tests use a prefix to stay apart). */
  diskName?: (nodeName: string) => string;
  /** Loads the OpenAPI schemas for /openapi/v3 (see createApiServer). */
  openApiDefinitions?: ApiServerOptions['openApiDefinitions'];
  /** The pod network (src/network); default a new NetworkFabric. Containers get sockets with a Worker launcher. */
  network?: NetworkFabric;
  /** Install the ingress-nginx addon (src/workers/ingress-nginx) beside kube-proxy; default off. `probes: false` for a FakeClock. */
  ingressNginx?: boolean | { probes?: boolean };
}

export interface LocalNode {
  name: string;
  index: number;
  kubelet: Kubelet;
  runtime: WasmRuntime;
  disk: NodeDisk;
}

export type LocalCluster = Disposable & {
  /** An admin client (the in-process apiserver handler, user agent "kubectl/v1.32.0"). */
  client: ApiClient;
  /** The apiserver itself, for other clients (kubectl, the Node HTTP server). */
  api: ApiHandler;
  nodes: LocalNode[];
  store: Store;
  /** The pod network every container's sockets live on (dialTcp from here reaches pods). */
  network: NetworkFabric;
  /** The cluster's kube-proxy (Service rules and DNS records in network's service table). */
  kubeProxy: KubeProxy;
  /** Resolves when every kubelet has no sync running and its status writes and events are sent (tests). */
  idle(): Promise<void>;
  /** Disposes everything, lets queued kubelet writes finish, and resolves once the store (if opened here) and node disks are closed. */
  stop(): Promise<void>;
};

/**
 * The whole cluster in one process, as the tab boots it: store → apiserver → controller-manager → scheduler
 * → one kubelet per node (each awaited until serving: informers synced, Node registered Ready).
 * Rejects if any component fails to start (everything started so far is disposed). dispose() stops the
 * components in reverse order; containers are left as records on the node disks, so a cluster started again
 * on the same databases finds its pods, statuses and logs.
 */
export async function startLocalCluster(opts: LocalClusterOptions): Promise<LocalCluster> {
  const { clock, ids } = opts;
  const root = new DisposableStore();
  const closers: Array<() => Promise<void>> = [];
  try {
    const store = opts.store ?? (await openIdbStore({ name: opts.storeName ?? 'tabernetes-etcd', clock }));
    if (!opts.store) closers.push(() => store.close());
    const kubelets = new Map<string, Kubelet>();
    const network = opts.network ?? NetworkFabric.create();
    const apiserver = await createApiServer({ store, clock, ids, dialNode: (name: string) => kubelets.get(name)?.api, openApiDefinitions: opts.openApiDefinitions, network });
    root.add(apiserver);
    const client = new ApiClient(apiserver, 'kubectl/v1.32.0 (tabernetes)');

    // Each component connects as kubeadm's kubeconfigs make it (its client certificate's identity); the
    // controller-manager's controllers use their kube-system service accounts (--use-service-account-credentials).
    const cmConn = authenticatedAs(apiserver, KUBE_CONTROLLER_MANAGER_USER);
    const cmAgent = 'kube-controller-manager/v1.32.0 (tabernetes)';
    const clientFor = (c: string) => new ApiClient(serviceAccountTransport({ transport: cmConn, clock, namespace: 'kube-system', name: CONTROLLER_SERVICE_ACCOUNTS[c] ?? c }), cmAgent);
    const cm = root.add(startControllerManager({ client: new ApiClient(cmConn, cmAgent), clock, ids, clientFor }));
    await cm.ready;
    const scheduler = root.add(startScheduler({ client: new ApiClient(authenticatedAs(apiserver, KUBE_SCHEDULER_USER), 'kube-scheduler/v1.32.0 (tabernetes)'), clock, ids, hostname: 'tabernetes-control-plane' }));
    await scheduler.ready;
    const kubeProxy = root.add(startKubeProxy({ client: new ApiClient(authenticatedAs(apiserver, KUBE_PROXY_USER), 'kube-proxy/v1.32.0 (linux/amd64) kubernetes/tabernetes'), clock, fabric: network }));
    await kubeProxy.ready;
    if (opts.ingressNginx) {
      const addon = root.add(startIngressNginx({ client: new ApiClient(apiserver, 'nginx-ingress-controller/v1.11.3 (tabernetes)'), clock, ids, probes: opts.ingressNginx === true ? undefined : opts.ingressNginx.probes }));
      await addon.ready;
    }

    const nodes: LocalNode[] = [];
    // kubeadm's mark-control-plane, as the admin, overlapping the next kubelets' start-up; awaited before resolving.
    const marking: Array<Promise<void>> = [];
    for (const [index, name] of (opts.nodes ?? DEFAULT_NODES).entries()) {
      const disk = await openNodeDisk(opts.diskName?.(name) ?? name);
      closers.push(() => disk.close());
      const runtime = root.add(createWasmRuntime({ nodeName: name, disk, clock, ids, images: opts.images, launcher: opts.launcher, network: network.buffer }));
      const controlPlane = isControlPlaneName(name);
      const kubeletClient = new ApiClient(authenticatedAs(apiserver, nodeUser(name)), `kubelet/v1.32.0 (wasip1/wasm) tabernetes`);
      const dial = (ip: string, port: number) => dialTcp(network, ip, port, { fromIp: nodeAddressing(index).internalIP, clock });
      const kubelet = root.add(await startKubelet({ nodeName: name, client: kubeletClient, runtime, disk, clock, ids, nodeIndex: index, dialTcp: dial, taints: controlPlane ? [{ ...CONTROL_PLANE_TAINT }] : [] }));
      kubelets.set(name, kubelet);
      nodes.push({ name, index, kubelet, runtime, disk });
      if (controlPlane) {
        const marked = markControlPlane(client, name);
        marked.catch(() => undefined); // handled by the Promise.all below, even if a later kubelet fails first
        marking.push(marked);
      }
    }
    await Promise.all(marking);

    const stop = async () => {
      root.dispose();
      await Promise.all(nodes.map((n) => n.kubelet.flush()));
      for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
    };
    return {
      client,
      api: apiserver,
      nodes,
      store,
      network,
      kubeProxy,
      idle: async () => {
        for (const n of nodes) await n.kubelet.idle();
      },
      stop,
      dispose: () => void stop(),
    };
  } catch (err) {
    root.dispose();
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw err;
  }
}
