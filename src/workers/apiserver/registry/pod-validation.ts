import type { Container, Pod, PodSpec } from 'kubernetes-types/core/v1';
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../field-errors';
import { isDNS1123Label, isQualifiedName, isValidLabelValue } from '../../../api/label-validation';
import { validateEphemeralContainers } from './ephemeral-containers';

/** ValidatePodSpec (the parts Tabernetes runs), with kube's field paths and messages. */
export function validatePodSpec(spec: PodSpec | undefined, path = 'spec'): FieldError[] {
  const errs: FieldError[] = [];
  const s = spec ?? ({} as PodSpec);
  const names = new Set<string>();
  const volumeNames = new Set((s.volumes ?? []).map((v) => v.name));

  (s.volumes ?? []).forEach((v, i) => {
    const p = `${path}.volumes[${i}]`;
    if (!v.name) errs.push(required(`${p}.name`));
    else for (const m of isDNS1123Label(v.name)) errs.push(invalid(`${p}.name`, v.name, m));
  });
  const seenVolumes = new Set<string>();
  (s.volumes ?? []).forEach((v, i) => {
    if (v.name && seenVolumes.has(v.name)) errs.push(duplicate(`${path}.volumes[${i}].name`, v.name));
    seenVolumes.add(v.name);
  });

  (s.initContainers ?? []).forEach((c, i) => errs.push(...validateContainer(c, `${path}.initContainers[${i}]`, names, volumeNames)));
  if (!s.containers || s.containers.length === 0) errs.push(required(`${path}.containers`));
  else s.containers.forEach((c, i) => errs.push(...validateContainer(c, `${path}.containers[${i}]`, names, volumeNames)));

  if (s.restartPolicy !== undefined && !['Always', 'OnFailure', 'Never'].includes(s.restartPolicy)) {
    errs.push(notSupported(`${path}.restartPolicy`, s.restartPolicy, ['Always', 'OnFailure', 'Never']));
  }
  if (s.dnsPolicy !== undefined && !['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'].includes(s.dnsPolicy)) {
    errs.push(notSupported(`${path}.dnsPolicy`, s.dnsPolicy, ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']));
  }
  if (s.activeDeadlineSeconds !== undefined && (s.activeDeadlineSeconds < 1 || s.activeDeadlineSeconds > 2147483647)) {
    errs.push(invalid(`${path}.activeDeadlineSeconds`, s.activeDeadlineSeconds, 'must be between 1 and 2147483647, inclusive'));
  }
  if (s.terminationGracePeriodSeconds !== undefined && s.terminationGracePeriodSeconds < 0) {
    errs.push(invalid(`${path}.terminationGracePeriodSeconds`, s.terminationGracePeriodSeconds, 'must be greater than or equal to 0'));
  }
  if (s.nodeName) for (const m of isDNS1123SubdomainMsgs(s.nodeName)) errs.push(invalid(`${path}.nodeName`, s.nodeName, m));
  for (const [k, v] of Object.entries(s.nodeSelector ?? {})) {
    for (const m of isQualifiedName(k)) errs.push(invalid(`${path}.nodeSelector`, k, m));
    for (const m of isValidLabelValue(v)) errs.push(invalid(`${path}.nodeSelector`, v, m));
  }
  (s.tolerations ?? []).forEach((t, i) => {
    const p = `${path}.tolerations[${i}]`;
    if (t.operator !== undefined && !['Equal', 'Exists'].includes(t.operator)) errs.push(notSupported(`${p}.operator`, t.operator, ['Equal', 'Exists']));
    if (t.operator === 'Exists' && t.value) errs.push(invalid(`${p}.operator`, t.value, 'value must be empty when `operator` is \'Exists\''));
    if (!t.key && t.operator !== 'Exists') errs.push(invalid(`${p}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.effect !== undefined && t.effect !== '' && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) {
      errs.push(notSupported(`${p}.effect`, t.effect, ['NoExecute', 'NoSchedule', 'PreferNoSchedule']));
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') errs.push(invalid(`${p}.effect`, t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
  });
  errs.push(...validateEphemeralContainers(s, path, volumeNames));
  return errs;
}

function isDNS1123SubdomainMsgs(v: string): string[] {
  return /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(v) && v.length <= 253
    ? []
    : ["a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"];
}

/** validateContainerCommon, in part: name (unique in `names`), image, pull policy, ports, env, volume mounts. */
export function validateContainer(c: Container, p: string, names: Set<string>, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(required(`${p}.name`));
  else {
    for (const m of isDNS1123Label(c.name)) errs.push(invalid(`${p}.name`, c.name, m));
    if (names.has(c.name)) errs.push(duplicate(`${p}.name`, c.name));
    names.add(c.name);
  }
  if (!c.image) errs.push(required(`${p}.image`));
  else if (c.image.trim() !== c.image) errs.push(invalid(`${p}.image`, c.image, 'must not have leading or trailing whitespace'));
  if (c.imagePullPolicy !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(c.imagePullPolicy)) {
    errs.push(notSupported(`${p}.imagePullPolicy`, c.imagePullPolicy, ['Always', 'IfNotPresent', 'Never']));
  }
  if (c.terminationMessagePolicy !== undefined && !['File', 'FallbackToLogsOnError'].includes(c.terminationMessagePolicy)) {
    errs.push(notSupported(`${p}.terminationMessagePolicy`, c.terminationMessagePolicy, ['File', 'FallbackToLogsOnError']));
  }
  const portNames = new Set<string>();
  (c.ports ?? []).forEach((port, i) => {
    const pp = `${p}.ports[${i}]`;
    if (port.name) {
      if (port.name.length > 15 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(port.name) || !/[a-z]/.test(port.name)) {
        errs.push(invalid(`${pp}.name`, port.name, 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'));
      } else if (portNames.has(port.name)) errs.push(duplicate(`${pp}.name`, port.name));
      portNames.add(port.name);
    }
    if (port.containerPort === undefined || port.containerPort === 0) errs.push(required(`${pp}.containerPort`));
    else if (port.containerPort < 1 || port.containerPort > 65535) errs.push(invalid(`${pp}.containerPort`, port.containerPort, 'must be between 1 and 65535, inclusive'));
    if (port.hostPort !== undefined && port.hostPort !== 0 && (port.hostPort < 1 || port.hostPort > 65535)) {
      errs.push(invalid(`${pp}.hostPort`, port.hostPort, 'must be between 1 and 65535, inclusive'));
    }
    if (port.protocol !== undefined && !['SCTP', 'TCP', 'UDP'].includes(port.protocol)) errs.push(notSupported(`${pp}.protocol`, port.protocol, ['SCTP', 'TCP', 'UDP']));
  });
  (c.env ?? []).forEach((e, i) => {
    const ep = `${p}.env[${i}]`;
    if (!e.name) errs.push(required(`${ep}.name`));
    else if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(e.name)) {
      errs.push(invalid(`${ep}.name`, e.name, "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"));
    }
    if (e.value && e.valueFrom) errs.push(invalid(`${ep}.valueFrom`, '', 'may not be specified when `value` is not empty'));
  });
  (c.volumeMounts ?? []).forEach((m, i) => {
    const mp = `${p}.volumeMounts[${i}]`;
    if (!m.name) errs.push(required(`${mp}.name`));
    else if (!volumes.has(m.name)) errs.push({ type: 'NotFound', field: `${mp}.name`, value: m.name });
    if (!m.mountPath) errs.push(required(`${mp}.mountPath`));
  });
  return errs;
}

export function validatePod(pod: Pod): FieldError[] {
  return validatePodSpec(pod.spec);
}

const UPDATABLE = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) if ((v as Record<string, unknown>)[k] !== undefined) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** A cmp.Diff-like summary of the top-level PodSpec fields that changed (kube prints a full Go diff here). */
function specDiff(oldSpec: Record<string, unknown>, newSpec: Record<string, unknown>): string {
  const keys = [...new Set([...Object.keys(oldSpec), ...Object.keys(newSpec)])].sort();
  const lines = ['  core.PodSpec{'];
  for (const k of keys) {
    if (deepEqual(oldSpec[k], newSpec[k])) continue;
    const goName = k.charAt(0).toUpperCase() + k.slice(1);
    if (oldSpec[k] !== undefined) lines.push(`- \t${goName}: ${JSON.stringify(oldSpec[k])},`);
    if (newSpec[k] !== undefined) lines.push(`+ \t${goName}: ${JSON.stringify(newSpec[k])},`);
  }
  lines.push('  }');
  return lines.join('\n') + '\n';
}

/** ValidatePodUpdate's spec rule: only images, activeDeadlineSeconds, added tolerations and schedulingGates removal may change. */
export function validatePodSpecUpdate(spec: PodSpec | undefined, old: PodSpec | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const n = structuredClone(spec ?? ({} as PodSpec));
  const o = old ?? ({} as PodSpec);
  (n.containers ?? []).forEach((c, i) => {
    if (!c.image) errs.push(required(`spec.containers[${i}].image`));
  });
  (n.initContainers ?? []).forEach((c, i) => {
    if (!c.image) errs.push(required(`spec.initContainers[${i}].image`));
  });
  if (errs.length) return errs;
  if ((n.containers ?? []).length === (o.containers ?? []).length) n.containers?.forEach((c, i) => (c.image = o.containers![i].image));
  if ((n.initContainers ?? []).length === (o.initContainers ?? []).length) n.initContainers?.forEach((c, i) => (c.image = o.initContainers![i].image));
  if (o.activeDeadlineSeconds === undefined || (n.activeDeadlineSeconds !== undefined && n.activeDeadlineSeconds <= o.activeDeadlineSeconds)) {
    n.activeDeadlineSeconds = o.activeDeadlineSeconds;
  }
  const oldTols = o.tolerations ?? [];
  if (oldTols.every((t) => (n.tolerations ?? []).some((u) => deepEqual(t, u)))) n.tolerations = o.tolerations;
  if ((o.terminationGracePeriodSeconds ?? 0) < 0 && n.terminationGracePeriodSeconds === 1) n.terminationGracePeriodSeconds = o.terminationGracePeriodSeconds;
  const oldGates = o.schedulingGates ?? [];
  if ((n.schedulingGates ?? []).every((g) => oldGates.some((h) => h.name === g.name))) n.schedulingGates = o.schedulingGates;
  if (!deepEqual(n, o)) {
    errs.push(forbidden('spec', `pod updates may not change fields other than ${UPDATABLE.join(',')}\n${specDiff(o as unknown as Record<string, unknown>, n as unknown as Record<string, unknown>)}`));
  }
  return errs;
}
