import type { Event, LimitRange, ResourceQuota } from 'kubernetes-types/core/v1';
import type { HorizontalPodAutoscaler, HPAScalingRules } from 'kubernetes-types/autoscaling/v2';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import { formatLabels } from '../printers/table-printer';
import { PrefixWriter } from './prefix-writer';
import { describeEvents } from './describe-events';
import { printAnnotationsMultiline, printLabelsMultiline } from './describe-labels';
import { rfc1123z } from './describe-pod';
import { selectorString } from './describe-pod-template';

function directionBehavior(w: PrefixWriter, direction: string, rules: HPAScalingRules | undefined): void {
  if (!rules) return;
  w.write(1, `${direction}:\n`);
  if (rules.stabilizationWindowSeconds !== undefined) w.write(2, `Stabilization Window: ${rules.stabilizationWindowSeconds} seconds\n`);
  if (rules.policies?.length) {
    w.write(2, `Select Policy: ${rules.selectPolicy ?? 'Max'}\n`);
    w.write(2, 'Policies:\n');
    for (const p of rules.policies) w.write(3, `- Type: ${p.type}\tValue: ${p.value}\tPeriod: ${p.periodSeconds} seconds\n`);
  }
}

/** kubectl describe hpa (autoscaling/v2): metrics as "current / target", behavior, replica counts, conditions. */
export function describeHorizontalPodAutoscaler(hpa: HorizontalPodAutoscaler, events: Event[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = hpa.spec!;
  const current = hpa.status?.currentMetrics ?? [];
  w.write(0, `Name:\t${hpa.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${hpa.metadata?.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', hpa.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', hpa.metadata?.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(hpa.metadata?.creationTimestamp)}\n`);
  w.write(0, `Reference:\t${spec.scaleTargetRef.kind}/${spec.scaleTargetRef.name}\n`);
  w.write(0, 'Metrics:\t( current / target )\n');
  (spec.metrics ?? []).forEach((m, i) => {
    const cur = current[i];
    if (m.type === 'Resource' && m.resource) {
      w.write(1, `resource ${m.resource.name} on pods`);
      if (m.resource.target.averageValue !== undefined) {
        w.write(0, `:\t${cur?.resource?.current.averageValue ?? '<unknown>'} / ${m.resource.target.averageValue}\n`);
      } else {
        const c = cur?.resource?.current;
        const value = c?.averageUtilization !== undefined ? `${c.averageUtilization}% (${c.averageValue ?? '0'})` : '<unknown>';
        const target = m.resource.target.averageUtilization !== undefined ? `${m.resource.target.averageUtilization}%` : '<auto>';
        w.write(1, `(as a percentage of request):\t${value} / ${target}\n`);
      }
    } else if (m.type === 'ContainerResource' && m.containerResource) {
      const r = m.containerResource;
      w.write(1, `resource ${r.name} of container "${r.container}" on pods`);
      if (r.target.averageValue !== undefined) {
        w.write(0, `:\t${cur?.containerResource?.current.averageValue ?? '<unknown>'} / ${r.target.averageValue}\n`);
      } else {
        const c = cur?.containerResource?.current;
        const value = c?.averageUtilization !== undefined ? `${c.averageUtilization}% (${c.averageValue ?? '0'})` : '<unknown>';
        const target = r.target.averageUtilization !== undefined ? `${r.target.averageUtilization}%` : '<auto>';
        w.write(1, `(as a percentage of request):\t${value} / ${target}\n`);
      }
    } else if (m.type === 'Pods' && m.pods) {
      w.write(1, `${JSON.stringify(m.pods.metric.name)} on pods:\t${cur?.pods?.current.averageValue ?? '<unknown>'} / ${m.pods.target.averageValue ?? ''}\n`);
    } else if (m.type === 'Object' && m.object) {
      const o = m.object;
      const target = o.target.type === 'AverageValue' ? o.target.averageValue : o.target.value;
      const c = o.target.type === 'AverageValue' ? cur?.object?.current.averageValue : cur?.object?.current.value;
      w.write(1, `${JSON.stringify(o.metric.name)} on ${o.describedObject.kind}/${o.describedObject.name}${o.target.type === 'AverageValue' ? ' (target average value)' : ' (target value)'}:\t${c ?? '<unknown>'} / ${target ?? ''}\n`);
    } else if (m.type === 'External' && m.external) {
      const e = m.external;
      const avg = e.target.averageValue !== undefined;
      const c = avg ? cur?.external?.current.averageValue : cur?.external?.current.value;
      w.write(1, `${JSON.stringify(e.metric.name)} (target ${avg ? 'average ' : ''}value):\t${c ?? '<unknown>'} / ${avg ? e.target.averageValue : (e.target.value ?? '')}\n`);
    } else w.write(1, `<unknown metric type ${JSON.stringify(m.type)}>\n`);
  });
  w.write(0, `Min replicas:\t${spec.minReplicas ?? '<unset>'}\n`);
  w.write(0, `Max replicas:\t${spec.maxReplicas}\n`);
  if (spec.behavior) {
    w.write(0, 'Behavior:\n');
    directionBehavior(w, 'Scale Up', spec.behavior.scaleUp);
    directionBehavior(w, 'Scale Down', spec.behavior.scaleDown);
  }
  w.write(0, `${spec.scaleTargetRef.kind} pods:\t${hpa.status?.currentReplicas ?? 0} current / ${hpa.status?.desiredReplicas ?? 0} desired\n`);
  const conds = hpa.status?.conditions ?? [];
  if (conds.length) {
    w.write(0, 'Conditions:\n');
    w.write(1, 'Type\tStatus\tReason\tMessage\n');
    w.write(1, '----\t------\t------\t-------\n');
    for (const c of conds) w.write(1, `${c.type}\t${c.status}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
  }
  if (events) describeEvents(events, w, now);
  return w.toString();
}

/** kubectl describe pdb. */
export function describePodDisruptionBudget(pdb: PodDisruptionBudget, events: Event[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = pdb.spec ?? {};
  w.write(0, `Name:\t${pdb.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${pdb.metadata?.namespace ?? ''}\n`);
  if (spec.minAvailable !== undefined) w.write(0, `Min available:\t${spec.minAvailable}\n`);
  else if (spec.maxUnavailable !== undefined) w.write(0, `Max unavailable:\t${spec.maxUnavailable}\n`);
  w.write(0, `Selector:\t${spec.selector ? selectorString(spec.selector) || '<none>' : '<unset>'}\n`);
  w.write(0, 'Status:\n');
  w.write(2, `Allowed disruptions:\t${pdb.status?.disruptionsAllowed ?? 0}\n`);
  w.write(2, `Current:\t${pdb.status?.currentHealthy ?? 0}\n`);
  w.write(2, `Desired:\t${pdb.status?.desiredHealthy ?? 0}\n`);
  w.write(2, `Total:\t${pdb.status?.expectedPods ?? 0}\n`);
  if (events) describeEvents(events, w, now);
  return w.toString();
}

/** kubectl describe priorityclass. */
export function describePriorityClass(pc: PriorityClass, events: Event[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${pc.metadata?.name ?? ''}\n`);
  w.write(0, `Value:\t${pc.value}\n`);
  w.write(0, `GlobalDefault:\t${!!pc.globalDefault}\n`);
  w.write(0, `PreemptionPolicy:\t${pc.preemptionPolicy ?? ''}\n`);
  w.write(0, `Description:\t${pc.description ?? ''}\n`);
  w.write(0, `Annotations:\t${formatLabels(pc.metadata?.annotations)}\n`);
  if (events) describeEvents(events, w, now);
  return w.toString();
}

/** kubectl describe limitrange: one row per type and resource (resources sorted). */
export function describeLimitRange(lr: LimitRange): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${lr.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${lr.metadata?.namespace ?? ''}\n`);
  w.write(0, 'Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
  w.write(0, '----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
  writeLimitRangeRows(w, lr, '');
  return w.toString();
}

/** describeLimitRangeSpec: a row per type and resource, each starting with prefix (kubectl's Go map order, here sorted). */
function writeLimitRangeRows(w: PrefixWriter, lr: LimitRange, prefix: string): void {
  for (const item of lr.spec?.limits ?? []) {
    const maps = [item.min, item.max, item.defaultRequest, item.default, item.maxLimitRequestRatio].map((m) => m ?? {});
    const names = [...new Set(maps.flatMap((m) => Object.keys(m)))].sort();
    for (const k of names) w.write(0, `${prefix}${item.type}\t${k}\t${maps.map((m) => m[k] ?? '-').join('\t')}\n`);
  }
}

/** DescribeLimitRanges (describe namespace): every range's rows under one " Type…" header. */
export function writeNamespaceLimitRanges(w: PrefixWriter, ranges: LimitRange[]): void {
  if (!ranges.length) return w.write(0, 'No LimitRange resource.\n');
  w.write(0, 'Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
  w.write(0, ' ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
  for (const lr of ranges) writeLimitRangeRows(w, lr, ' ');
}

/** DescribeResourceQuotas (describe namespace): quotas by name, each with its used / hard rows (used as stored). */
export function writeNamespaceQuotas(w: PrefixWriter, quotas: ResourceQuota[]): void {
  if (!quotas.length) return w.write(0, 'No resource quota.\n');
  w.write(0, 'Resource Quotas\n');
  for (const q of [...quotas].sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1))) {
    w.write(1, `Name:\t${q.metadata?.name ?? ''}\n`);
    const scopes = [...(q.spec?.scopes ?? [])].sort();
    if (scopes.length) w.write(1, `Scopes:\t${scopes.join(', ')}\n`);
    for (const scope of scopes) if (SCOPE_HELP[scope]) w.write(1, `* ${SCOPE_HELP[scope]}\n`);
    w.write(1, 'Resource\tUsed\tHard\n');
    w.write(1, '--------\t---\t---\n');
    const hard = q.status?.hard ?? {};
    for (const k of Object.keys(hard).sort()) w.write(1, `${k}\t${q.status?.used?.[k] ?? '0'}\t${hard[k]}\n`);
  }
}

/** helpTextForResourceQuotaScope. */
const SCOPE_HELP: Record<string, string> = {
  Terminating: 'Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.',
  NotTerminating: 'Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
  BestEffort: 'Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
  NotBestEffort: 'Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.',
};

/** kubectl describe quota: used / hard per resource of status.hard, sorted by name. */
export function describeResourceQuota(q: ResourceQuota): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${q.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${q.metadata?.namespace ?? ''}\n`);
  const scopes = [...(q.spec?.scopes ?? [])].sort();
  if (scopes.length) w.write(0, `Scopes:\t${scopes.join(', ')}\n`);
  for (const scope of scopes) if (SCOPE_HELP[scope]) w.write(0, ` * ${SCOPE_HELP[scope]}\n`);
  w.write(0, 'Resource\tUsed\tHard\n');
  w.write(0, '--------\t----\t----\n');
  const hard = q.status?.hard ?? {};
  for (const k of Object.keys(hard).sort()) w.write(0, `${k}\t${q.status?.used?.[k] ?? '0'}\t${hard[k]}\n`);
  return w.toString();
}
