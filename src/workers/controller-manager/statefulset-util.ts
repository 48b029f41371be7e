import type { ControllerRevision, StatefulSet, StatefulSetStatus } from 'kubernetes-types/apps/v1';
import type { PersistentVolumeClaim, Pod, PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { canonical } from './deployment-util';
import { hashControllerRevision, templatePatchRaw } from './go-hash';
import { newControllerRef, podFromTemplate } from './pod-utils';

/** pkg/controller/statefulset/stateful_set_utils.go: the pure parts of the StatefulSet controller. */

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
/** apps.ControllerRevisionHashLabelKey: on pods (and DaemonSet pods) the name of their ControllerRevision. */
export const REVISION_LABEL = 'controller-revision-hash';
/** ControllerRevisionHashLabel on the ControllerRevision itself: the bare hash. */
export const REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';

/** The ordinal of a pod named `<parent>-<n>` (n a non-negative decimal), or -1. */
export function ordinalOf(parent: string, podName: string | undefined): number {
  if (!podName?.startsWith(`${parent}-`)) return -1;
  const rest = podName.slice(parent.length + 1);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : -1;
}

export const startOrdinal = (set: StatefulSet) => set.spec?.ordinals?.start ?? 0;
export const replicasOf = (set: StatefulSet) => set.spec?.replicas ?? 1;
export const claimName = (template: string, set: string, ordinal: number) => `${template}-${set}-${ordinal}`;

/** The volume-claim labels kube gives a claim: the template's labels plus the set's selector matchLabels. */
export function newClaim(set: StatefulSet, tpl: PersistentVolumeClaim, ordinal: number): PersistentVolumeClaim {
  const name = set.metadata?.name ?? '';
  const labels = { ...(tpl.metadata?.labels ?? {}), ...(set.spec?.selector?.matchLabels ?? {}) };
  const claim: PersistentVolumeClaim = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: claimName(tpl.metadata?.name ?? '', name, ordinal), namespace: set.metadata?.namespace, labels },
    spec: structuredClone(tpl.spec ?? {}),
  };
  if (tpl.metadata?.annotations) claim.metadata!.annotations = { ...tpl.metadata.annotations };
  if (set.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete') {
    claim.metadata!.ownerReferences = [newControllerRef(set, 'apps/v1', 'StatefulSet')];
  }
  return claim;
}

/**
 * newVersionedStatefulSetPod: the template of `revision`'s set as pod `<set>-<ordinal>`, with the pod-name,
 * pod-index and controller-revision-hash labels, hostname/subdomain, and one persistentVolumeClaim volume per
 * volumeClaimTemplate (replacing a template volume of the same name).
 */
export function newStatefulSetPod(set: StatefulSet, template: PodTemplateSpec | undefined, ordinal: number, revisionName: string): Pod {
  const name = set.metadata?.name ?? '';
  const pod = podFromTemplate(template, set.metadata?.namespace ?? 'default', name, newControllerRef(set, 'apps/v1', 'StatefulSet'));
  const podName = `${name}-${ordinal}`;
  delete pod.metadata!.generateName;
  pod.metadata!.name = podName;
  pod.metadata!.labels = { ...(pod.metadata!.labels ?? {}), [POD_NAME_LABEL]: podName, [POD_INDEX_LABEL]: String(ordinal), [REVISION_LABEL]: revisionName };
  const spec = pod.spec!;
  spec.hostname = podName;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  const claims = set.spec?.volumeClaimTemplates ?? [];
  if (claims.length) {
    const ours = claims.map((c) => ({ name: c.metadata?.name ?? '', persistentVolumeClaim: { claimName: claimName(c.metadata?.name ?? '', name, ordinal) } }));
    spec.volumes = [...ours, ...(spec.volumes ?? []).filter((v) => !ours.some((o) => o.name === v.name))];
  }
  return pod;
}

/**
 * getPatch: the revision data, `{"spec":{"template":{…,"$patch":"replace"}}}` where the template is Go's
 * encoding/json of the typed template (creationTimestamp null, resources {}, canonical quantities, sorted keys):
 * `raw` is data.Raw byte for byte, `data` its parse (what the apiserver stores and serves).
 */
export function revisionPatch(set: { spec?: { template?: PodTemplateSpec } }): { raw: string; data: object } {
  const raw = templatePatchRaw(set.spec?.template);
  return { raw, data: JSON.parse(raw) as object };
}

export const revisionData = (set: { spec?: { template?: PodTemplateSpec } }): object => revisionPatch(set).data;

/** The template a revision's data records. */
export function templateOfRevision(rev: ControllerRevision): PodTemplateSpec | undefined {
  const t = (rev.data as { spec?: { template?: PodTemplateSpec & { $patch?: string } } } | undefined)?.spec?.template;
  if (!t) return undefined;
  const { $patch: _, ...rest } = t;
  return rest;
}

/**
 * history.NewControllerRevision: named `<set>-<hash>` where hash is HashControllerRevision(data.Raw, collisionCount)
 * (FNV-32 of the patch bytes, then the count's decimal), labelled with the template labels and the hash; a
 * StatefulSet's annotations are copied onto it.
 */
export function newRevision(set: StatefulSet, revision: number, collisionCount: number, apiVersion = 'apps/v1', kind = 'StatefulSet'): ControllerRevision {
  const { raw, data } = revisionPatch(set);
  const hash = hashControllerRevision(raw, collisionCount);
  const labels = { ...(set.spec?.template?.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash };
  const ref: OwnerReference = newControllerRef(set, apiVersion, kind);
  const annotations = set.metadata?.annotations ? { annotations: { ...set.metadata.annotations } } : {};
  return { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: `${(set.metadata?.name ?? '').slice(0, 223)}-${hash}`, namespace: set.metadata?.namespace, labels, ...annotations, ownerReferences: [ref] }, data, revision };
}

export const sameData = (a: ControllerRevision, b: ControllerRevision) => canonical(a.data) === canonical(b.data);

/** Drops zero counts (omitempty) except replicas, availableReplicas and collisionCount, which kube always writes. */
export function compactSetStatus(s: StatefulSetStatus): StatefulSetStatus {
  const out: StatefulSetStatus = { replicas: s.replicas };
  for (const k of ['observedGeneration', 'readyReplicas', 'currentReplicas', 'updatedReplicas'] as const) if (s[k]) out[k] = s[k];
  if (s.currentRevision) out.currentRevision = s.currentRevision;
  if (s.updateRevision) out.updateRevision = s.updateRevision;
  out.collisionCount = s.collisionCount ?? 0;
  out.availableReplicas = s.availableReplicas ?? 0;
  if (s.conditions?.length) out.conditions = s.conditions;
  return out;
}
