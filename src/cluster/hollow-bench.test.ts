// HOLLOW_BENCH=1000@10 npx vitest run src/cluster/hollow-bench.test.ts
// A Node reproduction of bench:control-plane's hollow Deployment phase: the control plane in this thread (apiserver
// on a memory store, or fake-indexeddb with HOLLOW_BENCH_STORE=idb; controller-manager, scheduler, kube-proxy;
// the system clock) and hollow nodes (startHollowNodes) instead of kubelets; create → status.readyReplicas = N.
// Prints the per-pod timeline (created / bound / running / ready: first, median, last ms from the create), watch
// events per pod, this thread's CPU ms and its top self-time functions (HOLLOW_BENCH_PROFILE=FILE also writes the
// .cpuprofile). Skipped without HOLLOW_BENCH.
import 'fake-indexeddb/auto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { Deployment } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { Deployments, Pods, seededIds } from '../api';
import { createFsImageSource } from '../node/fs-image-source';
import { systemClock } from '../platform/system-clock';
import { createMemoryStore } from '../storage';
import type { Store } from '../storage/store';
import { createInProcessLauncher } from '../workers/runtime';
import { startHollowNodes } from './hollow-nodes';
import { startLocalCluster } from './local-cluster';

const spec = process.env.HOLLOW_BENCH;

/** Counts the store's operations by kind and resource (the key's /registry/<resource> segment). */
function countingStore(inner: Store): { store: Store; reset(): void; snapshot(): Record<string, number> } {
  let counts: Record<string, number> = {};
  const resourceOf = (key: string) => key.split('/').slice(2, 3).join('') || key;
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        if (['get', 'list', 'create', 'update', 'delete', 'txn'].includes(String(prop))) {
          const k = `${String(prop)} ${typeof args[0] === 'string' ? resourceOf(args[0]) : ''}`;
          counts[k] = (counts[k] ?? 0) + 1;
        }
        return v.apply(target, args);
      };
    },
  });
  return { store, reset: () => (counts = {}), snapshot: () => ({ ...counts }) };
}

describe.skipIf(!spec)('hollow Deployment bench (Node)', () => {
  it('creates a Deployment on hollow nodes and times it to all Ready', async () => {
    const [replicas, nodes] = (spec ?? '1000@10').split('@').map(Number);
    const clock = systemClock();
    const ids = seededIds(11);
    const tag = `hollow-bench-${process.pid}`;
    const counting = process.env.HOLLOW_BENCH_STORE !== 'idb';
    const store = counting ? countingStore(createMemoryStore()) : undefined;
    const cluster = await startLocalCluster({ store: store?.store, storeName: `etcd-${tag}`, clock, ids, nodes: [], images: createFsImageSource(), launcher: createInProcessLauncher({ clock, ids }) });
    const c = cluster.client;
    const names = Array.from({ length: nodes }, (_, i) => `hollow-${i}`);
    const hollow = startHollowNodes({ client: c, clock, ids, nodes: names, labels: { 'bench.tabernetes.dev/hollow': 'deploy' }, taints: [{ key: 'kwok.x-k8s.io/node', value: 'fake', effect: 'NoSchedule' }] });
    await hollow.ready;
    await new Promise((r) => setTimeout(r, 300));
    const seen = new Map<string, Record<string, number>>();
    const watch = c.watch<Pod>(Pods, 'default', { labelSelector: 'app=hollow' }, {
      onEvent(ev) {
        const p = ev.object;
        const uid = p.metadata?.uid ?? '';
        const now = performance.now();
        const r = seen.get(uid) ?? { created: now };
        seen.set(uid, r);
        if (p.spec?.nodeName) r.bound ??= now;
        if (p.status?.containerStatuses?.[0]?.state?.running) r.running ??= now;
        if (p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True')) r.ready ??= now;
        r.events = (r.events ?? 0) + 1;
      },
    });
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    store?.reset();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await c.create<Deployment>(Deployments, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'hollow', namespace: 'default' },
      spec: {
        replicas,
        selector: { matchLabels: { app: 'hollow' } },
        template: {
          metadata: { labels: { app: 'hollow' } },
          spec: {
            nodeSelector: { 'bench.tabernetes.dev/hollow': 'deploy' },
            tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
            terminationGracePeriodSeconds: 0,
            containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10' }],
          },
        },
      },
    });
    let readyMs: number | undefined;
    let deployReads = 0;
    while (performance.now() - t0 < 120_000) {
      const d = await c.get<Deployment>(Deployments, 'hollow', 'default');
      deployReads++;
      if ((d.status?.readyReplicas ?? 0) >= replicas) {
        readyMs = performance.now() - t0;
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const cpu = process.cpuUsage(cpu0);
    const storeOps = store?.snapshot();
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    watch.dispose();
    const timeline: Record<string, unknown> = {};
    for (const step of ['created', 'bound', 'running', 'ready']) {
      const ts = [...seen.values()].map((r) => r[step]).filter((x) => x !== undefined).map((x) => x - t0).sort((a, b) => a - b);
      timeline[step] = ts.length ? { first: Math.round(ts[0]), median: Math.round(ts[ts.length >> 1]), last: Math.round(ts[ts.length - 1]) } : null;
    }
    const events = [...seen.values()].reduce((a, r) => a + r.events, 0);
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    const perFile = new Map<string, number>();
    profile.samples!.forEach((id, i) => {
      const cf = byId.get(id)!.callFrame;
      const file = cf.url.replace(/^.*\/src\//, 'src/').replace(/^.*node_modules\//, 'nm/') || '(native)';
      const ms = (profile.timeDeltas![i] ?? 0) / 1000;
      const key = `${cf.functionName || '(anonymous)'} ${file}:${cf.lineNumber + 1}`;
      self.set(key, (self.get(key) ?? 0) + ms);
      perFile.set(file, (perFile.get(file) ?? 0) + ms);
    });
    const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, ms]) => `${String(Math.round(ms)).padStart(7)}  ${k}`).join('\n');
    if (process.env.HOLLOW_BENCH_PROFILE) writeFileSync(process.env.HOLLOW_BENCH_PROFILE, JSON.stringify(profile));
    console.log(JSON.stringify({ replicas, nodes, readyMs: readyMs && Math.round(readyMs), timeline, watchEventsPerPod: +(events / replicas).toFixed(1), deployReads, cpuMs: Math.round((cpu.user + cpu.system) / 1000), hollow: hollow.stats() }));
    if (storeOps) console.log(`store operations per pod (op resource):\n${Object.entries(storeOps).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${(n / replicas).toFixed(2).padStart(7)}  ${k}`).join('\n')}`);
    console.log(`self ms by file:\n${top(perFile, 25)}\nself ms by function:\n${top(self, 40)}`);
    hollow.dispose();
    await cluster.stop();
    expect(readyMs).toBeDefined();
  }, 300_000);
});
