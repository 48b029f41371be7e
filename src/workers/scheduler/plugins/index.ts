/**
 * Scheduler plugins, one per file, and the default profile in kube-scheduler's filter order
 * (NodeUnschedulable, NodeName, TaintToleration, NodeReady, NodeAffinity; score LeastLoaded).
 */
import type { Profile } from '../framework';
import { LeastLoaded } from './least-loaded';
import { NodeAffinity } from './node-affinity';
import { NodeName } from './node-name';
import { NodeReady } from './node-ready';
import { NodeUnschedulable } from './node-unschedulable';
import { TaintToleration } from './taint-toleration';

export * from './least-loaded';
export * from './node-affinity';
export * from './node-name';
export * from './node-ready';
export * from './node-unschedulable';
export * from './taint-toleration';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export function defaultProfile(): Profile {
  return {
    schedulerName: DEFAULT_SCHEDULER_NAME,
    filters: [NodeUnschedulable, NodeName, TaintToleration, NodeReady, NodeAffinity],
    scores: [LeastLoaded],
  };
}
