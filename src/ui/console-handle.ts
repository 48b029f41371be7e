import type { ApiClient } from '../client/api-client';
import type { KubectlResult } from './kubectl-runner';
import type { SchedulerAdmin, StoreAdmin } from './boot/boot-cluster';
import type { SchedulingExplanation } from '../workers/scheduler/explain';
import type { Clock } from '../api/clock';
import { startHollowNodes, type HollowNodes, type HollowNodesOptions } from '../cluster/hollow-nodes';
import { cryptoIds } from '../platform/crypto-ids';

/**
 * window.tabernetes: the page's scripting handle (README documents it; e2e tests use it).
 * - ready: resolves when the API serves and every node has registered; rejects if boot failed.
 * - kubectl(commandLine, stdin?): the terminal's kubectl; stdin feeds `-f -`.
 * - client: the ApiClient (undefined until ready).
 * - timings: boot milestones in ms since navigation start.
 * - debug: the store's debug hooks once ready (verifyStore, benchStore, snapshot, storeTxn, storeKeys; e2e tests and bench:store use them),
 *   merged with schedulerStats() (bindings so far), schedulerPause() and schedulerResume() (bench:control-plane),
 *   and startHollowNodes(names, opts) (KWOK-style hollow nodes run in this page on its client and cluster clock; bench:control-plane).
 * - explainScheduling(ns, name): the scheduler's last attempt for the pod (src/workers/scheduler/explain.ts).
 * - stopNode(name) / startNode(name): simulated node failure and recovery (the node's kubelet Worker goes away / comes back).
 */
export interface TabernetesHandle {
  ready: Promise<void>;
  kubectl(commandLine: string, stdin?: string): Promise<KubectlResult>;
  client?: ApiClient;
  timings: Record<string, number>;
  debug?: Omit<StoreAdmin, 'importSnapshot'> & {
    schedulerStats?: SchedulerAdmin['stats'];
    schedulerPause?: SchedulerAdmin['pause'];
    schedulerResume?: SchedulerAdmin['resume'];
    startHollowNodes?: (nodes: string[], opts?: Omit<HollowNodesOptions, 'client' | 'clock' | 'ids' | 'nodes'>) => HollowNodes;
  };
  /** The scheduler's last attempt for a pod: per node, each plugin's filter result and score (undefined if never attempted). */
  explainScheduling(namespace: string, name: string): Promise<SchedulingExplanation | undefined>;
  /** Runs cluster time at `speed` (1, 10, 60…) in every component: backoffs, grace periods and CronJobs go faster. */
  setSpeed(speed: number): Promise<void>;
  /** The current cluster time speed. */
  readonly speed: number;
  /** Simulated node failure: terminates the node's kubelet and its containers (see BootedCluster.nodes). */
  stopNode(name: string): Promise<void>;
  /** Boots a fresh kubelet for a stopped node. */
  startNode(name: string): Promise<void>;
  /** Present while another tab runs the cluster: asks it to stop, then boots the cluster here. */
  takeOver?: () => Promise<void>;
}

let scheduler: SchedulerAdmin | undefined;

const schedulerDebug = (a: SchedulerAdmin) => ({ schedulerStats: a.stats, schedulerPause: a.pause, schedulerResume: a.resume });

/** Called by boot once the scheduler Worker serves: wires explainScheduling and debug.schedulerStats. */
export function attachScheduler(admin: SchedulerAdmin): void {
  scheduler = admin;
  if (typeof window !== 'undefined' && window.tabernetes) window.tabernetes.debug = { ...window.tabernetes.debug, ...schedulerDebug(admin) } as TabernetesHandle['debug'];
}

declare global {
  interface Window {
    tabernetes: TabernetesHandle;
  }
}

export function installConsoleHandle(
  ready: Promise<{
    client: ApiClient;
    exec(line: string, stdin?: string): Promise<KubectlResult>;
    debug?: TabernetesHandle['debug'];
    /** The cluster clock (a full Clock enables debug.startHollowNodes). */
    clock: { readonly speed: number } & Partial<Clock>;
    setSpeed(speed: number): Promise<void>;
    nodes: { stop(name: string): Promise<void>; start(name: string): Promise<void> };
  }>,
): TabernetesHandle {
  const handle: TabernetesHandle = {
    ready: ready.then(() => undefined),
    timings: {},
    async explainScheduling(namespace, name) {
      await handle.ready;
      return scheduler?.explain(namespace, name);
    },
    async kubectl(commandLine, stdin) {
      const r = await ready;
      return r.exec(commandLine, stdin);
    },
    async setSpeed(speed) {
      if (!(speed > 0)) throw new Error(`speed must be a positive number, got ${speed}`);
      await (await ready).setSpeed(speed);
      window.dispatchEvent(new CustomEvent('tabernetes:speed', { detail: speed }));
    },
    async stopNode(name) {
      await (await ready).nodes.stop(name);
      window.dispatchEvent(new CustomEvent('tabernetes:nodes'));
    },
    async startNode(name) {
      await (await ready).nodes.start(name);
      window.dispatchEvent(new CustomEvent('tabernetes:nodes'));
    },
    speed: 1,
  };
  void ready.then((r) => Object.defineProperty(handle, 'speed', { get: () => r.clock.speed, enumerable: true })).catch(() => undefined);
  void ready
    .then((r) => {
      handle.client = r.client;
      const clock = r.clock;
      const hollow = clock.now && clock.every ? { startHollowNodes: (nodes: string[], opts = {}) => startHollowNodes({ ...opts, client: r.client, clock: clock as Clock, ids: cryptoIds(), nodes }) } : {};
      handle.debug = (r.debug || handle.debug) && ({ ...handle.debug, ...r.debug, ...hollow, ...(scheduler ? schedulerDebug(scheduler) : {}) } as TabernetesHandle['debug']);
    })
    .catch(() => undefined);
  window.tabernetes = handle;
  return handle;
}
