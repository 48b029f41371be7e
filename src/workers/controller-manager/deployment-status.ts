import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Result } from '../../client/controller';
import {
  byCreation, condition, deploymentComplete, deploymentProgressing, equalIgnoreHash, hasProgressDeadline, maxUnavailable, newCondition,
  progressDeadlineMs, setCondition, sum,
} from './deployment-util';

const PROGRESSING = 'Progressing';

/** Drops zero/empty fields (Go's omitempty on DeploymentStatus). */
export function compactStatus(s: DeploymentStatus): DeploymentStatus {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) if (v !== undefined && v !== 0 && !(Array.isArray(v) && !v.length)) out[k] = v;
  return out as DeploymentStatus;
}

/** FindNewReplicaSet: the oldest RS whose template equals the deployment's (ignoring pod-template-hash). */
export function findNewReplicaSet(d: Deployment, rsList: ReplicaSet[]): ReplicaSet | undefined {
  return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** calculateStatus: counts from the ReplicaSets' status, and the Available condition against maxUnavailable. */
export function calculateDeploymentStatus(d: Deployment, all: ReplicaSet[], now: number): DeploymentStatus {
  const newRS = findNewReplicaSet(d, all);
  const available = sum(all, (rs) => rs.status?.availableReplicas);
  const s: DeploymentStatus = {
    observedGeneration: d.metadata?.generation,
    replicas: sum(all, (rs) => rs.status?.replicas),
    updatedReplicas: sum([newRS], (rs) => rs.status?.replicas),
    readyReplicas: sum(all, (rs) => rs.status?.readyReplicas),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sum(all, (rs) => rs.spec?.replicas) - available),
    collisionCount: d.status?.collisionCount,
    conditions: structuredClone(d.status?.conditions ?? []),
  };
  if (available >= (d.spec?.replicas ?? 1) - maxUnavailable(d)) setCondition(s, newCondition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now));
  else setCondition(s, newCondition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now));
  return s;
}

/** DeploymentTimedOut: the Progressing condition was last updated more than progressDeadlineSeconds ago. */
function timedOut(d: Deployment, s: DeploymentStatus, now: number): boolean {
  const c = condition(s, PROGRESSING);
  if (!hasProgressDeadline(d) || !c || c.reason === 'NewReplicaSetAvailable') return false;
  if (c.reason === 'ProgressDeadlineExceeded') return true;
  return Date.parse(c.lastUpdateTime ?? '') + progressDeadlineMs(d) < now;
}

/**
 * syncRolloutStatus's new status: calculateStatus plus Progressing (NewReplicaSetAvailable when complete,
 * ReplicaSetUpdated on progress — keeping lastTransitionTime while True —, ProgressDeadlineExceeded on timeout)
 * and ReplicaFailure mirrored from any ReplicaSet's.
 */
export function rolloutStatus(d: Deployment, all: ReplicaSet[], now: number): DeploymentStatus {
  const s = calculateDeploymentStatus(d, all, now);
  const rsName = findNewReplicaSet(d, all)?.metadata?.name;
  if (!hasProgressDeadline(d)) s.conditions = s.conditions?.filter((c) => c.type !== PROGRESSING);
  const cur = condition(s, PROGRESSING);
  const complete = s.replicas === s.updatedReplicas && cur?.reason === 'NewReplicaSetAvailable';
  if (hasProgressDeadline(d) && !complete) {
    if (deploymentComplete(d, s)) {
      setCondition(s, newCondition(PROGRESSING, 'True', 'NewReplicaSetAvailable', rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : 'Deployment has successfully progressed.', now));
    } else if (deploymentProgressing(d, s)) {
      const c = newCondition(PROGRESSING, 'True', 'ReplicaSetUpdated', rsName ? `ReplicaSet "${rsName}" is progressing.` : 'Deployment is progressing.', now);
      if (cur?.status === 'True') c.lastTransitionTime = cur.lastTransitionTime;
      s.conditions = [...(s.conditions ?? []).filter((x) => x.type !== PROGRESSING), c];
    } else if (timedOut(d, s, now)) {
      setCondition(s, newCondition(PROGRESSING, 'False', 'ProgressDeadlineExceeded', rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${d.metadata?.name}" has timed out progressing.`, now));
    }
  }
  const failure = all.map((rs) => rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure')).find(Boolean);
  if (failure) {
    const c: DeploymentCondition = newCondition('ReplicaFailure', failure.status, failure.reason ?? '', failure.message ?? '', now);
    setCondition(s, c);
  } else s.conditions = s.conditions?.filter((c) => c.type !== 'ReplicaFailure');
  return s;
}

/** requeueStuckDeployment: when an unchanged, unfinished rollout must be re-checked for its progress deadline. */
export function stuckRequeue(d: Deployment, s: DeploymentStatus, now: number): Result | void {
  const c = condition(s, PROGRESSING);
  if (!hasProgressDeadline(d) || !c || deploymentComplete(d, s) || c.reason === 'ProgressDeadlineExceeded') return;
  const after = Date.parse(c.lastUpdateTime ?? '') + progressDeadlineMs(d) - now;
  return { requeueAfter: after < 1000 ? Math.max(1, after + 1) : after + 1000 };
}
