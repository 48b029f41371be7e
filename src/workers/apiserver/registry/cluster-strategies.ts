import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { EndpointSlices, PodDisruptionBudgets, PriorityClasses, StorageClasses } from '../../../api/resources';
import { forbidden, GoValue, invalid, notSupported, required, type FieldError } from '../field-errors';
import { age, defineStrategy, named } from './define-strategy';
import { ageColumn, column, type KubeObject } from './strategy';
import { validateIntOrPercent, validateLabelSelector } from './workload-validation';

/** scheduling.k8s.io PriorityClass, storage.k8s.io StorageClass, policy/v1 PodDisruptionBudget, discovery.k8s.io EndpointSlice. */

const as = <T>(o: KubeObject) => o as unknown as T;

const SYSTEM_CLASSES: Record<string, number> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };
const HIGHEST_USER_PRIORITY = 1000000000;

export const priorityClassStrategy = defineStrategy({
  ref: PriorityClasses,
  singularName: 'priorityclass',
  shortNames: ['pc'],
  defaults(o) {
    (o as { preemptionPolicy?: string }).preemptionPolicy ??= 'PreemptLowerPriority';
  },
  validate(o) {
    const pc = as<PriorityClass>(o);
    const name = pc.metadata?.name ?? '';
    const errs: FieldError[] = [];
    if (name.startsWith('system-')) {
      const known = SYSTEM_CLASSES[name];
      let why = '';
      if (known === undefined) why = `${name} is not a known system priority class`;
      else if (known !== pc.value) why = `value of ${name} PriorityClass must be ${known}`;
      else if (pc.globalDefault) why = `globalDefault of ${name} PriorityClass must be false`;
      if (why) errs.push(forbidden('metadata.name', `priority class names with 'system-' prefix are reserved for system use only. error: ${why}`));
    } else if (pc.value > HIGHEST_USER_PRIORITY) {
      errs.push(forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_PRIORITY}`));
    }
    const pp = pc.preemptionPolicy;
    if (pp !== undefined && pp !== 'Never' && pp !== 'PreemptLowerPriority') errs.push(notSupported('preemptionPolicy', pp, ['Never', 'PreemptLowerPriority']));
    return errs;
  },
  validateUpdate(o, old) {
    const errs: FieldError[] = [];
    if (as<PriorityClass>(o).value !== as<PriorityClass>(old).value) errs.push(forbidden('value', 'may not be changed in an update.'));
    if (as<PriorityClass>(o).preemptionPolicy !== as<PriorityClass>(old).preemptionPolicy) errs.push(invalid('preemptionPolicy', as<PriorityClass>(o).preemptionPolicy ?? '', 'field is immutable'));
    return errs;
  },
  columns: [
    column('Value', 'integer', 'value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.'),
    column('Global-Default', 'boolean', 'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class.'),
    ageColumn,
    column('PreemptionPolicy', 'string', 'preemptionPolicy is the Policy for preempting pods with lower priority.'),
  ],
  row: (o, now) => named(o, as<PriorityClass>(o).value, as<PriorityClass>(o).globalDefault ?? false, age(o, now), as<PriorityClass>(o).preemptionPolicy ?? ''),
});

const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';
const BETA_DEFAULT_CLASS = 'storageclass.beta.kubernetes.io/is-default-class';

export const storageClassStrategy = defineStrategy({
  ref: StorageClasses,
  singularName: 'storageclass',
  shortNames: ['sc'],
  defaults(o) {
    const sc = o as { reclaimPolicy?: string; volumeBindingMode?: string };
    sc.reclaimPolicy ??= 'Delete';
    sc.volumeBindingMode ??= 'Immediate';
  },
  validate(o) {
    const sc = as<StorageClass>(o);
    const errs: FieldError[] = [];
    if (!sc.provisioner) errs.push(required('provisioner'));
    if (sc.reclaimPolicy && !['Delete', 'Retain'].includes(sc.reclaimPolicy)) errs.push(notSupported('reclaimPolicy', sc.reclaimPolicy, ['Delete', 'Retain']));
    if (sc.volumeBindingMode && !['Immediate', 'WaitForFirstConsumer'].includes(sc.volumeBindingMode)) {
      errs.push(notSupported('volumeBindingMode', sc.volumeBindingMode, ['Immediate', 'WaitForFirstConsumer']));
    }
    return errs;
  },
  validateUpdate(o, old) {
    const a = as<StorageClass>(o);
    const b = as<StorageClass>(old);
    const errs: FieldError[] = [];
    if (JSON.stringify(a.parameters ?? {}) !== JSON.stringify(b.parameters ?? {})) errs.push(forbidden('parameters', 'updates to parameters are forbidden.'));
    if (a.provisioner !== b.provisioner) errs.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
    if (a.reclaimPolicy !== b.reclaimPolicy) errs.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
    if (a.volumeBindingMode !== b.volumeBindingMode) errs.push(invalid('volumeBindingMode', a.volumeBindingMode ?? '', 'field is immutable'));
    return errs;
  },
  columns: [
    column('Provisioner', 'string', 'provisioner indicates the type of the provisioner.'),
    column('ReclaimPolicy', 'string', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.'),
    column('VolumeBindingMode', 'string', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used.'),
    column('AllowVolumeExpansion', 'string', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
    ageColumn,
  ],
  row(o, now) {
    const sc = as<StorageClass>(o);
    const ann = sc.metadata?.annotations ?? {};
    const isDefault = ann[DEFAULT_CLASS] === 'true' || ann[BETA_DEFAULT_CLASS] === 'true';
    const name = isDefault ? `${sc.metadata?.name ?? ''} (default)` : sc.metadata?.name ?? '';
    return [name, sc.provisioner ?? '', sc.reclaimPolicy ?? 'Delete', sc.volumeBindingMode ?? 'Immediate', String(sc.allowVolumeExpansion ?? false), age(o, now)];
  },
});

export const podDisruptionBudgetStrategy = defineStrategy({
  ref: PodDisruptionBudgets,
  singularName: 'poddisruptionbudget',
  shortNames: ['pdb'],
  status: true,
  generation: true,
  initialStatus: () => ({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }),
  validate(o) {
    const spec = as<PodDisruptionBudget>(o).spec ?? {};
    const errs: FieldError[] = [...validateIntOrPercent(spec.minAvailable, 'spec.minAvailable'), ...validateIntOrPercent(spec.maxUnavailable, 'spec.maxUnavailable')];
    if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
      // kube prints the spec with %#v, pointers as addresses: the addresses here are placeholders.
      const ptr = (v: unknown, t: string, at: string) => (v === undefined ? `(*${t})(nil)` : `(*${t})(${at})`);
      const repr = `policy.PodDisruptionBudgetSpec{MinAvailable:${ptr(spec.minAvailable, 'intstr.IntOrString', '0xc000010000')}, Selector:${ptr(spec.selector, 'v1.LabelSelector', '0xc000010020')}, MaxUnavailable:${ptr(spec.maxUnavailable, 'intstr.IntOrString', '0xc000010040')}, UnhealthyPodEvictionPolicy:${ptr(spec.unhealthyPodEvictionPolicy, 'policy.UnhealthyPodEvictionPolicyType', '0xc000010060')}}`;
      errs.push(invalid('spec', new GoValue(repr), 'minAvailable and maxUnavailable cannot be both set'));
    }
    errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
    const uhp = spec.unhealthyPodEvictionPolicy;
    if (uhp !== undefined && uhp !== 'AlwaysAllow' && uhp !== 'IfHealthyBudget') errs.push(notSupported('spec.unhealthyPodEvictionPolicy', uhp, ['AlwaysAllow', 'IfHealthyBudget']));
    return errs;
  },
  columns: [
    column('Min Available', 'string', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    ageColumn,
  ],
  row(o, now) {
    const p = as<PodDisruptionBudget>(o);
    const s = (v: number | string | undefined) => (v === undefined ? 'N/A' : String(v));
    return named(o, s(p.spec?.minAvailable), s(p.spec?.maxUnavailable), p.status?.disruptionsAllowed ?? 0, age(o, now));
  },
});

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];

function listWithMore(list: string[], count: number): string {
  const ret = list.join(',');
  if (count > 3) return `${ret} + ${count - 3} more...`;
  return ret || '<unset>';
}

export const endpointSliceStrategy = defineStrategy({
  ref: EndpointSlices,
  singularName: 'endpointslice',
  generation: true,
  defaults(o) {
    for (const p of as<EndpointSlice>(o).ports ?? []) p.protocol ??= 'TCP';
  },
  validate(o) {
    const es = as<EndpointSlice>(o);
    const errs: FieldError[] = [];
    if (!es.addressType) errs.push(required('addressType'));
    else if (!ADDRESS_TYPES.includes(es.addressType)) errs.push(notSupported('addressType', es.addressType, ADDRESS_TYPES));
    (es.endpoints ?? []).forEach((ep, i) => {
      if (!ep.addresses?.length) errs.push(required(`endpoints[${i}].addresses`, 'must contain at least 1 address'));
    });
    return errs;
  },
  validateUpdate: (o, old) =>
    as<EndpointSlice>(o).addressType === as<EndpointSlice>(old).addressType ? [] : [invalid('addressType', as<EndpointSlice>(o).addressType, 'field is immutable')],
  columns: [
    column('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
    column('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    column('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    ageColumn,
  ],
  row(o, now) {
    const es = as<EndpointSlice>(o);
    const ports = (es.ports ?? []).map((p) => (p.port !== undefined ? String(p.port) : p.name ?? '*'));
    const addrs = (es.endpoints ?? []).flatMap((e) => e.addresses ?? []);
    return named(o, es.addressType ?? '', listWithMore(ports.slice(0, 3), ports.length), listWithMore(addrs.slice(0, 3), addrs.length), age(o, now));
  },
});
