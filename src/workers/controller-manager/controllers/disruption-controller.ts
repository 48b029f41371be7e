import type { Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1';
import type { Pod, ReplicationController } from 'kubernetes-types/core/v1';
import type { Condition } from 'kubernetes-types/meta/v1';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1';
import { rfc3339 } from '../../../api/clock';
import { Deployments, metaKey, objectKey, PodDisruptionBudgets, Pods, ReplicaSets, ReplicationControllers, StatefulSets, type ResourceRef } from '../../../api/resources';
import { ApiError } from '../../../api/status';
import { labelSelectorMatcher } from '../../../client/labels';
import type { ControllerContext, ControllerDef, ControllerDescriptor } from '../controller-context';
import { scaledValue } from '../deployment-util';
import { controllerRefOf, isPodReady } from '../pod-utils';

/** kube's DeletionTimeout: how long an evicted pod may stay in status.disruptedPods before it counts again. */
export const DELETION_TIMEOUT_MS = 2 * 60_000;

type Scaled = { metadata?: { uid?: string; namespace?: string }; spec?: { replicas?: number } };

/**
 * disruption-controller (pkg/controller/disruption), per PodDisruptionBudget key, over the pods its selector
 * matches in its namespace (an empty selector matches none, as in kube):
 * - expectedPods and desiredHealthy: minAvailable as a number → the pod count and that number; maxUnavailable or a
 *   percentage minAvailable → the summed spec.replicas of the pods' controllers (Deployment via its ReplicaSet,
 *   ReplicaSet, ReplicationController, StatefulSet; percentages round up), desiredHealthy = expected − maxUnavailable
 *   (≥ 0) or the scaled minAvailable;
 * - currentHealthy: Ready pods not being deleted; disruptionsAllowed = max(0, current − desired), 0 when no pods
 *   are expected;
 * - the DisruptionAllowed condition: True SufficientPods / False InsufficientPods, or False SyncFailed with the
 *   error (disruptionsAllowed 0) when a pod has no supported controller (Warning NoControllers "found no
 *   controllers for pod \"NAME\"", Warning CalculateExpectedPodCountFailed "Failed to calculate the number of
 *   expected pods: …"); Normal NoPods "No matching pods found" when nothing matches;
 * - status.disruptedPods entries are dropped once the pod is deleting or DELETION_TIMEOUT_MS has passed (a recheck
 *   is queued for then); pods still listed there do not count as healthy.
 * Status is written only when it changed; a conflict requeues.
 */
export function disruptionController(): ControllerDescriptor {
  return {
    name: 'disruption-controller',
    component: 'controllermanager',
    requires: [PodDisruptionBudgets],
    optional: [Deployments, ReplicaSets, ReplicationControllers, StatefulSets],
    setup(ctx: ControllerContext): ControllerDef {
      const pdbs = ctx.factory.informerFor<PodDisruptionBudget>(PodDisruptionBudgets);
      const pods = ctx.factory.informerFor<Pod>(Pods);
      const owners = new Map<string, ReturnType<typeof ctx.factory.informerFor<Scaled>>>();
      const enqueueNs = (o: { metadata?: { namespace?: string } }) => {
        for (const p of pdbs.lister().list(o.metadata?.namespace)) ctx.queue.add(metaKey(p));
      };
      const subs = [
        pdbs.addEventHandler({ onAdd: (p) => ctx.queue.add(metaKey(p)), onUpdate: (_a, p) => ctx.queue.add(metaKey(p)) }),
        pods.addEventHandler({ onAdd: enqueueNs, onUpdate: (_a, p) => enqueueNs(p), onDelete: enqueueNs }),
      ];
      for (const ref of [Deployments, ReplicaSets, ReplicationControllers, StatefulSets] as ResourceRef[]) {
        if (!ctx.served(ref)) continue;
        const inf = ctx.factory.informerFor<Scaled>(ref);
        owners.set(ref.kind, inf);
        subs.push(inf.addEventHandler({ onAdd: enqueueNs, onUpdate: (_a, o) => enqueueNs(o) }));
      }
      const subject = (p: PodDisruptionBudget) => ({ kind: 'PodDisruptionBudget', apiVersion: 'policy/v1', metadata: p.metadata });
      const lookup = (kind: string, ns: string | undefined, name: string, uid: string) => {
        const o = owners.get(kind)?.lister().get(objectKey(ns, name));
        return o?.metadata?.uid === uid ? o : undefined;
      };

      /** The controller whose scale counts for a pod: [uid, replicas], or undefined (no supported controller). */
      function scaleOf(pod: Pod): [string, number] | undefined {
        const ref = controllerRefOf(pod);
        if (!ref) return undefined;
        const ns = pod.metadata?.namespace;
        if (ref.kind === 'ReplicaSet' && ref.apiVersion === 'apps/v1') {
          const rs = lookup('ReplicaSet', ns, ref.name, ref.uid) as ReplicaSet | undefined;
          if (!rs) return undefined;
          const dref = controllerRefOf(rs);
          if (dref?.kind === 'Deployment') {
            const d = lookup('Deployment', ns, dref.name, dref.uid) as Deployment | undefined;
            return d ? [dref.uid, d.spec?.replicas ?? 1] : undefined;
          }
          return [ref.uid, rs.spec?.replicas ?? 1];
        }
        if ((ref.kind === 'StatefulSet' && ref.apiVersion === 'apps/v1') || (ref.kind === 'ReplicationController' && ref.apiVersion === 'v1')) {
          const o = lookup(ref.kind, ns, ref.name, ref.uid) as StatefulSet | ReplicationController | undefined;
          return o ? [ref.uid, o.spec?.replicas ?? 1] : undefined;
        }
        return undefined;
      }

      function expectedScale(pdb: PodDisruptionBudget, matched: Pod[]): number {
        const scales = new Map<string, number>();
        for (const pod of matched) {
          const s = scaleOf(pod);
          if (!s) {
            const msg = `found no controllers for pod "${pod.metadata?.name}"`;
            ctx.recorder.event(subject(pdb), 'Warning', 'NoControllers', msg);
            throw new Error(msg);
          }
          scales.set(s[0], s[1]);
        }
        return [...scales.values()].reduce((a, b) => a + b, 0);
      }

      function condition(pdb: PodDisruptionBudget, status: 'True' | 'False', reason: string, message: string): Condition[] {
        const old = pdb.status?.conditions?.find((c) => c.type === 'DisruptionAllowed');
        const lastTransitionTime = old && old.status === status ? old.lastTransitionTime : rfc3339(ctx.clock.now());
        const c: Condition = { type: 'DisruptionAllowed', status, reason, message, observedGeneration: pdb.metadata?.generation, lastTransitionTime };
        return [...(pdb.status?.conditions ?? []).filter((x) => x.type !== 'DisruptionAllowed'), c];
      }

      async function write(pdb: PodDisruptionBudget, status: PodDisruptionBudgetStatus) {
        const strip = (s: PodDisruptionBudgetStatus | undefined) => JSON.stringify({ ...s, conditions: s?.conditions?.map((c) => ({ ...c, lastTransitionTime: undefined })) });
        if (strip(pdb.status) === strip(status)) return;
        try {
          await ctx.client.update(PodDisruptionBudgets, { ...pdb, status }, 'status');
        } catch (err) {
          if (err instanceof ApiError && err.code === 404) return;
          if (err instanceof ApiError && err.code === 409) return { requeueAfter: 0 };
          throw err;
        }
      }

      async function reconcile(key: string) {
        const pdb = pdbs.lister().get(key);
        if (!pdb) return;
        const sel = pdb.spec?.selector;
        const empty = !sel || (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length);
        const match = labelSelectorMatcher(sel);
        const matched = empty ? [] : pods.lister().list(pdb.metadata?.namespace).filter((p) => match(p.metadata?.labels));
        if (!matched.length) ctx.recorder.event(subject(pdb), 'Normal', 'NoPods', 'No matching pods found');
        let expected: number;
        let desired: number;
        try {
          const { minAvailable, maxUnavailable } = pdb.spec ?? {};
          if (maxUnavailable !== undefined) {
            expected = expectedScale(pdb, matched);
            desired = Math.max(0, expected - scaledValue(maxUnavailable, expected, true, '0'));
          } else if (typeof minAvailable === 'number') {
            expected = matched.length;
            desired = minAvailable;
          } else {
            expected = expectedScale(pdb, matched);
            desired = scaledValue(minAvailable, expected, true, '0');
          }
        } catch (err) {
          const msg = err instanceof Error ? err.message : String(err);
          ctx.recorder.event(subject(pdb), 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${msg}`);
          return write(pdb, { ...(pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }), disruptionsAllowed: 0, observedGeneration: pdb.metadata?.generation, conditions: condition(pdb, 'False', 'SyncFailed', msg) });
        }
        // disruptedPods (written by the eviction API): kept until the pod is deleting or DELETION_TIMEOUT passes
        const now = ctx.clock.now();
        const disrupted: Record<string, string> = {};
        let recheck: number | undefined;
        for (const p of matched) {
          const at = pdb.status?.disruptedPods?.[p.metadata?.name ?? ''];
          if (!at || p.metadata?.deletionTimestamp || Date.parse(at) + DELETION_TIMEOUT_MS < now) continue;
          disrupted[p.metadata!.name!] = at;
          recheck = Math.min(recheck ?? Infinity, Date.parse(at) + DELETION_TIMEOUT_MS - now);
        }
        const current = matched.filter((p) => !p.metadata?.deletionTimestamp && !disrupted[p.metadata?.name ?? ''] && isPodReady(p)).length;
        const allowed = expected > 0 ? Math.max(0, current - desired) : 0;
        const status: PodDisruptionBudgetStatus = { observedGeneration: pdb.metadata?.generation, disruptionsAllowed: allowed, currentHealthy: current, desiredHealthy: desired, expectedPods: expected };
        if (Object.keys(disrupted).length) status.disruptedPods = disrupted;
        status.conditions = allowed > 0 ? condition(pdb, 'True', 'SufficientPods', '') : condition(pdb, 'False', 'InsufficientPods', '');
        return (await write(pdb, status)) ?? (recheck !== undefined ? { requeueAfter: recheck + 1 } : undefined);
      }

      return { reconcile, disposables: subs };
    },
  };
}
