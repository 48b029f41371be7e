import { describe, expect, it } from 'vitest';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import { startFakeManager } from '../testing/workload-fixtures';
import { persistentVolumeBinder } from './persistentvolume-binder';

type Fake = Awaited<ReturnType<typeof startFakeManager>>;
const claim = (name: string, extra: object = {}) => ({ metadata: { name, namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem', ...extra }, status: { phase: 'Pending' } });
const pvc = (f: Fake, name: string) => f.api.get('persistentvolumeclaims', 'default', name) as unknown as PersistentVolumeClaim;

describe('persistentvolume-binder', () => {
  it('creates the standard StorageClass and provisions a WaitForFirstConsumer claim once a pod using it is scheduled', async () => {
    const f = await startFakeManager([persistentVolumeBinder()]);
    await f.settle();
    expect(f.api.get('storage.k8s.io/storageclasses', undefined, 'standard')).toMatchObject({ provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer', reclaimPolicy: 'Delete', metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } });
    f.api.put('persistentvolumeclaims', claim('data'));
    await f.settle();
    expect(pvc(f, 'data')).toMatchObject({ spec: { storageClassName: 'standard' }, status: { phase: 'Pending' } });
    expect(f.events().find((e) => e.reason === 'WaitForFirstConsumer')).toMatchObject({ type: 'Normal', message: 'waiting for first consumer to be created before binding', involvedObject: { kind: 'PersistentVolumeClaim', name: 'data' }, source: { component: 'persistentvolume-controller' } });
    expect(f.api.list('persistentvolumes')).toHaveLength(0);
    f.api.put('pods', { metadata: { name: 'user', namespace: 'default' }, spec: { nodeName: 'n2', containers: [], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] } });
    await f.settle();
    const c = pvc(f, 'data');
    const pvName = `pvc-${c.metadata?.uid}`;
    expect(c.spec?.volumeName).toBe(pvName);
    expect(c.metadata?.annotations).toMatchObject({ 'volume.kubernetes.io/selected-node': 'n2', 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes', 'volume.kubernetes.io/storage-provisioner': 'rancher.io/local-path' });
    expect(c.status).toEqual({ phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } });
    const pv = f.api.get('persistentvolumes', undefined, pvName) as unknown as PersistentVolume;
    expect(pv).toMatchObject({ spec: { storageClassName: 'standard', persistentVolumeReclaimPolicy: 'Delete', claimRef: { name: 'data', namespace: 'default', uid: c.metadata?.uid }, nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n2'] }] }] } } }, status: { phase: 'Bound' } });
    const ev = f.events().find((e) => e.reason === 'ProvisioningSucceeded');
    expect(ev).toMatchObject({ message: `Successfully provisioned volume ${pvName}`, source: { component: 'rancher.io/local-path_local-path-provisioner' } });
    // deleting the claim deletes the provisioned volume (reclaimPolicy Delete)
    f.api.remove('persistentvolumeclaims', 'default', 'data');
    await f.settle();
    expect(f.api.list('persistentvolumes')).toHaveLength(0);
    f.cm.dispose();
  });

  it('binds a claim to the smallest matching Available volume and releases it (Retain) when the claim goes', async () => {
    const f = await startFakeManager([persistentVolumeBinder()]);
    const vol = (name: string, size: string) => ({ metadata: { name }, spec: { storageClassName: 'manual', accessModes: ['ReadWriteOnce'], capacity: { storage: size }, hostPath: { path: `/d/${name}` }, persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' }, status: { phase: 'Pending' } });
    f.api.put('persistentvolumes', vol('big', '10Gi'));
    f.api.put('persistentvolumes', vol('small', '2Gi'));
    f.api.put('persistentvolumes', vol('tiny', '500Mi'));
    await f.settle();
    expect(f.api.list('persistentvolumes').map((v) => (v.status as { phase: string }).phase)).toEqual(['Available', 'Available', 'Available']);
    f.api.put('persistentvolumeclaims', claim('c', { storageClassName: 'manual' }));
    await f.settle();
    expect(pvc(f, 'c')).toMatchObject({ spec: { volumeName: 'small' }, status: { phase: 'Bound', capacity: { storage: '2Gi' } } });
    f.api.remove('persistentvolumeclaims', 'default', 'c');
    await f.settle();
    expect(f.api.get('persistentvolumes', undefined, 'small')).toMatchObject({ status: { phase: 'Released' } });
    f.api.put('persistentvolumeclaims', claim('x', { storageClassName: 'gold' }));
    await f.settle();
    expect(f.events().find((e) => e.reason === 'ProvisioningFailed')).toMatchObject({ type: 'Warning', message: 'storageclass.storage.k8s.io "gold" not found' });
    f.cm.dispose();
  });
});
