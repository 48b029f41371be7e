import { describe, expect, it } from 'vitest';
import { FakeClock, seededIds } from '../../../api';
import { ApiClient } from '../../../client/api-client';
import { FakeApiHandler } from '../../../client/testing/fake-api-handler';
import { startControllerManager } from '../controller-manager';
import { Deployments, ReplicaSets } from '../../../api/resources';
import { garbageCollector } from './garbage-collector';

const ownerRef = (kind: string, o: { metadata: { name: string; uid?: string } }, block = true) => ({
  apiVersion: kind === 'Pod' ? 'v1' : 'apps/v1', kind, name: o.metadata.name, uid: o.metadata.uid!, controller: true, blockOwnerDeletion: block,
});

async function setup() {
  const api = new FakeApiHandler();
  const clock = new FakeClock();
  const client = new ApiClient(api);
  const cm = startControllerManager({ client, clock, ids: seededIds(), controllers: [garbageCollector()] });
  await cm.ready;
  const names = (coll: string) => api.list(coll).map((o) => o.metadata.name);
  return { api, clock, client, cm, names };
}

function tree(api: FakeApiHandler) {
  const dep = api.put('apps/deployments', { metadata: { name: 'web', namespace: 'default' }, spec: {} });
  const rs = api.put('apps/replicasets', { metadata: { name: 'web-1', namespace: 'default', ownerReferences: [ownerRef('Deployment', dep)] }, spec: {} });
  for (const p of ['web-1-a', 'web-1-b']) api.put('pods', { metadata: { name: p, namespace: 'default', ownerReferences: [ownerRef('ReplicaSet', rs)] }, spec: {} });
  return { dep, rs };
}

describe('garbage-collector', () => {
  it('background: deletes dependents after their owner is gone', async () => {
    const { api, clock, client, cm, names } = await setup();
    tree(api);
    await clock.advance(10);
    expect(names('pods')).toEqual(['web-1-a', 'web-1-b']);
    await client.delete(Deployments, 'web', 'default', { propagationPolicy: 'Background' });
    await clock.advance(10);
    await clock.advance(10);
    expect(names('apps/replicasets')).toEqual([]);
    expect(names('pods')).toEqual([]);
    cm.dispose();
  });

  it('foreground: the owner waits with foregroundDeletion until its blocking dependents are gone', async () => {
    const { api, clock, client, cm, names } = await setup();
    tree(api);
    const extra = api.put('pods', { metadata: { name: 'keeper', namespace: 'default', finalizers: ['example.com/hold'], ownerReferences: [ownerRef('ReplicaSet', api.get('apps/replicasets', 'default', 'web-1')!)] }, spec: {} });
    await clock.advance(10);
    await client.delete(Deployments, 'web', 'default', { propagationPolicy: 'Foreground' });
    await clock.advance(10);
    await clock.advance(10);
    const dep = api.get('apps/deployments', 'default', 'web')!;
    expect(dep.metadata.deletionTimestamp).toBeTruthy();
    expect(dep.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(api.get('apps/replicasets', 'default', 'web-1')!.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(names('pods')).toEqual(['keeper']);
    expect(api.get('pods', 'default', 'keeper')!.metadata.deletionTimestamp).toBeTruthy();
    // the last blocking dependent goes: the chain unwinds, owner last
    await client.patch(ReplicaSets, 'web-1', 'default', 'merge', {}); // no-op write must not unblock anything
    api.put('pods', { ...api.get('pods', 'default', 'keeper')!, metadata: { ...extra.metadata, deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: [] } });
    await clock.advance(10);
    await clock.advance(10);
    expect(names('pods')).toEqual([]);
    expect(names('apps/replicasets')).toEqual([]);
    expect(names('apps/deployments')).toEqual([]);
    const deletions = api.log.filter((e) => e.type === 'DELETED').map((e) => e.obj.metadata.name);
    expect(deletions.slice(-2)).toEqual(['web-1', 'web']);
    cm.dispose();
  });

  it('orphan: removes the owner reference from dependents, then the orphan finalizer', async () => {
    const { api, clock, client, cm, names } = await setup();
    const { rs } = tree(api);
    await clock.advance(10);
    await client.delete(ReplicaSets, 'web-1', 'default', { propagationPolicy: 'Orphan' });
    await clock.advance(10);
    await clock.advance(10);
    expect(names('apps/replicasets')).toEqual([]);
    expect(names('pods')).toEqual(['web-1-a', 'web-1-b']);
    for (const p of api.list('pods')) expect((p.metadata.ownerReferences as unknown[]) ?? []).not.toContainEqual(expect.objectContaining({ uid: rs.metadata.uid }));
    expect(names('apps/deployments')).toEqual(['web']);
    cm.dispose();
  });

  it('deletes an object whose only owner never existed, and drops a dangling reference beside a live one', async () => {
    const { api, clock, cm, names } = await setup();
    const rs = api.put('apps/replicasets', { metadata: { name: 'live', namespace: 'default' }, spec: {} });
    const ghost = { metadata: { name: 'ghost', uid: 'uid-ghost' } };
    api.put('pods', { metadata: { name: 'orphaned', namespace: 'default', ownerReferences: [ownerRef('ReplicaSet', ghost)] }, spec: {} });
    api.put('pods', { metadata: { name: 'shared', namespace: 'default', ownerReferences: [ownerRef('ReplicaSet', ghost, false), { ...ownerRef('ReplicaSet', rs), controller: false }] }, spec: {} });
    api.put('pods', { metadata: { name: 'other-kind', namespace: 'default', ownerReferences: [{ apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', uid: 'uid-w' }] }, spec: {} });
    await clock.advance(10);
    await clock.advance(10);
    expect(names('pods')).toEqual(['other-kind', 'shared']);
    expect((api.get('pods', 'default', 'shared')!.metadata.ownerReferences as { uid: string }[]).map((o) => o.uid)).toEqual([rs.metadata.uid]);
    cm.dispose();
  });
});
