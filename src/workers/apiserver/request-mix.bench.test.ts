// APISERVER_MIX=300 npx vitest run src/workers/apiserver/request-mix.bench.test.ts
// The apiserver alone, driven through one pause pod's request mix as deploy-request-mix.test.ts counts it on a
// 100-pod Deployment (3 nodes): the ReplicaSet controller's create, the scheduler's binding (and an Event every
// other pod), the kubelet's GET pod, LIST + GET services, three PUT pods/status (pending, running, Ready) and an
// Event; three unfiltered pod watches (controller-manager, scheduler, the page) and each kubelet's
// spec.nodeName watch (as ApiClient.watch opens them: watchEventsAsJson), every read batch structured-cloned as
// postMessage does. Store: createMemoryStore.
// Prints CPU µs per pod (process.cpuUsage over each round; this thread only runs it), the apiserver's share
// (minus the clients' side of postMessage and their JSON.parse of event text, timed) and watch events per pod;
// APISERVER_MIX_PROFILE=FILE writes a .cpuprofile. Skipped without APISERVER_MIX.
import { writeFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { FakeClock, seededIds, type ApiHandler, type ApiRequest } from '../../api';
import { startCpuProfile, topLines } from '../../node/deploy-bench-kit';
import { createMemoryStore } from '../../storage';
import { createApiServer } from './api-server';
import { authenticatedAs, KUBE_SCHEDULER_USER, nodeUser } from './authz';

const pods = Number(process.env.APISERVER_MIX ?? 0);
const NODES = ['tabernetes-control-plane', 'tabernetes-worker', 'tabernetes-worker2'];
const NS = '/api/v1/namespaces/default';
const RS_USER = { username: 'system:serviceaccount:kube-system:replicaset-controller', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'] };

function podBody(i: number) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `pause-${i}`,
      labels: { app: 'pause', 'pod-template-hash': '85c878fb54' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'pause-85c878fb54', uid: 'ac08f6a9-2070-4fb3-ad13-dc12390af77c', controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {} }],
      tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      securityContext: {},
      schedulerName: 'default-scheduler',
      enableServiceLinks: true,
    },
  };
}

const cond = (type: string, status: string, t: string) => ({ type, status, lastProbeTime: null, lastTransitionTime: t });

/** The kubelet's three status writes: ContainerCreating, running (not yet Ready), Ready. */
function statusOf(step: number, node: number, i: number) {
  const t = '2026-11-26T09:38:45Z';
  const ready = step === 2 ? 'True' : 'False';
  const running = step >= 1;
  return {
    conditions: [cond('PodReadyToStartContainers', running ? 'True' : 'False', t), cond('Initialized', 'True', t), cond('Ready', ready, t), cond('ContainersReady', ready, t), cond('PodScheduled', 'True', t)],
    hostIP: `172.18.0.${node + 2}`,
    hostIPs: [{ ip: `172.18.0.${node + 2}` }],
    podIP: `10.244.${node}.${(i % 250) + 2}`,
    podIPs: [{ ip: `10.244.${node}.${(i % 250) + 2}` }],
    phase: running ? 'Running' : 'Pending',
    startTime: t,
    qosClass: 'BestEffort',
    containerStatuses: [
      {
        name: 'pause',
        image: 'registry.k8s.io/pause:3.10',
        imageID: running ? 'registry.k8s.io/pause@sha256:410cd099f4da7f9b78d01c93504b7d5bc006904196ce84d65b389d1c8d649b5f' : '',
        ready: step === 2,
        restartCount: 0,
        started: running,
        state: running ? { running: { startedAt: t } } : { waiting: { reason: 'ContainerCreating' } },
        lastState: {},
      },
    ],
  };
}

function eventBody(i: number, reason: string, component: string) {
  return {
    metadata: { name: `pause-${i}.${reason.toLowerCase()}${i}`, namespace: 'default' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: `pause-${i}`, apiVersion: 'v1', fieldPath: 'spec.containers{pause}' },
    reason,
    message: `${reason} container pause`,
    source: { component, host: NODES[i % 3] },
    firstTimestamp: '2026-11-26T09:38:45Z',
    lastTimestamp: '2026-11-26T09:38:45Z',
    count: 1,
    type: 'Normal',
    reportingComponent: component,
    reportingInstance: NODES[i % 3],
  };
}

/** CPU ms spent on the clients' side of postMessage (serializing requests, deserializing answers, parsing JSON chunks). */
let clientMs = 0;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** A structured clone as postMessage makes it: serialized by the sender, deserialized by the receiver. */
function post<T>(v: T, to: 'server' | 'client'): T {
  const t0 = cpuMs();
  const buf = serialize(v);
  const t1 = cpuMs();
  const out = deserialize(buf) as T;
  clientMs += to === 'server' ? t1 - t0 : cpuMs() - t1;
  return out;
}

/** A watch read loop as a client across postMessage: each batch is structured-cloned. Returns events seen. */
function follow(h: ApiHandler, query: Record<string, string>) {
  const seen = { events: 0, stop: false };
  void (async () => {
    const open = await h.stream({ method: 'GET', path: `${NS}/pods`, query: { watch: 'true', ...query }, watchEventsAsJson: true });
    for (;;) {
      const batch = await h.read(open.streamId!);
      if (!batch || seen.stop) break;
      const got = post(batch, 'client');
      const t = cpuMs();
      seen.events += got.map((c) => (typeof c === 'string' ? JSON.parse(c) : c)).length; // as ApiClient.watch does
      clientMs += cpuMs() - t;
    }
  })();
  return seen;
}

async function ok(h: ApiHandler, req: ApiRequest): Promise<unknown> {
  const res = post(await h.request(post(req, 'server')), 'client');
  if (res.status >= 300) throw new Error(`${req.method} ${req.path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

describe.skipIf(!pods)('apiserver request mix (Node, apiserver alone)', () => {
  it('replays one pause pod lifecycle per pod and measures CPU per pod', async () => {
    const clock = new FakeClock();
    const api = await createApiServer({ store: createMemoryStore(), clock, ids: seededIds(3), shareWatchObjects: true });
    for (const name of NODES) await ok(api, { method: 'POST', path: '/api/v1/nodes', body: { metadata: { name, labels: { 'kubernetes.io/hostname': name } }, status: { conditions: [{ type: 'Ready', status: 'True' }] } } });
    const rs = authenticatedAs(api, RS_USER);
    const sched = authenticatedAs(api, KUBE_SCHEDULER_USER);
    const kubelets = NODES.map((n) => authenticatedAs(api, nodeUser(n)));
    const watches = [follow(api, {}), follow(api, {}), follow(api, {}), ...NODES.map((n, i) => follow(kubelets[i], { fieldSelector: `spec.nodeName=${n}` }))];
    await new Promise((r) => setTimeout(r, 20));

    const lifecycle = async (i: number) => {
      const node = i % 3;
      const k = kubelets[node];
      await ok(rs, { method: 'POST', path: `${NS}/pods`, body: podBody(i), userAgent: 'kube-controller-manager/v1.32.0' });
      await ok(sched, { method: 'POST', path: `${NS}/pods/pause-${i}/binding`, body: { metadata: { name: `pause-${i}` }, target: { kind: 'Node', name: NODES[node] } }, userAgent: 'kube-scheduler/v1.32.0' });
      if (i % 2 === 0) await ok(sched, { method: 'POST', path: `${NS}/events`, body: eventBody(i, 'Scheduled', 'default-scheduler') });
      const pod = (await ok(k, { method: 'GET', path: `${NS}/pods/pause-${i}` })) as { metadata: Record<string, unknown> };
      await ok(k, { method: 'GET', path: `${NS}/services` });
      await ok(k, { method: 'GET', path: `${NS}/services/kubernetes` });
      for (let step = 0; step < 3; step++) {
        const body = { ...pod, metadata: { ...pod.metadata, resourceVersion: undefined }, status: statusOf(step, node, i) };
        await ok(k, { method: 'PUT', path: `${NS}/pods/pause-${i}/status`, body, userAgent: 'kubelet/v1.32.0' });
        if (step === 1) await ok(k, { method: 'POST', path: `${NS}/events`, body: eventBody(i, 'Started', 'kubelet'), userAgent: 'kubelet/v1.32.0' });
      }
    };
    const run = async (from: number, n: number, parallel = 10) => {
      for (let b = from; b < from + n; b += parallel) await Promise.all(Array.from({ length: Math.min(parallel, from + n - b) }, (_, j) => lifecycle(b + j)));
    };
    await run(0, 50); // warm-up (JIT)
    // APISERVER_MIX pods per round, APISERVER_MIX_ROUNDS rounds (default 5): the least CPU per pod of the rounds
    // (a busy machine only ever adds), and the median.
    const rounds = Number(process.env.APISERVER_MIX_ROUNDS ?? 5);
    const perPod: number[] = [];
    const before = watches.reduce((a, w) => a + w.events, 0);
    const profiler = process.env.APISERVER_MIX_PROFILE ? await startCpuProfile() : undefined;
    const serverPerPod: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const cpu0 = process.cpuUsage();
      const client0 = clientMs;
      await run(50 + r * pods, pods);
      await new Promise((res) => setTimeout(res, 5));
      const cpu = process.cpuUsage(cpu0);
      perPod.push((cpu.user + cpu.system) / pods);
      serverPerPod.push((cpu.user + cpu.system - (clientMs - client0) * 1000) / pods);
    }
    const events = watches.reduce((a, w) => a + w.events, 0) - before;
    if (profiler) {
      const { profile, self } = await profiler.stop();
      writeFileSync(process.env.APISERVER_MIX_PROFILE!, JSON.stringify(profile));
      console.log(`self ms by function:\n${topLines(self, 40)}`);
    }
    perPod.sort((a, b) => a - b);
    serverPerPod.sort((a, b) => a - b);
    const med = (xs: number[]) => Math.round(xs[xs.length >> 1]);
    console.log(JSON.stringify({ pods, rounds, cpuUsPerPodMin: Math.round(perPod[0]), cpuUsPerPodMedian: med(perPod), serverUsPerPodMin: Math.round(serverPerPod[0]), serverUsPerPodMedian: med(serverPerPod), watchEventsPerPod: +(events / pods / rounds).toFixed(2) }));
    for (const w of watches) w.stop = true;
    api.dispose();
    expect(events / pods / rounds).toBeGreaterThanOrEqual(15);
  }, 300_000);
});
