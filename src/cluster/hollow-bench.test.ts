// HOLLOW_BENCH=1000@10 npx vitest run src/cluster/hollow-bench.test.ts
// A Node reproduction of bench:control-plane's hollow Deployment phase: the control plane in this thread (apiserver
// on a memory store, or fake-indexeddb with HOLLOW_BENCH_STORE=idb; controller-manager, scheduler, kube-proxy;
// the system clock) and hollow nodes (startHollowNodes) instead of kubelets; create → status.readyReplicas = N.
// Prints the per-pod timeline (created / bound / running / ready: first, median, last ms from the create), watch
// events per pod, this thread's CPU ms and its top self-time functions (HOLLOW_BENCH_PROFILE=FILE also writes the
// .cpuprofile). Skipped without HOLLOW_BENCH.
import 'fake-indexeddb/auto';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seededIds } from '../api';
import { createPauseDeployment, startCpuProfile, topLines, waitReadyReplicas, watchPodTimeline } from '../node/deploy-bench-kit';
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
    const timeline = watchPodTimeline(c, 'app=hollow');
    const profiler = await startCpuProfile();
    store?.reset();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await createPauseDeployment(c, 'hollow', replicas, {
      nodeSelector: { 'bench.tabernetes.dev/hollow': 'deploy' },
      tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
    });
    const { readyMs, reads: deployReads } = await waitReadyReplicas(c, 'hollow', replicas, t0);
    const cpu = process.cpuUsage(cpu0);
    const storeOps = store?.snapshot();
    const { profile, self, perFile } = await profiler.stop();
    timeline.dispose();
    if (process.env.HOLLOW_BENCH_PROFILE) writeFileSync(process.env.HOLLOW_BENCH_PROFILE, JSON.stringify(profile));
    console.log(JSON.stringify({ replicas, nodes, readyMs: readyMs && Math.round(readyMs), ...timeline.summary(t0, replicas), deployReads, cpuMs: Math.round((cpu.user + cpu.system) / 1000), hollow: hollow.stats() }));
    if (storeOps) console.log(`store operations per pod (op resource):\n${Object.entries(storeOps).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${(n / replicas).toFixed(2).padStart(7)}  ${k}`).join('\n')}`);
    console.log(`self ms by file:\n${topLines(perFile, 25)}\nself ms by function:\n${topLines(self, 40)}`);
    hollow.dispose();
    await cluster.stop();
    expect(readyMs).toBeDefined();
  }, 300_000);
});
