import { describe, expect, it } from 'vitest';
import type { StatefulSet } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { makeReady, startFakeManager } from '../testing/workload-fixtures';
import { statefulSetController } from './statefulset-controller';

type Fake = Awaited<ReturnType<typeof startFakeManager>>;

function sts(replicas: number, o: { policy?: 'OrderedReady' | 'Parallel'; version?: string; partition?: number; onDelete?: boolean; whenScaled?: string } = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      serviceName: 'nginx',
      podManagementPolicy: o.policy ?? 'OrderedReady',
      selector: { matchLabels: { app: 'nginx' } },
      updateStrategy: o.onDelete ? { type: 'OnDelete' } : { type: 'RollingUpdate', rollingUpdate: { partition: o.partition ?? 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: o.whenScaled ?? 'Retain' },
      template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'c', image: 'docker.io/tabernetes/ticker', env: [{ name: 'V', value: o.version ?? '1' }] }] } },
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  };
}

const setOf = (f: Fake) => f.api.get('apps/statefulsets', 'default', 'web') as unknown as StatefulSet;
const names = (f: Fake) => f.pods().map((p) => p.metadata?.name).sort();
/** Makes every pod not yet Ready Running and Ready, then settles. */
async function readyAll(f: Fake) {
  for (const p of f.pods()) if (p.status?.phase !== 'Running') makeReady(f.api, p, 'n1', f.clock.now());
  await f.settle();
}
const update = (f: Fake, spec: object) => f.api.put('apps/statefulsets', { ...setOf(f), spec: { ...setOf(f).spec, ...spec } } as never);

describe('statefulset-controller', () => {
  it('creates ordinals one at a time (OrderedReady) with stable names, labels, claims and events', async () => {
    const f = await startFakeManager([statefulSetController()]);
    f.api.put('apps/statefulsets', sts(3));
    await f.settle();
    expect(names(f)).toEqual(['web-0']);
    await f.settle();
    expect(names(f)).toEqual(['web-0']); // waits for web-0 Running and Ready
    await readyAll(f);
    expect(names(f)).toEqual(['web-0', 'web-1']);
    await readyAll(f);
    await readyAll(f);
    expect(names(f)).toEqual(['web-0', 'web-1', 'web-2']);
    const p0 = f.pods().find((p) => p.metadata?.name === 'web-0')!;
    const set = setOf(f);
    expect(p0.metadata?.labels).toMatchObject({ app: 'nginx', 'statefulset.kubernetes.io/pod-name': 'web-0', 'apps.kubernetes.io/pod-index': '0', 'controller-revision-hash': set.status?.updateRevision });
    expect(p0.spec).toMatchObject({ hostname: 'web-0', subdomain: 'nginx', volumes: [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } }] });
    expect(p0.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'StatefulSet', name: 'web', controller: true, blockOwnerDeletion: true });
    expect(f.api.list('persistentvolumeclaims').map((c) => c.metadata.name)).toEqual(['www-web-0', 'www-web-1', 'www-web-2']);
    expect(f.api.get('persistentvolumeclaims', 'default', 'www-web-0')).toMatchObject({ metadata: { labels: { app: 'nginx' } }, spec: { accessModes: ['ReadWriteOnce'] } });
    const msgs = f.events().filter((e) => e.reason === 'SuccessfulCreate').map((e) => e.message);
    expect(msgs.slice(0, 2)).toEqual(['create Claim www-web-0 Pod web-0 in StatefulSet web success', 'create Pod web-0 in StatefulSet web successful']);
    expect(set.status).toEqual({ observedGeneration: 1, replicas: 3, readyReplicas: 3, availableReplicas: 3, currentReplicas: 3, updatedReplicas: 3, currentRevision: set.status?.updateRevision, updateRevision: expect.stringMatching(/^web-/), collisionCount: 0 });
    const revs = f.api.list('apps/controllerrevisions');
    expect(revs).toHaveLength(1);
    expect(revs[0]).toMatchObject({ metadata: { name: set.status?.updateRevision, labels: { app: 'nginx', 'controller.kubernetes.io/hash': expect.any(String) } }, revision: 1 });
    f.cm.dispose();
  });

  it('recreates a deleted pod with the same name and keeps its claim', async () => {
    const f = await startFakeManager([statefulSetController()]);
    f.api.put('apps/statefulsets', sts(2, { policy: 'Parallel' }));
    await f.settle();
    expect(names(f)).toEqual(['web-0', 'web-1']); // Parallel: all at once
    await readyAll(f);
    const claimUid = f.api.get('persistentvolumeclaims', 'default', 'www-web-1')!.metadata.uid;
    const old = f.pods().find((p) => p.metadata?.name === 'web-1')!;
    f.api.remove('pods', 'default', 'web-1');
    await f.settle();
    const again = f.pods().find((p) => p.metadata?.name === 'web-1')!;
    expect(again.metadata?.uid).not.toBe(old.metadata?.uid);
    expect(f.api.get('persistentvolumeclaims', 'default', 'www-web-1')!.metadata.uid).toBe(claimUid);
    expect(f.events().filter((e) => e.message.startsWith('create Claim www-web-1'))).toHaveLength(1);
    f.cm.dispose();
  });

  it('scales down highest ordinal first, leaving claims (Retain) or owning them by the pod (whenScaled Delete)', async () => {
    const f = await startFakeManager([statefulSetController()]);
    f.api.put('apps/statefulsets', sts(3, { whenScaled: 'Delete' }));
    for (let i = 0; i < 4; i++) await readyAll(f);
    expect(names(f)).toEqual(['web-0', 'web-1', 'web-2']);
    update(f, { replicas: 1 });
    await f.settle();
    expect(names(f)).toEqual(['web-0']);
    const dels = f.events().filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message);
    expect(dels).toEqual(['delete Pod web-2 in StatefulSet web successful', 'delete Pod web-1 in StatefulSet web successful']);
    expect(f.api.get('persistentvolumeclaims', 'default', 'www-web-2')!.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Pod', name: 'web-2', uid: expect.any(String), controller: true, blockOwnerDeletion: true }]);
    expect(setOf(f).status).toMatchObject({ replicas: 1, readyReplicas: 1 });
    f.cm.dispose();
  });

  it('rolls out a new revision from the highest ordinal down to the partition', async () => {
    const f = await startFakeManager([statefulSetController()]);
    f.api.put('apps/statefulsets', sts(3));
    for (let i = 0; i < 4; i++) await readyAll(f);
    const rev1 = setOf(f).status?.currentRevision;
    update(f, { template: { ...sts(3, { version: '2' }).spec.template }, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } });
    await f.settle();
    const revOf = (n: string) => f.pods().find((p) => p.metadata?.name === n)?.metadata?.labels?.['controller-revision-hash'];
    const rev2 = setOf(f).status?.updateRevision;
    expect(rev2).not.toBe(rev1);
    for (let i = 0; i < 4; i++) await readyAll(f);
    expect([revOf('web-0'), revOf('web-1'), revOf('web-2')]).toEqual([rev1, rev2, rev2]);
    expect(f.events().filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message)).toEqual(['delete Pod web-2 in StatefulSet web successful', 'delete Pod web-1 in StatefulSet web successful']);
    expect(setOf(f).status).toMatchObject({ currentRevision: rev1, updateRevision: rev2, currentReplicas: 1, updatedReplicas: 2 });
    const pod2 = f.pods().find((p) => p.metadata?.name === 'web-2') as Pod;
    expect(pod2.spec?.containers[0].env).toEqual([{ name: 'V', value: '2' }]);
    update(f, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } });
    for (let i = 0; i < 3; i++) await readyAll(f);
    expect(setOf(f).status).toMatchObject({ currentRevision: rev2, updateRevision: rev2, currentReplicas: 3, updatedReplicas: 3 });
    expect(f.api.list('apps/controllerrevisions').map((r) => r.revision)).toEqual(expect.arrayContaining([1, 2]));
    // reverting the template reuses the first revision, renumbered 3 (no new ControllerRevision)
    update(f, { template: { ...sts(3).spec.template } });
    for (let i = 0; i < 4; i++) await readyAll(f);
    expect(setOf(f).status).toMatchObject({ currentRevision: rev1, updateRevision: rev1, updatedReplicas: 3 });
    expect(f.api.list('apps/controllerrevisions').map((r) => [r.metadata.name, r.revision]).sort()).toEqual([[rev1, 3], [rev2, 2]].sort());
    f.cm.dispose();
  });

  it('OnDelete leaves old pods until they are deleted', async () => {
    const f = await startFakeManager([statefulSetController()]);
    f.api.put('apps/statefulsets', sts(2, { onDelete: true, policy: 'Parallel' }));
    await readyAll(f);
    const rev1 = setOf(f).status?.updateRevision;
    update(f, { template: { ...sts(2, { version: '2' }).spec.template } });
    await readyAll(f);
    expect(f.pods().map((p) => p.metadata?.labels?.['controller-revision-hash'])).toEqual([rev1, rev1]);
    f.api.remove('pods', 'default', 'web-0');
    await readyAll(f);
    const rev2 = setOf(f).status?.updateRevision;
    expect(f.pods().find((p) => p.metadata?.name === 'web-0')?.metadata?.labels?.['controller-revision-hash']).toBe(rev2);
    expect(setOf(f).status).toMatchObject({ updatedReplicas: 1, currentReplicas: 1, currentRevision: rev1 });
    f.cm.dispose();
  });
});
