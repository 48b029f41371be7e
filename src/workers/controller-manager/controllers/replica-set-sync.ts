import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { Condition, OwnerReference } from 'kubernetes-types/meta/v1';
import { rfc3339 } from '../../../api/clock';
import { metaKey, objectKey, Pods, type ResourceRef } from '../../../api/resources';
import { ApiError } from '../../../api/status';
import type { LabelMatcher } from '../../../client/labels';
import type { ControllerContext, ControllerDef, ControllerDescriptor } from '../controller-context';
import { ControllerExpectations } from '../controller-expectations';
import { podsToDelete } from '../pod-ranking';
import { controllerRefOf, isPodActive, isPodAvailable, isPodReady, newControllerRef, podAvailableAt, podFromTemplate } from '../pod-utils';

/** kube's BurstReplicas: at most this many pods created or deleted per sync. */
export const BURST_REPLICAS = 500;

/** What the ReplicaSet and ReplicationController controllers have in common. */
export interface ReplicaOwner {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; uid?: string; generation?: number; resourceVersion?: string; deletionTimestamp?: string; labels?: Record<string, string> };
  spec?: { replicas?: number; minReadySeconds?: number; template?: PodTemplateSpec; selector?: unknown };
  status?: ReplicaStatus;
}

export interface ReplicaStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: Condition[];
}

export interface ReplicaKind {
  name: string;
  component: string;
  ref: ResourceRef;
  apiVersion: string;
  /** The compiled selector of an owner (null/undefined selectors match nothing). */
  selector(owner: ReplicaOwner): LabelMatcher;
}

/** Drops zero counts (Go's omitempty) except replicas, which is always written. */
function compact(s: ReplicaStatus): ReplicaStatus {
  const out: ReplicaStatus = { replicas: s.replicas };
  if (s.fullyLabeledReplicas) out.fullyLabeledReplicas = s.fullyLabeledReplicas;
  if (s.readyReplicas) out.readyReplicas = s.readyReplicas;
  if (s.availableReplicas) out.availableReplicas = s.availableReplicas;
  if (s.observedGeneration) out.observedGeneration = s.observedGeneration;
  if (s.conditions?.length) out.conditions = s.conditions;
  return out;
}

const errMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The ReplicaSet/ReplicationController sync loop (pkg/controller/replicaset), per owner key:
 * - claims active pods in its namespace: adopts orphans its selector matches (adds a controller ownerReference),
 *   releases pods it owns that no longer match (removes it); pods owned by others are ignored;
 * - when its expectations are satisfied and it is not being deleted, creates (slow-start batches 1, 2, 4, …,
 *   generateName "<owner>-", stopping at the first failing batch) or deletes (in ActivePods ranking) up to 500 pods,
 *   recording SuccessfulCreate "Created pod: NAME" / FailedCreate "Error creating: …" / SuccessfulDelete
 *   "Deleted pod: NAME" / FailedDelete "Error deleting: …";
 * - writes status (replicas, fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration, a
 *   ReplicaFailure condition FailedCreate/FailedDelete while creating/deleting fails) only when it changed;
 * - requeues for minReadySeconds when pods are ready but not yet available. A create/delete error is rethrown
 *   after status is written (rate-limited retry).
 */
export function replicaSetLikeController(k: ReplicaKind): ControllerDescriptor {
  return {
    name: k.name,
    component: k.component,
    requires: [k.ref],
    setup(ctx: ControllerContext): ControllerDef {
      const owners = ctx.factory.informerFor<ReplicaOwner>(k.ref);
      const pods = ctx.factory.informerFor<Pod>(Pods);
      const exp = new ControllerExpectations(ctx.clock);
      const ownerOf = (pod: Pod, ref: OwnerReference | undefined = controllerRefOf(pod)): string | undefined => {
        if (!ref || ref.kind !== k.ref.kind || ref.apiVersion !== k.apiVersion) return undefined;
        const key = objectKey(pod.metadata?.namespace, ref.name);
        return owners.lister().get(key)?.metadata?.uid === ref.uid ? key : undefined;
      };
      const enqueueMatching = (pod: Pod) => {
        for (const o of owners.lister().list(pod.metadata?.namespace)) if (k.selector(o)(pod.metadata?.labels)) ctx.queue.add(metaKey(o));
      };
      const onPodDelete = (pod: Pod) => {
        const key = ownerOf(pod);
        if (!key) return;
        exp.deletionObserved(key, metaKey(pod));
        ctx.queue.add(key);
      };
      const subs = [
        owners.addEventHandler({ onAdd: (o) => ctx.queue.add(metaKey(o)), onUpdate: (_a, o) => ctx.queue.add(metaKey(o)), onDelete: (o) => ctx.queue.add(metaKey(o)) }),
        pods.addEventHandler({
          onAdd(pod) {
            if (pod.metadata?.deletionTimestamp) return onPodDelete(pod);
            const key = ownerOf(pod);
            if (key) {
              exp.creationObserved(key);
              ctx.queue.add(key);
            } else if (!controllerRefOf(pod)) enqueueMatching(pod);
          },
          onUpdate(old, pod) {
            if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
            if (pod.metadata?.deletionTimestamp && !old.metadata?.deletionTimestamp) onPodDelete(pod);
            const oldRef = controllerRefOf(old);
            const ref = controllerRefOf(pod);
            if (oldRef && oldRef.uid !== ref?.uid) {
              const oldKey = ownerOf(old, oldRef);
              if (oldKey) ctx.queue.add(oldKey);
            }
            const key = ownerOf(pod, ref);
            if (key) {
              ctx.queue.add(key);
              const minReady = owners.lister().get(key)?.spec?.minReadySeconds ?? 0;
              const at = minReady > 0 && !isPodReady(old) && isPodReady(pod) ? podAvailableAt(pod, minReady) : undefined;
              if (at !== undefined) ctx.queue.addAfter(key, at - ctx.clock.now());
            } else if (!ref && (JSON.stringify(old.metadata?.labels) !== JSON.stringify(pod.metadata?.labels) || oldRef)) enqueueMatching(pod);
          },
          onDelete: onPodDelete,
        }),
      ];
      const subject = (o: ReplicaOwner) => ({ kind: k.ref.kind, apiVersion: k.apiVersion, metadata: o.metadata });

      async function claim(owner: ReplicaOwner, match: LabelMatcher): Promise<Pod[]> {
        const owned: Pod[] = [];
        const uid = owner.metadata?.uid;
        for (const pod of pods.lister().list(owner.metadata?.namespace)) {
          if (!isPodActive(pod)) continue;
          const ref = controllerRefOf(pod);
          const refs = pod.metadata?.ownerReferences ?? [];
          const patch = (ownerReferences: OwnerReference[]) =>
            ctx.client.patch<Pod>(Pods, pod.metadata!.name!, pod.metadata!.namespace, 'merge', { metadata: { ownerReferences, resourceVersion: pod.metadata?.resourceVersion } }).catch((err) => {
              if (!(err instanceof ApiError && err.code === 404)) throw err;
              return undefined;
            });
          if (ref) {
            if (ref.uid !== uid) continue;
            if (match(pod.metadata?.labels)) owned.push(pod);
            else if (!owner.metadata?.deletionTimestamp) await patch(refs.filter((r) => r.uid !== uid));
          } else if (match(pod.metadata?.labels) && !owner.metadata?.deletionTimestamp) {
            const adopted = await patch([...refs, newControllerRef(owner, k.apiVersion, k.ref.kind)]);
            if (adopted) owned.push(adopted);
          }
        }
        return owned;
      }

      async function manage(key: string, owner: ReplicaOwner, active: Pod[]): Promise<void> {
        const ns = owner.metadata?.namespace ?? 'default';
        const diff = active.length - (owner.spec?.replicas ?? 1);
        if (diff < 0) {
          let remaining = Math.min(-diff, BURST_REPLICAS);
          exp.expectCreations(key, remaining);
          const ref = newControllerRef(owner, k.apiVersion, k.ref.kind);
          for (let batch = 1; remaining > 0; batch *= 2) {
            const size = Math.min(batch, remaining);
            remaining -= size;
            const results = await Promise.allSettled(Array.from({ length: size }, () => ctx.client.create<Pod>(Pods, podFromTemplate(owner.spec?.template, ns, owner.metadata?.name ?? '', ref), ns)));
            let failure: unknown;
            for (const r of results) {
              if (r.status === 'fulfilled') ctx.recorder.event(subject(owner), 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata?.name}`);
              else {
                exp.creationObserved(key);
                failure ??= r.reason;
                ctx.recorder.event(subject(owner), 'Warning', 'FailedCreate', `Error creating: ${errMessage(r.reason)}`);
              }
            }
            if (failure) {
              for (let i = 0; i < remaining; i++) exp.creationObserved(key);
              throw failure;
            }
          }
        } else if (diff > 0) {
          const victims = podsToDelete(active, active, Math.min(diff, BURST_REPLICAS), ctx.clock.now());
          exp.expectDeletions(key, victims.map(metaKey));
          const results = await Promise.allSettled(victims.map((p) => ctx.client.delete(Pods, p.metadata!.name!, ns)));
          let failure: unknown;
          results.forEach((r, i) => {
            const name = victims[i].metadata?.name;
            if (r.status === 'fulfilled') return ctx.recorder.event(subject(owner), 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
            exp.deletionObserved(key, metaKey(victims[i]));
            if (r.reason instanceof ApiError && r.reason.code === 404) return;
            failure ??= r.reason;
            ctx.recorder.event(subject(owner), 'Warning', 'FailedDelete', `Error deleting: ${errMessage(r.reason)}`);
          });
          if (failure) throw failure;
        }
      }

      function calculateStatus(owner: ReplicaOwner, active: Pod[], err: unknown): ReplicaStatus {
        const now = ctx.clock.now();
        const tmpl = Object.entries(owner.spec?.template?.metadata?.labels ?? {});
        const minReady = owner.spec?.minReadySeconds ?? 0;
        let conditions = [...(owner.status?.conditions ?? [])];
        const failing = conditions.some((c) => c.type === 'ReplicaFailure');
        if (err && !failing) {
          const diff = active.length - (owner.spec?.replicas ?? 1);
          const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
          conditions.push({ type: 'ReplicaFailure', status: 'True', lastTransitionTime: rfc3339(now), reason, message: errMessage(err) });
        } else if (!err && failing) conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
        return compact({
          replicas: active.length,
          fullyLabeledReplicas: active.filter((p) => tmpl.every(([l, v]) => p.metadata?.labels?.[l] === v)).length,
          readyReplicas: active.filter(isPodReady).length,
          availableReplicas: active.filter((p) => isPodAvailable(p, minReady, now)).length,
          observedGeneration: owner.metadata?.generation,
          conditions,
        });
      }

      async function writeStatus(owner: ReplicaOwner, status: ReplicaStatus): Promise<void> {
        if (JSON.stringify(compact(owner.status ?? { replicas: 0 })) === JSON.stringify(status)) return;
        try {
          await ctx.client.update(k.ref, { ...owner, status }, 'status');
        } catch (err) {
          if (err instanceof ApiError && err.code === 404) return;
          if (!(err instanceof ApiError && err.code === 409)) throw err;
          const fresh = await ctx.client.get<ReplicaOwner>(k.ref, owner.metadata!.name!, owner.metadata?.namespace);
          await ctx.client.update(k.ref, { ...fresh, status }, 'status');
        }
      }

      async function reconcile(key: string) {
        const owner = owners.lister().get(key);
        if (!owner) return void exp.delete(key);
        const needsSync = exp.satisfied(key);
        const active = await claim(owner, k.selector(owner));
        let err: unknown;
        if (needsSync && !owner.metadata?.deletionTimestamp) {
          try {
            await manage(key, owner, active);
          } catch (e) {
            err = e;
          }
        }
        const status = calculateStatus(owner, active, err);
        await writeStatus(owner, status);
        if (err) throw err;
        const replicas = owner.spec?.replicas ?? 1;
        const minReady = owner.spec?.minReadySeconds ?? 0;
        if (minReady > 0 && (status.readyReplicas ?? 0) === replicas && (status.availableReplicas ?? 0) !== replicas) {
          const ats = active.map((p) => podAvailableAt(p, minReady)).filter((t): t is number => t !== undefined && t > ctx.clock.now());
          return { requeueAfter: ats.length ? Math.min(...ats) - ctx.clock.now() : minReady * 1000 };
        }
      }

      return { reconcile, workers: 2, disposables: subs };
    },
  };
}
