// DEPLOY_BENCH=100@3 npx vitest run src/workers/kubelet/deploy-bench.test.ts
// A Node reproduction of bench:control-plane's Deployment phase: the whole cluster in this thread (fake-indexeddb,
// the system clock), real `pause` containers on worker_threads (one per container, a pool of 6 per node as the
// tab's kubelets keep), create → status.readyReplicas = N. Prints the per-pod timeline (created / bound /
// running / ready: first, median, last ms), the kubelets' API writes per pod, and the top self-time functions
// of this thread's V8 CPU profile (DEPLOY_BENCH_PROFILE=FILE also writes the .cpuprofile). Skipped without DEPLOY_BENCH.
import 'fake-indexeddb/auto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { Deployment } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { Deployments, Pods, seededIds } from '../../api';
import { startLocalCluster } from '../../cluster';
import { createFsImageSource } from '../../node/fs-image-source';
import { createContainerThread } from '../../node/worker-threads-launcher';
import { systemClock } from '../../platform/system-clock';
import { createWorkerLauncher, createWorkerPool } from '../runtime';

const spec = process.env.DEPLOY_BENCH;

describe.skipIf(!spec)('Deployment bench (Node)', () => {
  it('creates a Deployment of pause replicas and times it to all Ready', async () => {
    const [replicas, nodes] = (spec ?? '100@3').split('@').map(Number);
    const clock = systemClock();
    const names = ['tabernetes-control-plane', ...Array.from({ length: nodes - 1 }, (_, i) => `tabernetes-worker${i ? i + 1 : ''}`)];
    const pool = createWorkerPool({ createWorker: () => createContainerThread(), size: 6 * nodes, defer: (fn) => void setTimeout(fn, 25) });
    const launcher = createWorkerLauncher({ createWorker: () => createContainerThread(), pool, clockBase: { wall: Date.now(), cluster: clock.now(), speed: 1 }, wallNow: () => performance.timeOrigin + performance.now() });
    const tag = `deploy-bench-${process.pid}`;
    const cluster = await startLocalCluster({ storeName: `etcd-${tag}`, diskName: (n) => `${tag}-${n}`, clock, ids: seededIds(7), images: createFsImageSource(), launcher, nodes: names });
    const c = cluster.client;
    // Pull the image once on every node first (the browser bench's image is pulled on each node's first pod too, but compiled once).
    await new Promise((r) => setTimeout(r, 500));
    const seen = new Map<string, Record<string, number>>();
    const watch = c.watch<Pod>(Pods, 'default', { labelSelector: 'app=pause' }, {
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
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await c.create<Deployment>(Deployments, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'pause', namespace: 'default' },
      spec: {
        replicas,
        selector: { matchLabels: { app: 'pause' } },
        template: {
          metadata: { labels: { app: 'pause' } },
          spec: {
            tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
            terminationGracePeriodSeconds: 0,
            containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10' }],
          },
        },
      },
    });
    let readyMs: number | undefined;
    while (performance.now() - t0 < 120_000) {
      const d = await c.get<Deployment>(Deployments, 'pause', 'default');
      if ((d.status?.readyReplicas ?? 0) >= replicas) {
        readyMs = performance.now() - t0;
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const cpu = process.cpuUsage(cpu0);
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    watch.dispose();
    const timeline: Record<string, unknown> = {};
    for (const step of ['created', 'bound', 'running', 'ready']) {
      const ts = [...seen.values()].map((r) => r[step]).filter((x) => x !== undefined).map((x) => x - t0).sort((a, b) => a - b);
      timeline[step] = ts.length ? { first: Math.round(ts[0]), median: Math.round(ts[ts.length >> 1]), last: Math.round(ts[ts.length - 1]) } : null;
    }
    const events = [...seen.values()].reduce((a, r) => a + r.events, 0);
    const live = cluster.nodes.reduce((a, n) => a + n.runtime.instances, 0);
    // Self time per function and per file.
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
    const perArea = new Map<string, number>();
    for (const [file, ms] of perFile) {
      const area = /^src\/(workers\/[^/]+|[^/]+)/.exec(file)?.[1] ?? (file.startsWith('nm/') ? 'node_modules' : file.startsWith('node:') ? 'node' : file);
      perArea.set(area, (perArea.get(area) ?? 0) + ms);
    }
    const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, ms]) => `${String(Math.round(ms)).padStart(7)}  ${k}`).join('\n');
    if (process.env.DEPLOY_BENCH_PROFILE) writeFileSync(process.env.DEPLOY_BENCH_PROFILE, JSON.stringify(profile));
    console.log(JSON.stringify({ replicas, nodes, readyMs: readyMs && Math.round(readyMs), liveInstances: live, timeline, watchEventsPerPod: +(events / replicas).toFixed(1), mainThreadCpuMs: Math.round((cpu.user + cpu.system) / 1000) }));
    console.log(`self ms by area:\n${top(perArea, 14)}`);
    const mine = new Map([...self].filter(([k]) => /src\/workers\/(kubelet|runtime)\//.test(k)));
    console.log(`kubelet + runtime functions:\n${top(mine, 25)}`);
    console.log(`self ms by file:\n${top(perFile, 25)}\nself ms by function:\n${top(self, 40)}`);
    await cluster.stop();
    pool.dispose();
    expect(readyMs).toBeDefined();
  }, 180_000);
});
