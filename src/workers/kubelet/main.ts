/**
 * The kubelet Worker entry: exposes { start(...), stop() } with Comlink on self.
 * start() opens the node disk, builds the WASM runtime (one container Worker per container, images over
 * fetch from imagesBaseUrl), starts the kubelet and serves its KubeletApi on kubeletPort; it resolves once
 * the Node is registered Ready. A node named "*-control-plane" (or controlPlane: true) registers with the
 * control-plane NoSchedule taint (its role labels are the admin's: the page's boot adds them). Calling start
 * twice is a no-op; stop() disposes everything.
 */
import { expose, wrap } from 'comlink';
import type { ApiHandler } from '../../api/protocol';
import type { Disposable } from '../../api/disposable';
import { ApiClient } from '../../client/api-client';
import { cryptoIds, systemClock, type AdjustableClock, type Epoch } from '../../platform';
import { createHttpImageSource, createWasmRuntime, createWorkerLauncher, createWorkerPool, lazyLocalImages, openNodeDisk, withLocalImages } from '../runtime';
import { startKubelet } from './kubelet';
import { CONTROL_PLANE_TAINT, isControlPlaneName, nodeAddressing } from './node-status';
import { dialTcp, NetworkFabric } from '../../network';

export interface KubeletStartOptions {
  nodeName: string;
  nodeIndex?: number;
  apiPort: MessagePort;
  kubeletPort: MessagePort;
  imagesBaseUrl: string;
  speed: number;
  epoch: { wall: number; cluster: number };
  controlPlane?: boolean;
  /** The cluster's network fabric (src/network), shared by every kubelet; absent: containers have no sockets. */
  network?: SharedArrayBuffer;
  /** Overrides WARM_CONTAINER_WORKERS (the page's ?warm=N). */
  warmContainerWorkers?: number;
}

/** Idle container Workers each kubelet keeps started. */
const CONTAINER_WORKER_POOL = 6;
const POOL_REFILL_DELAY_MS = 25;
/**
 * Idle-time warming (WorkerPool warm): 2 s after start (the cluster has booted), each kubelet grows its idle
 * container Workers until idle + running ones reach WARM_CONTAINER_WORKERS, one every 40 ms and only after 250 ms
 * without a container launch, so a burst of that many pods on the node finds every Worker already started. An
 * idle Worker holds no WebAssembly memory; it costs about 2.8 MiB of the renderer's resident memory and 12–15 ms
 * of CPU to start (bench:control-plane --settle), so the target trades a tab's memory for burst start time.
 */
const WARM_CONTAINER_WORKERS = 16;
const WARM = { target: WARM_CONTAINER_WORKERS, delayMs: 2000, stepMs: 40, quietMs: 250 };

/**
 * The container Worker script's URL. Vite bundles a Worker entry (and rewrites its URL) only in a literal
 * `new Worker(new URL(...))` expression: here one whose `Worker` is a class that keeps the URL.
 */
const containerScriptUrl = ((Worker: new (url: URL, opts: WorkerOptions) => { url: URL }) => new Worker(new URL('../runtime/main.ts', import.meta.url), { type: 'module' }).url)(
  class {
    constructor(readonly url: URL) {}
  },
);

/**
 * The container Worker script as a blob: URL when it imports nothing (a production build's single chunk), so
 * each container Worker starts without a fetch of its script (bench:runtime --worker-floor: ~5 ms a Worker);
 * else (the dev server's module graph, a failed fetch) its URL.
 */
async function containerScript(): Promise<{ url: string; revoke(): void }> {
  try {
    const res = await fetch(containerScriptUrl);
    const text = res.ok ? await res.text() : '';
    if (text && !/\bimport\b/.test(text)) {
      const url = URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
      return { url, revoke: () => URL.revokeObjectURL(url) };
    }
  } catch {
    /* the URL itself below */
  }
  return { url: containerScriptUrl.href, revoke() {} };
}

let running: Disposable | undefined;
let clock: AdjustableClock | undefined;
/** Read by the launcher at each container start, so containers started after a speed change agree. */
const clockBase = { wall: 0, cluster: 0, speed: 1 };

const worker = {
  async start(opts: KubeletStartOptions): Promise<void> {
    if (running) return;
    const { nodeName, speed, epoch } = opts;
    const nodeClock = systemClock(speed, epoch);
    clock = nodeClock;
    Object.assign(clockBase, { wall: epoch.wall, cluster: epoch.cluster, speed });
    const ids = cryptoIds();
    const client = new ApiClient(wrap<ApiHandler>(opts.apiPort), 'kubelet/v1.32.0 (wasip1/wasm) tabernetes');
    const disk = await openNodeDisk(nodeName);
    const script = await containerScript();
    const createWorker = () => new Worker(script.url, { type: 'module', name: `container ${nodeName}` });
    // Container Workers started ahead, so a container start does not wait for a Worker's start-up; refilled
    // a little later, off the path of the start that took one, and grown in idle time to WARM_CONTAINER_WORKERS.
    // Each new pod sandbox also starts one ahead (WorkerPool.reserve), while the sandbox is saved and the images pulled.
    // Warming paces itself in wall time (it spends CPU, not cluster time).
    const warm = { ...WARM, target: opts.warmContainerWorkers ?? WARM.target, after: systemClock().after };
    const pool = createWorkerPool({ createWorker, size: CONTAINER_WORKER_POOL, defer: (fn) => void setTimeout(fn, POOL_REFILL_DELAY_MS), warm });
    const runtime = createWasmRuntime({
      nodeName,
      disk,
      clock: nodeClock,
      ids,
      // images imported in this tab (IndexedDB) first, then public/images
      images: withLocalImages(createHttpImageSource(new URL(opts.imagesBaseUrl, self.location.href).href, (url) => fetch(url)), lazyLocalImages()),
      ...(opts.network ? { network: opts.network } : {}),
      launcher: createWorkerLauncher({
        createWorker,
        pool,
        clockBase,
        wallNow: () => performance.timeOrigin + performance.now(),
      }),
    });
    const taints = (opts.controlPlane ?? isControlPlaneName(nodeName)) ? [{ ...CONTROL_PLANE_TAINT }] : [];
    const nodeIndex = opts.nodeIndex ?? 0;
    // httpGet/tcpSocket probes and hooks dial from the node's IP over the pod network.
    const fabric = opts.network ? new NetworkFabric(opts.network) : undefined;
    const dial = fabric ? (ip: string, port: number) => dialTcp(fabric, ip, port, { fromIp: nodeAddressing(nodeIndex).internalIP, clock: nodeClock }) : undefined;
    const kubelet = await startKubelet({ nodeName, client, runtime, disk, clock: nodeClock, ids, nodeIndex, minProbeTimeoutMs: () => 1000 * clockBase.speed, ...(dial ? { dialTcp: dial } : {}), taints });
    expose(kubelet.api, opts.kubeletPort);
    running = {
      dispose() {
        kubelet.dispose();
        runtime.dispose();
        pool.dispose();
        script.revoke();
        void disk.close();
      },
    };
  },
  stop(): void {
    running?.dispose();
    running = undefined;
  },
  /** Changes the cluster clock's speed from the shared epoch (every component is told the same). */
  setSpeed(speed: number, epoch: Epoch): void {
    clock?.setSpeed(speed, epoch);
    Object.assign(clockBase, { wall: epoch.wall, cluster: epoch.cluster, speed });
  },
};

export type KubeletWorker = typeof worker;

expose(worker);
