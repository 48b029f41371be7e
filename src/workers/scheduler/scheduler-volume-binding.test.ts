import { describe, expect, it } from 'vitest';
import type { Event, PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import { FakeClock, seededIds } from '../../api';
import { ApiClient } from '../../client/api-client';
import { FakeApiHandler } from '../../client/testing/fake-api-handler';
import { startScheduler } from './scheduler';

const node = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name } },
  spec: {},
  status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { cpu: '4', memory: '8Gi', pods: '110' } },
});
const pod = (name: string, claim: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }] },
  status: { phase: 'Pending' },
});
const claim = (name: string, storageClassName: string) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName },
  status: { phase: 'Pending' },
});
const hostAffinity = (host: string) => ({ required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [host] }] }] } });

async function setup() {
  const api = new FakeApiHandler();
  const clock = new FakeClock();
  for (const n of ['tabernetes-worker', 'tabernetes-worker2', 'tabernetes-worker3']) api.put('nodes', node(n));
  api.put('storage.k8s.io/storageclasses', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'standard' }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' });
  api.put('storage.k8s.io/storageclasses', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'static' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' });
  api.put('storage.k8s.io/storageclasses', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, provisioner: 'example.com/csi', volumeBindingMode: 'Immediate' });
  const sched = startScheduler({ client: new ApiClient(api), clock, ids: seededIds() });
  await sched.ready;
  const nodeOf = (name: string) => (api.get('pods', 'default', name) as unknown as Pod | undefined)?.spec?.nodeName;
  const pvc = (name: string) => api.get('persistentvolumeclaims', 'default', name) as unknown as PersistentVolumeClaim;
  const events = () => api.list('events') as unknown as Event[];
  /** What the PV controller does once a claim is bound to pv. */
  const completeBind = (name: string, pv: string) => {
    const c = pvc(name);
    api.put('persistentvolumeclaims', { ...c, metadata: { ...c.metadata, annotations: { ...c.metadata?.annotations, 'pv.kubernetes.io/bind-completed': 'yes' } }, spec: { ...c.spec, volumeName: pv }, status: { phase: 'Bound' } } as never);
  };
  return { api, clock, sched, nodeOf, pvc, events, completeBind };
}

describe('scheduler VolumeBinding', () => {
  it('sets volume.kubernetes.io/selected-node on a WaitForFirstConsumer claim and binds the pod once the claim is bound', async () => {
    const { api, clock, sched, nodeOf, pvc, completeBind, events } = await setup();
    api.put('persistentvolumeclaims', claim('data', 'standard'));
    api.put('pods', pod('db', 'data'));
    await clock.advance(10);
    const selected = pvc('data').metadata?.annotations?.['volume.kubernetes.io/selected-node'];
    expect(selected).toMatch(/^tabernetes-worker/);
    expect(nodeOf('db')).toBeUndefined(); // PreBind waits for the PV controller
    api.put('persistentvolumes', { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pvc-1' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'standard', nodeAffinity: hostAffinity(selected!) } });
    completeBind('data', 'pvc-1');
    await clock.advance(10);
    expect(nodeOf('db')).toBe(selected);
    expect(events().some((e) => e.reason === 'Scheduled' && e.message === `Successfully assigned default/db to ${selected}`)).toBe(true);

    // A second pod on the same (now bound) claim follows the PV's node affinity.
    api.put('pods', pod('db2', 'data'));
    await clock.advance(10);
    expect(nodeOf('db2')).toBe(selected);
    sched.dispose();
  });

  it('pre-binds an available static PV that fits the node (claimRef written by the scheduler)', async () => {
    const { api, clock, sched, nodeOf, completeBind } = await setup();
    api.put('persistentvolumes', { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'local-2' }, spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'static', nodeAffinity: hostAffinity('tabernetes-worker2') }, status: { phase: 'Available' } });
    api.put('persistentvolumeclaims', claim('data', 'static'));
    api.put('pods', pod('db', 'data'));
    await clock.advance(10);
    const pv = api.get('persistentvolumes', undefined, 'local-2') as unknown as PersistentVolume;
    expect(pv.spec?.claimRef).toMatchObject({ kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data' });
    expect(pv.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller']).toBe('yes');
    completeBind('data', 'local-2');
    await clock.advance(10);
    expect(nodeOf('db')).toBe('tabernetes-worker2');
    sched.dispose();
  });

  it('reports an unbound immediate claim with kube\'s FailedScheduling message and explains it', async () => {
    const { api, clock, sched, nodeOf, events } = await setup();
    api.put('persistentvolumeclaims', claim('data', 'fast'));
    api.put('pods', pod('db', 'data'));
    await clock.advance(10);
    expect(nodeOf('db')).toBeUndefined();
    const msg = '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
    expect(events().find((e) => e.reason === 'FailedScheduling')).toMatchObject({ type: 'Warning', message: msg });
    const ex = sched.explain('default', 'db')!;
    expect(ex).toMatchObject({ outcome: 'Unschedulable', message: msg, diagnosis: { preFilter: { plugin: 'VolumeBinding', reasons: ['pod has unbound immediate PersistentVolumeClaims'] } } });
    sched.dispose();
  });

  it('requeues the pod with a FailedScheduling PreBind error when the claim is not bound within 10 minutes', async () => {
    const { api, clock, sched, nodeOf, events } = await setup();
    api.put('persistentvolumeclaims', claim('data', 'standard'));
    api.put('pods', pod('db', 'data'));
    await clock.advance(600_010);
    expect(nodeOf('db')).toBeUndefined();
    expect(events().find((e) => e.reason === 'FailedScheduling')?.message).toBe('running PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded');
    sched.dispose();
  });
});
