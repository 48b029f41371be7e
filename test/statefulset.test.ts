import { beforeAll, describe, expect, it } from 'vitest';
import type { StatefulSet } from 'kubernetes-types/apps/v1';
import type { Event, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import 'fake-indexeddb/auto';
import { Events, PersistentVolumeClaims, Pods, StatefulSets } from '../src/api';
import { ensureImagesBuilt } from '../src/node/ensure-images-built';
import { threadedClusterPerTest } from './threaded-cluster-per-test';
import { waitFor } from './cluster-helpers';

beforeAll(() => ensureImagesBuilt(), 120_000);

/** As test/workloads.test.ts: tickers on worker_threads, a FakeClock that stays put. */
const boot = threadedClusterPerTest('sts', 77);

const web: StatefulSet = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas: 3,
    serviceName: 'web',
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'ticker', image: 'docker.io/tabernetes/ticker', args: ['1'] }] },
    },
    volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
  },
};

describe('StatefulSet on the whole cluster', () => {
  it('creates web-0..2 in order with their claims, and a deleted pod comes back with the same claim', async () => {
    const cluster = await boot();
    const c = cluster.client;
    const pods = async () => (await c.list<Pod>(Pods, 'default', { labelSelector: 'app=web' })).items;
    const set = () => c.get<StatefulSet>(StatefulSets, 'web', 'default');
    await c.create(StatefulSets, web);
    await waitFor(async () => (await set()).status?.readyReplicas === 3, 'statefulset 3/3 ready', 60_000);
    const ps = await pods();
    expect(ps.map((p) => p.metadata?.name).sort()).toEqual(['web-0', 'web-1', 'web-2']);
    for (const p of ps) expect(p.status?.phase).toBe('Running');
    const created = (p: Pod) => Date.parse(p.metadata!.creationTimestamp!);
    const byName = (n: string) => ps.find((p) => p.metadata?.name === n)!;
    // OrderedReady: each pod is created only once the previous one is Running and Ready
    const readyAt = (p: Pod) => Date.parse(p.status!.conditions!.find((x) => x.type === 'Ready')!.lastTransitionTime!);
    expect(created(byName('web-1'))).toBeGreaterThanOrEqual(readyAt(byName('web-0')));
    expect(created(byName('web-2'))).toBeGreaterThanOrEqual(readyAt(byName('web-1')));
    const evs = (await c.list<Event>(Events, 'default')).items.filter((e) => e.involvedObject.kind === 'StatefulSet').map((e) => e.message);
    expect(evs).toEqual(expect.arrayContaining(['create Claim www-web-0 Pod web-0 in StatefulSet web success', 'create Pod web-0 in StatefulSet web successful', 'create Pod web-2 in StatefulSet web successful']));
    const claims = (await c.list<PersistentVolumeClaim>(PersistentVolumeClaims, 'default')).items;
    expect(claims.map((x) => x.metadata?.name).sort()).toEqual(['www-web-0', 'www-web-1', 'www-web-2']);
    // the default StorageClass (standard, WaitForFirstConsumer) provisions each claim once its pod is scheduled
    await waitFor(async () => (await c.list<PersistentVolumeClaim>(PersistentVolumeClaims, 'default')).items.every((x) => x.status?.phase === 'Bound'), 'claims Bound', 30_000).catch(async (e) => {
      console.log(JSON.stringify((await c.list<PersistentVolumeClaim>(PersistentVolumeClaims, 'default')).items.map((x) => [x.metadata, x.spec, x.status])), (await c.list<Event>(Events, 'default')).items.filter((x) => x.involvedObject.kind === 'PersistentVolumeClaim').map((x) => x.reason + ' ' + x.message));
      throw e;
    });
    const bound = (await c.list<PersistentVolumeClaim>(PersistentVolumeClaims, 'default')).items.find((x) => x.metadata?.name === 'www-web-0')!;
    expect(bound.spec?.volumeName).toBe(`pvc-${bound.metadata?.uid}`);
    expect(bound.metadata?.annotations?.['volume.kubernetes.io/selected-node']).toBe(byName('web-0').spec?.nodeName);
    const claimUid = claims.find((x) => x.metadata?.name === 'www-web-1')!.metadata?.uid;

    const oldUid = byName('web-1').metadata?.uid;
    await c.delete(Pods, 'web-1', 'default');
    await waitFor(async () => {
      const p = (await pods()).find((x) => x.metadata?.name === 'web-1');
      return p && p.metadata?.uid !== oldUid && !p.metadata?.deletionTimestamp && p.status?.phase === 'Running';
    }, 'web-1 recreated', 60_000);
    const again = (await pods()).find((x) => x.metadata?.name === 'web-1')!;
    expect(again.spec?.volumes?.find((v) => v.name === 'www')?.persistentVolumeClaim?.claimName).toBe('www-web-1');
    expect((await c.get<PersistentVolumeClaim>(PersistentVolumeClaims, 'www-web-1', 'default')).metadata?.uid).toBe(claimUid);
    expect((await set()).status).toMatchObject({ replicas: 3, currentRevision: expect.stringMatching(/^web-/), collisionCount: 0 });
  }, 120_000);

  it('scales down from the highest ordinal keeping its claim, then rolls a new template out highest ordinal first', async () => {
    const cluster = await boot();
    const c = cluster.client;
    const set = () => c.get<StatefulSet>(StatefulSets, 'web', 'default');
    const pods = async () => (await c.list<Pod>(Pods, 'default', { labelSelector: 'app=web' })).items;
    await c.create(StatefulSets, web);
    await waitFor(async () => (await set()).status?.readyReplicas === 3, 'statefulset 3/3 ready', 60_000);
    await c.patch(StatefulSets, 'web', 'default', 'merge', { spec: { replicas: 2 } });
    await waitFor(async () => (await pods()).length === 2 && (await set()).status?.replicas === 2, 'scaled to 2', 60_000);
    expect((await pods()).map((p) => p.metadata?.name).sort()).toEqual(['web-0', 'web-1']);
    expect((await c.list<PersistentVolumeClaim>(PersistentVolumeClaims, 'default')).items.map((x) => x.metadata?.name).sort()).toEqual(['www-web-0', 'www-web-1', 'www-web-2']);

    const before = (await set()).status!;
    const s = await set();
    const template = structuredClone(s.spec!.template);
    template.spec!.containers[0].env = [{ name: 'VERSION', value: '2' }];
    await c.update(StatefulSets, { ...s, spec: { ...s.spec!, template } });
    await waitFor(async () => {
      const st = (await set()).status;
      return st?.updateRevision !== before.updateRevision && st?.currentRevision === st?.updateRevision && st?.updatedReplicas === 2 && st.readyReplicas === 2;
    }, 'rollout complete', 60_000);
    const after = await set();
    for (const p of await pods()) {
      expect(p.metadata?.labels?.['controller-revision-hash']).toBe(after.status?.updateRevision);
      expect(p.spec?.containers[0].env).toEqual([{ name: 'VERSION', value: '2' }]);
    }
    const deletes = (await c.list<Event>(Events, 'default')).items.filter((e) => e.reason === 'SuccessfulDelete' && e.involvedObject.kind === 'StatefulSet').map((e) => e.message);
    expect(deletes).toEqual(['delete Pod web-2 in StatefulSet web successful', 'delete Pod web-1 in StatefulSet web successful', 'delete Pod web-0 in StatefulSet web successful']);
  }, 150_000);
});
