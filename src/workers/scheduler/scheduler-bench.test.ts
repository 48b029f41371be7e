/**
 * A by-hand benchmark of the scheduler in Node (skipped unless SCHED_BENCH is set): the real apiserver on a
 * memory store, N hollow nodes (Ready, 32 cpu / 256Gi / 110 pods), P pods created while the scheduler is
 * paused, then released; prints pods bound and persisted per second (from the release; the in-process
 * apiserver never yields to timers, so the first bind cannot be told apart from the last) and the process's CPU
 * time per pod over that span (steadier than wall time on a loaded machine).
 *   SCHED_BENCH=500,5000 SCHED_PODS=2000 npx vitest run src/workers/scheduler/scheduler-bench.test.ts
 * Profile: add `--pool=forks --execArgv=--cpu-prof --execArgv=--cpu-prof-dir=/tmp/prof`.
 * Closer to the tab: SCHED_CLONE=1 puts a structured clone on every request, answer and stream read (what Comlink
 * does over postMessage; the apiserver then shares watch decodes as its Worker does), SCHED_WATCHERS=N adds N more
 * all-pods watches (the tab has the controller-manager's, kube-proxy's and the UI's besides the scheduler's).
 */
import { describe, expect, it } from 'vitest';
import type { ApiHandler } from '../../api/protocol';
import type { Namespace, Node, Pod } from 'kubernetes-types/core/v1';
import { FakeClock, Namespaces, Nodes, Pods, rfc3339, seededIds } from '../../api';
import { ApiClient } from '../../client/api-client';
import { createMemoryStore } from '../../storage';
import { createApiServer } from '../apiserver';
import { schedulePod } from './schedule-pod';
import { NodeInfoCache } from './node-info-cache';
import { defaultProfile } from './plugins';
import { startScheduler } from './scheduler';

const cyclesOnly = !!process.env.SCHED_CYCLES_ONLY;
const counts = (process.env.SCHED_BENCH ?? '').split(',').filter(Boolean).map(Number);
const podCount = Number(process.env.SCHED_PODS ?? 2000);
const clone = !!process.env.SCHED_CLONE;
const extraWatchers = Number(process.env.SCHED_WATCHERS ?? 0);
/** What Comlink does to every argument and answer. */
let calls = { requests: 0, reads: 0 };
function overPostMessage(h: ApiHandler): ApiHandler {
  const hop = <T>(v: T): T => structuredClone(v);
  return {
    request: async (req) => (calls.requests++, hop(await h.request(hop(req)))),
    stream: async (req) => hop(await h.stream(hop(req))),
    read: async (id) => (calls.reads++, hop(await h.read(hop(id)))),
    cancel: async (id) => hop(await h.cancel(hop(id))),
  };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pool(n: number, width: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, n) }, async () => {
    while (next < n) await fn(next++);
  }));
}

async function run(nodes: number): Promise<Record<string, number>> {
  const clock = new FakeClock();
  const ids = seededIds(3);
  const server = await createApiServer({ store: createMemoryStore({ clock }), clock, ids, shareWatchObjects: clone });
  const api = clone ? overPostMessage(server) : server;
  const admin = new ApiClient(api);
  const t = rfc3339(clock.now());
  const ready = [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: t, lastTransitionTime: t }];
  await pool(nodes, 64, (i) => {
    const name = `hollow-${String(i).padStart(5, '0')}`;
    const node: Node = {
      apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, hollow: 'yes' } },
      status: { conditions: ready, allocatable: { cpu: '32', memory: '256Gi', pods: '110' }, capacity: { cpu: '32', memory: '256Gi', pods: '110' } },
    };
    return admin.create(Nodes, node);
  });
  const ns: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } };
  await admin.create(Namespaces, ns);
  let seen = 0;
  const watches = Array.from({ length: extraWatchers }, () => new ApiClient(api).watch<Pod>(Pods, undefined, {}, { onEvent: () => void seen++ }));
  const sched = startScheduler({ client: new ApiClient(api), clock, ids });
  await sched.ready;
  sched.pause();
  await pool(podCount, 64, (i) => {
    const pod: Pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${i}`, namespace: 'bench' },
      spec: { nodeSelector: { hollow: 'yes' }, containers: [{ name: 'c', image: 'pause', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
    };
    return admin.create(Pods, pod, 'bench');
  });
  await sleep(300);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  calls = { requests: 0, reads: 0 };
  sched.resume();
  while (sched.bound < podCount) await sleep(1);
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const list = await admin.list<Pod>(Pods, 'bench');
  const persisted = list.items.filter((p) => p.spec?.nodeName).length;
  sched.dispose();
  for (const w of watches) w.dispose();
  void seen;
  return { nodes, pods: podCount, endToEndPerSecond: Math.round(podCount / ((t1 - t0) / 1000)), cpuUsPerPod: Math.round((cpu.user + cpu.system) / podCount), persisted, ...(clone ? { requestsPerPod: +(calls.requests / podCount).toFixed(2), readsPerPod: +(calls.reads / podCount).toFixed(2) } : {}) };
}

/** The scheduling cycle alone (no apiserver): schedulePod + assume on a NodeInfoCache, per second. */
function cycles(nodes: number): Record<string, number> {
  const cache = new NodeInfoCache();
  const profile = defaultProfile();
  for (let i = 0; i < nodes; i++) {
    const name = `hollow-${String(i).padStart(5, '0')}`;
    cache.setNode({
      metadata: { name, labels: { 'kubernetes.io/hostname': name, hollow: 'yes' } },
      status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { cpu: '32', memory: '256Gi', pods: '110' } },
    });
  }
  let start = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < podCount; i++) {
    const pod: Pod = {
      metadata: { name: `p-${i}`, namespace: 'bench', uid: `u${i}` },
      spec: { nodeSelector: { hollow: 'yes' }, containers: [{ name: 'c', image: 'pause', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
    };
    const all = cache.list();
    const r = schedulePod(profile, pod, all, { start, randomInt: (n) => i % n, affinityPods: cache.affinityPods() });
    start = (start + r.record.evaluated.length) % all.length;
    if (!r.ok) throw new Error(r.message);
    cache.setPod({ ...pod, spec: { ...pod.spec!, nodeName: r.node } }, r.node);
  }
  const cpu = process.cpuUsage(cpu0);
  return { nodes, pods: podCount, cyclesPerSecond: Math.round(podCount / ((performance.now() - t0) / 1000)), cpuUsPerPod: Math.round((cpu.user + cpu.system) / podCount) };
}

describe.skipIf(!counts.length)('scheduler throughput (by hand)', () => {
  for (const n of counts) {
    it(`${n} hollow nodes, scheduling cycles only`, () => {
      console.log(JSON.stringify(cycles(n)));
    }, 600_000);
  }
  for (const n of cyclesOnly ? [] : counts) {
    it(`${n} hollow nodes`, async () => {
      const r = await run(n);
      console.log(JSON.stringify(r));
      expect(r.persisted).toBe(podCount);
    }, 600_000);
  }
});
