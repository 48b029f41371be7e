import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { labelSelectorAsSelector } from '../../../api/label-selector';
import { forbidden, goStringMap, GoValue, invalid, notSupported, required, type FieldError } from '../field-errors';
import { validateAnnotations, validateLabels } from './object-meta';
import { defaultPodSpec } from './pod-defaults';
import { validatePodSpec } from './pod-validation';

/** Shared rules of controllers with a selector and a pod template (apps/v1, batch/v1, core/v1 RC). */

/** %#v of a metav1.LabelSelector, as field errors print it (`v1.LabelSelector{MatchLabels:map[string]string{...}, MatchExpressions:...}`). */
export function goLabelSelector(sel: LabelSelector | undefined | null): GoValue {
  if (!sel) return new GoValue('<nil>');
  const exprs = sel.matchExpressions
    ? `[]v1.LabelSelectorRequirement{${sel.matchExpressions
        .map((e) => `v1.LabelSelectorRequirement{Key:${JSON.stringify(e.key)}, Operator:${JSON.stringify(e.operator)}, Values:${e.values ? `[]string{${e.values.map((v) => JSON.stringify(v)).join(', ')}}` : '[]string(nil)'}}`)
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return new GoValue(`v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels).repr}, MatchExpressions:${exprs}}`);
}

/** ValidateLabelSelector (metav1 validation). */
export function validateLabelSelector(sel: LabelSelector | undefined, path: string): FieldError[] {
  if (!sel) return [];
  const errs: FieldError[] = [];
  (sel.matchExpressions ?? []).forEach((e, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    if (e.operator === 'In' || e.operator === 'NotIn') {
      if (!e.values?.length) errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (e.operator === 'Exists' || e.operator === 'DoesNotExist') {
      if (e.values?.length) errs.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else errs.push(invalid(`${p}.operator`, e.operator, 'not a valid selector operator'));
    errs.push(...validateLabels(e.key ? { [e.key]: '' } : {}, `${p}.key`));
  });
  errs.push(...validateLabels(sel.matchLabels, `${path}.matchLabels`));
  return errs;
}

/** A required, non-empty selector (Deployment, ReplicaSet, StatefulSet, DaemonSet). */
export function validateRequiredSelector(sel: LabelSelector | undefined, path: string, kindWord: string): FieldError[] {
  if (!sel) return [required(path)];
  const errs = validateLabelSelector(sel, path);
  if (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length) errs.push(invalid(path, goLabelSelector(sel), `empty selector is invalid for ${kindWord}`));
  return errs;
}

/** ValidatePodTemplateSpec: template labels/annotations and the pod spec. */
export function validatePodTemplate(t: PodTemplateSpec | undefined, path: string): FieldError[] {
  if (!t) return [required(path)];
  return [
    ...validateLabels(t.metadata?.labels as Record<string, string> | undefined, `${path}.metadata.labels`),
    ...validateAnnotations(t.metadata?.annotations as Record<string, string> | undefined, `${path}.metadata.annotations`),
    ...validatePodSpec(t.spec, `${path}.spec`),
  ];
}

/**
 * A StatefulSet's volumeClaimTemplates are volumes of its pods: for validation, the template counts them as
 * declared volumes so volumeMounts may name them (kube skips the template's volume checks for StatefulSets).
 */
function withClaimVolumes(t: PodTemplateSpec, claimNames: string[]): PodTemplateSpec {
  const have = new Set((t.spec?.volumes ?? []).map((v) => v.name));
  const extra = claimNames.filter((n) => n && !have.has(n));
  if (!extra.length || !t.spec) return t;
  return { ...t, spec: { ...t.spec, volumes: [...(t.spec.volumes ?? []), ...extra.map((name) => ({ name, emptyDir: {} }))] } };
}

/**
 * ValidatePodTemplateSpecForReplicaSet (also used by Deployments, StatefulSets, DaemonSets): the selector
 * must match the template labels, the template must be a valid pod template with restartPolicy Always.
 * claimNames: a StatefulSet's volumeClaimTemplates names, which volumeMounts may use (see withClaimVolumes).
 */
export function validateTemplateForSelector(t: PodTemplateSpec | undefined, sel: LabelSelector | undefined, path: string, claimNames: string[] = []): FieldError[] {
  if (!t) return [required(path)];
  t = withClaimVolumes(t, claimNames);
  const errs: FieldError[] = [];
  let selector;
  try {
    selector = labelSelectorAsSelector(sel);
  } catch {
    return [invalid(path.replace(/template$/, 'selector'), goLabelSelector(sel), 'invalid label selector')];
  }
  const labels = (t.metadata?.labels ?? undefined) as Record<string, string> | undefined;
  if (selector !== 'nothing' && !selector.empty && !selector.matches(labels)) {
    errs.push(invalid(`${path}.metadata.labels`, goStringMap(labels), '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplate(t, path));
  const rp = t.spec?.restartPolicy;
  if (rp !== undefined && rp !== 'Always') errs.push(notSupported(`${path}.spec.restartPolicy`, rp, ['Always']));
  if (t.spec?.activeDeadlineSeconds !== undefined) errs.push(invalid(`${path}.spec.activeDeadlineSeconds`, t.spec.activeDeadlineSeconds, 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  return errs;
}

/** spec.selector is immutable in apps/v1 (ValidateImmutableField). */
export function immutableSelector(sel: LabelSelector | undefined, old: LabelSelector | undefined, path = 'spec.selector'): FieldError[] {
  return JSON.stringify(sel ?? null) === JSON.stringify(old ?? null) ? [] : [invalid(path, goLabelSelector(sel), 'field is immutable')];
}

export function nonNegative(v: number | undefined, path: string): FieldError[] {
  return v !== undefined && v < 0 ? [invalid(path, v, 'must be greater than or equal to 0')] : [];
}

/**
 * An embedded ObjectMeta as kube serializes it: a struct, so `creationTimestamp: null` is always present
 * (`template: {metadata: {creationTimestamp: null}}` in kube 1.32 output).
 */
export function embeddedMeta<T extends { metadata?: object }>(holder: T): void {
  const m = (holder.metadata ??= {}) as { creationTimestamp?: string | null };
  if (m.creationTimestamp === undefined) m.creationTimestamp = null;
}

/** Pod defaults inside a template (SetDefaults_PodSpec and friends) plus its embedded metadata. */
export function defaultTemplate(t: PodTemplateSpec | undefined): void {
  if (!t) return;
  embeddedMeta(t);
  if (t.spec) defaultPodSpec(t.spec, true);
}

const PERCENT_RE = /^[0-9]+%$/;

/** An intstr.IntOrString bad value: field errors print it through its String() method, unquoted. */
export const intOrStringValue = (v: number | string | undefined) => new GoValue(String(v ?? 0));

/** ValidatePositiveIntOrPercent plus IsNotMoreThan100Percent. */
export function validateIntOrPercent(v: number | string | undefined, path: string): FieldError[] {
  if (v === undefined) return [];
  if (typeof v === 'string') {
    if (!PERCENT_RE.test(v)) {
      return [invalid(path, intOrStringValue(v), "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
    }
    if (Number(v.slice(0, -1)) > 100) return [invalid(path, intOrStringValue(v), 'must not be greater than 100%')];
    return [];
  }
  return v < 0 ? [invalid(path, intOrStringValue(v), 'must be greater than or equal to 0')] : [];
}

export const isZeroIntOrPercent = (v: number | string | undefined) => v === 0 || v === '0%';
