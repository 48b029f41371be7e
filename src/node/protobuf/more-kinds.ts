// Node-only: apps/v1 StatefulSet and DaemonSet, core/v1 PersistentVolumeClaim and autoscaling/v2
// HorizontalPodAutoscaler as protobuf messages (field numbers from k8s.io/api apps/v1, core/v1 and
// autoscaling/v2 generated.proto; JSON flags from their Go json tags: pointers and non-omitempty
// scalars keep 0, omitempty ones drop it).
import { labelSelector, objectMeta, opaque } from './meta';
import { podTemplateSpec } from './pod-spec';
import type { Schema } from './wire';

const pvcSpec: Schema = {
  1: ['accessModes', 'string', true],
  2: ['resources', { 1: ['limits', 'quantityMap'], 2: ['requests', 'quantityMap'] }],
  3: ['volumeName', 'string'],
  4: ['selector', labelSelector],
  5: ['storageClassName', 'string'],
  6: ['volumeMode', 'string'],
  7: ['dataSource', { 1: ['apiGroup', 'string'], 2: ['kind', 'string'], 3: ['name', 'string'] }],
  8: ['dataSourceRef', { 1: ['apiGroup', 'string'], 2: ['kind', 'string'], 3: ['name', 'string'], 4: ['namespace', 'string'] }],
  9: ['volumeAttributesClassName', 'string'],
};
const pvc: Schema = { 1: ['metadata', objectMeta], 2: ['spec', pvcSpec], 3: ['status', opaque] };

const statefulSet: Schema = {
  1: ['metadata', objectMeta],
  2: ['spec', {
    1: ['replicas', 'int*'],
    2: ['selector', labelSelector],
    3: ['template', podTemplateSpec],
    4: ['volumeClaimTemplates', pvc, true],
    5: ['serviceName', 'string'],
    6: ['podManagementPolicy', 'string'],
    7: ['updateStrategy', { 1: ['type', 'string'], 2: ['rollingUpdate', { 1: ['partition', 'int*'], 2: ['maxUnavailable', 'intstr'] }] }],
    8: ['revisionHistoryLimit', 'int*'],
    9: ['minReadySeconds', 'int'],
    10: ['persistentVolumeClaimRetentionPolicy', { 1: ['whenDeleted', 'string'], 2: ['whenScaled', 'string'] }],
    11: ['ordinals', { 1: ['start', 'int*'] }],
  }],
  3: ['status', opaque],
};

const daemonSet: Schema = {
  1: ['metadata', objectMeta],
  2: ['spec', {
    1: ['selector', labelSelector],
    2: ['template', podTemplateSpec],
    3: ['updateStrategy', { 1: ['type', 'string'], 2: ['rollingUpdate', { 1: ['maxUnavailable', 'intstr'], 2: ['maxSurge', 'intstr'] }] }],
    4: ['minReadySeconds', 'int'],
    6: ['revisionHistoryLimit', 'int*'],
  }],
  3: ['status', opaque],
};

const crossVersionRef: Schema = { 1: ['kind', 'string'], 2: ['name', 'string'], 3: ['apiVersion', 'string'] };
const metricIdentifier: Schema = { 1: ['name', 'string'], 2: ['selector', labelSelector] };
const metricTarget: Schema = { 1: ['type', 'string'], 2: ['value', 'quantity'], 3: ['averageValue', 'quantity'], 4: ['averageUtilization', 'int*'] };
const scalingRules: Schema = {
  1: ['selectPolicy', 'string'],
  2: ['policies', { 1: ['type', 'string'], 2: ['value', 'int*'], 3: ['periodSeconds', 'int*'] }, true],
  3: ['stabilizationWindowSeconds', 'int*'],
  4: ['tolerance', 'quantity'],
};
const hpaV2: Schema = {
  1: ['metadata', objectMeta],
  2: ['spec', {
    1: ['scaleTargetRef', crossVersionRef],
    2: ['minReplicas', 'int*'],
    3: ['maxReplicas', 'int*'],
    4: ['metrics', {
      1: ['type', 'string'],
      2: ['object', { 1: ['describedObject', crossVersionRef], 2: ['target', metricTarget], 3: ['metric', metricIdentifier] }],
      3: ['pods', { 1: ['metric', metricIdentifier], 2: ['target', metricTarget] }],
      4: ['resource', { 1: ['name', 'string'], 2: ['target', metricTarget] }],
      5: ['external', { 1: ['metric', metricIdentifier], 2: ['target', metricTarget] }],
      7: ['containerResource', { 1: ['name', 'string'], 2: ['target', metricTarget], 3: ['container', 'string'] }],
    }, true],
    5: ['behavior', { 1: ['scaleUp', scalingRules], 2: ['scaleDown', scalingRules] }],
  }],
  3: ['status', opaque],
};

export const MORE_KINDS: Record<string, Schema> = {
  'apps/v1/StatefulSet': statefulSet,
  'apps/v1/DaemonSet': daemonSet,
  'v1/PersistentVolumeClaim': pvc,
  'autoscaling/v2/HorizontalPodAutoscaler': hpaV2,
};
