import type { Container, EphemeralContainer, Pod, PodSpec } from 'kubernetes-types/core/v1';
import { forbidden, type FieldError } from '../field-errors';
import { validateObjectMetaUpdate } from './object-meta';
import { nameIsDNSSubdomain } from '../../../api/label-validation';
import { validateContainer, validatePodSpec } from './pod-validation';
import type { KubeObject } from './strategy';

/** EphemeralContainerCommon fields kube refuses (validateFieldAllowList): everything but these may be set. */
const DISALLOWED: Array<keyof Container> = ['ports', 'resources', 'resizePolicy', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'restartPolicy'];
const CANNOT = 'cannot be set for an Ephemeral Container';

const isSet = (v: unknown) => v !== undefined && v !== null && !(Array.isArray(v) && !v.length) && !(typeof v === 'object' && !Array.isArray(v) && !Object.keys(v as object).length);

/**
 * validateEphemeralContainers, as kube's: each is validated as a container; names are unique across every
 * kind of container; targetContainerName must name a regular or init container (NotFound); ports, probes,
 * lifecycle, resources, resizePolicy and restartPolicy are Forbidden, as are volumeMounts' subPath(Expr).
 */
export function validateEphemeralContainers(s: PodSpec, path: string, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const others = new Set([...(s.containers ?? []), ...(s.initContainers ?? [])].map((c) => c.name));
  const names = new Set(others);
  (s.ephemeralContainers ?? []).forEach((ec, i) => {
    const p = `${path}.ephemeralContainers[${i}]`;
    errs.push(...validateContainer(ec as Container, p, names, volumes));
    if (ec.targetContainerName && !others.has(ec.targetContainerName)) errs.push({ type: 'NotFound', field: `${p}.targetContainerName`, value: ec.targetContainerName });
    for (const f of DISALLOWED) if (isSet((ec as Container)[f])) errs.push(forbidden(`${p}.${f}`, CANNOT));
    (ec.volumeMounts ?? []).forEach((m, j) => {
      if (m.subPath) errs.push(forbidden(`${p}.volumeMounts[${j}].subPath`, CANNOT));
      if (m.subPathExpr) errs.push(forbidden(`${p}.volumeMounts[${j}].subPathExpr`, CANNOT));
    });
  });
  return errs;
}

/** validatePodCreate's rule: ephemeral containers are added through pods/ephemeralcontainers only. */
export function validateNoEphemeralOnCreate(pod: Pod): FieldError[] {
  return pod.spec?.ephemeralContainers?.length ? [forbidden('spec.ephemeralContainers', 'cannot be set on create')] : [];
}

/**
 * The pods/ephemeralcontainers update (kube's podEphemeralContainersStrategy): everything but metadata
 * identity and spec.ephemeralContainers comes from the stored pod.
 */
export function prepareEphemeralContainersUpdate(obj: KubeObject, old: KubeObject): void {
  const next = obj as unknown as Pod;
  const containers = next.spec?.ephemeralContainers;
  const rv = next.metadata?.resourceVersion;
  const kept = structuredClone(old) as unknown as Pod;
  kept.spec ??= { containers: [] };
  if (containers) kept.spec.ephemeralContainers = containers;
  else delete kept.spec.ephemeralContainers;
  if (rv !== undefined) kept.metadata = { ...kept.metadata, resourceVersion: rv };
  for (const k of Object.keys(obj)) delete obj[k];
  Object.assign(obj, kept);
}

/** ValidatePodEphemeralContainersUpdate: the new spec is valid; existing ephemeral containers are neither removed nor changed. */
export function validateEphemeralContainersUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const pod = obj as unknown as Pod;
  const prev = old as unknown as Pod;
  const errs = [...validateObjectMetaUpdate(obj.metadata, old.metadata, true, nameIsDNSSubdomain), ...validatePodSpec(pod.spec)];
  if (prev.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) return [forbidden('', 'static pods do not support ephemeral containers')];
  const byName = new Map((pod.spec?.ephemeralContainers ?? []).map((c) => [c.name, c]));
  for (const was of prev.spec?.ephemeralContainers ?? []) {
    const now = byName.get(was.name);
    if (!now) errs.push(forbidden('spec.ephemeralContainers', `existing ephemeral containers "${was.name}" may not be removed\n`));
    else if (canonical(now) !== canonical(was)) errs.push(forbidden('spec.ephemeralContainers', `existing ephemeral containers "${was.name}" may not be changed\n${diff(was, now)}`));
  }
  return errs;
}

function canonical(v: unknown): string {
  const sort = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sort);
    if (x && typeof x === 'object') return Object.fromEntries(Object.keys(x).sort().filter((k) => (x as Record<string, unknown>)[k] !== undefined).map((k) => [k, sort((x as Record<string, unknown>)[k])]));
    return x;
  };
  return JSON.stringify(sort(v));
}

/** A cmp.Diff-like summary of the changed fields (kube prints a full Go diff here). */
function diff(a: EphemeralContainer, b: EphemeralContainer): string {
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  const lines = ['  core.EphemeralContainer{'];
  for (const k of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort()) {
    if (canonical(x[k]) === canonical(y[k])) continue;
    const goName = k.charAt(0).toUpperCase() + k.slice(1);
    if (x[k] !== undefined) lines.push(`- \t${goName}: ${JSON.stringify(x[k])},`);
    if (y[k] !== undefined) lines.push(`+ \t${goName}: ${JSON.stringify(y[k])},`);
  }
  lines.push('  }');
  return lines.join('\n') + '\n';
}
