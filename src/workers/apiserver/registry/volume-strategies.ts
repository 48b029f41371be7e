import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import { PersistentVolumeClaims, PersistentVolumes } from '../../../api/resources';
import { forbidden, notSupported, required, type FieldError } from '../field-errors';
import { age, defineStrategy, named } from './define-strategy';
import { ageColumn, column, type KubeObject } from './strategy';

/** core/v1 PersistentVolume (cluster-scoped) and PersistentVolumeClaim, both with status (phase Pending on create). */

const as = <T>(o: KubeObject) => o as unknown as T;
const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const SHORT_MODES: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };
const VOLUME_SOURCES = ['hostPath', 'local', 'nfs', 'csi', 'iscsi', 'fc', 'rbd', 'cephfs', 'cinder', 'flexVolume', 'azureFile', 'azureDisk', 'gcePersistentDisk', 'awsElasticBlockStore', 'glusterfs', 'vsphereVolume', 'quobyte', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos', 'flocker'];
const STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

/** GetAccessModesAsString: RWO,ROX,RWX,RWOP in that order, each once. */
function accessModes(modes: string[] | undefined): string {
  return ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'].filter((m) => modes?.includes(m)).map((m) => SHORT_MODES[m]).join(',');
}

function validateAccessModes(modes: string[] | undefined, path: string): FieldError[] {
  if (!modes?.length) return [required(path, 'at least 1 access mode is required')];
  return modes.filter((m) => !ACCESS_MODES.includes(m)).map((m) => notSupported(path, m, ACCESS_MODES));
}

const storageClassOf = (o: PersistentVolume | PersistentVolumeClaim) => o.metadata?.annotations?.[STORAGE_CLASS_ANNOTATION] ?? o.spec?.storageClassName ?? '';

export const persistentVolumeStrategy = defineStrategy({
  ref: PersistentVolumes,
  singularName: 'persistentvolume',
  shortNames: ['pv'],
  status: true,
  initialStatus: () => ({ phase: 'Pending' }),
  defaults(o) {
    const spec = (as<PersistentVolume>(o).spec ??= {});
    spec.persistentVolumeReclaimPolicy ??= 'Retain';
    spec.volumeMode ??= 'Filesystem';
  },
  validate(o) {
    const spec = as<PersistentVolume>(o).spec ?? {};
    const errs = validateAccessModes(spec.accessModes, 'spec.accessModes');
    if (!spec.capacity || !Object.keys(spec.capacity).length) errs.push(required('spec.capacity'));
    const sources = VOLUME_SOURCES.filter((k) => (spec as Record<string, unknown>)[k] !== undefined);
    if (!sources.length) errs.push(required('spec', 'must specify a volume type'));
    else if (sources.length > 1) errs.push(forbidden(`spec.${sources[1]}`, 'may not specify more than 1 volume type'));
    const rp = spec.persistentVolumeReclaimPolicy;
    if (rp && !['Delete', 'Recycle', 'Retain'].includes(rp)) errs.push(notSupported('spec.persistentVolumeReclaimPolicy', rp, ['Delete', 'Recycle', 'Retain']));
    return errs;
  },
  selectableFields: (o) => ({ name: o.metadata?.name ?? '' }),
  columns: [
    column('Capacity', 'string', 'capacity is the description of the persistent volume\'s resources and capacity.'),
    column('Access Modes', 'string', 'accessModes contains all ways the volume can be mounted.'),
    column('Reclaim Policy', 'string', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'),
    column('Status', 'string', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    column('Claim', 'string', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
    column('StorageClass', 'string', 'StorageClass of the pv'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    column('Reason', 'string', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
    ageColumn,
    column('VolumeMode', 'string', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.', 1),
  ],
  row(o, now) {
    const pv = as<PersistentVolume>(o);
    const ref = pv.spec?.claimRef;
    const claim = ref ? `${ref.namespace}/${ref.name}` : '';
    const phase = pv.metadata?.deletionTimestamp ? 'Terminating' : pv.status?.phase ?? '';
    return named(
      o,
      String(pv.spec?.capacity?.storage ?? ''),
      accessModes(pv.spec?.accessModes),
      pv.spec?.persistentVolumeReclaimPolicy ?? '',
      phase,
      claim,
      storageClassOf(pv),
      pv.spec?.volumeAttributesClassName ?? '<unset>',
      pv.status?.reason ?? '',
      age(o, now),
      pv.spec?.volumeMode ?? '<unset>',
    );
  },
});

export const persistentVolumeClaimStrategy = defineStrategy({
  ref: PersistentVolumeClaims,
  singularName: 'persistentvolumeclaim',
  shortNames: ['pvc'],
  status: true,
  initialStatus: () => ({ phase: 'Pending' }),
  defaults(o) {
    (as<PersistentVolumeClaim>(o).spec ??= {}).volumeMode ??= 'Filesystem';
  },
  validate(o) {
    const spec = as<PersistentVolumeClaim>(o).spec ?? {};
    const errs = validateAccessModes(spec.accessModes, 'spec.accessModes');
    if (spec.resources?.requests?.storage === undefined) errs.push(required('spec.resources[storage]'));
    return errs;
  },
  validateUpdate(o, old) {
    const prev = as<PersistentVolumeClaim>(old);
    const next = as<PersistentVolumeClaim>(o);
    // RetroactiveDefaultStorageClass (GA): an unset storageClassName may be set once (the PV controller writes the default class).
    const classFromNil = prev.spec?.storageClassName == null && prev.metadata?.annotations?.[STORAGE_CLASS_ANNOTATION] === undefined && !!next.spec?.storageClassName;
    const strip = (c: PersistentVolumeClaim) => {
      const spec = structuredClone(c.spec ?? {}) as Record<string, unknown> & { resources?: { requests?: unknown } };
      if (spec.resources) delete spec.resources.requests;
      if (classFromNil) delete spec.storageClassName;
      if (!(c.spec?.volumeName ?? '') || !(as<PersistentVolumeClaim>(old).spec?.volumeName ?? '')) delete spec.volumeName;
      return JSON.stringify(spec);
    };
    if (strip(as<PersistentVolumeClaim>(o)) === strip(as<PersistentVolumeClaim>(old))) return [];
    return [forbidden('spec', 'spec is immutable after creation except resources.requests for bound claims')];
  },
  columns: [
    column('Status', 'string', 'phase represents the current phase of PersistentVolumeClaim.'),
    column('Volume', 'string', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    column('Capacity', 'string', 'capacity represents the actual resources of the underlying volume.'),
    column('Access Modes', 'string', 'accessModes contains the actual access modes the volume backing the PVC has.'),
    column('StorageClass', 'string', 'StorageClass of the pvc'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    ageColumn,
    column('VolumeMode', 'string', 'volumeMode defines what type of volume is required by the claim.', 1),
  ],
  row(o, now) {
    const pvc = as<PersistentVolumeClaim>(o);
    const bound = !!pvc.spec?.volumeName;
    const phase = pvc.metadata?.deletionTimestamp ? 'Terminating' : pvc.status?.phase ?? '';
    return named(
      o,
      phase,
      pvc.spec?.volumeName ?? '',
      bound ? String(pvc.status?.capacity?.storage ?? '') : '',
      bound ? accessModes(pvc.status?.accessModes) : '',
      storageClassOf(pvc),
      pvc.spec?.volumeAttributesClassName ?? '<unset>',
      age(o, now),
      pvc.spec?.volumeMode ?? '<unset>',
    );
  },
});
