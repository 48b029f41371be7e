import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { quantityValue } from '../../api/quantity';

/** The pure parts of the persistentvolume binder and the local-path provisioner. */

export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
export const SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
export const STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
export const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';

/** kind's default StorageClass. */
export function standardStorageClass(): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'standard', annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } },
    provisioner: LOCAL_PATH_PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  };
}

/** GetDefaultClass: the newest class annotated default (by creationTimestamp, then name). */
export function defaultClass(classes: StorageClass[]): StorageClass | undefined {
  return classes
    .filter((c) => c.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true')
    .sort((a, b) => (b.metadata?.creationTimestamp ?? '').localeCompare(a.metadata?.creationTimestamp ?? '') || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))[0];
}

export const classOf = (o: PersistentVolume | PersistentVolumeClaim) => o.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? o.spec?.storageClassName ?? '';

/**
 * findMatchingVolume for an unbound claim: an unclaimed (or pre-bound to this claim) Available volume of the
 * claim's class with every requested access mode and at least the requested storage, smallest first; a volume
 * pre-bound by claimRef to this claim always wins. accept narrows the candidates further (the scheduler: PV node
 * affinity against a node, volumes already chosen or assumed).
 */
export function findMatchingVolume(claim: PersistentVolumeClaim, volumes: PersistentVolume[], accept: (pv: PersistentVolume) => boolean = () => true): PersistentVolume | undefined {
  const want = quantityValue(String(claim.spec?.resources?.requests?.storage ?? '0'));
  const modes = claim.spec?.accessModes ?? [];
  const mine = (pv: PersistentVolume) => pv.spec?.claimRef?.name === claim.metadata?.name && pv.spec?.claimRef?.namespace === claim.metadata?.namespace && (!pv.spec?.claimRef?.uid || pv.spec.claimRef.uid === claim.metadata?.uid);
  const fits = (pv: PersistentVolume) =>
    !pv.metadata?.deletionTimestamp &&
    accept(pv) &&
    classOf(pv) === classOf(claim) &&
    (pv.spec?.volumeMode ?? 'Filesystem') === (claim.spec?.volumeMode ?? 'Filesystem') &&
    modes.every((m) => pv.spec?.accessModes?.includes(m)) &&
    quantityValue(String(pv.spec?.capacity?.storage ?? '0')) >= want;
  const pre = volumes.find((pv) => mine(pv) && fits(pv));
  if (pre) return pre;
  return volumes.filter((pv) => !pv.spec?.claimRef && (pv.status?.phase ?? 'Available') === 'Available' && fits(pv)).sort((a, b) => quantityValue(String(a.spec?.capacity?.storage)) - quantityValue(String(b.spec?.capacity?.storage)))[0];
}

/** The volume local-path-provisioner makes for a claim on a node: `pvc-<claim uid>`, a hostPath pinned to the node. */
export function localPathVolume(claim: PersistentVolumeClaim, sc: StorageClass, node: string): PersistentVolume {
  const name = `pvc-${claim.metadata?.uid}`;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { [PROVISIONED_BY]: sc.provisioner, 'local.path.provisioner/selected-node': node } },
    spec: {
      accessModes: claim.spec?.accessModes,
      capacity: { storage: claim.spec?.resources?.requests?.storage ?? '0' },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: claim.metadata?.name, namespace: claim.metadata?.namespace, uid: claim.metadata?.uid, resourceVersion: claim.metadata?.resourceVersion },
      hostPath: { path: `/var/local-path-provisioner/${name}_${claim.metadata?.namespace}_${claim.metadata?.name}`, type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } },
      persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
      storageClassName: sc.metadata?.name,
      volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
    },
  };
}
