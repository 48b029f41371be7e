import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import { rfc3339 } from '../../api/clock';
import { podTemplateHash } from './go-hash';

/** pkg/controller/deployment/util: the pure parts of the deployment controller. */

export const REVISION = 'deployment.kubernetes.io/revision';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const POD_TEMPLATE_HASH = 'pod-template-hash';
/** Annotations of a Deployment never copied onto its ReplicaSets. */
const SKIP_COPY = new Set([REVISION, 'deployment.kubernetes.io/revision-history', DESIRED_REPLICAS, MAX_REPLICAS, 'deprecated.deployment.rollback.to', 'kubectl.kubernetes.io/last-applied-configuration']);

/** JSON with object keys sorted (a stable form for hashing and comparing). */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * controller.ComputeHash, byte-identical to kube-controller-manager 1.32 (see go-hash): FNV-32a of dump.ForHash of
 * the Go v1.PodTemplateSpec this template decodes to, then (when set) collisionCount as 8 little-endian bytes, as
 * rand.SafeEncodeString of the decimal sum.
 */
export function computeHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  return podTemplateHash(template, collisionCount);
}

/** EqualIgnoreHash: templates equal once the pod-template-hash label is dropped from both. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  const strip = (t: PodTemplateSpec | undefined) => {
    const c = structuredClone(t ?? {});
    if (c.metadata?.labels) {
      delete c.metadata.labels[POD_TEMPLATE_HASH];
      if (!Object.keys(c.metadata.labels).length) delete c.metadata.labels;
    }
    return canonical(c);
  };
  return strip(a) === strip(b);
}

/** intstr.GetScaledValueFromIntOrPercent. */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean, dflt: string): number {
  const val = v ?? dflt;
  if (typeof val === 'number') return val;
  const m = /^(\d+)%$/.exec(val);
  if (!m) return Number(val) || 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

const replicasOf = (d: Deployment) => d.spec?.replicas ?? 1;
const isRolling = (d: Deployment) => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

/** ResolveFenceposts: surge rounds up, unavailable down; both 0 → unavailable 1. */
export function fenceposts(d: Deployment): { surge: number; unavailable: number } {
  const ru = d.spec?.strategy?.rollingUpdate;
  const surge = scaledValue(ru?.maxSurge, replicasOf(d), true, '25%');
  let unavailable = scaledValue(ru?.maxUnavailable, replicasOf(d), false, '25%');
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function maxSurge(d: Deployment): number {
  return isRolling(d) ? fenceposts(d).surge : 0;
}

export function maxUnavailable(d: Deployment): number {
  if (!isRolling(d) || replicasOf(d) === 0) return 0;
  return Math.min(fenceposts(d).unavailable, replicasOf(d));
}

export const rsReplicas = (rs: ReplicaSet | undefined) => rs?.spec?.replicas ?? 0;
export const sum = (rss: (ReplicaSet | undefined)[], f: (rs: ReplicaSet) => number | undefined) => rss.reduce((n, rs) => n + (rs ? (f(rs) ?? 0) : 0), 0);
export const revisionOf = (o: { metadata?: { annotations?: Record<string, string> } } | undefined) => Number(o?.metadata?.annotations?.[REVISION] ?? 0) || 0;
export const byCreation = (a: ReplicaSet, b: ReplicaSet) =>
  (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? '') || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');

/** NewRSNewReplicas: the new RS's target size this step (RollingUpdate: bounded by maxSurge; Recreate: all). */
export function newRSNewReplicas(d: Deployment, all: ReplicaSet[], newRS: ReplicaSet): number {
  if (!isRolling(d)) return replicasOf(d);
  const maxTotal = replicasOf(d) + maxSurge(d);
  const current = sum(all, (rs) => rs.spec?.replicas);
  if (current >= maxTotal) return rsReplicas(newRS);
  return rsReplicas(newRS) + Math.min(maxTotal - current, replicasOf(d) - rsReplicas(newRS));
}

/** SetReplicasAnnotations on a copy's annotations; true if anything changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = (rs.metadata!.annotations ??= {});
  const changed = a[DESIRED_REPLICAS] !== String(desired) || a[MAX_REPLICAS] !== String(max);
  a[DESIRED_REPLICAS] = String(desired);
  a[MAX_REPLICAS] = String(max);
  return changed;
}

/** SetNewReplicaSetAnnotations: copies the deployment's annotations, raises the revision; replica annotations only on a new RS. */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: string, exists: boolean): boolean {
  const a = (rs.metadata!.annotations ??= {});
  const before = canonical(a);
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) if (!SKIP_COPY.has(k)) a[k] = v;
  if (revisionOf(rs) < Number(newRevision)) a[REVISION] = newRevision;
  if (!exists) setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d));
  return canonical(a) !== before;
}

/** getReplicaSetFraction / GetProportion: this RS's share of a scaling delta during a rollout. */
export function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (!rsReplicas(rs) || !toAdd || toAdd === added) return 0;
  let fraction: number;
  if (replicasOf(d) === 0) fraction = -rsReplicas(rs);
  else {
    const target = replicasOf(d) + maxSurge(d);
    const annotated = Number(rs.metadata?.annotations?.[MAX_REPLICAS]);
    const base = Number.isInteger(annotated) && rs.metadata?.annotations?.[MAX_REPLICAS] !== undefined ? annotated : (d.status?.replicas ?? 0);
    fraction = Math.round((rsReplicas(rs) * target) / base) - rsReplicas(rs);
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

export const condition = (s: DeploymentStatus | undefined, type: string) => s?.conditions?.find((c) => c.type === type);

/** SetDeploymentCondition: no-op if status and reason are unchanged; keeps lastTransitionTime if status is; appends. */
export function setCondition(s: DeploymentStatus, c: DeploymentCondition): void {
  const cur = condition(s, c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  if (cur && cur.status === c.status) c.lastTransitionTime = cur.lastTransitionTime;
  s.conditions = [...(s.conditions ?? []).filter((x) => x.type !== c.type), c];
}

export function newCondition(type: string, status: string, reason: string, message: string, now: number): DeploymentCondition {
  const t = rfc3339(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

/** DeploymentComplete. */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const r = replicasOf(d);
  return (s.updatedReplicas ?? 0) === r && (s.replicas ?? 0) === r && (s.availableReplicas ?? 0) === r && (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
}

/** DeploymentProgressing: more updated/ready/available replicas, or fewer old ones, than the stored status. */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const o = d.status ?? {};
  const oldOld = (o.replicas ?? 0) - (o.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (o.updatedReplicas ?? 0) || newOld < oldOld || (s.readyReplicas ?? 0) > (o.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (o.availableReplicas ?? 0);
}

/** The apiserver defaults progressDeadlineSeconds to 600; MaxInt32 means no deadline. */
export const hasProgressDeadline = (d: Deployment) => d.spec?.progressDeadlineSeconds !== 2147483647;
export const progressDeadlineMs = (d: Deployment) => (d.spec?.progressDeadlineSeconds ?? 600) * 1000;
