import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1';
import type { PodSpec } from 'kubernetes-types/core/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { formatLabels, formatLabelSelector } from '../../../api/label-selector';
import { ControllerRevisions, DaemonSets, Deployments, ReplicaSets, StatefulSets } from '../../../api/resources';
import { forbidden, invalid, notSupported, type FieldError } from '../field-errors';
import { age, containerCells, defineStrategy, named } from './define-strategy';
import { ageColumn, column, type KubeObject, type TableColumn } from './strategy';
import {
  defaultTemplate,
  immutableSelector,
  intOrStringValue,
  isZeroIntOrPercent,
  nonNegative,
  validateIntOrPercent,
  validateRequiredSelector,
  validateTemplateForSelector,
} from './workload-validation';

/** apps/v1: Deployment, ReplicaSet, StatefulSet, DaemonSet (scale for the first three), ControllerRevision. */

const as = <T>(o: KubeObject) => o as unknown as T;
const containersCol = column('Containers', 'string', 'Names of each container in the template.', 1);
const imagesCol = column('Images', 'string', 'Images referenced by each container in the template.', 1);
const selectorCol = (d: string) => column('Selector', 'string', d, 1);
const SELECTOR_DOC = 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.';
type Workload = { spec?: { selector?: LabelSelector; template?: { spec?: PodSpec } } };

/** kubectl's workload columns: the kind's own, Age, then the wide Containers, Images and (with a doc) Selector. */
const workloadColumns = (own: TableColumn[], selectorDoc?: string): TableColumn[] => [...own, ageColumn, containersCol, imagesCol, ...(selectorDoc ? [selectorCol(selectorDoc)] : [])];

/** The row for workloadColumns: name, the kind's cells, age, container names, images and (withSelector) the selector. */
function workloadRow(o: KubeObject, now: number, cells: unknown[], withSelector = true): unknown[] {
  const spec = as<Workload>(o).spec;
  const [names, images] = containerCells(spec?.template?.spec);
  return named(o, ...cells, age(o, now), names, images, ...(withSelector ? [formatLabelSelector(spec?.selector)] : []));
}

/** notSupported(path, value ?? '', allowed) unless value is one of allowed. */
const oneOf = (value: string | undefined, path: string, allowed: string[]): FieldError[] => (value !== undefined && allowed.includes(value) ? [] : [notSupported(path, value ?? '', allowed)]);

export const deploymentStrategy = defineStrategy({
  ref: Deployments,
  singularName: 'deployment',
  shortNames: ['deploy'],
  categories: ['all'],
  status: true,
  scale: true,
  generation: true,
  defaults(o) {
    const spec = (as<Deployment>(o).spec ??= {} as Deployment['spec'] & object);
    spec.replicas ??= 1;
    spec.strategy ??= {};
    spec.strategy.type ??= 'RollingUpdate';
    if (spec.strategy.type === 'RollingUpdate') {
      spec.strategy.rollingUpdate ??= {};
      spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
      spec.strategy.rollingUpdate.maxSurge ??= '25%';
    }
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    defaultTemplate(spec.template);
  },
  validate(o) {
    const spec = as<Deployment>(o).spec;
    const errs: FieldError[] = [...nonNegative(spec?.replicas, 'spec.replicas'), ...validateRequiredSelector(spec?.selector, 'spec.selector', 'deployment')];
    errs.push(...validateTemplateForSelector(spec?.template, spec?.selector, 'spec.template'));
    const st = spec?.strategy;
    errs.push(...oneOf(st?.type, 'spec.strategy.type', ['Recreate', 'RollingUpdate']));
    if (st?.type === 'Recreate' && st.rollingUpdate) errs.push(forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
    const ru = st?.rollingUpdate;
    if (ru) {
      errs.push(...validateIntOrPercent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable'), ...validateIntOrPercent(ru.maxSurge, 'spec.strategy.rollingUpdate.maxSurge'));
      if (isZeroIntOrPercent(ru.maxUnavailable) && isZeroIntOrPercent(ru.maxSurge)) {
        errs.push(invalid('spec.strategy.rollingUpdate.maxUnavailable', intOrStringValue(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
      }
    }
    errs.push(...nonNegative(spec?.revisionHistoryLimit, 'spec.revisionHistoryLimit'), ...nonNegative(spec?.minReadySeconds, 'spec.minReadySeconds'));
    const pds = spec?.progressDeadlineSeconds;
    if (pds !== undefined && pds <= (spec?.minReadySeconds ?? 0)) errs.push(invalid('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'));
    return errs;
  },
  validateUpdate: (o, old) => immutableSelector(as<Deployment>(o).spec?.selector, as<Deployment>(old).spec?.selector),
  columns: workloadColumns(
    [
      column('Ready', 'string', 'Number of the pod with ready state'),
      column('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
      column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ],
    SELECTOR_DOC,
  ),
  row(o, now) {
    const d = as<Deployment>(o);
    const st = d.status ?? {};
    return workloadRow(o, now, [`${st.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`, st.updatedReplicas ?? 0, st.availableReplicas ?? 0]);
  },
});

export const replicaSetStrategy = defineStrategy({
  ref: ReplicaSets,
  singularName: 'replicaset',
  shortNames: ['rs'],
  categories: ['all'],
  status: true,
  scale: true,
  generation: true,
  defaults(o) {
    const spec = (as<ReplicaSet>(o).spec ??= {} as ReplicaSet['spec'] & object);
    spec.replicas ??= 1;
    defaultTemplate(spec.template);
  },
  validate(o) {
    const spec = as<ReplicaSet>(o).spec;
    return [
      ...nonNegative(spec?.replicas, 'spec.replicas'),
      ...nonNegative(spec?.minReadySeconds, 'spec.minReadySeconds'),
      ...validateRequiredSelector(spec?.selector, 'spec.selector', 'deployment'),
      ...validateTemplateForSelector(spec?.template, spec?.selector, 'spec.template'),
    ];
  },
  validateUpdate: (o, old) => immutableSelector(as<ReplicaSet>(o).spec?.selector, as<ReplicaSet>(old).spec?.selector),
  selectableFields: (o) => ({ 'status.replicas': String(as<ReplicaSet>(o).status?.replicas ?? 0) }),
  columns: workloadColumns(
    [
      column('Desired', 'integer', 'Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1.'),
      column('Current', 'integer', 'Replicas is the most recently observed number of non-terminating pods.'),
      column('Ready', 'integer', 'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.'),
    ],
    'Selector is a label query over pods that should match the replica count.',
  ),
  row(o, now) {
    const r = as<ReplicaSet>(o);
    return workloadRow(o, now, [r.spec?.replicas ?? 0, r.status?.replicas ?? 0, r.status?.readyReplicas ?? 0]);
  },
});

const STS_MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

export const statefulSetStrategy = defineStrategy({
  ref: StatefulSets,
  singularName: 'statefulset',
  shortNames: ['sts'],
  categories: ['all'],
  status: true,
  scale: true,
  generation: true,
  defaults(o) {
    const spec = (as<StatefulSet>(o).spec ??= {} as StatefulSet['spec'] & object);
    spec.replicas ??= 1;
    spec.podManagementPolicy ??= 'OrderedReady';
    spec.updateStrategy ??= {};
    spec.updateStrategy.type ??= 'RollingUpdate';
    if (spec.updateStrategy.type === 'RollingUpdate') {
      spec.updateStrategy.rollingUpdate ??= {};
      spec.updateStrategy.rollingUpdate.partition ??= 0;
    }
    spec.revisionHistoryLimit ??= 10;
    spec.persistentVolumeClaimRetentionPolicy ??= {};
    spec.persistentVolumeClaimRetentionPolicy.whenDeleted ??= 'Retain';
    spec.persistentVolumeClaimRetentionPolicy.whenScaled ??= 'Retain';
    defaultTemplate(spec.template);
  },
  validate(o) {
    const spec = as<StatefulSet>(o).spec;
    const errs: FieldError[] = [...nonNegative(spec?.replicas, 'spec.replicas'), ...validateRequiredSelector(spec?.selector, 'spec.selector', 'statefulset')];
    errs.push(...validateTemplateForSelector(spec?.template, spec?.selector, 'spec.template', (spec?.volumeClaimTemplates ?? []).map((c) => c.metadata?.name ?? '')));
    const pmp = spec?.podManagementPolicy;
    errs.push(...oneOf(pmp, 'spec.podManagementPolicy', ['OrderedReady', 'Parallel']), ...oneOf(spec?.updateStrategy?.type, 'spec.updateStrategy.type', ['OnDelete', 'RollingUpdate']));
    errs.push(...nonNegative(spec?.updateStrategy?.rollingUpdate?.partition, 'spec.updateStrategy.rollingUpdate.partition'));
    return errs;
  },
  validateUpdate(o, old) {
    const a = { ...(as<StatefulSet>(o).spec ?? {}) } as Record<string, unknown>;
    const b = { ...(as<StatefulSet>(old).spec ?? {}) } as Record<string, unknown>;
    for (const f of STS_MUTABLE) delete a[f], delete b[f];
    if (JSON.stringify(a) === JSON.stringify(b)) return [];
    return [forbidden('spec', `updates to statefulset spec for fields other than ${STS_MUTABLE.slice(0, -1).map((f) => `'${f}'`).join(', ')} and 'minReadySeconds' are forbidden`)];
  },
  columns: workloadColumns([column('Ready', 'string', 'Number of the pod with ready state')]),
  row(o, now) {
    const s = as<StatefulSet>(o);
    return workloadRow(o, now, [`${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 0}`], false);
  },
});

export const daemonSetStrategy = defineStrategy({
  ref: DaemonSets,
  singularName: 'daemonset',
  shortNames: ['ds'],
  categories: ['all'],
  status: true,
  generation: true,
  defaults(o) {
    const spec = (as<DaemonSet>(o).spec ??= {} as DaemonSet['spec'] & object);
    spec.updateStrategy ??= {};
    spec.updateStrategy.type ??= 'RollingUpdate';
    if (spec.updateStrategy.type === 'RollingUpdate') {
      spec.updateStrategy.rollingUpdate ??= {};
      spec.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
      spec.updateStrategy.rollingUpdate.maxSurge ??= 0;
    }
    spec.revisionHistoryLimit ??= 10;
    defaultTemplate(spec.template);
  },
  validate(o) {
    const spec = as<DaemonSet>(o).spec;
    const errs: FieldError[] = [...validateRequiredSelector(spec?.selector, 'spec.selector', 'daemonset')];
    errs.push(...validateTemplateForSelector(spec?.template, spec?.selector, 'spec.template'));
    errs.push(...oneOf(spec?.updateStrategy?.type, 'spec.updateStrategy.type', ['OnDelete', 'RollingUpdate']));
    errs.push(...nonNegative(spec?.revisionHistoryLimit, 'spec.revisionHistoryLimit'), ...nonNegative(spec?.minReadySeconds, 'spec.minReadySeconds'));
    return errs;
  },
  validateUpdate: (o, old) => immutableSelector(as<DaemonSet>(o).spec?.selector, as<DaemonSet>(old).spec?.selector),
  columns: workloadColumns(
    [
      column('Desired', 'integer', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).'),
      column('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
      column('Ready', 'integer', 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.'),
      column('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
      column('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)'),
      column('Node Selector', 'string', "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node."),
    ],
    'A label query over pods that are managed by the daemon set.',
  ),
  row(o, now) {
    const d = as<DaemonSet>(o);
    const st = d.status ?? ({} as NonNullable<DaemonSet['status']>);
    const cells = [st.desiredNumberScheduled ?? 0, st.currentNumberScheduled ?? 0, st.numberReady ?? 0, st.updatedNumberScheduled ?? 0, st.numberAvailable ?? 0];
    return workloadRow(o, now, [...cells, formatLabels(d.spec?.template?.spec?.nodeSelector)]);
  },
});

export const controllerRevisionStrategy = defineStrategy({
  ref: ControllerRevisions,
  singularName: 'controllerrevision',
  validate: (o) => nonNegative(as<ControllerRevision>(o).revision, 'revision'),
  validateUpdate(o, old) {
    const d = as<ControllerRevision>(o).data;
    return JSON.stringify(d ?? null) === JSON.stringify(as<ControllerRevision>(old).data ?? null) ? [] : [invalid('data', d ?? null, 'field is immutable')];
  },
  columns: [column('Controller', 'string', 'Controller of the object'), column('Revision', 'string', 'Revision indicates the revision of the state represented by Data.'), ageColumn],
  row(o, now) {
    const r = as<ControllerRevision>(o);
    const owner = r.metadata?.ownerReferences?.find((x) => x.controller);
    let controller = '<none>';
    if (owner) {
      const group = owner.apiVersion.includes('/') ? owner.apiVersion.slice(0, owner.apiVersion.indexOf('/')) : '';
      controller = `${owner.kind.toLowerCase()}${group ? `.${group}` : ''}/${owner.name}`;
    }
    return named(o, controller, r.revision ?? 0, age(o, now));
  },
});
