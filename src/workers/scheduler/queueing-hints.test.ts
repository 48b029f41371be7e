import { describe, expect, it } from 'vitest';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { FakeClock, seededIds } from '../../api';
import { ApiClient } from '../../client/api-client';
import { FakeApiHandler } from '../../client/testing/fake-api-handler';
import { startScheduler } from './scheduler';

const node = (name: string, cpu: string, labels: Record<string, string> = {}): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
  spec: {},
  status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { cpu, memory: '8Gi', pods: '110' } },
});
const pod = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '100m' } } }], ...spec },
  status: { phase: 'Pending' },
});
const claim = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default', ...extra },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'fast' },
  status: { phase: 'Pending' },
});

async function setup(nodes: Node[]) {
  const api = new FakeApiHandler();
  const clock = new FakeClock();
  for (const n of nodes) api.put('nodes', n as never);
  api.put('storage.k8s.io/storageclasses', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, provisioner: 'example.com/csi', volumeBindingMode: 'Immediate' });
  const sched = startScheduler({ client: new ApiClient(api), clock, ids: seededIds() });
  await sched.ready;
  const nodeOf = (name: string) => (api.get('pods', 'default', name) as unknown as Pod | undefined)?.spec?.nodeName;
  const attemptedAt = (name: string) => sched.explain('default', name)?.attemptedAt;
  return { api, clock, sched, nodeOf, attemptedAt };
}

describe('scheduler queueing hints', () => {
  it('a volume event does not move a pod rejected only by NodeResourcesFit; a node update with more allocatable does', async () => {
    const { api, clock, sched, nodeOf, attemptedAt } = await setup([node('w1', '1')]);
    api.put('pods', pod('big', { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '2' } } }] }));
    await clock.advance(10);
    const first = attemptedAt('big');
    expect(first).toBeDefined();
    expect(sched.explain('default', 'big')?.message).toBe('0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');

    // PVC, PV and StorageClass events, a node label change and an allocatable decrease: none may help.
    api.put('persistentvolumeclaims', claim('unrelated'));
    api.put('persistentvolumes', { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-1' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] } });
    api.put('storage.k8s.io/storageclasses', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'slow' }, provisioner: 'example.com/csi' });
    api.put('nodes', node('w1', '1', { zone: 'a' }) as never);
    api.put('nodes', node('w1', '500m', { zone: 'a' }) as never);
    await clock.advance(15_000);
    expect(attemptedAt('big')).toBe(first);
    expect(nodeOf('big')).toBeUndefined();

    // More allocatable cpu on the node: requeued (after its backoff) and bound.
    api.put('nodes', node('w1', '4', { zone: 'a' }) as never);
    await clock.advance(10);
    expect(nodeOf('big')).toBe('w1');
    sched.dispose();
  });

  it('an assigned pod deleted moves a pod rejected by NodeResourcesFit; a node that still cannot fit it does not', async () => {
    const { api, clock, sched, nodeOf, attemptedAt } = await setup([node('w1', '1')]);
    api.put('pods', pod('hog', { nodeName: 'w1', containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '900m' } } }] }));
    api.put('pods', pod('web', { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '500m' } } }] }));
    await clock.advance(10);
    const first = attemptedAt('web');
    expect(nodeOf('web')).toBeUndefined();
    api.put('nodes', node('w2', '200m') as never);
    await clock.advance(15_000);
    expect(attemptedAt('web')).toBe(first);
    api.remove('pods', 'default', 'hog');
    await clock.advance(10);
    expect(nodeOf('web')).toBe('w1');
    sched.dispose();
  });

  it('a PVC bound moves a pod rejected by VolumeBinding; another claim changing does not', async () => {
    const { api, clock, sched, nodeOf, attemptedAt } = await setup([node('w1', '4')]);
    api.put('persistentvolumes', { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-data' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'fast' } });
    api.put('persistentvolumeclaims', claim('data'));
    api.put('pods', pod('db', { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] }));
    await clock.advance(10);
    const first = attemptedAt('db');
    expect(sched.explain('default', 'db')?.diagnosis.preFilter?.plugin).toBe('VolumeBinding');

    api.put('persistentvolumeclaims', claim('other'));
    await clock.advance(15_000);
    expect(attemptedAt('db')).toBe(first);

    const c = claim('data', { annotations: { 'pv.kubernetes.io/bind-completed': 'yes' } });
    api.put('persistentvolumeclaims', { ...c, spec: { ...c.spec, volumeName: 'pv-data' }, status: { phase: 'Bound' } });
    await clock.advance(10);
    expect(nodeOf('db')).toBe('w1');
    sched.dispose();
  });

  it('a pod no plugin rejected (no nodes) moves on any event', async () => {
    const { api, clock, sched, attemptedAt } = await setup([]);
    api.put('pods', pod('lonely'));
    await clock.advance(10);
    const first = attemptedAt('lonely');
    expect(sched.explain('default', 'lonely')?.message).toBe('no nodes available to schedule pods');
    api.put('persistentvolumeclaims', claim('unrelated'));
    await clock.advance(15_000);
    expect(attemptedAt('lonely')).toBeGreaterThan(first!);
    sched.dispose();
  });
});
