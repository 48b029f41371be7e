// pods/eviction through the whole cluster: the disruption controller (controller-manager) keeps the PDB's
// status, the apiserver's eviction subresource spends it (kube's EvictionREST).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import 'fake-indexeddb/auto';
import { Deployments, FakeClock, seededIds, PodDisruptionBudgets, Pods } from '../src/api';
import type { ApiResponse } from '../src/api/protocol';
import { startLocalCluster, type LocalCluster } from '../src/cluster';
import { ensureImagesBuilt } from '../src/node/ensure-images-built';
import { createFsImageSource } from '../src/node/fs-image-source';
import { createWorkerThreadsLauncher } from '../src/node/worker-threads-launcher';
import { waitFor } from './cluster-helpers';

let cluster: LocalCluster;

beforeAll(async () => {
  await ensureImagesBuilt();
  const clock = new FakeClock();
  const tag = `eviction-${process.pid}`;
  cluster = await startLocalCluster({
    storeName: `etcd-${tag}`,
    diskName: (n) => `${tag}-${n}`,
    clock,
    ids: seededIds(777),
    images: createFsImageSource(),
    launcher: createWorkerThreadsLauncher({ clockBase: { wall: Date.now(), cluster: clock.now(), speed: 1 } }),
  });
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

const evict = (name: string, body: Record<string, unknown> = {}, query?: Record<string, string>): Promise<ApiResponse> =>
  cluster.api.request({ method: 'POST', path: `/api/v1/namespaces/default/pods/${name}/eviction`, body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' }, ...body }, ...(query ? { query } : {}), user: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] } });

const pdb = () => cluster.client.get<PodDisruptionBudget>(PodDisruptionBudgets, 'web', 'default');
const webPods = async () => (await cluster.client.list<Pod>(Pods, 'default', { labelSelector: 'app=web' })).items.filter((p) => !p.metadata?.deletionTimestamp);
const ready = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

describe('pods/eviction with a PodDisruptionBudget', () => {
  it('is listed in /api/v1 discovery as policy/v1 Eviction (kubectl drain checks it)', async () => {
    const v1 = (await cluster.api.request({ method: 'GET', path: '/api/v1' })).body as { resources: Array<Record<string, unknown>> };
    expect(v1.resources.find((r) => r.name === 'pods/eviction')).toEqual({ name: 'pods/eviction', singularName: '', namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
  });

  it('spends disruptionsAllowed with a CAS, records disruptedPods, then refuses with 429 and the DisruptionBudget cause', async () => {
    await cluster.client.create(Deployments, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10' }] } } } } as never);
    await cluster.client.create(PodDisruptionBudgets, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'default' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } } as never);
    const pods = await waitFor(async () => {
      const ps = await webPods();
      return ps.length === 2 && ps.every(ready) && ps;
    }, 'two Ready web pods', 30_000);
    await waitFor(async () => (await pdb()).status?.disruptionsAllowed === 1, 'the disruption controller to allow 1 disruption');
    const [a, b] = pods.map((p) => p.metadata!.name!);

    const dry = await evict(a, {}, { dryRun: 'All' });
    expect(dry.status).toBe(201);
    expect((await pdb()).status?.disruptionsAllowed).toBe(1);

    const mismatch = await evict(a, { metadata: { name: 'other' } });
    expect(mismatch).toMatchObject({ status: 400, body: { reason: 'BadRequest', message: 'name in URL does not match name in Eviction object' } });

    const ok = await evict(a, { deleteOptions: { gracePeriodSeconds: 0 } });
    expect(ok).toEqual({ status: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } });
    const spent = await pdb();
    expect(spent.status?.disruptionsAllowed).toBe(0);
    expect(Object.keys(spent.status?.disruptedPods ?? {})).toEqual([a]);
    expect(spent.status?.conditions?.find((c) => c.type === 'DisruptionAllowed')).toMatchObject({ status: 'False', reason: 'InsufficientPods' });
    await waitFor(async () => !(await webPods()).some((p) => p.metadata?.name === a), `${a} to be gone`);
    await waitFor(async () => (await webPods()).filter(ready).length === 2 && (await pdb()).status?.currentHealthy === 2, 'the replacement to be Ready and counted');

    // A budget that needs both pods: the controller observes the new generation and allows 0.
    await cluster.client.patch(PodDisruptionBudgets, 'web', 'default', 'merge', { spec: { minAvailable: 2 } });
    await waitFor(async () => {
      const p = await pdb();
      return p.status?.observedGeneration === p.metadata?.generation && p.status?.disruptionsAllowed === 0 && p.status?.desiredHealthy === 2;
    }, 'the controller to observe minAvailable 2');
    const refused = await evict(b);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: 'TooManyRequests',
      details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web needs 2 healthy pods and has 2 currently' }] },
      code: 429,
    });
    expect((await cluster.client.get<Pod>(Pods, b, 'default')).metadata?.deletionTimestamp).toBeUndefined();

    // A Pending pod is evicted without consulting the budget (kube's canIgnorePDB).
    await cluster.client.create(Pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending', namespace: 'default', labels: { app: 'web' } }, spec: { nodeName: 'nowhere', containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10' }] } } as never);
    expect((await evict('pending')).status).toBe(201);
    expect((await cluster.client.get<Pod>(Pods, 'pending', 'default')).metadata?.deletionTimestamp).toBeDefined();

    await cluster.client.create(PodDisruptionBudgets, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web2', namespace: 'default' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } } } as never);
    expect(await evict(b)).toEqual({ status: 500, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.', code: 500 } });
  }, 60_000);

  it('deletes pods no PDB selects, honouring deleteOptions preconditions; 404 for a missing pod', async () => {
    await cluster.client.create(Pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'loner', namespace: 'default', labels: { app: 'loner' } }, spec: { containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10' }] } } as never);
    const stale = await evict('loner', { deleteOptions: { preconditions: { uid: 'not-the-uid' } } });
    expect(stale.status).toBe(409);
    expect((stale.body as { message: string }).message).toMatch(/^Operation cannot be fulfilled on pods "loner": Precondition failed: UID in precondition: not-the-uid, UID in object meta: /);
    expect((await evict('loner', { deleteOptions: { gracePeriodSeconds: 0 } })).status).toBe(201);
    await waitFor(async () => !(await cluster.client.list<Pod>(Pods, 'default')).items.some((p) => p.metadata?.name === 'loner'), 'loner to be gone');
    expect(await evict('loner')).toMatchObject({ status: 404, body: { reason: 'NotFound', message: 'pods "loner" not found' } });
  }, 30_000);
});
