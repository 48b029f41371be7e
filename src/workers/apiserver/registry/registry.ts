import type { ResourceStrategy } from './strategy';
import { podStrategy } from './pod-strategy';
import { nodeStrategy } from './node-strategy';
import { namespaceStrategy } from './namespace-strategy';
import { eventStrategy } from './event-strategy';
import { configMapStrategy, leaseStrategy, secretStrategy } from './config-strategies';
import { endpointsStrategy, limitRangeStrategy, podTemplateStrategy, replicationControllerStrategy, resourceQuotaStrategy, serviceAccountStrategy } from './core-strategies';
import { serviceStrategy } from './service-strategy';
import { persistentVolumeClaimStrategy, persistentVolumeStrategy } from './volume-strategies';
import { controllerRevisionStrategy, daemonSetStrategy, deploymentStrategy, replicaSetStrategy, statefulSetStrategy } from './apps-strategies';
import { cronJobStrategy, jobStrategy } from './batch-strategies';
import { endpointSliceStrategy, podDisruptionBudgetStrategy, priorityClassStrategy, storageClassStrategy } from './cluster-strategies';
import { ingressClassStrategy, ingressStrategy, networkPolicyStrategy } from './networking-strategies';
import { clusterRoleBindingStrategy, clusterRoleStrategy, roleBindingStrategy, roleStrategy } from './rbac-strategies';
import { hpaStrategy, hpaV1Strategy } from './hpa-strategies';
import { eventV1Strategy } from './event-v1-strategy';
import { reviewStrategies } from './review-strategies';
import { metricsStrategies } from '../metrics/metrics-strategies';
import { crdStrategy } from '../crd/crd-strategy';
import { validatingAdmissionPolicyBindingStrategy, validatingAdmissionPolicyStrategy } from './admission-policy-strategies';

/**
 * Every resource served: the table that drives the router, discovery (/api/v1, /apis, /apis/<g>[/<v>],
 * aggregated discovery) and openapi. Adding a kind = one strategy + one entry here. Within a group
 * version, discovery lists resources sorted by name; groups follow GROUP_ORDER; a group's versions are
 * listed in the order they first appear here (the first is the preferred version).
 */
export const strategies: ResourceStrategy[] = [
  configMapStrategy,
  endpointsStrategy,
  eventStrategy,
  limitRangeStrategy,
  namespaceStrategy,
  nodeStrategy,
  persistentVolumeClaimStrategy,
  persistentVolumeStrategy,
  podStrategy,
  podTemplateStrategy,
  replicationControllerStrategy,
  resourceQuotaStrategy,
  secretStrategy,
  serviceAccountStrategy,
  serviceStrategy,
  controllerRevisionStrategy,
  daemonSetStrategy,
  deploymentStrategy,
  replicaSetStrategy,
  statefulSetStrategy,
  eventV1Strategy,
  hpaStrategy,
  hpaV1Strategy,
  cronJobStrategy,
  jobStrategy,
  ingressClassStrategy,
  ingressStrategy,
  networkPolicyStrategy,
  podDisruptionBudgetStrategy,
  clusterRoleBindingStrategy,
  clusterRoleStrategy,
  roleBindingStrategy,
  roleStrategy,
  storageClassStrategy,
  priorityClassStrategy,
  leaseStrategy,
  endpointSliceStrategy,
  ...reviewStrategies,
  crdStrategy,
  validatingAdmissionPolicyStrategy,
  validatingAdmissionPolicyBindingStrategy,
  ...metricsStrategies,
];

/** kube-apiserver 1.32's /apis order (groups not served here are skipped). */
const GROUP_ORDER = [
  'apiregistration.k8s.io',
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'flowcontrol.apiserver.k8s.io',
];

const byKey = new Map(strategies.map((s) => [`${s.ref.group}/${s.ref.version}/${s.ref.resource}`, s]));

export function lookupStrategy(group: string, version: string, resource: string): ResourceStrategy | undefined {
  return byKey.get(`${group}/${version}/${resource}`);
}

/**
 * What one apiserver serves: the built-in strategies plus, per apiserver, those of established
 * CustomResourceDefinitions (crd/crd-registry.ts). all() lists built-ins first, in table order.
 */
export interface StrategyTable {
  lookup(group: string, version: string, resource: string): ResourceStrategy | undefined;
  all(): readonly ResourceStrategy[];
}

export const builtinTable: StrategyTable = { lookup: lookupStrategy, all: () => strategies };

/**
 * API groups other than core, in /apis order, each with its versions (preferred first). Groups not in
 * GROUP_ORDER (custom resources) follow the built-ins in the order they appear in `list`.
 */
export function apiGroups(list: readonly ResourceStrategy[] = strategies): Array<{ name: string; versions: string[] }> {
  const out: Array<{ name: string; versions: string[] }> = [];
  for (const s of list) {
    if (!s.ref.group) continue;
    let g = out.find((x) => x.name === s.ref.group);
    if (!g) out.push((g = { name: s.ref.group, versions: [] }));
    if (!g.versions.includes(s.ref.version)) g.versions.push(s.ref.version);
  }
  const rank = (n: string) => (GROUP_ORDER.includes(n) ? GROUP_ORDER.indexOf(n) : GROUP_ORDER.length);
  return out.sort((a, b) => rank(a.name) - rank(b.name));
}
