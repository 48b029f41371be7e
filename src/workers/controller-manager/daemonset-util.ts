import type { ControllerRevision, DaemonSet, DaemonSetStatus } from 'kubernetes-types/apps/v1';
import type { Node, NodeSelectorTerm, Pod, Toleration } from 'kubernetes-types/core/v1';
import { termsMatch } from '../scheduler/plugins/node-affinity';
import { tolerationsTolerateTaint } from '../scheduler/plugins/taint-toleration';
import { computeHash } from './deployment-util';
import { newControllerRef, podFromTemplate } from './pod-utils';
import { REVISION_LABEL, revisionData } from './statefulset-util';

/** pkg/controller/daemon/util: the pure parts of the DaemonSet controller. */

/** extensions.DaemonSetTemplateGenerationKey: the DaemonSet generation a pod was created from. */
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

const exists = (key: string, effect: 'NoExecute' | 'NoSchedule'): Toleration => ({ key, operator: 'Exists', effect });

/**
 * AddOrUpdateDaemonPodTolerations: not-ready and unreachable (NoExecute, no tolerationSeconds), disk-, memory-,
 * pid-pressure and unschedulable (NoSchedule), network-unavailable (NoSchedule) for hostNetwork pods; a toleration
 * with the same key and effect already present is replaced.
 */
export function daemonTolerations(existing: Toleration[] | undefined, hostNetwork: boolean): Toleration[] {
  const add: Toleration[] = [
    exists('node.kubernetes.io/not-ready', 'NoExecute'),
    exists('node.kubernetes.io/unreachable', 'NoExecute'),
    exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
  ];
  if (hostNetwork) add.push(exists('node.kubernetes.io/network-unavailable', 'NoSchedule'));
  const out = [...(existing ?? [])];
  for (const t of add) {
    const i = out.findIndex((o) => o.key === t.key && o.effect === t.effect);
    if (i >= 0) out[i] = t;
    else out.push(t);
  }
  return out;
}

/** The ControllerRevision hash of a DaemonSet's template (ComputeHash(template, collisionCount)). */
export const daemonSetHash = (ds: DaemonSet) => computeHash(ds.spec?.template, ds.status?.collisionCount);

/** A DaemonSet ControllerRevision: `<ds>-<hash>`, labelled with the template labels and controller-revision-hash. */
export function newDaemonSetRevision(ds: DaemonSet, revision: number): ControllerRevision {
  const hash = daemonSetHash(ds);
  const labels = { ...(ds.spec?.template?.metadata?.labels ?? {}), [REVISION_LABEL]: hash };
  return { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: `${ds.metadata?.name}-${hash}`, namespace: ds.metadata?.namespace, labels, ...(ds.metadata?.annotations ? { annotations: { ...ds.metadata.annotations } } : {}), ownerReferences: [newControllerRef(ds, 'apps/v1', 'DaemonSet')] }, data: revisionData(ds), revision };
}

/**
 * NodeShouldRunDaemonPod: [shouldRun, shouldContinueRunning]. The pod must match the node's labels (nodeSelector
 * and required node affinity) and tolerate its NoSchedule/NoExecute taints to run; to keep running only the
 * selectors and NoExecute taints count.
 */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): [boolean, boolean] {
  const spec = ds.spec?.template?.spec;
  const labels = node.metadata?.labels ?? {};
  const name = node.metadata?.name ?? '';
  if (!Object.entries(spec?.nodeSelector ?? {}).every(([k, v]) => labels[k] === v)) return [false, false];
  const terms = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms && !termsMatch(terms, labels, name)) return [false, false];
  const tolerations = daemonTolerations(spec?.tolerations, !!spec?.hostNetwork);
  const untolerated = (effects: string[]) => (node.spec?.taints ?? []).some((t) => effects.includes(t.effect) && !tolerationsTolerateTaint(tolerations, t));
  if (untolerated(['NoExecute'])) return [false, false];
  return [!untolerated(['NoSchedule']), true];
}

/** The node a daemon pod targets: spec.nodeName, else its node-affinity matchFields metadata.name In [node]. */
export function targetNodeOf(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const t of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    const f = t.matchFields?.find((r) => r.key === 'metadata.name' && r.operator === 'In' && r.values?.length === 1);
    if (f) return f.values![0];
  }
  return undefined;
}

/**
 * The daemon pod for a node: the template with the daemon tolerations, the controller-revision-hash and
 * pod-template-generation labels, and every required node-affinity term's matchFields replaced by
 * metadata.name In [node] (ReplaceDaemonSetPodNodeNameNodeAffinity).
 */
export function newDaemonPod(ds: DaemonSet, node: string, hash: string): Pod {
  const pod = podFromTemplate(ds.spec?.template, ds.metadata?.namespace ?? 'default', ds.metadata?.name ?? '', newControllerRef(ds, 'apps/v1', 'DaemonSet'));
  pod.metadata!.labels = { ...(pod.metadata!.labels ?? {}), [REVISION_LABEL]: hash, [TEMPLATE_GENERATION_LABEL]: String(ds.metadata?.generation ?? 1) };
  const spec = pod.spec!;
  spec.tolerations = daemonTolerations(spec.tolerations, !!spec.hostNetwork);
  const field = { key: 'metadata.name', operator: 'In', values: [node] };
  const old = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const terms: NodeSelectorTerm[] = old.length ? old.map((t) => ({ ...t, matchFields: [field] })) : [{ matchFields: [field] }];
  spec.affinity = { ...(spec.affinity ?? {}), nodeAffinity: { ...(spec.affinity?.nodeAffinity ?? {}), requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } };
  return pod;
}

/** Omitempty as DaemonSetStatus: the four always-written counts, the rest only when non-zero. */
export function compactDaemonStatus(s: DaemonSetStatus): DaemonSetStatus {
  const out: DaemonSetStatus = { currentNumberScheduled: s.currentNumberScheduled, numberMisscheduled: s.numberMisscheduled, desiredNumberScheduled: s.desiredNumberScheduled, numberReady: s.numberReady };
  for (const k of ['observedGeneration', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable', 'collisionCount'] as const) if (s[k]) out[k] = s[k];
  if (s.conditions?.length) out.conditions = s.conditions;
  return out;
}
