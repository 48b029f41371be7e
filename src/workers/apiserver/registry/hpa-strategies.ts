import type { HorizontalPodAutoscaler as HpaV2, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2';
import type { HorizontalPodAutoscaler as HpaV1 } from 'kubernetes-types/autoscaling/v1';
import { HorizontalPodAutoscalers, HorizontalPodAutoscalersV1 } from '../../../api/resources';
import { invalid, required, type FieldError } from '../field-errors';
import { age, defineStrategy, named } from './define-strategy';
import { ageColumn, column, type KubeObject } from './strategy';

/**
 * autoscaling HorizontalPodAutoscaler, stored once in the v2 form and served as v2 and v1. v1's
 * targetCPUUtilizationPercentage is the v2 cpu Utilization metric; other v2 metrics are not visible in v1
 * and a v1 write drops them (kube keeps them in autoscaling.alpha.kubernetes.io annotations). v2 defaults
 * apply to what v1 writes, as kube defaults on decoding from storage.
 */
const BASE = '/registry/autoscaling/horizontalpodautoscalers/';
const as = <T>(o: KubeObject) => o as unknown as T;

const isCpuUtil = (m: MetricSpec) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target.type === 'Utilization';

export function hpaV2ToV1(o: KubeObject): KubeObject {
  const h = as<HpaV2>(o);
  const cpu = (h.spec?.metrics ?? []).find(isCpuUtil);
  const cur = (h.status?.currentMetrics ?? []).find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
  const spec: HpaV1['spec'] = { scaleTargetRef: h.spec!.scaleTargetRef, minReplicas: h.spec?.minReplicas, maxReplicas: h.spec!.maxReplicas };
  if (cpu?.resource?.target.averageUtilization !== undefined) spec.targetCPUUtilizationPercentage = cpu.resource.target.averageUtilization;
  const out: HpaV1 = { ...(h as object), apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: h.metadata, spec } as HpaV1;
  if (h.status) {
    const st = h.status;
    out.status = { currentReplicas: st.currentReplicas ?? 0, desiredReplicas: st.desiredReplicas };
    if (st.observedGeneration !== undefined) out.status.observedGeneration = st.observedGeneration;
    if (st.lastScaleTime) out.status.lastScaleTime = st.lastScaleTime;
    if (cur?.resource?.current.averageUtilization !== undefined) out.status.currentCPUUtilizationPercentage = cur.resource.current.averageUtilization;
  }
  return out as unknown as KubeObject;
}

export function hpaV1ToV2(o: KubeObject): KubeObject {
  const h = as<HpaV1>(o);
  const metrics: MetricSpec[] = [];
  if (h.spec?.targetCPUUtilizationPercentage !== undefined) {
    metrics.unshift({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: h.spec.targetCPUUtilizationPercentage } } });
  }
  const spec: HpaV2['spec'] = { scaleTargetRef: h.spec!.scaleTargetRef, minReplicas: h.spec?.minReplicas, maxReplicas: h.spec!.maxReplicas };
  if (metrics.length) spec.metrics = metrics;
  const out = { ...(h as object), apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: h.metadata, spec } as HpaV2;
  if (h.status) {
    const st = h.status;
    out.status = { currentReplicas: st.currentReplicas, desiredReplicas: st.desiredReplicas };
    if (st.observedGeneration !== undefined) out.status.observedGeneration = st.observedGeneration;
    if (st.lastScaleTime) out.status.lastScaleTime = st.lastScaleTime;
    if (st.currentCPUUtilizationPercentage !== undefined) {
      out.status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: st.currentCPUUtilizationPercentage } } }];
    }
  }
  return out as unknown as KubeObject;
}

function validateCommon(spec: { minReplicas?: number; maxReplicas?: number; scaleTargetRef?: { kind?: string; name?: string } } | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec?.scaleTargetRef?.kind) errs.push(required('spec.scaleTargetRef.kind'));
  if (!spec?.scaleTargetRef?.name) errs.push(required('spec.scaleTargetRef.name'));
  const min = spec?.minReplicas ?? 1;
  if (spec?.minReplicas !== undefined && spec.minReplicas < 1) errs.push(invalid('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1'));
  if ((spec?.maxReplicas ?? 0) < min) errs.push(invalid('spec.maxReplicas', spec?.maxReplicas ?? 0, 'must be greater than or equal to `minReplicas`'));
  return errs;
}

/** formatHPAMetrics (1.32): "cpu: 12%/80%", at most three, then " + N more...". */
function metricCell(spec: MetricSpec, st: MetricStatus | undefined): string {
  if (spec.type === 'Resource' || spec.type === 'ContainerResource') {
    const r = spec.type === 'Resource' ? spec.resource! : spec.containerResource!;
    const cur = spec.type === 'Resource' ? st?.resource?.current : st?.containerResource?.current;
    if (r.target.averageUtilization !== undefined) {
      const c = cur?.averageUtilization !== undefined ? `${cur.averageUtilization}%` : '<unknown>';
      return `${r.name}: ${c}/${r.target.averageUtilization}%`;
    }
    return `${r.name}: ${cur?.averageValue !== undefined ? String(cur.averageValue) : '<unknown>'}/${String(r.target.averageValue ?? '')}`;
  }
  const target = spec.pods?.target ?? spec.object?.target ?? spec.external?.target;
  const current = st?.pods?.current ?? st?.object?.current ?? st?.external?.current;
  const t = target?.averageValue ?? target?.value ?? '';
  const c = current?.averageValue ?? current?.value;
  const avg = target?.averageValue !== undefined && spec.type !== 'Pods' ? ' (avg)' : '';
  return `${c !== undefined ? String(c) : '<unknown>'}/${String(t)}${avg}`;
}

function hpaRow(o: KubeObject, now: number): unknown[] {
  const h = as<HpaV2>(o);
  const metrics = h.spec?.metrics ?? [];
  const cells = metrics.slice(0, 3).map((m, i) => metricCell(m, h.status?.currentMetrics?.[i]));
  let targets = metrics.length ? cells.join(', ') : '<none>';
  if (metrics.length > 3) targets += ` + ${metrics.length - 3} more...`;
  const ref = h.spec?.scaleTargetRef;
  return named(o, `${ref?.kind ?? ''}/${ref?.name ?? ''}`, targets, h.spec?.minReplicas ?? '<unset>', h.spec?.maxReplicas ?? 0, h.status?.currentReplicas ?? 0, age(o, now));
}

const columns = [
  column('Reference', 'string', 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.'),
  column('Targets', 'string', 'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).'),
  column('MinPods', 'string', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
  column('MaxPods', 'string', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'),
  column('Replicas', 'string', 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.'),
  ageColumn,
];

function defaultsV2(o: KubeObject): void {
  const spec = (as<HpaV2>(o).spec ??= {} as HpaV2['spec'] & object);
  spec.minReplicas ??= 1;
  if (!spec.metrics?.length) spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  const b = spec.behavior;
  if (b) {
    b.scaleUp ??= {};
    b.scaleUp.stabilizationWindowSeconds ??= 0;
    b.scaleUp.selectPolicy ??= 'Max';
    b.scaleUp.policies ??= [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }];
    b.scaleDown ??= {};
    b.scaleDown.selectPolicy ??= 'Max';
    b.scaleDown.policies ??= [{ type: 'Percent', value: 100, periodSeconds: 15 }];
  }
}

export const hpaStrategy = defineStrategy({
  ref: HorizontalPodAutoscalers,
  singularName: 'horizontalpodautoscaler',
  shortNames: ['hpa'],
  categories: ['all'],
  status: true,
  generation: true,
  defaults: defaultsV2,
  validate: (o) => validateCommon(as<HpaV2>(o).spec),
  columns,
  row: hpaRow,
  storage: { base: BASE, decode: (o) => o, encode: (o) => o },
});

export const hpaV1Strategy = defineStrategy({
  ref: HorizontalPodAutoscalersV1,
  singularName: 'horizontalpodautoscaler',
  shortNames: ['hpa'],
  categories: ['all'],
  status: true,
  generation: true,
  defaults(o) {
    (as<HpaV1>(o).spec ??= {} as HpaV1['spec'] & object).minReplicas ??= 1;
  },
  validate(o) {
    const spec = as<HpaV1>(o).spec;
    const errs = validateCommon(spec);
    const t = spec?.targetCPUUtilizationPercentage;
    if (t !== undefined && t < 1) errs.push(invalid('spec.targetCPUUtilizationPercentage', t, 'must be greater than or equal to 1'));
    return errs;
  },
  columns,
  row: (o, now) => hpaRow(hpaV1ToV2(o), now),
  storage: {
    base: BASE,
    decode: hpaV2ToV1,
    encode(o) {
      const v2 = hpaV1ToV2(o);
      defaultsV2(v2);
      return v2;
    },
  },
});
