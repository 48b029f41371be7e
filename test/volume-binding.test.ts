import { beforeAll, describe, expect, it } from 'vitest';
import type { Event, PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import 'fake-indexeddb/auto';
import { Events, PersistentVolumeClaims, PersistentVolumes, Pods, StorageClasses } from '../src/api';
import { ensureImagesBuilt } from '../src/node/ensure-images-built';
import { threadedClusterPerTest } from './threaded-cluster-per-test';
import { waitFor } from './cluster-helpers';

beforeAll(() => ensureImagesBuilt(), 120_000);

const boot = threadedClusterPerTest('volbind', 91);

const claim = (name: string, storageClassName?: string): PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...(storageClassName ? { storageClassName } : {}) },
});
const pod = (name: string, claimName: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: {
    terminationGracePeriodSeconds: 0,
    containers: [{ name: 'ticker', image: 'docker.io/tabernetes/ticker', args: ['1'], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
  },
});
const sc = (name: string, provisioner: string, volumeBindingMode: string): StorageClass => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner, volumeBindingMode });

describe('VolumeBinding on the whole cluster', () => {
  it('provisions a WaitForFirstConsumer claim on the node the scheduler picked, pre-binds a local PV on its node, and reports unbound immediate claims', async () => {
    const cluster = await boot();
    const c = cluster.client;
    const getPod = (n: string) => c.get<Pod>(Pods, n, 'default');
    const getClaim = (n: string) => c.get<PersistentVolumeClaim>(PersistentVolumeClaims, n, 'default');

    // default class "standard" (rancher.io/local-path, WaitForFirstConsumer)
    await waitFor(async () => (await c.list<StorageClass>(StorageClasses)).items.some((s) => s.metadata?.name === 'standard'), 'standard StorageClass');
    await c.create(PersistentVolumeClaims, claim('data'));
    await c.create(Pods, pod('db', 'data'));
    const running = await waitFor(async () => {
      const p = await getPod('db');
      return p.status?.phase === 'Running' && p;
    }, 'db Running', 30_000);
    const bound = await getClaim('data');
    expect(bound.metadata?.annotations?.['volume.kubernetes.io/selected-node']).toBe(running.spec?.nodeName);
    const pv = await c.get<PersistentVolume>(PersistentVolumes, bound.spec!.volumeName!);
    expect(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0].matchExpressions?.[0].values).toEqual([running.spec?.nodeName]);

    // a static local PV (no provisioner) pins its pod to the PV's node; the scheduler writes the claimRef
    await c.create(StorageClasses, sc('local', 'kubernetes.io/no-provisioner', 'WaitForFirstConsumer'));
    await c.create<PersistentVolume>(PersistentVolumes, {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'local-w2' },
      spec: {
        capacity: { storage: '2Gi' },
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'local',
        hostPath: { path: '/mnt/local-w2' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['tabernetes-worker2'] }] }] } },
      },
    });
    await waitFor(async () => (await c.get<PersistentVolume>(PersistentVolumes, 'local-w2')).status?.phase === 'Available', 'local-w2 Available');
    await c.create(PersistentVolumeClaims, claim('pinned', 'local'));
    // nothing binds it before a consumer is scheduled
    expect((await getClaim('pinned')).spec?.volumeName).toBeUndefined();
    await c.create(Pods, pod('pinned', 'pinned'));
    const p2 = await waitFor(async () => {
      const p = await getPod('pinned');
      return p.status?.phase === 'Running' && p;
    }, 'pinned Running', 30_000);
    expect(p2.spec?.nodeName).toBe('tabernetes-worker2');
    expect(await getClaim('pinned')).toMatchObject({ spec: { volumeName: 'local-w2' }, status: { phase: 'Bound' } });

    // Immediate class with nothing to bind: unschedulable with kube's message
    await c.create(StorageClasses, sc('fast', 'example.com/csi', 'Immediate'));
    await c.create(PersistentVolumeClaims, claim('later', 'fast'));
    await c.create(Pods, pod('waits', 'later'));
    const ev = await waitFor(async () => (await c.list<Event>(Events, 'default')).items.find((e) => e.involvedObject.name === 'waits' && e.reason === 'FailedScheduling'), 'FailedScheduling');
    expect(ev.message).toBe('0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
  }, 90_000);
});
