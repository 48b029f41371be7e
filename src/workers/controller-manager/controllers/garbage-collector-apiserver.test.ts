import { describe, expect, it } from 'vitest';
import type { ConfigMap } from 'kubernetes-types/core/v1';
import { ConfigMaps, Deployments, FakeClock, seededIds, type ApiHandler, type ApiRequest, type ResourceRef } from '../../../api';
import { ApiClient } from '../../../client/api-client';
import { createMemoryStore } from '../../../storage';
import { createApiServer } from '../../apiserver';
import { CRONTAB_CRD, crontab } from '../../apiserver/crd/testing/crontab-crd';
import { startControllerManager } from '../controller-manager';
import { discoverGcResources } from '../discover-resources';
import { refKey } from '../served-resources';
import { deployment } from '../testing/workload-fixtures';
import { garbageCollector } from './garbage-collector';
import { GC_RESYNC_PERIOD } from './gc-monitors';

const CRDS: ResourceRef = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false };
const CronTabs: ResourceRef = { group: 'stable.example.com', version: 'v1', resource: 'crontabs', kind: 'CronTab', namespaced: true };

type Obj = { [k: string]: unknown; apiVersion?: string; kind?: string; metadata: { name: string; namespace?: string; uid?: string; finalizers?: string[]; deletionTimestamp?: string } };

/** The garbage collector alone against the real apiserver over an in-memory store, on a FakeClock. */
async function cluster() {
  const clock = new FakeClock();
  const api = await createApiServer({ store: createMemoryStore({ clock }), clock, ids: seededIds(7) });
  const admin = new ApiClient(api);
  /** The controller-manager's requests that name crontabs, and its crontab watch streams not cancelled yet. */
  const crontabCalls: string[] = [];
  const crontabWatches = new Set<string>();
  const seen = (req: ApiRequest) => req.path.includes('/crontabs') && crontabCalls.push(`${req.method} ${req.path}`);
  const handler: ApiHandler = {
    request: (req) => (seen(req), api.request(req)),
    async stream(req) {
      const open = await api.stream(req);
      if (seen(req) && open.streamId) crontabWatches.add(open.streamId);
      return open;
    },
    read: (id) => api.read(id),
    cancel: (id) => (crontabWatches.delete(id), api.cancel(id)),
  };
  const cm = startControllerManager({ client: new ApiClient(handler), clock, ids: seededIds(9), controllers: [garbageCollector()] });
  await cm.ready;
  /** Lets the GC settle: rounds of timers and microtasks (a discovery resync takes several requests). */
  const settle = async () => {
    for (let i = 0; i < 8; i++) await clock.advance(10);
  };
  await settle(); // the first discovery resync
  const exists = async (ref: ResourceRef, name: string) => (await admin.list<Obj>(ref, 'default')).items.some((o) => o.metadata.name === name);
  const ownedConfigMap = (name: string, owner: Obj): ConfigMap => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default', ownerReferences: [{ apiVersion: owner.apiVersion!, kind: owner.kind!, name: owner.metadata.name, uid: owner.metadata.uid!, blockOwnerDeletion: true }] },
    data: { k: 'v' },
  });
  return { clock, api, admin, cm, exists, ownedConfigMap, settle, crontabCalls, crontabWatches };
}

describe('garbage-collector over discovery (real apiserver)', () => {
  it('discovers every resource with delete, list and watch, but not events nor subresources', async () => {
    const { admin, cm } = await cluster();
    const keys = (await discoverGcResources(admin)).map(refKey);
    expect(keys).toEqual(expect.arrayContaining(['v1/configmaps', 'v1/secrets', 'v1/persistentvolumeclaims', 'apps/v1/deployments', 'apiextensions.k8s.io/v1/customresourcedefinitions']));
    expect(keys).not.toContain('v1/events');
    expect(keys).not.toContain('events.k8s.io/v1/events');
    expect(keys.some((k) => k.includes('/status') || k.endsWith('/bindings'))).toBe(false);
    expect(keys).not.toContain('stable.example.com/v1/crontabs');
    await admin.create(CRDS, CRONTAB_CRD as unknown as Obj);
    expect((await discoverGcResources(admin)).map(refKey)).toContain('stable.example.com/v1/crontabs');
    cm.dispose();
  });

  it('background: a ConfigMap owned by a Deployment is deleted with it', async () => {
    const { clock, admin, cm, exists, ownedConfigMap, settle } = await cluster();
    const dep = await admin.create<Obj>(Deployments, deployment('web', 1));
    await admin.create(ConfigMaps, ownedConfigMap('web-config', dep));
    await clock.advance(10);
    expect(await exists(ConfigMaps, 'web-config')).toBe(true);
    await admin.delete(Deployments, 'web', 'default', { propagationPolicy: 'Background' });
    await settle();
    expect(await exists(ConfigMaps, 'web-config')).toBe(false);
    cm.dispose();
  });

  it('foreground: the Deployment waits on foregroundDeletion until its ConfigMap is gone', async () => {
    const { clock, admin, cm, exists, ownedConfigMap, settle } = await cluster();
    const dep = await admin.create<Obj>(Deployments, deployment('web', 1));
    const held = ownedConfigMap('held', dep);
    held.metadata!.finalizers = ['example.com/hold'];
    await admin.create(ConfigMaps, held);
    await clock.advance(10);
    await admin.delete(Deployments, 'web', 'default', { propagationPolicy: 'Foreground' });
    await settle();
    const waiting = await admin.get<Obj>(Deployments, 'web', 'default');
    expect(waiting.metadata.deletionTimestamp).toBeTruthy();
    expect(waiting.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect((await admin.get<Obj>(ConfigMaps, 'held', 'default')).metadata.deletionTimestamp).toBeTruthy();
    await admin.patch(ConfigMaps, 'held', 'default', 'merge', { metadata: { finalizers: null } });
    await settle();
    expect(await exists(ConfigMaps, 'held')).toBe(false);
    expect(await exists(Deployments, 'web')).toBe(false);
    cm.dispose();
  });

  it('tracks a CRD created after its start at the next resync: a custom resource owned by a deleted ConfigMap is collected', async () => {
    const { clock, admin, cm, exists, ownedConfigMap, settle } = await cluster();
    await admin.create(CRDS, CRONTAB_CRD as unknown as Obj);
    const owner = await admin.create<Obj>(ConfigMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner', namespace: 'default' } });
    const ct = crontab('tab');
    await admin.create(CronTabs, { ...ct, metadata: { ...ct.metadata, namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid! }] } });
    await admin.delete(ConfigMaps, 'owner', 'default');
    // and a ConfigMap whose CronTab owner is gone before the GC knows the kind
    const gone = await admin.create<Obj>(CronTabs, { ...crontab('gone'), metadata: { name: 'gone', namespace: 'default' } });
    await admin.create(ConfigMaps, ownedConfigMap('of-gone', gone));
    await admin.delete(CronTabs, 'gone', 'default');
    await clock.advance(1_000);
    expect(await exists(CronTabs, 'tab')).toBe(true); // crontabs are not tracked yet
    expect(await exists(ConfigMaps, 'of-gone')).toBe(true); // an owner of an untracked kind is assumed to exist
    await clock.advance(GC_RESYNC_PERIOD);
    await settle();
    expect(await exists(CronTabs, 'tab')).toBe(false);
    expect(await exists(ConfigMaps, 'of-gone')).toBe(false);
    // an owned custom resource created now is collected at once, as its kind is tracked
    const owner2 = await admin.create<Obj>(ConfigMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner2', namespace: 'default' } });
    const ct2 = crontab('tab2');
    await admin.create(CronTabs, { ...ct2, metadata: { ...ct2.metadata, namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner2', uid: owner2.metadata.uid! }] } });
    await clock.advance(10);
    expect(await exists(CronTabs, 'tab2')).toBe(true);
    await admin.delete(ConfigMaps, 'owner2', 'default');
    await settle();
    expect(await exists(CronTabs, 'tab2')).toBe(false);
    cm.dispose();
  });

  it('a ConfigMap owned by a custom resource goes when the custom resource is deleted, and the monitor stops with the CRD', async () => {
    const { clock, admin, cm, exists, ownedConfigMap, settle, crontabCalls, crontabWatches } = await cluster();
    await admin.create(CRDS, CRONTAB_CRD as unknown as Obj);
    await clock.advance(GC_RESYNC_PERIOD);
    const tab = await admin.create<Obj>(CronTabs, { ...crontab('tab'), metadata: { name: 'tab', namespace: 'default' } });
    await admin.create(ConfigMaps, ownedConfigMap('tab-config', tab));
    await clock.advance(10);
    await admin.delete(CronTabs, 'tab', 'default', { propagationPolicy: 'Foreground' });
    await settle();
    expect(await exists(ConfigMaps, 'tab-config')).toBe(false);
    expect(await exists(CronTabs, 'tab')).toBe(false);
    expect(crontabWatches.size).toBe(1);
    await admin.delete(CRDS, 'crontabs.stable.example.com');
    for (let i = 0; i < 20 && (await admin.list<Obj>(CRDS)).items.length; i++) await settle();
    expect((await admin.list<Obj>(CRDS)).items).toEqual([]);
    await clock.advance(GC_RESYNC_PERIOD);
    await settle();
    const before = crontabCalls.length;
    await clock.advance(3 * GC_RESYNC_PERIOD); // a live informer of a vanished resource would relist with backoff
    await settle();
    expect(crontabCalls.slice(before)).toEqual([]);
    expect(crontabWatches.size).toBe(0);
    cm.dispose();
  });
});
