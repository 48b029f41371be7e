import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import { rfc3339 } from '../../../api';
import { failureStatus } from '../../../api/status';
import { makeReady, replicaSet, startFakeManager } from '../testing/workload-fixtures';
import { ReplicaSets } from '../../../api/resources';
import { replicaSetController } from './replicaset-controller';
import { replicationController } from './replication-controller';
import { deletePreferred } from '../pod-ranking';

const rsOf = (api: { get(c: string, ns: string, n: string): unknown }, name = 'web') => api.get('apps/replicasets', 'default', name) as ReplicaSet;

describe('replicaset-controller', () => {
  it('creates pods to match replicas with a controller ownerReference, events and status', async () => {
    const { api, clock, cm, settle, pods, events } = await startFakeManager([replicaSetController()]);
    const rs = api.put('apps/replicasets', replicaSet('web', 3));
    await settle();
    const ps = pods();
    expect(ps).toHaveLength(3);
    for (const p of ps) {
      expect(p.metadata?.name).toMatch(/^web-/);
      expect(p.metadata?.generateName).toBe('web-');
      expect(p.metadata?.labels).toEqual({ app: 'web' });
      expect(p.metadata?.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    const creates = events().filter((e) => e.reason === 'SuccessfulCreate');
    expect(creates.map((e) => e.message).sort()).toEqual(ps.map((p) => `Created pod: ${p.metadata?.name}`).sort());
    expect(creates[0]).toMatchObject({ type: 'Normal', source: { component: 'replicaset-controller' }, involvedObject: { kind: 'ReplicaSet', name: 'web' } });
    expect(rsOf(api).status).toEqual({ replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
    for (const p of ps) makeReady(api, p, 'n1', clock.now());
    await settle();
    expect(rsOf(api).status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3 });
    // touching the RS and resyncs never over-create
    for (let i = 0; i < 3; i++) {
      api.put('apps/replicasets', { ...rsOf(api), metadata: { ...rsOf(api).metadata, labels: { touch: String(i) } } } as never);
      await settle();
    }
    expect(api.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/pods'))).toHaveLength(3);
    cm.dispose();
  });

  it('scales down in ActivePods order: unassigned, pending, not ready before ready', async () => {
    const { api, clock, cm, settle, pods, events } = await startFakeManager([replicaSetController()]);
    api.put('apps/replicasets', replicaSet('web', 4));
    await settle();
    const [a, b, c, d] = pods();
    makeReady(api, a, 'n1', clock.now());
    makeReady(api, b, 'n2', clock.now());
    api.put('pods', { ...(c as object), spec: { ...c.spec, nodeName: 'n1' }, status: { phase: 'Running' } } as never); // running, not ready
    void d; // unassigned, Pending
    await settle();
    api.put('apps/replicasets', { ...rsOf(api), spec: { ...rsOf(api).spec, replicas: 2 } } as never);
    await settle();
    expect(pods().map((p) => p.metadata?.name).sort()).toEqual([a.metadata?.name, b.metadata?.name].sort());
    expect(events().filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message).sort()).toEqual([`Deleted pod: ${c.metadata?.name}`, `Deleted pod: ${d.metadata?.name}`].sort());
    expect(rsOf(api).status).toMatchObject({ replicas: 2, readyReplicas: 2, observedGeneration: 2 });
    cm.dispose();
  });

  it('ranks doubled-up, newer-ready and restarted pods first', () => {
    const now = Date.UTC(2026, 0, 1, 1);
    const pod = (name: string, readySince: number, restarts = 0): Pod => ({
      metadata: { name, uid: name, creationTimestamp: rfc3339(now - 3600_000) },
      spec: { nodeName: 'n', containers: [] },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(readySince) }], containerStatuses: [{ name: 'c', restartCount: restarts, image: '', imageID: '', ready: true }] },
    });
    expect(deletePreferred(pod('a', now - 1000), pod('b', now - 1000), 3, 1, now)).toBe(true);
    expect(deletePreferred(pod('a', now - 10_000), pod('b', now - 3600_000), 1, 1, now)).toBe(true);
    expect(deletePreferred(pod('a', now - 3600_000), pod('b', now - 10_000), 1, 1, now)).toBe(false);
    expect(deletePreferred(pod('a', now - 5000, 3), pod('b', now - 5000, 0), 1, 1, now)).toBe(true);
  });

  it('adopts matching orphans and releases pods that stop matching', async () => {
    const { api, cm, settle, pods } = await startFakeManager([replicaSetController()]);
    api.put('pods', { metadata: { name: 'stray', namespace: 'default', labels: { app: 'web' } }, spec: {} });
    const rs = api.put('apps/replicasets', replicaSet('web', 1));
    await settle();
    expect(pods().map((p) => p.metadata?.name)).toEqual(['stray']);
    expect(pods()[0].metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', uid: rs.metadata.uid, controller: true });
    api.put('pods', { ...(pods()[0] as object), metadata: { ...pods()[0].metadata, labels: { app: 'other' } } } as never);
    await settle();
    const stray = pods().find((p) => p.metadata?.name === 'stray')!;
    expect(stray.metadata?.ownerReferences ?? []).toEqual([]);
    expect(pods()).toHaveLength(2);
    cm.dispose();
  });

  it('counts pods available only after minReadySeconds', async () => {
    const { api, clock, cm, settle, pods } = await startFakeManager([replicaSetController()]);
    api.put('apps/replicasets', replicaSet('web', 2, { minReadySeconds: 10 }));
    await settle();
    for (const p of pods()) makeReady(api, p, 'n1', clock.now());
    await settle();
    expect(rsOf(api).status).toMatchObject({ readyReplicas: 2 });
    expect(rsOf(api).status?.availableReplicas).toBeUndefined();
    await clock.advance(10_000);
    await settle(1000);
    expect(rsOf(api).status).toMatchObject({ readyReplicas: 2, availableReplicas: 2 });
    cm.dispose();
  });

  it('sets ReplicaFailure FailedCreate when pods cannot be created, and clears it after', async () => {
    const { api, cm, settle, pods, events } = await startFakeManager([replicaSetController()]);
    const msg = 'pods "web-x" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1';
    api.intercept = (req) => (req.method === 'POST' && req.path.endsWith('/pods') ? { status: 403, body: failureStatus('Forbidden', msg) } : undefined);
    api.put('apps/replicasets', replicaSet('web', 2));
    await settle();
    expect(rsOf(api).status?.conditions).toEqual([{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: expect.any(String), reason: 'FailedCreate', message: msg }]);
    expect(events().find((e) => e.reason === 'FailedCreate')).toMatchObject({ type: 'Warning', message: `Error creating: ${msg}` });
    expect(pods()).toHaveLength(0);
    // slow start: every sync stops after its first (single-pod) batch fails, so attempts ≈ syncs, never 2 per sync
    const posts = api.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/pods')).length;
    expect(events().find((e) => e.reason === 'FailedCreate')?.['count' as never]).toBe(posts);
    api.intercept = undefined;
    await settle(2000);
    expect(pods()).toHaveLength(2);
    expect(rsOf(api).status?.conditions).toBeUndefined();
    cm.dispose();
  });
});

describe('replication-controller', () => {
  it('manages pods of a ReplicationController by its map selector', async () => {
    const { api, cm, settle, pods, events } = await startFakeManager([replicationController()]);
    const rc = api.put('replicationcontrollers', { metadata: { name: 'nginx', namespace: 'default' }, spec: { replicas: 2, selector: { app: 'nginx' }, template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [] } } } });
    await settle();
    expect(pods().map((p) => p.metadata?.ownerReferences?.[0])).toEqual([0, 1].map(() => ({ apiVersion: 'v1', kind: 'ReplicationController', name: 'nginx', uid: rc.metadata.uid, controller: true, blockOwnerDeletion: true })));
    expect(events()[0]).toMatchObject({ reason: 'SuccessfulCreate', source: { component: 'replication-controller' }, involvedObject: { kind: 'ReplicationController' } });
    expect((api.get('replicationcontrollers', 'default', 'nginx') as unknown as { status: unknown }).status).toEqual({ replicas: 2, fullyLabeledReplicas: 2, observedGeneration: 1 });
    void ReplicaSets;
    cm.dispose();
  });
});
