import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { metaKey, objectKey, PersistentVolumeClaims, PersistentVolumes, Pods, StorageClasses } from '../../../api/resources';
import { ApiError } from '../../../api/status';
import { createEventRecorder } from '../../../client/event-recorder';
import type { ControllerContext, ControllerDef, ControllerDescriptor } from '../controller-context';
import {
  BETA_STORAGE_PROVISIONER, BIND_COMPLETED, BOUND_BY_CONTROLLER, classOf, defaultClass, findMatchingVolume, LOCAL_PATH_PROVISIONER, localPathVolume, PROVISIONED_BY, SELECTED_NODE, standardStorageClass, STORAGE_PROVISIONER,
} from '../volume-util';

const isCode = (err: unknown, ...codes: number[]) => err instanceof ApiError && codes.includes(err.code);
const ENSURE_CLASS = '@default-storage-class';
const claimsOf = (pod: Pod) => (pod.spec?.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName).filter((n): n is string => !!n);

/**
 * persistentvolume-binder-controller (pkg/controller/volume/persistentvolume) with kind's local-path provisioner
 * built in. Keys: a claim's "ns/name", a volume's "PV/<name>" (upper case: never a namespace), and one start-up
 * key that creates kind's default StorageClass `standard` (rancher.io/local-path, WaitForFirstConsumer, Delete) when no default class exists.
 * Per claim:
 * - bound (spec.volumeName): finishes the bind (volume claimRef + phase Bound, claim annotations and status
 *   Bound with the volume's capacity and access modes); a bound claim whose volume is gone becomes Lost
 *   (Warning ClaimLost "Bound claim has lost its PersistentVolume. Data on the volume is lost!");
 * - a nil storageClassName gets the default class written (retroactive default class; an apiserver refusing
 *   the update only means the default is used in memory);
 * - binds to the smallest matching Available volume (WaitForFirstConsumer: only one pre-bound to it, as the
 *   scheduler's VolumeBinding pre-binds by claimRef), else provisions: WaitForFirstConsumer waits (Normal
 *   WaitForFirstConsumer "waiting for first consumer to be created before binding") until a pod using the claim
 *   is bound to a node, records it in volume.kubernetes.io/selected-node, then rancher.io/local-path makes
 *   `pvc-<uid>` (Provisioning / ProvisioningSucceeded from that provisioner); other provisioners are waited on
 *   (Normal ExternalProvisioning). A missing class is Warning ProvisioningFailed; no class FailedBinding.
 * Per volume: no claimRef → Available; claimRef to a claim that is gone → deleted when reclaimPolicy Delete and it
 * was provisioned here, else Released. Conflicts requeue; API errors other than 404/409 are retried.
 */
export function persistentVolumeBinder(): ControllerDescriptor {
  return {
    name: 'persistentvolume-binder-controller',
    component: 'persistentvolume-controller',
    requires: [PersistentVolumes, PersistentVolumeClaims, StorageClasses],
    setup(ctx: ControllerContext): ControllerDef {
      const claims = ctx.factory.informerFor<PersistentVolumeClaim>(PersistentVolumeClaims);
      const volumes = ctx.factory.informerFor<PersistentVolume>(PersistentVolumes);
      const classes = ctx.factory.informerFor<StorageClass>(StorageClasses);
      const pods = ctx.factory.informerFor<Pod>(Pods);
      const provisioner = createEventRecorder(ctx.client, ctx.clock, ctx.ids, { component: `${LOCAL_PATH_PROVISIONER}_local-path-provisioner` });
      const onClaim = (c: PersistentVolumeClaim) => ctx.queue.add(metaKey(c));
      const onVolume = (pv: PersistentVolume) => {
        ctx.queue.add(`PV/${pv.metadata?.name}`);
        const ref = pv.spec?.claimRef;
        if (ref?.name) ctx.queue.add(objectKey(ref.namespace, ref.name));
      };
      const onPod = (p: Pod) => {
        if (p.spec?.nodeName) for (const c of claimsOf(p)) ctx.queue.add(objectKey(p.metadata?.namespace, c));
      };
      const subs = [
        claims.addEventHandler({ onAdd: onClaim, onUpdate: (_a, c) => onClaim(c), onDelete: (c) => volumes.lister().list().filter((pv) => pv.spec?.claimRef?.uid === c.metadata?.uid).forEach(onVolume) }),
        volumes.addEventHandler({ onAdd: onVolume, onUpdate: (_a, pv) => onVolume(pv), onDelete: onVolume }),
        classes.addEventHandler({ onAdd: () => claims.lister().list().filter((c) => !c.spec?.volumeName).forEach(onClaim), onDelete: () => ctx.queue.add(ENSURE_CLASS) }),
        pods.addEventHandler({ onAdd: onPod, onUpdate: (a, b) => !a.spec?.nodeName && onPod(b) }),
      ];
      ctx.queue.add(ENSURE_CLASS);
      const subject = (c: PersistentVolumeClaim) => ({ kind: 'PersistentVolumeClaim', apiVersion: 'v1', metadata: c.metadata });
      const event = (c: PersistentVolumeClaim, type: 'Normal' | 'Warning', reason: string, msg: string) => ctx.recorder.event(subject(c), type, reason, msg);

      async function ensureDefaultClass() {
        if (defaultClass(classes.lister().list()) || classes.lister().get('standard')) return;
        await ctx.client.create(StorageClasses, standardStorageClass()).catch((err) => {
          if (!isCode(err, 409)) throw err;
        });
      }

      async function bind(claim: PersistentVolumeClaim, pv: PersistentVolume, provisionedBy?: string) {
        const ref = pv.spec?.claimRef;
        if (ref?.uid !== claim.metadata?.uid) {
          pv = await ctx.client.update(PersistentVolumes, { ...pv, spec: { ...pv.spec, claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: claim.metadata?.name, namespace: claim.metadata?.namespace, uid: claim.metadata?.uid, resourceVersion: claim.metadata?.resourceVersion } } });
        }
        if (pv.status?.phase !== 'Bound') pv = await ctx.client.update(PersistentVolumes, { ...pv, status: { ...pv.status, phase: 'Bound' } }, 'status');
        if (!claim.spec?.volumeName || claim.metadata?.annotations?.[BIND_COMPLETED] !== 'yes') {
          const annotations: Record<string, string> = { ...(claim.metadata?.annotations ?? {}), [BIND_COMPLETED]: 'yes' };
          if (!claim.spec?.volumeName) annotations[BOUND_BY_CONTROLLER] = 'yes';
          if (provisionedBy) annotations[STORAGE_PROVISIONER] = annotations[BETA_STORAGE_PROVISIONER] = provisionedBy;
          claim = await ctx.client.update(PersistentVolumeClaims, { ...claim, metadata: { ...claim.metadata, annotations }, spec: { ...claim.spec, volumeName: pv.metadata?.name } });
        }
        if (claim.status?.phase !== 'Bound') {
          await ctx.client.update(PersistentVolumeClaims, { ...claim, status: { ...claim.status, phase: 'Bound', accessModes: pv.spec?.accessModes, capacity: pv.spec?.capacity } }, 'status');
        }
      }

      async function syncClaim(key: string) {
        let claim = claims.lister().get(key);
        if (!claim || claim.metadata?.deletionTimestamp) return;
        if (claim.spec?.volumeName) {
          const pv = volumes.lister().get(claim.spec.volumeName);
          if (pv) return bind(claim, pv);
          if (claim.status?.phase === 'Bound') {
            await ctx.client.update(PersistentVolumeClaims, { ...claim, status: { ...claim.status, phase: 'Lost' } }, 'status');
            event(claim, 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
          }
          return;
        }
        const dflt = defaultClass(classes.lister().list());
        let className = classOf(claim);
        if (claim.spec?.storageClassName === undefined && !className && dflt) {
          className = dflt.metadata?.name ?? '';
          const withClass = { ...claim, spec: { ...claim.spec, storageClassName: className } };
          claim = await ctx.client.update(PersistentVolumeClaims, withClass).catch((err) => {
            if (isCode(err, 422, 403)) return claim!;
            throw err;
          });
        }
        const sc = className ? classes.lister().get(className) : undefined;
        // WaitForFirstConsumer (delay binding): the scheduler's VolumeBinding picks an unclaimed volume for the pod's node
        // and writes its claimRef, or sets selected-node for provisioning; only a volume pre-bound to the claim binds here.
        const delayed = sc?.volumeBindingMode === 'WaitForFirstConsumer';
        const pv = findMatchingVolume({ ...claim, spec: { ...claim.spec, storageClassName: className } }, volumes.lister().list(), delayed ? (v) => !!v.spec?.claimRef : undefined);
        if (pv) return bind(claim, pv);
        if (!className) return event(claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
        if (!sc) return event(claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
        let node = claim.metadata?.annotations?.[SELECTED_NODE];
        if (sc.volumeBindingMode === 'WaitForFirstConsumer' && !node) {
          const consumer = pods.lister().list(claim.metadata?.namespace).find((p) => p.spec?.nodeName && !p.metadata?.deletionTimestamp && claimsOf(p).includes(claim!.metadata?.name ?? ''));
          if (!consumer) return event(claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
          node = consumer.spec!.nodeName!;
          claim = await ctx.client.update(PersistentVolumeClaims, { ...claim, metadata: { ...claim.metadata, annotations: { ...(claim.metadata?.annotations ?? {}), [SELECTED_NODE]: node } } });
        }
        event(claim, 'Normal', 'ExternalProvisioning', `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`);
        if (sc.provisioner !== LOCAL_PATH_PROVISIONER) return;
        node ??= pods.lister().list().find((p) => p.spec?.nodeName)?.spec?.nodeName ?? 'tabernetes-control-plane';
        provisioner.event(subject(claim), 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${claim.metadata?.namespace}/${claim.metadata?.name}"`);
        let created: PersistentVolume;
        try {
          created = await ctx.client.create(PersistentVolumes, localPathVolume(claim, sc, node));
        } catch (err) {
          if (!isCode(err, 409)) throw err;
          created = await ctx.client.get<PersistentVolume>(PersistentVolumes, `pvc-${claim.metadata?.uid}`);
        }
        provisioner.event(subject(claim), 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${created.metadata?.name}`);
        await bind(claim, created, sc.provisioner);
      }

      async function syncVolume(name: string) {
        const pv = volumes.lister().get(name);
        if (!pv || pv.metadata?.deletionTimestamp) return;
        const ref = pv.spec?.claimRef;
        if (!ref) {
          if (pv.status?.phase !== 'Available') await ctx.client.update(PersistentVolumes, { ...pv, status: { ...pv.status, phase: 'Available' } }, 'status');
          return;
        }
        const claim = claims.lister().get(objectKey(ref.namespace, ref.name ?? ''));
        if (claim && (!ref.uid || claim.metadata?.uid === ref.uid)) return;
        if (!ref.uid) return; // pre-bound to a claim not yet created
        if (pv.spec?.persistentVolumeReclaimPolicy === 'Delete' && pv.metadata?.annotations?.[PROVISIONED_BY] === LOCAL_PATH_PROVISIONER) {
          await ctx.client.delete(PersistentVolumes, name).catch((err) => {
            if (!isCode(err, 404)) throw err;
          });
        } else if (pv.status?.phase !== 'Released') await ctx.client.update(PersistentVolumes, { ...pv, status: { ...pv.status, phase: 'Released' } }, 'status');
      }

      async function reconcile(key: string) {
        try {
          if (key === ENSURE_CLASS) return await ensureDefaultClass();
          if (key.startsWith('PV/')) return await syncVolume(key.slice(3));
          return await syncClaim(key);
        } catch (err) {
          if (isCode(err, 404)) return;
          if (isCode(err, 409)) return { requeueAfter: 0 };
          throw err;
        }
      }

      return { reconcile, disposables: [...subs, provisioner] };
    },
  };
}
