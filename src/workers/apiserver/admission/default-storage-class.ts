import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { StorageClasses } from '../../../api/resources';
import { listStored, type AdmissionAttributes, type AdmissionPlugin } from './admission';

const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';
const BETA_DEFAULT_CLASS = 'storageclass.beta.kubernetes.io/is-default-class';
const BETA_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

const isDefault = (sc: StorageClass) => sc.metadata?.annotations?.[DEFAULT_CLASS] === 'true' || sc.metadata?.annotations?.[BETA_DEFAULT_CLASS] === 'true';

/** util.GetDefaultClass: among the default-annotated classes, the newest (ties: the lexically first name). */
export async function defaultStorageClass(a: Pick<AdmissionAttributes, 'ctx'>): Promise<StorageClass | undefined> {
  const defaults = (await listStored<StorageClass>(a.ctx, StorageClasses)).filter(isDefault);
  defaults.sort((x, y) => (y.metadata?.creationTimestamp ?? '').localeCompare(x.metadata?.creationTimestamp ?? '') || (x.metadata?.name ?? '').localeCompare(y.metadata?.name ?? ''));
  return defaults[0];
}

/**
 * DefaultStorageClass (plugin/pkg/admission/storage/storageclass/setdefault), on PVC create: a claim with no
 * spec.storageClassName and no volume.beta.kubernetes.io/storage-class annotation gets the default class's name.
 * An explicit "" (no class) is kept. No default class: the claim is left as is (the PV controller may set it later).
 */
export const defaultStorageClassPlugin: AdmissionPlugin = {
  name: 'DefaultStorageClass',
  async admit(a) {
    if (a.operation !== 'CREATE' || a.subresource || a.ref.group !== '' || a.ref.resource !== 'persistentvolumeclaims') return;
    const pvc = a.obj as unknown as PersistentVolumeClaim;
    if (pvc.spec?.storageClassName !== undefined && pvc.spec.storageClassName !== null) return;
    if (pvc.metadata?.annotations?.[BETA_CLASS_ANNOTATION] !== undefined) return;
    const sc = await defaultStorageClass(a);
    if (sc) (pvc.spec ??= {}).storageClassName = sc.metadata!.name!;
  },
};
