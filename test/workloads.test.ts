import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Job } from 'kubernetes-types/batch/v1';
import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { Deployments, EndpointSlices, EndpointsRef, Jobs, Pods, ReplicaSets, Services } from '../src/api';
import 'fake-indexeddb/auto';
import { FakeClock, seededIds } from '../src/api';
import { startLocalCluster, type LocalCluster } from '../src/cluster';
import { ensureImagesBuilt } from '../src/node/ensure-images-built';
import { createFsImageSource } from '../src/node/fs-image-source';
import { createWorkerThreadsLauncher } from '../src/node/worker-threads-launcher';
import { appDeployment, appPods, waitFor } from './cluster-helpers';

beforeAll(() => ensureImagesBuilt(), 120_000);

const running: LocalCluster[] = [];
afterEach(async () => {
  for (const c of running.splice(0)) await c.stop();
});

/**
 * A cluster whose containers run on worker_threads (the in-process launcher cannot keep a ticker running), on a
 * FakeClock that stays put: nothing here waits on cluster time (minReadySeconds 0, no deadlines reached).
 */
async function boot(): Promise<{ cluster: LocalCluster }> {
  const tag = `workloads-${process.pid}-${running.length}`;
  const clock = new FakeClock();
  const cluster = await startLocalCluster({
    storeName: `etcd-${tag}`,
    diskName: (n) => `${tag}-${n}`,
    clock,
    ids: seededIds(4242),
    images: createFsImageSource(),
    launcher: createWorkerThreadsLauncher({ clockBase: { wall: Date.now(), cluster: clock.now(), speed: 1 } }),
  });
  running.push(cluster);
  return { cluster };
}

function ticker(replicas: number, version = '1'): Deployment {
  const pod = { terminationGracePeriodSeconds: 0, containers: [{ name: 'ticker', image: 'docker.io/tabernetes/ticker', args: ['1'], env: [{ name: 'VERSION', value: version }] }] };
  return appDeployment('web', replicas, pod, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } });
}

const isReady = (p: Pod) => !p.metadata?.deletionTimestamp && !!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

describe('workloads on the whole cluster', () => {
  it('runs a Deployment to 3/3 available, rolls it out without dropping below 3 ready, scales it, and garbage-collects it', async () => {
    const { cluster } = await boot();
    const c = cluster.client;
    const pods = () => appPods(c, 'web');
    const dep = () => c.get<Deployment>(Deployments, 'web', 'default');
    const rss = async () => (await c.list<ReplicaSet>(ReplicaSets, 'default')).items;
    await c.create(Deployments, ticker(3));
    await waitFor(async () => (await dep()).status?.availableReplicas === 3, 'deployment 3/3 available', 30_000);
    const first = await pods();
    expect(first).toHaveLength(3);
    for (const p of first) {
      expect(p.status?.phase).toBe('Running');
      expect(p.spec?.nodeName).toMatch(/^tabernetes-worker2?$/);
      expect(p.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', controller: true });
    }

    // rolling update by an env change; maxUnavailable 0 keeps 3 ready pods throughout
    let minReady = Infinity;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        minReady = Math.min(minReady, (await pods()).filter(isReady).length);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const d = await dep();
    await c.update<Deployment>(Deployments, { ...d, spec: { ...d.spec!, template: ticker(3, '2').spec!.template } });
    await waitFor(async () => {
      const s = (await dep()).status;
      const all = await rss();
      return s?.updatedReplicas === 3 && s.replicas === 3 && s.availableReplicas === 3 && all.length === 2 && all.some((r) => r.spec?.replicas === 0) && (await pods()).length === 3;
    }, 'rollout complete', 30_000).catch(async (e) => {
      console.log(JSON.stringify({ dep: (await dep()).status, rss: (await rss()).map((r) => [r.metadata?.name, r.spec?.replicas, r.status, r.metadata?.annotations]), pods: (await pods()).map((p) => [p.metadata?.name, p.status?.phase, p.metadata?.deletionTimestamp, isReady(p)]) }, null, 1));
      const ev = (await c.list<{ reason: string; message: string; involvedObject: { name: string } }>({ group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true }, 'default')).items;
      console.log(ev.map((e) => `${e.involvedObject.name} ${e.reason} ${e.message}`).join('\n'));
      throw e;
    });
    sampling = false;
    await sampler;
    expect(minReady).toBeGreaterThanOrEqual(3);
    expect((await dep()).metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('2');

    // scale
    await c.patch(Deployments, 'web', 'default', 'merge', { spec: { replicas: 5 } });
    await waitFor(async () => (await dep()).status?.availableReplicas === 5 && (await pods()).filter(isReady).length === 5, 'scaled to 5', 30_000);

    // a Service over them gets Endpoints and an EndpointSlice with the 5 ready pod IPs
    await c.create<Service>(Services, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } });
    const ips = (await pods()).map((p) => p.status?.podIP).sort();
    await waitFor(async () => {
      const ep = await c.get<Endpoints>(EndpointsRef, 'web', 'default');
      return JSON.stringify(ep.subsets?.[0]?.addresses?.map((a) => a.ip).sort()) === JSON.stringify(ips) && ep.subsets?.[0]?.ports?.[0]?.port === 8080;
    }, 'Endpoints with 5 addresses', 30_000);
    await waitFor(async () => {
      const sl = (await c.list<EndpointSlice>(EndpointSlices, 'default', { labelSelector: 'kubernetes.io/service-name=web' })).items;
      return sl.length === 1 && sl[0].endpoints.filter((e) => e.conditions?.ready).length === 5;
    }, 'EndpointSlice with 5 ready endpoints', 30_000);
    await c.patch(Deployments, 'web', 'default', 'merge', { spec: { replicas: 1 } });
    await waitFor(async () => (await pods()).length === 1 && (await dep()).status?.replicas === 1, 'scaled to 1', 30_000);

    // deleting the Deployment garbage-collects its ReplicaSets and pods
    await c.delete(Deployments, 'web', 'default', { propagationPolicy: 'Background' });
    await waitFor(async () => (await rss()).length === 0 && (await pods()).length === 0, 'ReplicaSets and pods collected', 30_000);
  }, 120_000);

  it('runs a Job of hello-world to Complete with 2 completions', async () => {
    const { cluster } = await boot();
    const c = cluster.client;
    await c.create<Job>(Jobs, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'hello', namespace: 'default' },
      spec: { completions: 2, parallelism: 1, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'hello', image: 'hello-world' }] } } },
    });
    const job = await waitFor(async () => {
      const j = await c.get<Job>(Jobs, 'hello', 'default');
      return j.status?.conditions?.some((x) => x.type === 'Complete') && j;
    }, 'job Complete', 30_000);
    expect(job.status).toMatchObject({ succeeded: 2, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    expect(job.status?.conditions?.map((x) => x.type)).toEqual(['SuccessCriteriaMet', 'Complete']);
    const pods = (await c.list<Pod>(Pods, 'default', { labelSelector: 'job-name=hello' })).items;
    expect(pods.map((p) => p.status?.phase)).toEqual(['Succeeded', 'Succeeded']);
    expect(pods.every((p) => !(p.metadata?.finalizers ?? []).length)).toBe(true);
  }, 60_000);

  it('honours Foreground and Orphan propagation: owner waits for its dependents, or lets them go', async () => {
    const { cluster } = await boot();
    const c = cluster.client;
    const pods = () => appPods(c, 'web');
    await c.create(Deployments, ticker(2));
    await waitFor(async () => (await c.get<Deployment>(Deployments, 'web', 'default')).status?.availableReplicas === 2, 'deployment 2/2 available', 30_000);
    const gone = await c.delete<Deployment>(Deployments, 'web', 'default', { propagationPolicy: 'Foreground' });
    expect(gone.metadata?.finalizers).toEqual(['foregroundDeletion']);
    expect(gone.metadata?.deletionTimestamp).toBeTruthy();
    await waitFor(async () => {
      const left = await c.list<Deployment>(Deployments, 'default');
      return !left.items.length && !(await c.list<ReplicaSet>(ReplicaSets, 'default')).items.length && !(await pods()).length;
    }, 'deployment, ReplicaSet and pods gone', 30_000);

    await c.create(Deployments, ticker(2));
    await waitFor(async () => (await c.list<ReplicaSet>(ReplicaSets, 'default')).items[0]?.status?.readyReplicas === 2, 'ReplicaSet 2 ready', 30_000);
    const [rs] = (await c.list<ReplicaSet>(ReplicaSets, 'default')).items;
    await c.delete(Deployments, 'web', 'default', { propagationPolicy: 'Orphan' });
    await waitFor(async () => {
      const left = (await c.list<ReplicaSet>(ReplicaSets, 'default')).items;
      return !(await c.list<Deployment>(Deployments, 'default')).items.length && left.length === 1 && !(left[0].metadata?.ownerReferences ?? []).length;
    }, 'ReplicaSet orphaned', 30_000);
    expect((await c.get<ReplicaSet>(ReplicaSets, rs.metadata!.name!, 'default')).metadata?.uid).toBe(rs.metadata?.uid);
    expect((await pods()).filter(isReady)).toHaveLength(2);
  }, 60_000);
});
