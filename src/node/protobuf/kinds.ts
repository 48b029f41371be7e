// Node-only: the top-level kinds real kubectl 1.32 sends as protobuf from its typed generators (create
// deployment|job|cronjob|service|role|rolebinding|clusterrole|clusterrolebinding|ingress|pdb|priorityclass|
// quota, autoscale, drain's Eviction and DeleteOptions), keyed "apiVersion/kind". Field numbers are those of
// k8s.io/api's generated.proto for each group.
import { deleteOptions, labelSelector, objectMeta, objectReference, opaque } from './meta';
import { podSpec, podTemplateSpec } from './pod-spec';
import { MORE_KINDS } from './more-kinds';
import type { Schema } from './wire';

const intOrPtr = 'int*' as const;

const deployment: Schema = {
  1: ['metadata', objectMeta],
  2: ['spec', {
    1: ['replicas', intOrPtr],
    2: ['selector', labelSelector],
    3: ['template', podTemplateSpec],
    4: ['strategy', { 1: ['type', 'string'], 2: ['rollingUpdate', { 1: ['maxUnavailable', 'intstr'], 2: ['maxSurge', 'intstr'] }] }],
    5: ['minReadySeconds', 'int'],
    6: ['revisionHistoryLimit', intOrPtr],
    7: ['paused', 'bool'],
    9: ['progressDeadlineSeconds', intOrPtr],
  }],
  3: ['status', opaque],
};

const jobSpec: Schema = {
  1: ['parallelism', intOrPtr],
  2: ['completions', intOrPtr],
  3: ['activeDeadlineSeconds', intOrPtr],
  4: ['selector', labelSelector],
  5: ['manualSelector', 'bool*'],
  6: ['template', podTemplateSpec],
  7: ['backoffLimit', intOrPtr],
  8: ['ttlSecondsAfterFinished', intOrPtr],
  9: ['completionMode', 'string'],
  10: ['suspend', 'bool*'],
  12: ['backoffLimitPerIndex', intOrPtr],
  13: ['maxFailedIndexes', intOrPtr],
  14: ['podReplacementPolicy', 'string'],
  15: ['managedBy', 'string'],
};

const cronJob: Schema = {
  1: ['metadata', objectMeta],
  2: ['spec', {
    1: ['schedule', 'string'],
    2: ['startingDeadlineSeconds', intOrPtr],
    3: ['concurrencyPolicy', 'string'],
    4: ['suspend', 'bool*'],
    5: ['jobTemplate', { 1: ['metadata', objectMeta], 2: ['spec', jobSpec] }],
    6: ['successfulJobsHistoryLimit', intOrPtr],
    7: ['failedJobsHistoryLimit', intOrPtr],
    8: ['timeZone', 'string'],
  }],
  3: ['status', opaque],
};

const service: Schema = {
  1: ['metadata', objectMeta],
  2: ['spec', {
    1: ['ports', { 1: ['name', 'string'], 2: ['protocol', 'string'], 3: ['port', 'int*'], 4: ['targetPort', 'intstr'], 5: ['nodePort', 'int'], 6: ['appProtocol', 'string'] }, true],
    2: ['selector', 'map'],
    3: ['clusterIP', 'string'],
    4: ['type', 'string'],
    5: ['externalIPs', 'string', true],
    7: ['sessionAffinity', 'string'],
    8: ['loadBalancerIP', 'string'],
    9: ['loadBalancerSourceRanges', 'string', true],
    10: ['externalName', 'string'],
    11: ['externalTrafficPolicy', 'string'],
    12: ['healthCheckNodePort', 'int'],
    13: ['publishNotReadyAddresses', 'bool'],
    17: ['ipFamilyPolicy', 'string'],
    18: ['clusterIPs', 'string', true],
    19: ['ipFamilies', 'string', true],
    20: ['allocateLoadBalancerNodePorts', 'bool*'],
    21: ['loadBalancerClass', 'string'],
    22: ['internalTrafficPolicy', 'string'],
    23: ['trafficDistribution', 'string'],
  }],
  3: ['status', opaque],
};

const resourceQuota: Schema = {
  1: ['metadata', objectMeta],
  2: ['spec', { 1: ['hard', 'quantityMap'], 2: ['scopes', 'string', true], 3: ['scopeSelector', { 1: ['matchExpressions', { 1: ['scopeName', 'string'], 2: ['operator', 'string'], 3: ['values', 'string', true] }, true] }] }],
  3: ['status', opaque],
};

const policyRule: Schema = { 1: ['verbs', 'string', 'always'], 2: ['apiGroups', 'string', true], 3: ['resources', 'string', true], 4: ['resourceNames', 'string', true], 5: ['nonResourceURLs', 'string', true] };
const subject: Schema = { 1: ['kind', 'string'], 2: ['apiGroup', 'string'], 3: ['name', 'string'], 4: ['namespace', 'string'] };
const roleBinding: Schema = { 1: ['metadata', objectMeta], 2: ['subjects', subject, true], 3: ['roleRef', { 1: ['apiGroup', 'string'], 2: ['kind', 'string'], 3: ['name', 'string'] }] };

const ingressBackend: Schema = {
  3: ['resource', { 1: ['apiGroup', 'string'], 2: ['kind', 'string'], 3: ['name', 'string'] }],
  4: ['service', { 1: ['name', 'string'], 2: ['port', { 1: ['name', 'string'], 2: ['number', 'int'] }] }],
};
const ingress: Schema = {
  1: ['metadata', objectMeta],
  2: ['spec', {
    1: ['defaultBackend', ingressBackend],
    2: ['tls', { 1: ['hosts', 'string', true], 2: ['secretName', 'string'] }, true],
    3: ['rules', { 1: ['host', 'string'], 2: ['', { 1: ['http', { 1: ['paths', { 1: ['path', 'string'], 2: ['backend', ingressBackend], 3: ['pathType', 'string'] }, true] }] }, 'inline'] }, true],
    4: ['ingressClassName', 'string'],
  }],
  3: ['status', opaque],
};

const pdb: Schema = {
  1: ['metadata', objectMeta],
  2: ['spec', { 1: ['minAvailable', 'intstr'], 2: ['selector', labelSelector], 3: ['maxUnavailable', 'intstr'], 4: ['unhealthyPodEvictionPolicy', 'string'] }],
  3: ['status', opaque],
};

const hpaV1: Schema = {
  1: ['metadata', objectMeta],
  2: ['spec', { 1: ['scaleTargetRef', { 1: ['kind', 'string'], 2: ['name', 'string'], 3: ['apiVersion', 'string'] }], 2: ['minReplicas', intOrPtr], 3: ['maxReplicas', 'int*'], 4: ['targetCPUUtilizationPercentage', intOrPtr] }],
  3: ['status', opaque],
};

const eviction: Schema = { 1: ['metadata', objectMeta], 2: ['deleteOptions', deleteOptions] };

export const WORKLOAD_KINDS: Record<string, Schema> = {
  'apps/v1/Deployment': deployment,
  'batch/v1/Job': { 1: ['metadata', objectMeta], 2: ['spec', jobSpec], 3: ['status', opaque] },
  'batch/v1/CronJob': cronJob,
  'v1/Pod': { 1: ['metadata', objectMeta], 2: ['spec', podSpec], 3: ['status', opaque] },
  'v1/Service': service,
  'v1/ResourceQuota': resourceQuota,
  'v1/Binding': { 1: ['metadata', objectMeta], 2: ['target', objectReference] },
  'rbac.authorization.k8s.io/v1/Role': { 1: ['metadata', objectMeta], 2: ['rules', policyRule, 'always'] },
  'rbac.authorization.k8s.io/v1/ClusterRole': { 1: ['metadata', objectMeta], 2: ['rules', policyRule, 'always'], 3: ['aggregationRule', { 1: ['clusterRoleSelectors', labelSelector, true] }] },
  'rbac.authorization.k8s.io/v1/RoleBinding': roleBinding,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': roleBinding,
  'networking.k8s.io/v1/Ingress': ingress,
  'policy/v1/PodDisruptionBudget': pdb,
  'policy/v1/Eviction': eviction,
  'autoscaling/v1/HorizontalPodAutoscaler': hpaV1,
  ...MORE_KINDS,
  'scheduling.k8s.io/v1/PriorityClass': { 1: ['metadata', objectMeta], 2: ['value', 'int*'], 3: ['globalDefault', 'bool'], 4: ['description', 'string'], 5: ['preemptionPolicy', 'string'] },
};

/** DeleteOptions bodies (DELETE with a body) carry kind DeleteOptions under the client's group version. */
export const DELETE_OPTIONS: Schema = deleteOptions;
