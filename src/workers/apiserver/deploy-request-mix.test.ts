// APISERVER_BENCH=100@3 npx vitest run src/workers/apiserver/deploy-request-mix.test.ts
// The apiserver's side of bench:control-plane's Deployment phase, in Node: the whole cluster in this thread
// (the system clock; store on fake-indexeddb, or APISERVER_BENCH_STORE=memory), real `pause` containers on
// worker_threads, every component talking to one metered apiserver (shareWatchObjects, as in the tab) whose
// requests and stream reads are structured-cloned as postMessage would (APISERVER_BENCH_CLONE=0: not).
// Prints the request mix per pod (verb resource[/subresource] by user kind), watch events delivered per pod
// and cloned bytes per event, and the apiserver + storage share of this thread's V8 CPU profile (self ms by
// file and function; APISERVER_BENCH_PROFILE=FILE writes the .cpuprofile). Skipped without APISERVER_BENCH.
import 'fake-indexeddb/auto';
import { writeFileSync } from 'node:fs';
import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { Pods, seededIds, type ApiHandler, type ApiRequest } from '../../api';
import { ApiClient } from '../../client/api-client';
import { serviceAccountTransport } from '../../client/service-account-credentials';
import { NetworkFabric } from '../../network/network-fabric';
import { createPauseDeployment, startCpuProfile, topLines, waitReadyReplicas, watchPodTimeline } from '../../node/deploy-bench-kit';
import { createFsImageSource } from '../../node/fs-image-source';
import { createContainerThread } from '../../node/worker-threads-launcher';
import { systemClock } from '../../platform/system-clock';
import { createMemoryStore, openIdbStore } from '../../storage';
import { startControllerManager } from '../controller-manager';
import { CONTROL_PLANE_TAINT, startKubelet, type Kubelet } from '../kubelet';
import { createWasmRuntime, createWorkerLauncher, createWorkerPool, openNodeDisk } from '../runtime';
import { startScheduler } from '../scheduler';
import { createApiServer } from './api-server';
import { authenticatedAs, CONTROLLER_SERVICE_ACCOUNTS, KUBE_CONTROLLER_MANAGER_USER, KUBE_SCHEDULER_USER, nodeUser } from './authz';
import { route } from './router';

const spec = process.env.APISERVER_BENCH;
const cloning = process.env.APISERVER_BENCH_CLONE !== '0';

/** Counts requests (verb resource[/sub] user) and stream events, cloning what crosses as postMessage would. */
function metered(inner: ApiHandler) {
  const counts = new Map<string, number>();
  const streams = new Map<string, string>();
  const events = new Map<string, { n: number; bytes: number }>();
  let on = false;
  const bump = (k: string) => on && counts.set(k, (counts.get(k) ?? 0) + 1);
  const who = (req: ApiRequest) => (req.user?.username ?? 'admin').replace(/^system:node:.*/, 'kubelet').replace(/^system:serviceaccount:kube-system:/, 'sa:').replace(/^system:/, '');
  const labels = new Map<string, string>();
  const label = (req: ApiRequest) => {
    const k = `${req.method} ${req.path} ${req.query?.watch ?? ''} ${req.user?.username ?? ''}`;
    let v = labels.get(k);
    if (v === undefined) labels.set(k, (v = labelOf(req)));
    return v;
  };
  const labelOf = (req: ApiRequest) => {
    const r = route(req.path);
    const what = r.kind === 'resource' ? `${r.strategy.ref.resource}${r.subresource ? `/${r.subresource}` : ''}` : r.kind;
    const name = r.kind === 'resource' && r.name !== undefined;
    const verbs: Record<string, string> = { GET: req.query?.watch ? 'watch' : name ? 'get' : 'list', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };
    const verb = verbs[req.method] ?? req.method;
    return `${verb} ${what} (${who(req)})`;
  };
  const clone = <T>(v: T): T => (cloning ? structuredClone(v) : v);
  const handler: ApiHandler = {
    async request(req) {
      bump(label(req));
      return clone(await inner.request(clone(req)));
    },
    async stream(req) {
      const open = clone(await inner.stream(clone(req)));
      if (open.streamId) streams.set(open.streamId, label(req));
      return open;
    },
    async read(id) {
      const batch = await inner.read(id);
      if (on && batch) {
        const k = streams.get(id) ?? '?';
        const e = events.get(k) ?? { n: 0, bytes: 0 };
        e.n += batch.length;
        e.bytes += serialize(batch).length;
        events.set(k, e);
      }
      return clone(batch);
    },
    cancel: (id) => inner.cancel(id),
    write: (id, input) => inner.write!(id, input),
  };
  return { handler, start: () => (on = true), stop: () => (on = false), counts, events };
}

describe.skipIf(!spec)('apiserver request mix of a Deployment (Node)', () => {
  it('meters a pause Deployment on real nodes and profiles the apiserver', async () => {
    const [replicas, nodeCount] = (spec ?? '100@3').split('@').map(Number);
    const clock = systemClock();
    const ids = seededIds(7);
    const tag = `apiserver-bench-${process.pid}`;
    const names = ['tabernetes-control-plane', ...Array.from({ length: nodeCount - 1 }, (_, i) => `tabernetes-worker${i ? i + 1 : ''}`)];
    const store = process.env.APISERVER_BENCH_STORE === 'memory' ? createMemoryStore() : await openIdbStore({ name: `etcd-${tag}`, clock });
    const kubelets = new Map<string, Kubelet>();
    const network = NetworkFabric.create();
    const api = await createApiServer({ store, clock, ids, dialNode: (n) => kubelets.get(n)?.api, network, shareWatchObjects: cloning });
    const meter = metered(api);
    const client = new ApiClient(meter.handler, 'kubectl/v1.32.0');
    const cmConn = authenticatedAs(meter.handler, KUBE_CONTROLLER_MANAGER_USER);
    const clientFor = (c: string) => new ApiClient(serviceAccountTransport({ transport: cmConn, clock, namespace: 'kube-system', name: CONTROLLER_SERVICE_ACCOUNTS[c] ?? c }), 'kube-controller-manager');
    const cm = startControllerManager({ client: new ApiClient(cmConn, 'kube-controller-manager'), clock, ids, clientFor });
    await cm.ready;
    const scheduler = startScheduler({ client: new ApiClient(authenticatedAs(meter.handler, KUBE_SCHEDULER_USER), 'kube-scheduler'), clock, ids, hostname: names[0] });
    await scheduler.ready;
    const pool = createWorkerPool({ createWorker: () => createContainerThread(), size: 6 * nodeCount, defer: (fn) => void setTimeout(fn, 25) });
    const launcher = createWorkerLauncher({ createWorker: () => createContainerThread(), pool, clockBase: { wall: Date.now(), cluster: clock.now(), speed: 1 }, wallNow: () => performance.timeOrigin + performance.now() });
    const disks = [];
    const runtimes = [];
    for (const [index, name] of names.entries()) {
      const disk = await openNodeDisk(`${tag}-${name}`);
      disks.push(disk);
      const runtime = createWasmRuntime({ nodeName: name, disk, clock, ids, images: createFsImageSource(), launcher, network: network.buffer });
      runtimes.push(runtime);
      const kubelet = await startKubelet({ nodeName: name, client: new ApiClient(authenticatedAs(meter.handler, nodeUser(name)), 'kubelet/v1.32.0'), runtime, disk, clock, ids, nodeIndex: index, taints: index === 0 ? [{ ...CONTROL_PLANE_TAINT }] : [] });
      kubelets.set(name, kubelet);
    }
    await new Promise((r) => setTimeout(r, 1000));

    const timeline = watchPodTimeline(client, 'app=pause');
    const profiler = await startCpuProfile();
    meter.start();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await createPauseDeployment(client, 'pause', replicas, { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] });
    const { readyMs, reads } = await waitReadyReplicas(client, 'pause', replicas, t0);
    const cpu = process.cpuUsage(cpu0);
    meter.stop();
    const { profile, self, perFile } = await profiler.stop();
    timeline.dispose();
    if (process.env.APISERVER_BENCH_PROFILE) writeFileSync(process.env.APISERVER_BENCH_PROFILE, JSON.stringify(profile));

    const perPod = (n: number) => (n / replicas).toFixed(2).padStart(7);
    const mix = [...meter.counts].filter(([k]) => !k.startsWith('get deployments (admin)')).sort((a, b) => b[1] - a[1]);
    const total = mix.reduce((a, [, n]) => a + n, 0);
    const ev = [...meter.events].sort((a, b) => b[1].n - a[1].n);
    const mine = (k: string) => /src\/(workers\/apiserver|storage)\//.test(k);
    const mineMs = [...perFile].filter(([f]) => mine(`${f}/`)).reduce((a, [, ms]) => a + ms, 0);
    console.log(JSON.stringify({ replicas, nodes: nodeCount, cloning, readyMs: readyMs && Math.round(readyMs), ...timeline.summary(t0, replicas), threadCpuMs: Math.round((cpu.user + cpu.system) / 1000), apiserverAndStorageSelfMs: Math.round(mineMs), deployPolls: reads }));
    console.log(`requests per pod (${perPod(total).trim()} in all; the bench's Deployment polls left out):\n${mix.map(([k, n]) => `${perPod(n)}  ${k}`).join('\n')}`);
    console.log(`watch events per pod, cloned bytes per event:\n${ev.map(([k, e]) => `${perPod(e.n)}  ${String(Math.round(e.bytes / Math.max(1, e.n))).padStart(6)} B  ${k}`).join('\n')}`);
    console.log(`apiserver + storage self ms by file:\n${topLines(new Map([...perFile].filter(([f]) => mine(`${f}/`))), 30)}`);
    console.log(`apiserver + storage self ms by function:\n${topLines(new Map([...self].filter(([k]) => mine(k))), 40)}`);
    console.log(`all self ms by function:\n${topLines(self, 25)}`);

    // APISERVER_BENCH_SAMPLE=FILE: one Ready pod as stored (for micro-benchmarks of per-write code)
    if (process.env.APISERVER_BENCH_SAMPLE) writeFileSync(process.env.APISERVER_BENCH_SAMPLE, JSON.stringify((await client.list(Pods, 'default')).items[0]));
    for (const k of kubelets.values()) k.dispose();
    await Promise.all([...kubelets.values()].map((k) => k.flush()));
    scheduler.dispose();
    cm.dispose();
    api.dispose();
    for (const r of runtimes) r.dispose();
    pool.dispose();
    for (const d of disks) await d.close();
    await store.close();
    expect(readyMs).toBeDefined();
  }, 240_000);
});
