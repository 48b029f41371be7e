// DEPLOY_BENCH=100@3 npx vitest run src/workers/kubelet/deploy-bench.test.ts
// A Node reproduction of bench:control-plane's Deployment phase: the whole cluster in this thread (fake-indexeddb,
// the system clock), real `pause` containers on worker_threads (one per container, a pool of 6 per node as the
// tab's kubelets keep), create → status.readyReplicas = N. Prints the per-pod timeline (created / bound /
// running / ready: first, median, last ms), per pod the kubelets' API requests, their IndexedDB transactions,
// container Worker messages and runtime calls (testing/deploy-counts.ts, counted until the kubelets are idle), and the top self-time functions
// of this thread's V8 CPU profile (DEPLOY_BENCH_PROFILE=FILE also writes the .cpuprofile). Skipped without DEPLOY_BENCH.
import 'fake-indexeddb/auto';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seededIds } from '../../api';
import { createPauseDeployment, startCpuProfile, topLines, waitReadyReplicas, watchPodTimeline } from '../../node/deploy-bench-kit';
import { startLocalCluster } from '../../cluster';
import { createFsImageSource } from '../../node/fs-image-source';
import { createContainerThread } from '../../node/worker-threads-launcher';
import { systemClock } from '../../platform/system-clock';
import { createWorkerLauncher, createWorkerPool } from '../runtime';
import { countRuntimeCalls, countWorkerMessages, startDeployCounts } from './testing/deploy-counts';

const spec = process.env.DEPLOY_BENCH;

describe.skipIf(!spec)('Deployment bench (Node)', () => {
  it('creates a Deployment of pause replicas and times it to all Ready', async () => {
    const [replicas, nodes] = (spec ?? '100@3').split('@').map(Number);
    const clock = systemClock();
    const names = ['tabernetes-control-plane', ...Array.from({ length: nodes - 1 }, (_, i) => `tabernetes-worker${i ? i + 1 : ''}`)];
    const workerMessages = new Map<string, number>();
    let counting = false;
    const createWorker = countWorkerMessages(() => createContainerThread(), workerMessages, () => counting);
    const pool = createWorkerPool({ createWorker, size: 6 * nodes, defer: (fn) => void setTimeout(fn, 25) });
    const launcher = createWorkerLauncher({ createWorker, pool, clockBase: { wall: Date.now(), cluster: clock.now(), speed: 1 }, wallNow: () => performance.timeOrigin + performance.now() });
    const tag = `deploy-bench-${process.pid}`;
    const cluster = await startLocalCluster({ storeName: `etcd-${tag}`, diskName: (n) => `${tag}-${n}`, clock, ids: seededIds(7), images: createFsImageSource(), launcher, nodes: names });
    const c = cluster.client;
    // Pull the image once on every node first (the browser bench's image is pulled on each node's first pod too, but compiled once).
    await new Promise((r) => setTimeout(r, 500));
    const timeline = watchPodTimeline(c, 'app=pause');
    const runtimeCalls = new Map<string, number>();
    countRuntimeCalls(cluster.nodes.map((n) => n.runtime), runtimeCalls, () => counting);
    const counts = startDeployCounts(workerMessages, runtimeCalls);
    counting = true;
    const profiler = await startCpuProfile();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await createPauseDeployment(c, 'pause', replicas, { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] });
    const { readyMs } = await waitReadyReplicas(c, 'pause', replicas, t0);
    const cpu = process.cpuUsage(cpu0);
    const { profile, self, perFile } = await profiler.stop();
    timeline.dispose();
    await cluster.idle(); // the kubelets' trailing writes count too
    counts.dispose();
    counting = false;
    console.log(counts.report(replicas));
    const live = cluster.nodes.reduce((a, n) => a + n.runtime.instances, 0);
    const perArea = new Map<string, number>();
    for (const [file, ms] of perFile) {
      const area = /^src\/(workers\/[^/]+|[^/]+)/.exec(file)?.[1] ?? (file.startsWith('nm/') ? 'node_modules' : file.startsWith('node:') ? 'node' : file);
      perArea.set(area, (perArea.get(area) ?? 0) + ms);
    }
    if (process.env.DEPLOY_BENCH_PROFILE) writeFileSync(process.env.DEPLOY_BENCH_PROFILE, JSON.stringify(profile));
    console.log(JSON.stringify({ replicas, nodes, readyMs: readyMs && Math.round(readyMs), liveInstances: live, ...timeline.summary(t0, replicas), mainThreadCpuMs: Math.round((cpu.user + cpu.system) / 1000) }));
    console.log(`self ms by area:\n${topLines(perArea, 14)}`);
    const mine = new Map([...self].filter(([k]) => /src\/workers\/(kubelet|runtime)\//.test(k)));
    console.log(`kubelet + runtime functions:\n${topLines(mine, 25)}`);
    console.log(`self ms by file:\n${topLines(perFile, 25)}\nself ms by function:\n${topLines(self, 40)}`);
    await cluster.stop();
    pool.dispose();
    expect(readyMs).toBeDefined();
  }, 180_000);
});
