import type { Endpoints, LimitRange, PodTemplate, ReplicationController, ResourceQuota, ServiceAccount } from 'kubernetes-types/core/v1';
import { formatLabels } from '../../../api/label-selector';
import { EndpointsRef, LimitRanges, PodTemplates, ReplicationControllers, ResourceQuotas, ServiceAccounts } from '../../../api/resources';
import { goStringMap, GoValue, invalid, notSupported, required, type FieldError } from '../field-errors';
import { age, containerCells, createdAt, createdAtColumn, defineStrategy, named } from './define-strategy';
import { ageColumn, column, type KubeObject } from './strategy';
import { defaultTemplate, nonNegative, validatePodTemplate } from './workload-validation';

/** core/v1 ServiceAccount, Endpoints, PodTemplate, LimitRange, ResourceQuota, ReplicationController. */

const as = <T>(o: KubeObject) => o as unknown as T;

export const serviceAccountStrategy = defineStrategy({
  ref: ServiceAccounts,
  singularName: 'serviceaccount',
  shortNames: ['sa'],
  columns: [column('Secrets', 'string', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), ageColumn],
  row: (o, now) => named(o, (as<ServiceAccount>(o).secrets ?? []).length, age(o, now)),
});

/** formatEndpoints: up to three host:port pairs, then " + N more...". */
export function formatEndpoints(ep: Endpoints): string {
  if (!ep.subsets?.length) return '<none>';
  const list: string[] = [];
  let count = 0;
  for (const ss of ep.subsets) {
    for (const port of ss.ports ?? []) {
      for (const addr of ss.addresses ?? []) {
        if (list.length < 3) list.push(addr.ip.includes(':') ? `[${addr.ip}]:${port.port}` : `${addr.ip}:${port.port}`);
        count++;
      }
    }
  }
  const ret = list.join(',');
  return count > 3 ? `${ret} + ${count - 3} more...` : ret;
}

export const endpointsStrategy = defineStrategy({
  ref: EndpointsRef,
  singularName: 'endpoints',
  shortNames: ['ep'],
  defaults(o) {
    for (const ss of as<Endpoints>(o).subsets ?? []) for (const p of ss.ports ?? []) p.protocol ??= 'TCP';
  },
  validate(o) {
    const errs: FieldError[] = [];
    (as<Endpoints>(o).subsets ?? []).forEach((ss, i) => {
      if (!ss.addresses?.length && !ss.notReadyAddresses?.length) errs.push(required(`subsets[${i}]`, 'must specify `addresses` or `notReadyAddresses`'));
      if (!ss.ports?.length) errs.push(required(`subsets[${i}].ports`));
      (ss.ports ?? []).forEach((p, j) => {
        if (!(p.port >= 1 && p.port <= 65535)) errs.push(invalid(`subsets[${i}].ports[${j}].port`, p.port, 'must be between 1 and 65535, inclusive'));
      });
    });
    return errs;
  },
  columns: [column('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'), ageColumn],
  row: (o, now) => named(o, formatEndpoints(as<Endpoints>(o)), age(o, now)),
});

export const podTemplateStrategy = defineStrategy({
  ref: PodTemplates,
  singularName: 'podtemplate',
  defaults: (o) => defaultTemplate(as<PodTemplate>(o).template),
  validate: (o) => validatePodTemplate(as<PodTemplate>(o).template, 'template'),
  columns: [
    column('Containers', 'string', 'Names of each container in the template.'),
    column('Images', 'string', 'Images referenced by each container in the template.'),
    column('Pod Labels', 'string', 'The labels for the pod template.'),
  ],
  row(o) {
    const t = as<PodTemplate>(o).template;
    return named(o, ...containerCells(t?.spec), formatLabels(t?.metadata?.labels));
  },
});

const LIMIT_TYPES = ['Container', 'Pod', 'PersistentVolumeClaim'];

export const limitRangeStrategy = defineStrategy({
  ref: LimitRanges,
  singularName: 'limitrange',
  shortNames: ['limits'],
  defaults(o) {
    for (const item of as<LimitRange>(o).spec?.limits ?? []) {
      if (item.type !== 'Container') continue;
      const def = { ...(item.max ?? {}), ...(item.default ?? {}) };
      const req = { ...(item.min ?? {}), ...def, ...(item.defaultRequest ?? {}) };
      if (Object.keys(def).length) item.default = def;
      if (Object.keys(req).length) item.defaultRequest = req;
    }
  },
  validate(o) {
    const errs: FieldError[] = [];
    (as<LimitRange>(o).spec?.limits ?? []).forEach((l, i) => {
      if (!LIMIT_TYPES.includes(l.type)) errs.push(notSupported(`spec.limits[${i}].type`, l.type ?? '', LIMIT_TYPES));
    });
    return errs;
  },
  columns: [createdAtColumn],
  row: (o) => named(o, createdAt(o)),
});

/** printResourceQuota: "name: used/hard" for hard resources (status), limits.* in the Limit cell, sorted by name. */
function quotaCells(q: ResourceQuota): [string, string] {
  const hard = q.status?.hard ?? {};
  const used = q.status?.used ?? {};
  const req: string[] = [];
  const lim: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const text = `${name}: ${used[name] ?? '0'}/${hard[name]}`;
    (name.startsWith('limits') ? lim : req).push(text);
  }
  return [req.join(', '), lim.join(', ')];
}

export const resourceQuotaStrategy = defineStrategy({
  ref: ResourceQuotas,
  singularName: 'resourcequota',
  shortNames: ['quota'],
  status: true,
  validate(o) {
    const errs: FieldError[] = [];
    for (const [k, v] of Object.entries(as<ResourceQuota>(o).spec?.hard ?? {})) {
      if (typeof v === 'number' ? v < 0 : String(v).startsWith('-')) errs.push(invalid(`spec.hard[${k}]`, new GoValue(String(v)), 'must be greater than or equal to 0'));
    }
    return errs;
  },
  columns: [ageColumn, column('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'), column('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.')],
  row: (o, now) => named(o, age(o, now), ...quotaCells(as<ResourceQuota>(o))),
});

export const replicationControllerStrategy = defineStrategy({
  ref: ReplicationControllers,
  singularName: 'replicationcontroller',
  shortNames: ['rc'],
  categories: ['all'],
  status: true,
  scale: true,
  generation: true,
  defaults(o) {
    const rc = as<ReplicationController>(o);
    const spec = (rc.spec ??= {});
    const labels = spec.template?.metadata?.labels;
    if (labels && !Object.keys(spec.selector ?? {}).length) spec.selector = { ...labels };
    if (labels && !Object.keys(rc.metadata?.labels ?? {}).length) (rc.metadata ??= {}).labels = { ...labels };
    spec.replicas ??= 1;
    defaultTemplate(spec.template);
  },
  validate(o) {
    const spec = as<ReplicationController>(o).spec;
    const errs: FieldError[] = [...nonNegative(spec?.replicas, 'spec.replicas'), ...nonNegative(spec?.minReadySeconds, 'spec.minReadySeconds')];
    const sel = spec?.selector ?? {};
    if (!Object.keys(sel).length) errs.push(required('spec.selector'));
    const t = spec?.template;
    if (!t) return [...errs, required('spec.template')];
    const labels = t.metadata?.labels;
    if (Object.keys(sel).length && !Object.entries(sel).every(([k, v]) => labels?.[k] === v)) {
      errs.push(invalid('spec.template.metadata.labels', goStringMap(labels), '`selector` does not match template `labels`'));
    }
    errs.push(...validatePodTemplate(t, 'spec.template'));
    if (t.spec?.restartPolicy !== undefined && t.spec.restartPolicy !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', t.spec.restartPolicy, ['Always']));
    return errs;
  },
  selectableFields: (o) => ({ 'status.replicas': String(as<ReplicationController>(o).status?.replicas ?? 0) }),
  columns: [
    column('Desired', 'integer', 'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1.'),
    column('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
    column('Ready', 'integer', 'The number of ready replicas for this replication controller.'),
    ageColumn,
    column('Containers', 'string', 'Names of each container in the template.', 1),
    column('Images', 'string', 'Images referenced by each container in the template.', 1),
    column('Selector', 'string', 'Selector is a label query over pods that should match the Replicas count.', 1),
  ],
  row(o, now) {
    const rc = as<ReplicationController>(o);
    return named(o, rc.spec?.replicas ?? 0, rc.status?.replicas ?? 0, rc.status?.readyReplicas ?? 0, age(o, now), ...containerCells(rc.spec?.template?.spec), formatLabels(rc.spec?.selector));
  },
});
