// Node-only: k8s.io/apimachinery meta/v1 schemas (field numbers from meta/v1 generated.proto).
import type { Schema } from './wire';

export const ownerReference: Schema = { 1: ['kind', 'string'], 3: ['name', 'string'], 4: ['uid', 'string'], 5: ['apiVersion', 'string'], 6: ['controller', 'bool*'], 7: ['blockOwnerDeletion', 'bool*'] };

export const objectMeta: Schema = {
  1: ['name', 'string'],
  2: ['generateName', 'string'],
  3: ['namespace', 'string'],
  5: ['uid', 'string'],
  6: ['resourceVersion', 'string'],
  7: ['generation', 'int'],
  8: ['creationTimestamp', 'time'],
  9: ['deletionTimestamp', 'time'],
  10: ['deletionGracePeriodSeconds', 'int*'],
  11: ['labels', 'map'],
  12: ['annotations', 'map'],
  13: ['ownerReferences', ownerReference, true],
  14: ['finalizers', 'string', true],
};

export const labelSelector: Schema = {
  1: ['matchLabels', 'map'],
  2: ['matchExpressions', { 1: ['key', 'string'], 2: ['operator', 'string'], 3: ['values', 'string', true] }, true],
};

export const deleteOptions: Schema = {
  1: ['gracePeriodSeconds', 'int*'],
  2: ['preconditions', { 1: ['uid', 'string'], 2: ['resourceVersion', 'string'] }],
  3: ['orphanDependents', 'bool*'],
  4: ['propagationPolicy', 'string'],
  5: ['dryRun', 'string', true],
  6: ['ignoreStoreReadErrorWithClusterBreakingPotential', 'bool*'],
};

export const objectReference: Schema = { 1: ['kind', 'string'], 2: ['namespace', 'string'], 3: ['name', 'string'], 4: ['uid', 'string'], 5: ['apiVersion', 'string'], 6: ['resourceVersion', 'string'], 7: ['fieldPath', 'string'] };

/** A status we never read from clients (create ignores status): decoded as {} like Go's zero struct. */
export const opaque: Schema = {};
