// Node-only helpers of the Deployment benches that run a cluster in this thread (src/cluster/hollow-bench.test.ts,
// src/workers/kubelet/deploy-bench.test.ts): the per-pod timeline a watch sees, readiness, and this thread's CPU profile.
import { Session } from 'node:inspector/promises';
import type { Deployment } from 'kubernetes-types/apps/v1';
import type { Pod, PodSpec } from 'kubernetes-types/core/v1';
import { Deployments, Pods } from '../api';
import type { ApiClient } from '../client/api-client';

type Steps = Record<string, number>;
const STEPS = ['created', 'bound', 'running', 'ready'] as const;

/** When a watch first saw each pod created, bound, its first container running, Ready (performance.now()). */
export function watchPodTimeline(client: ApiClient, labelSelector: string) {
  const seen = new Map<string, Steps>();
  const watch = client.watch<Pod>(Pods, 'default', { labelSelector }, {
    onEvent(ev) {
      const p = ev.object;
      const now = performance.now();
      const r = seen.get(p.metadata?.uid ?? '') ?? { created: now, events: 0 };
      seen.set(p.metadata?.uid ?? '', r);
      if (p.spec?.nodeName) r.bound ??= now;
      if (p.status?.containerStatuses?.[0]?.state?.running) r.running ??= now;
      if (p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True')) r.ready ??= now;
      r.events++;
    },
  });
  return {
    dispose: () => watch.dispose(),
    /** Each step's first / median / last ms from t0 over the pods (null when no pod reached it), and watch events per pod. */
    summary(t0: number, replicas: number) {
      const timeline: Record<string, { first: number; median: number; last: number } | null> = {};
      for (const step of STEPS) {
        const ts = [...seen.values()].map((r) => r[step]).filter((x) => x !== undefined).map((x) => x - t0).sort((a, b) => a - b);
        timeline[step] = ts.length ? { first: Math.round(ts[0]), median: Math.round(ts[ts.length >> 1]), last: Math.round(ts[ts.length - 1]) } : null;
      }
      const events = [...seen.values()].reduce((a, r) => a + r.events, 0);
      return { timeline, watchEventsPerPod: +(events / replicas).toFixed(1) };
    },
  };
}

/** Creates Deployment `name` (label app=name) of `replicas` pause pods with `spec` merged into the pod spec. */
export function createPauseDeployment(client: ApiClient, name: string, replicas: number, spec: Partial<PodSpec>): Promise<Deployment> {
  return client.create<Deployment>(Deployments, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10' }], ...spec },
      },
    },
  });
}

/** Polls (every 5 ms, up to timeoutMs) until status.readyReplicas ≥ replicas; ms from t0, or undefined; and the reads made. */
export async function waitReadyReplicas(client: ApiClient, name: string, replicas: number, t0: number, timeoutMs = 120_000): Promise<{ readyMs?: number; reads: number }> {
  let reads = 0;
  while (performance.now() - t0 < timeoutMs) {
    const d = await client.get<Deployment>(Deployments, name, 'default');
    reads++;
    if ((d.status?.readyReplicas ?? 0) >= replicas) return { readyMs: performance.now() - t0, reads };
    await new Promise((r) => setTimeout(r, 5));
  }
  return { reads };
}

/** Starts a V8 CPU profile of this thread (200 µs samples); stop() returns it with self ms per function and per file. */
export async function startCpuProfile() {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
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
      return { profile, self, perFile };
    },
  };
}

/** The n largest entries of a ms map, one "   ms  key" line each. */
export const topLines = (m: Map<string, number>, n: number): string =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, ms]) => `${String(Math.round(ms)).padStart(7)}  ${k}`).join('\n');
