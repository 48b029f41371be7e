/**
 * Scheduler plugins, one per file, and the default profile in kube-scheduler 1.32's order and weights.
 * Filters: NodeUnschedulable, NodeName, TaintToleration, NodeReady, NodeAffinity, NodePorts,
 * NodeResourcesFit, [VolumeRestrictions, VolumeBinding, VolumeZone — when given the scheduler's PVC/PV/StorageClass
 * listers], PodTopologySpread, InterPodAffinity; Reserve/PreBind: VolumeBinding. Scores (weight): TaintToleration 3,
 * NodeAffinity 2, NodeResourcesFit (LeastAllocated) 1, PodTopologySpread 2, InterPodAffinity 2,
 * NodeResourcesBalancedAllocation 1, ImageLocality 1. Each filter lists its EventsToRegister (FilterPlugin.events,
 * shared hints in event-hints.ts and find-pod-volumes.ts).
 */
import type { Pod } from 'kubernetes-types/core/v1';
import type { Profile } from '../framework';
import { ImageLocality } from './image-locality';
import { InterPodAffinity, InterPodAffinityScore } from './inter-pod-affinity';
import { NodeAffinity, NodeAffinityScore } from './node-affinity';
import { NodeName } from './node-name';
import { NodePorts } from './node-ports';
import { NodeReady } from './node-ready';
import { NodeResourcesBalancedAllocation, NodeResourcesFit, NodeResourcesLeastAllocated } from './node-resources-fit';
import { NodeUnschedulable } from './node-unschedulable';
import { PodTopologySpread, PodTopologySpreadScore } from './pod-topology-spread';
import { TaintToleration, TaintTolerationScore } from './taint-toleration';
import type { VolumeBinding } from './volume-binding';
import { volumeRestrictions } from './volume-restrictions';
import { volumeZone } from './volume-zone';

export * from './event-hints';
export * from './image-locality';
export * from './inter-pod-affinity';
export * from './node-affinity';
export * from './node-name';
export * from './node-ports';
export * from './node-ready';
export * from './node-resources-fit';
export * from './node-unschedulable';
export * from './pod-topology-spread';
export * from './resource-requests';
export * from './taint-toleration';
export * from './volume-binding';
export * from './find-pod-volumes';
export * from './volume-restrictions';
export * from './volume-zone';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export function isTerminated(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** volumes: the VolumeBinding instance over the scheduler's listers (without it, PVCs are not looked at). */
export function defaultProfile(volumes?: VolumeBinding): Profile {
  const volumeFilters = volumes ? [volumeRestrictions(volumes.listers), volumes.filter, volumeZone(volumes.listers)] : [];
  return {
    schedulerName: DEFAULT_SCHEDULER_NAME,
    filters: [NodeUnschedulable, NodeName, TaintToleration, NodeReady, NodeAffinity, NodePorts, NodeResourcesFit, ...volumeFilters, PodTopologySpread, InterPodAffinity],
    ...(volumes ? { reserve: [volumes.reserve] } : {}),
    scores: [TaintTolerationScore, NodeAffinityScore, NodeResourcesLeastAllocated, PodTopologySpreadScore, InterPodAffinityScore, NodeResourcesBalancedAllocation, ImageLocality],
  };
}
