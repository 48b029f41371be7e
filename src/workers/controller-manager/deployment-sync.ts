import type { Deployment, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { ApiError } from '../../api/status';
import type { Result } from '../../client/controller';
import type { ControllerContext } from './controller-context';
import {
  byCreation, canonical, computeHash, condition, deploymentComplete, DESIRED_REPLICAS, equalIgnoreHash, hasProgressDeadline,
  maxSurge, maxUnavailable, newCondition, newRSNewReplicas, POD_TEMPLATE_HASH, proportion, REVISION, revisionOf, rsReplicas,
  setCondition, setNewReplicaSetAnnotations, setReplicasAnnotations, sum,
} from './deployment-util';
import { calculateDeploymentStatus, compactStatus, rolloutStatus, stuckRequeue } from './deployment-status';
import { newControllerRef } from './pod-utils';
import { Deployments, ReplicaSets } from '../../api/resources';

const PROGRESSING = 'Progressing';
const errMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * One syncDeployment pass (pkg/controller/deployment) over a deployment and the ReplicaSets it owns. Every write
 * replaces the local copy, so later steps of the pass see it; conflicts throw (the caller requeues with backoff).
 * Order: deleting → status only; paused conditions; paused or a scaling event → proportional scale (+ history
 * cleanup when paused); else Recreate or RollingUpdate. Returns requeueAfter for a progress-deadline check.
 */
export class DeploymentSync {
  private d: Deployment;

  constructor(
    private readonly ctx: ControllerContext,
    deployment: Deployment,
    private rsList: ReplicaSet[],
    private readonly podsOf: (rs: ReplicaSet) => Pod[],
  ) {
    this.d = structuredClone(deployment);
  }

  private get replicas() {
    return this.d.spec?.replicas ?? 1;
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string) {
    this.ctx.recorder.event({ kind: 'Deployment', apiVersion: 'apps/v1', metadata: this.d.metadata }, type, reason, message);
  }

  async run(): Promise<Result | void> {
    if (this.d.metadata?.deletionTimestamp) return this.syncStatusOnly();
    await this.checkPausedConditions();
    if (this.d.spec?.paused || (await this.isScalingEvent())) return this.sync();
    return this.d.spec?.strategy?.type === 'Recreate' ? this.rolloutRecreate() : this.rolloutRolling();
  }

  // ---- writes ----
  private async writeStatus(status: DeploymentStatus): Promise<void> {
    this.d = await this.ctx.client.update<Deployment>(Deployments, { ...this.d, status: compactStatus(status) }, 'status');
  }

  private async updateRS(rs: ReplicaSet): Promise<ReplicaSet> {
    const updated = await this.ctx.client.update<ReplicaSet>(ReplicaSets, rs);
    this.rsList = this.rsList.map((x) => (x.metadata?.uid === updated.metadata?.uid ? updated : x));
    return updated;
  }

  private async setDeploymentRevision(rev: string): Promise<void> {
    if (!rev || this.d.metadata?.annotations?.[REVISION] === rev) return;
    // An update, as kube's deployment controller writes it (its role may update deployments, not patch them).
    const patched = await this.ctx.client.update<Deployment>(Deployments, { ...this.d, metadata: { ...this.d.metadata, annotations: { ...this.d.metadata?.annotations, [REVISION]: rev } } });
    this.d = { ...patched, status: this.d.status };
  }

  // ---- new and old ReplicaSets ----
  private async getAll(create: boolean): Promise<{ newRS?: ReplicaSet; old: ReplicaSet[] }> {
    const existing = [...this.rsList].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, this.d.spec?.template));
    const old = this.rsList.filter((rs) => rs !== existing);
    const newRS = await this.getNewReplicaSet(existing, old, create);
    return { newRS, old: this.rsList.filter((rs) => rs.metadata?.uid !== newRS?.metadata?.uid) };
  }

  private async getNewReplicaSet(existing: ReplicaSet | undefined, old: ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
    const d = this.d;
    const newRevision = String(Math.max(0, ...old.map(revisionOf)) + 1);
    if (existing) {
      const copy = structuredClone(existing);
      const annotationsChanged = setNewReplicaSetAnnotations(d, copy, newRevision, true);
      if (annotationsChanged || (copy.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0)) {
        copy.spec = { ...copy.spec!, minReadySeconds: d.spec?.minReadySeconds };
        existing = await this.updateRS(copy);
      }
      await this.setDeploymentRevision(existing.metadata?.annotations?.[REVISION] ?? '');
      if (!condition(this.d.status, PROGRESSING)) {
        const s = structuredClone(this.d.status ?? {});
        setCondition(s, newCondition(PROGRESSING, 'True', 'FoundNewReplicaSet', `Found new replica set "${existing.metadata?.name}"`, this.ctx.clock.now()));
        await this.writeStatus(s);
      }
      return existing;
    }
    if (!create) return undefined;
    const template = structuredClone(d.spec?.template ?? {});
    const hash = computeHash(d.spec?.template, d.status?.collisionCount);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH]: hash } };
    const selector = structuredClone(d.spec?.selector ?? {});
    selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH]: hash };
    const name = `${d.metadata?.name}-${hash}`;
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name, namespace: d.metadata?.namespace, labels: template.metadata.labels, ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')] },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds, selector, template },
    };
    rs.spec!.replicas = newRSNewReplicas(d, [...old, rs], rs);
    setNewReplicaSetAnnotations(d, rs, newRevision, false);
    let created: ReplicaSet;
    try {
      created = await this.ctx.client.create<ReplicaSet>(ReplicaSets, rs, d.metadata?.namespace);
    } catch (err) {
      if (err instanceof ApiError && err.code === 409) {
        const found = await this.ctx.client.get<ReplicaSet>(ReplicaSets, name, d.metadata?.namespace);
        const ref = found.metadata?.ownerReferences?.find((o) => o.controller);
        if (ref?.uid === d.metadata?.uid && equalIgnoreHash(found.spec?.template, d.spec?.template)) return found;
        await this.writeStatus({ ...this.d.status, collisionCount: (this.d.status?.collisionCount ?? 0) + 1 });
        throw err;
      }
      const msg = `Failed to create new replica set "${name}": ${errMessage(err)}`;
      this.event('Warning', 'ReplicaSetCreateError', msg);
      const s = structuredClone(this.d.status ?? {});
      setCondition(s, newCondition(PROGRESSING, 'False', 'ReplicaSetCreateError', msg, this.ctx.clock.now()));
      await this.writeStatus(s);
      throw err;
    }
    this.rsList = [...this.rsList, created];
    if (rsReplicas(created) > 0) this.event('Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} to ${rsReplicas(created)}`);
    await this.setDeploymentRevision(newRevision);
    const s = structuredClone(this.d.status ?? {});
    setCondition(s, newCondition(PROGRESSING, 'True', 'NewReplicaSetCreated', `Created new replica set "${name}"`, this.ctx.clock.now()));
    await this.writeStatus(s);
    return created;
  }

  // ---- scaling ----
  private async scaleRS(rs: ReplicaSet, newScale: number): Promise<boolean> {
    const oldScale = rsReplicas(rs);
    const copy = structuredClone(rs);
    const annotationsChanged = setReplicasAnnotations(copy, this.replicas, this.replicas + maxSurge(this.d));
    if (oldScale === newScale && !annotationsChanged) return false;
    copy.spec = { ...copy.spec!, replicas: newScale };
    await this.updateRS(copy);
    if (oldScale !== newScale) this.event('Normal', 'ScalingReplicaSet', `Scaled ${oldScale < newScale ? 'up' : 'down'} replica set ${rs.metadata?.name} to ${newScale} from ${oldScale}`);
    return oldScale !== newScale;
  }

  private scaleAndRecord(rs: ReplicaSet, newScale: number): Promise<boolean> {
    return rsReplicas(rs) === newScale ? Promise.resolve(false) : this.scaleRS(rs, newScale);
  }

  private current(rs: ReplicaSet | undefined): ReplicaSet | undefined {
    return rs && this.rsList.find((x) => x.metadata?.uid === rs.metadata?.uid);
  }

  /** dc.scale: all replicas on the one active (or latest) RS, or a saturated new RS; else proportionally by size. */
  private async scale(newRS: ReplicaSet | undefined, old: ReplicaSet[]): Promise<void> {
    const active = [...old, ...(newRS ? [newRS] : [])].filter((rs) => rsReplicas(rs) > 0);
    const newestOld = [...old].sort(byCreation).reverse();
    const only = active.length === 1 ? active[0] : active.length === 0 ? (newRS ?? newestOld[0]) : undefined;
    if (only) {
      if (rsReplicas(only) !== this.replicas) await this.scaleAndRecord(only, this.replicas);
      return;
    }
    const saturated = newRS && rsReplicas(newRS) === this.replicas && newRS.metadata?.annotations?.[DESIRED_REPLICAS] === String(this.replicas) && (newRS.status?.availableReplicas ?? 0) === this.replicas;
    if (saturated) {
      for (const rs of old) await this.scaleAndRecord(this.current(rs)!, 0);
      return;
    }
    if (this.d.spec?.strategy?.type === 'Recreate') return;
    const all = active;
    const allowed = this.replicas > 0 ? this.replicas + maxSurge(this.d) : 0;
    const toAdd = allowed - sum(all, (rs) => rs.spec?.replicas);
    const newer = (a: ReplicaSet, b: ReplicaSet) => rsReplicas(b) - rsReplicas(a) || byCreation(b, a);
    const older = (a: ReplicaSet, b: ReplicaSet) => rsReplicas(b) - rsReplicas(a) || byCreation(a, b);
    if (toAdd > 0) all.sort(newer);
    else if (toAdd < 0) all.sort(older);
    const sizes = new Map<ReplicaSet, number>();
    let added = 0;
    for (const rs of all) {
      const p = toAdd ? proportion(rs, this.d, toAdd, added) : 0;
      sizes.set(rs, rsReplicas(rs) + p);
      added += p;
    }
    if (toAdd && all.length) sizes.set(all[0], Math.max(0, sizes.get(all[0])! + toAdd - added));
    for (const rs of all) await this.scaleRS(this.current(rs)!, sizes.get(rs)!);
  }

  private async isScalingEvent(): Promise<boolean> {
    const { newRS, old } = await this.getAll(false);
    return [...old, ...(newRS ? [newRS] : [])].some((rs) => {
      const desired = rs.metadata?.annotations?.[DESIRED_REPLICAS];
      return rsReplicas(rs) > 0 && desired !== undefined && Number(desired) !== this.replicas;
    });
  }

  private async sync(): Promise<Result | void> {
    const { newRS, old } = await this.getAll(false);
    await this.scale(newRS, old);
    if (this.d.spec?.paused) await this.cleanup(old);
    return this.syncDeploymentStatus();
  }

  private async syncStatusOnly(): Promise<void> {
    await this.getAll(false);
    await this.syncDeploymentStatus();
  }

  private async checkPausedConditions(): Promise<void> {
    if (!hasProgressDeadline(this.d)) return;
    const cond = condition(this.d.status, PROGRESSING);
    if (cond?.reason === 'ProgressDeadlineExceeded') return;
    const pausedCond = cond?.reason === 'DeploymentPaused';
    const s = structuredClone(this.d.status ?? {});
    const now = this.ctx.clock.now();
    if (this.d.spec?.paused && !pausedCond) setCondition(s, newCondition(PROGRESSING, 'Unknown', 'DeploymentPaused', 'Deployment is paused', now));
    else if (!this.d.spec?.paused && pausedCond) setCondition(s, newCondition(PROGRESSING, 'Unknown', 'DeploymentResumed', 'Deployment is resumed', now));
    else return;
    await this.writeStatus(s);
  }

  /** cleanupDeployment: deletes the oldest fully scaled-down old RSes beyond revisionHistoryLimit (default 10). */
  private async cleanup(old: ReplicaSet[]): Promise<void> {
    const limit = this.d.spec?.revisionHistoryLimit ?? 10;
    const cleanable = old.map((rs) => this.current(rs)!).filter((rs) => rs && !rs.metadata?.deletionTimestamp);
    const diff = cleanable.length - limit;
    if (diff <= 0) return;
    cleanable.sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    for (const rs of cleanable.slice(0, diff)) {
      if (rs.status?.replicas || rsReplicas(rs) || (rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      try {
        await this.ctx.client.delete(ReplicaSets, rs.metadata!.name!, rs.metadata?.namespace);
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      }
    }
  }

  // ---- rollouts ----
  private async rolloutRolling(): Promise<Result | void> {
    const { newRS, old } = await this.getAll(true);
    const nrs = this.current(newRS)!;
    if (rsReplicas(nrs) !== this.replicas) {
      const target = rsReplicas(nrs) > this.replicas ? this.replicas : newRSNewReplicas(this.d, this.rsList, nrs);
      if (await this.scaleAndRecord(nrs, target)) return this.syncRolloutStatus();
    }
    if (await this.reconcileOld(old.filter((rs) => rsReplicas(this.current(rs)) > 0), nrs)) return this.syncRolloutStatus();
    if (deploymentComplete(this.d, this.d.status ?? {})) await this.cleanup(old);
    return this.syncRolloutStatus();
  }

  /** reconcileOldReplicaSets: clean up unhealthy old replicas, then scale old RSes down while minAvailable holds. */
  private async reconcileOld(oldActive: ReplicaSet[], nrs: ReplicaSet): Promise<boolean> {
    if (!sum(oldActive.map((rs) => this.current(rs)), (rs) => rs.spec?.replicas)) return false;
    const newRS = this.current(nrs);
    const minAvailable = this.replicas - maxUnavailable(this.d);
    const newUnavailable = rsReplicas(newRS) - (newRS?.status?.availableReplicas ?? 0);
    const maxScaledDown = sum(this.rsList, (rs) => rs.spec?.replicas) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    let cleaned = 0;
    for (const rs0 of [...oldActive].sort(byCreation)) {
      const rs = this.current(rs0)!;
      if (cleaned >= maxScaledDown) break;
      const unhealthy = rsReplicas(rs) - (rs.status?.availableReplicas ?? 0);
      if (!rsReplicas(rs) || unhealthy <= 0) continue;
      const n = Math.min(maxScaledDown - cleaned, unhealthy);
      await this.scaleAndRecord(rs, rsReplicas(rs) - n);
      cleaned += n;
    }
    const available = sum(this.rsList, (rs) => rs.status?.availableReplicas);
    let scaledDown = 0;
    if (available > minAvailable) {
      const total = available - minAvailable;
      for (const rs0 of [...oldActive].sort(byCreation)) {
        const rs = this.current(rs0)!;
        if (scaledDown >= total) break;
        if (!rsReplicas(rs)) continue;
        const n = Math.min(rsReplicas(rs), total - scaledDown);
        await this.scaleAndRecord(rs, rsReplicas(rs) - n);
        scaledDown += n;
      }
    }
    return cleaned + scaledDown > 0;
  }

  private async rolloutRecreate(): Promise<Result | void> {
    let { newRS, old } = await this.getAll(false);
    let scaledDown = false;
    for (const rs of old) if (rsReplicas(this.current(rs)) > 0) scaledDown = (await this.scaleAndRecord(this.current(rs)!, 0)) || scaledDown;
    if (scaledDown) return this.syncRolloutStatus();
    const oldRunning = sum(old.map((rs) => this.current(rs)), (rs) => rs.status?.replicas) > 0 || old.some((rs) => this.podsOf(rs).some((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded'));
    if (oldRunning) return this.syncRolloutStatus();
    if (!newRS) ({ newRS, old } = await this.getAll(true));
    await this.scaleAndRecord(this.current(newRS)!, this.replicas);
    if (deploymentComplete(this.d, this.d.status ?? {})) await this.cleanup(old);
    return this.syncRolloutStatus();
  }

  // ---- status ----
  private async syncDeploymentStatus(): Promise<void> {
    const s = calculateDeploymentStatus(this.d, this.rsList, this.ctx.clock.now());
    if (canonical(compactStatus(this.d.status ?? {})) !== canonical(compactStatus(s))) await this.writeStatus(s);
  }

  private async syncRolloutStatus(): Promise<Result | void> {
    const now = this.ctx.clock.now();
    const s = rolloutStatus(this.d, this.rsList, now);
    if (canonical(compactStatus(this.d.status ?? {})) !== canonical(compactStatus(s))) return void (await this.writeStatus(s));
    return stuckRequeue(this.d, s, now);
  }
}
