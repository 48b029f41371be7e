import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';

/** Kubernetes' podutil/controller helpers the workload controllers share. */

/** The Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Ready for at least minReadySeconds (by the Ready condition's lastTransitionTime) as of now (ms). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const c = pod.status?.conditions?.find((x) => x.type === 'Ready');
  const t = c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return Number.isFinite(t) && t + minReadySeconds * 1000 < now;
}

/** When an unavailable-but-ready pod becomes available (ms), or undefined if it never will by time alone. */
export function podAvailableAt(pod: Pod, minReadySeconds: number): number | undefined {
  const c = pod.status?.conditions?.find((x) => x.type === 'Ready' && x.status === 'True');
  if (!c?.lastTransitionTime || !minReadySeconds) return undefined;
  return Date.parse(c.lastTransitionTime) + minReadySeconds * 1000 + 1;
}

/** controller.IsPodActive: not Succeeded, not Failed, not being deleted. */
export function isPodActive(pod: Pod): boolean {
  return pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed' && !pod.metadata?.deletionTimestamp;
}

/** metav1.GetControllerOf. */
export function controllerRefOf(obj: { metadata?: { ownerReferences?: OwnerReference[] } }): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((o) => o.controller);
}

/** metav1.NewControllerRef: controller=true, blockOwnerDeletion=true. */
export function newControllerRef(owner: { metadata?: { name?: string; uid?: string } }, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata?.name ?? '', uid: owner.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** controller.GetPodFromTemplate: template labels/annotations/finalizers/spec, generateName "<parent>-", the controller ref. */
export function podFromTemplate(template: PodTemplateSpec | undefined, namespace: string, parentName: string, controllerRef: OwnerReference): Pod {
  const m = template?.metadata ?? {};
  const metadata: Pod['metadata'] = { generateName: `${parentName}-`, namespace, ownerReferences: [controllerRef] };
  if (m.labels) metadata.labels = { ...m.labels };
  if (m.annotations) metadata.annotations = { ...m.annotations };
  if (m.finalizers) metadata.finalizers = [...m.finalizers];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: structuredClone(template?.spec ?? { containers: [] }) };
}
