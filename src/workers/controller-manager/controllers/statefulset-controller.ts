import type { ControllerRevision, StatefulSet, StatefulSetStatus } from 'kubernetes-types/apps/v1';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import { metaKey, objectKey, ControllerRevisions, PersistentVolumeClaims, Pods, StatefulSets } from '../../../api/resources';
import { ApiError } from '../../../api/status';
import { labelSelectorMatcher } from '../../../client/labels';
import type { ControllerContext, ControllerDef, ControllerDescriptor } from '../controller-context';
import { controllerRefOf, isPodAvailable, isPodReady, newControllerRef, podAvailableAt } from '../pod-utils';
import { claimName, compactSetStatus, newClaim, newRevision, newStatefulSetPod, ordinalOf, replicasOf, REVISION_LABEL, sameData, startOrdinal, templateOfRevision } from '../statefulset-util';

const errMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));
const isCode = (err: unknown, code: number) => err instanceof ApiError && err.code === code;
const isFailed = (p: Pod) => p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded';
const isTerminating = (p: Pod) => !!p.metadata?.deletionTimestamp;
const runningAndReady = (p: Pod) => p.status?.phase === 'Running' && isPodReady(p);

/**
 * statefulset-controller (pkg/controller/statefulset), per StatefulSet key:
 * - claims pods named `<set>-<ordinal>` its selector matches (adopts orphans, releases non-matching ones);
 * - keeps ControllerRevisions: the update revision `<set>-<hash>` of the current template (an equal older one is
 *   re-numbered; a name clash with other data bumps status.collisionCount), history trimmed to revisionHistoryLimit;
 * - creates missing ordinals [start, start+replicas) with their volumeClaimTemplates' claims `<tpl>-<set>-<ord>`
 *   first (claims are never deleted by it: persistentVolumeClaimRetentionPolicy whenDeleted=Delete gives them
 *   the set as controller owner, whenScaled=Delete the condemned pod instead), deletes Failed/Succeeded pods and condemned ordinals
 *   (highest first); OrderedReady does one step at a time and waits for each pod Running and Ready (and available
 *   after minReadySeconds), Parallel does all at once;
 * - RollingUpdate deletes, highest ordinal first down to the partition, one pod at a time once all are healthy,
 *   every pod not at the update revision (it is recreated at it); OnDelete only recreates pods deleted by others;
 * - events: SuccessfulCreate "create Pod web-0 in StatefulSet web successful", "create Claim www-web-0 Pod web-0
 *   in StatefulSet web success", SuccessfulDelete "delete Pod web-1 in StatefulSet web successful", FailedCreate /
 *   FailedDelete "… failed error: MSG";
 * - status: replicas, readyReplicas, currentReplicas, updatedReplicas, availableReplicas, currentRevision,
 *   updateRevision, collisionCount, observedGeneration; the rollout completes (current := update) when every pod is
 *   updated and ready and the pod count equals spec.replicas. API errors other than 404/409 are rethrown
 *   (rate-limited retry).
 */
export function statefulSetController(): ControllerDescriptor {
  return {
    name: 'statefulset-controller',
    component: 'statefulset-controller',
    requires: [StatefulSets, ControllerRevisions, PersistentVolumeClaims],
    setup(ctx: ControllerContext): ControllerDef {
      const sets = ctx.factory.informerFor<StatefulSet>(StatefulSets);
      const pods = ctx.factory.informerFor<Pod>(Pods);
      const revs = ctx.factory.informerFor<ControllerRevision>(ControllerRevisions);
      const claims = ctx.factory.informerFor<PersistentVolumeClaim>(PersistentVolumeClaims);
      const enqueueOwner = (o: Pod | ControllerRevision) => {
        const ref = controllerRefOf(o);
        if (ref?.kind === 'StatefulSet') return ctx.queue.add(objectKey(o.metadata?.namespace, ref.name));
        if (ref || !('spec' in o)) return;
        for (const s of sets.lister().list(o.metadata?.namespace)) if (labelSelectorMatcher(s.spec?.selector)(o.metadata?.labels)) ctx.queue.add(metaKey(s));
      };
      const enqueueSet = (s: StatefulSet) => ctx.queue.add(metaKey(s));
      const subs = [
        sets.addEventHandler({ onAdd: enqueueSet, onUpdate: (_a, s) => enqueueSet(s), onDelete: enqueueSet }),
        pods.addEventHandler({ onAdd: enqueueOwner, onUpdate: (a, b) => (enqueueOwner(a), enqueueOwner(b)), onDelete: enqueueOwner }),
        revs.addEventHandler({ onAdd: enqueueOwner, onDelete: enqueueOwner }),
      ];
      const subject = (s: StatefulSet) => ({ kind: 'StatefulSet', apiVersion: 'apps/v1', metadata: s.metadata });

      async function claimPods(set: StatefulSet): Promise<Pod[]> {
        const name = set.metadata?.name ?? '';
        const match = labelSelectorMatcher(set.spec?.selector);
        const owned: Pod[] = [];
        for (const pod of pods.lister().list(set.metadata?.namespace)) {
          const ref = controllerRefOf(pod);
          const refs = pod.metadata?.ownerReferences ?? [];
          const patch = (ownerReferences: typeof refs) =>
            ctx.client.patch<Pod>(Pods, pod.metadata!.name!, pod.metadata?.namespace, 'merge', { metadata: { ownerReferences, resourceVersion: pod.metadata?.resourceVersion } }).catch((err) => {
              if (!isCode(err, 404) && !isCode(err, 409)) throw err;
              return undefined;
            });
          const matches = match(pod.metadata?.labels) && ordinalOf(name, pod.metadata?.name) >= 0;
          if (ref) {
            if (ref.uid !== set.metadata?.uid) continue;
            if (matches) owned.push(pod);
            else if (!set.metadata?.deletionTimestamp) await patch(refs.filter((r) => r.uid !== set.metadata?.uid));
          } else if (matches && !set.metadata?.deletionTimestamp && !isTerminating(pod)) {
            const adopted = await patch([...refs, newControllerRef(set, 'apps/v1', 'StatefulSet')]);
            if (adopted) owned.push(adopted);
          }
        }
        return owned;
      }

      /** getStatefulSetRevisions: [current, update, collisionCount], creating or re-numbering the update revision. */
      async function revisions(set: StatefulSet, owned: ControllerRevision[]): Promise<[ControllerRevision, ControllerRevision, number]> {
        let collisionCount = set.status?.collisionCount ?? 0;
        const sorted = [...owned].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
        const next = (sorted.at(-1)?.revision ?? 0) + 1;
        let update = newRevision(set, next, collisionCount);
        const equal = sorted.filter((r) => sameData(r, update));
        if (equal.length && equal.at(-1) === sorted.at(-1)) update = equal.at(-1)!;
        else if (equal.length) update = await ctx.client.update(ControllerRevisions, { ...equal.at(-1)!, revision: next });
        else {
          for (;;) {
            try {
              update = await ctx.client.create(ControllerRevisions, update, set.metadata?.namespace);
              break;
            } catch (err) {
              if (!isCode(err, 409)) throw err;
              const clash = await ctx.client.get<ControllerRevision>(ControllerRevisions, update.metadata!.name!, set.metadata?.namespace);
              if (sameData(clash, update) && controllerRefOf(clash)?.uid === set.metadata?.uid) {
                update = clash;
                break;
              }
              update = newRevision(set, next, ++collisionCount);
            }
          }
        }
        const current = owned.find((r) => r.metadata?.name === set.status?.currentRevision) ?? update;
        return [current, update, collisionCount];
      }

      async function truncateHistory(set: StatefulSet, owned: ControllerRevision[], live: Set<string>): Promise<void> {
        const limit = set.spec?.revisionHistoryLimit ?? 10;
        const old = owned.filter((r) => !live.has(r.metadata?.name ?? '')).sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
        for (const r of old.slice(0, Math.max(0, old.length - limit))) {
          await ctx.client.delete(ControllerRevisions, r.metadata!.name!, set.metadata?.namespace).catch((err) => {
            if (!isCode(err, 404)) throw err;
          });
        }
      }

      async function createPod(set: StatefulSet, pod: Pod): Promise<void> {
        const podName = pod.metadata?.name ?? '';
        const ordinal = ordinalOf(set.metadata?.name ?? '', podName);
        for (const tpl of set.spec?.volumeClaimTemplates ?? []) {
          const name = claimName(tpl.metadata?.name ?? '', set.metadata?.name ?? '', ordinal);
          if (claims.lister().get(objectKey(set.metadata?.namespace, name))) continue;
          try {
            await ctx.client.create(PersistentVolumeClaims, newClaim(set, tpl, ordinal), set.metadata?.namespace);
            ctx.recorder.event(subject(set), 'Normal', 'SuccessfulCreate', `create Claim ${name} Pod ${podName} in StatefulSet ${set.metadata?.name} success`);
          } catch (err) {
            if (isCode(err, 409)) continue;
            ctx.recorder.event(subject(set), 'Warning', 'FailedCreate', `create Claim ${name} for Pod ${podName} in StatefulSet ${set.metadata?.name} failed error: ${errMessage(err)}`);
            throw err;
          }
        }
        try {
          await ctx.client.create(Pods, pod, set.metadata?.namespace);
          ctx.recorder.event(subject(set), 'Normal', 'SuccessfulCreate', `create Pod ${podName} in StatefulSet ${set.metadata?.name} successful`);
        } catch (err) {
          if (isCode(err, 409)) return;
          ctx.recorder.event(subject(set), 'Warning', 'FailedCreate', `create Pod ${podName} in StatefulSet ${set.metadata?.name} failed error: ${errMessage(err)}`);
          throw err;
        }
      }

      async function deletePod(set: StatefulSet, pod: Pod, condemned = false): Promise<void> {
        const podName = pod.metadata?.name ?? '';
        if (condemned && set.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled === 'Delete') {
          const ordinal = ordinalOf(set.metadata?.name ?? '', podName);
          for (const tpl of set.spec?.volumeClaimTemplates ?? []) {
            const claim = claims.lister().get(objectKey(set.metadata?.namespace, claimName(tpl.metadata?.name ?? '', set.metadata?.name ?? '', ordinal)));
            if (!claim || claim.metadata?.ownerReferences?.some((r) => r.uid === pod.metadata?.uid)) continue;
            const ownerReferences = [...(claim.metadata?.ownerReferences ?? []).filter((r) => r.uid !== set.metadata?.uid), newControllerRef(pod, 'v1', 'Pod')];
            await ctx.client.patch(PersistentVolumeClaims, claim.metadata!.name!, claim.metadata?.namespace, 'merge', { metadata: { ownerReferences } });
          }
        }
        try {
          await ctx.client.delete(Pods, podName, set.metadata?.namespace, { preconditions: { uid: pod.metadata?.uid } });
          ctx.recorder.event(subject(set), 'Normal', 'SuccessfulDelete', `delete Pod ${podName} in StatefulSet ${set.metadata?.name} successful`);
        } catch (err) {
          if (isCode(err, 404) || isCode(err, 409)) return;
          ctx.recorder.event(subject(set), 'Warning', 'FailedDelete', `delete Pod ${podName} in StatefulSet ${set.metadata?.name} failed error: ${errMessage(err)}`);
          throw err;
        }
      }

      /** One pass of updateStatefulSet; returns after the first step when OrderedReady (monotonic). */
      async function manage(set: StatefulSet, owned: Pod[], current: ControllerRevision, update: ControllerRevision): Promise<void> {
        const name = set.metadata?.name ?? '';
        const start = startOrdinal(set);
        const end = start + replicasOf(set);
        const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
        const minReady = set.spec?.minReadySeconds ?? 0;
        const healthy = (p: Pod) => runningAndReady(p) && isPodAvailable(p, minReady, ctx.clock.now());
        const byOrdinal = new Map(owned.map((p) => [ordinalOf(name, p.metadata?.name), p]));
        const partition = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
        const rolling = (set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
        const currentCount = set.status?.currentReplicas ?? 0;
        const revisionFor = (ord: number) => (rolling && ord < start + (set.spec?.updateStrategy?.rollingUpdate ? partition : currentCount) && current !== update ? current : update);
        for (let ord = start; ord < end; ord++) {
          const pod = byOrdinal.get(ord);
          if (pod && isFailed(pod) && !isTerminating(pod)) {
            await deletePod(set, pod);
            if (monotonic) return;
            continue;
          }
          if (!pod) {
            const rev = revisionFor(ord);
            await createPod(set, newStatefulSetPod(set, templateOfRevision(rev), ord, rev.metadata?.name ?? ''));
            if (monotonic) return;
            continue;
          }
          if (monotonic && (isTerminating(pod) || !healthy(pod))) return;
        }
        const condemned = owned.filter((p) => {
          const o = ordinalOf(name, p.metadata?.name);
          return o < start || o >= end;
        }).sort((a, b) => ordinalOf(name, b.metadata?.name) - ordinalOf(name, a.metadata?.name));
        for (const pod of condemned) {
          if (isTerminating(pod)) {
            if (monotonic) return;
            continue;
          }
          if (monotonic && condemned.some((p) => p !== pod && (isTerminating(p) || !healthy(p)))) {
            const firstUnhealthy = condemned.find((p) => !healthy(p));
            if (firstUnhealthy !== pod) return;
          }
          await deletePod(set, pod, true);
          if (monotonic) return;
        }
        if (!rolling) return;
        for (let ord = end - 1; ord >= start + partition; ord--) {
          const pod = byOrdinal.get(ord);
          if (!pod) return;
          if (pod.metadata?.labels?.[REVISION_LABEL] !== update.metadata?.name && !isTerminating(pod)) return void (await deletePod(set, pod));
          if (!healthy(pod)) return;
        }
      }

      function computeStatus(set: StatefulSet, owned: Pod[], current: ControllerRevision, update: ControllerRevision, collisionCount: number): StatefulSetStatus {
        const now = ctx.clock.now();
        const minReady = set.spec?.minReadySeconds ?? 0;
        const live = owned.filter((p) => !isTerminating(p));
        const rev = (p: Pod) => p.metadata?.labels?.[REVISION_LABEL];
        const s: StatefulSetStatus = {
          observedGeneration: set.metadata?.generation,
          replicas: owned.length,
          readyReplicas: live.filter(runningAndReady).length,
          availableReplicas: live.filter((p) => runningAndReady(p) && isPodAvailable(p, minReady, now)).length,
          currentReplicas: live.filter((p) => rev(p) === current.metadata?.name).length,
          updatedReplicas: live.filter((p) => rev(p) === update.metadata?.name).length,
          currentRevision: current.metadata?.name,
          updateRevision: update.metadata?.name,
          collisionCount,
        };
        const rolling = (set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
        const want = replicasOf(set);
        if (rolling && s.updatedReplicas === want && s.readyReplicas === want && s.replicas === want) {
          s.currentRevision = s.updateRevision;
          s.currentReplicas = s.updatedReplicas;
        }
        return compactSetStatus(s);
      }

      async function reconcile(key: string) {
        const set = sets.lister().get(key);
        if (!set || set.metadata?.deletionTimestamp) return;
        const owned = await claimPods(set);
        const ownedRevs = revs.lister().list(set.metadata?.namespace).filter((r) => controllerRefOf(r)?.uid === set.metadata?.uid);
        const [current, update, collisionCount] = await revisions(set, ownedRevs);
        await manage(set, owned, current, update);
        const fresh = pods.lister().list(set.metadata?.namespace).filter((p) => controllerRefOf(p)?.uid === set.metadata?.uid && ordinalOf(set.metadata?.name ?? '', p.metadata?.name) >= 0);
        const status = computeStatus(set, fresh, current, update, collisionCount);
        if (JSON.stringify(compactSetStatus(set.status ?? { replicas: 0 })) !== JSON.stringify(status)) {
          try {
            await ctx.client.update(StatefulSets, { ...set, status }, 'status');
          } catch (err) {
            if (isCode(err, 404)) return;
            if (!isCode(err, 409)) throw err;
            return { requeueAfter: 0 };
          }
        }
        const live = new Set([current.metadata?.name ?? '', update.metadata?.name ?? '', ...fresh.map((p) => p.metadata?.labels?.[REVISION_LABEL] ?? '')]);
        await truncateHistory(set, ownedRevs, live);
        const minReady = set.spec?.minReadySeconds ?? 0;
        const ats = fresh.map((p) => podAvailableAt(p, minReady)).filter((t): t is number => t !== undefined && t > ctx.clock.now());
        if (ats.length) return { requeueAfter: Math.min(...ats) - ctx.clock.now() };
      }

      return { reconcile, disposables: subs };
    },
  };
}
