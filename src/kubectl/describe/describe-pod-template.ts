import type { PodTemplateSpec, TopologySpreadConstraint } from 'kubernetes-types/core/v1';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import { formatLabelSelector, labelSelectorAsSelector } from '../../api/label-selector';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type { PrefixWriter } from './prefix-writer';
import { printAnnotationsMultiline, printLabelsMultiline, printTolerationsMultiline } from './describe-labels';
import { describeContainers, describeVolumes } from './describe-pod';

/** kubectl's DescribePodTemplate: labels, containers and volumes indented two spaces under "Pod Template:". */
export function describePodTemplate(template: PodTemplateSpec | undefined, w: PrefixWriter): void {
  w.write(0, 'Pod Template:\n');
  if (!template) return w.write(1, '<unset>');
  const spec = template.spec ?? { containers: [] };
  printLabelsMultiline(w, '  Labels', template.metadata?.labels);
  if (Object.keys(template.metadata?.annotations ?? {}).length) printAnnotationsMultiline(w, '  Annotations', template.metadata?.annotations);
  if (spec.serviceAccountName) w.write(1, `Service Account:\t${spec.serviceAccountName}\n`);
  if (spec.initContainers?.length) describeContainers(w, 'Init Containers', spec.initContainers, undefined, undefined, '  ');
  describeContainers(w, 'Containers', spec.containers, undefined, undefined, '  ');
  describeVolumes(w, spec.volumes, '  ');
  describeTopologySpreadConstraints(spec.topologySpreadConstraints, w, '  ');
  if (spec.priorityClassName) w.write(1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  printLabelsMultiline(w, '  Node-Selectors', spec.nodeSelector);
  printTolerationsMultiline(w, '  Tolerations', spec.tolerations);
}

/** Sorted by topology key, then whenUnsatisfiable; nothing when empty. */
function describeTopologySpreadConstraints(tscs: TopologySpreadConstraint[] | undefined, w: PrefixWriter, space: string): void {
  if (!tscs?.length) return;
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...tscs].sort((a, b) => cmp(a.topologyKey, b.topologyKey) || cmp(a.whenUnsatisfiable, b.whenUnsatisfiable));
  w.write(0, `${space}Topology Spread Constraints:\t`);
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(0, `${space}\t`);
    const sel = t.labelSelector ? ` for selector ${formatLabelSelector(t.labelSelector)}` : '';
    w.write(0, `${t.topologyKey}:${t.whenUnsatisfiable} when max skew ${t.maxSkew} is exceeded${sel}\n`);
  });
}

/** labels.Selector.String() of a metav1.LabelSelector ("" when it selects nothing or everything). */
export function selectorString(sel: LabelSelector | undefined): string {
  try {
    const s = labelSelectorAsSelector(sel);
    return s === 'nothing' ? '' : s.toString();
  } catch {
    return '';
  }
}

/** printController: "Kind/name" of the controller owner, or undefined. */
export function controlledBy(meta: ObjectMeta | undefined): string | undefined {
  const ref = meta?.ownerReferences?.find((r) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : undefined;
}

/** Conditions table "Type Status Reason" shared by deployments and replica sets (nothing when empty). */
export function describeReasonConditions(conditions: { type: string; status: string; reason?: string }[] | undefined, w: PrefixWriter): void {
  if (!conditions?.length) return;
  w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
  w.write(1, '----\t------\t------\n');
  for (const c of conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
}

/** getPodStatusForController's counts for pods whose controller is uid. */
export interface PodPhaseCounts {
  running: number;
  waiting: number;
  succeeded: number;
  failed: number;
}

export function podPhaseCounts(pods: { metadata?: ObjectMeta; status?: { phase?: string } }[], uid: string | undefined): PodPhaseCounts {
  const c = { running: 0, waiting: 0, succeeded: 0, failed: 0 };
  for (const p of pods) {
    if (!uid || p.metadata?.ownerReferences?.find((r) => r.controller)?.uid !== uid) continue;
    const phase = p.status?.phase;
    if (phase === 'Running') c.running++;
    else if (phase === 'Pending') c.waiting++;
    else if (phase === 'Succeeded') c.succeeded++;
    else if (phase === 'Failed') c.failed++;
  }
  return c;
}

export const formatCounts = (c: PodPhaseCounts) => `${c.running} Running / ${c.waiting} Waiting / ${c.succeeded} Succeeded / ${c.failed} Failed`;
