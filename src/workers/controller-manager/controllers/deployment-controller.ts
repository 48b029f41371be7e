import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { Deployments, metaKey, objectKey, Pods, ReplicaSets } from '../../../api/resources';
import { ApiError } from '../../../api/status';
import { labelSelectorMatcher } from '../../../client/labels';
import type { ControllerContext, ControllerDef, ControllerDescriptor } from '../controller-context';
import { DeploymentSync } from '../deployment-sync';
import { controllerRefOf, newControllerRef } from '../pod-utils';

const isEmptySelector = (d: Deployment) => !Object.keys(d.spec?.selector?.matchLabels ?? {}).length && !(d.spec?.selector?.matchExpressions ?? []).length;

/**
 * deployment-controller: per deployment key, claims the ReplicaSets its selector matches (adopting orphans,
 * releasing owned ones that stop matching), then runs one DeploymentSync pass (rollouts, scaling, status,
 * conditions, history cleanup; events ScalingReplicaSet "Scaled up replica set NAME to N" and
 * "Scaled down replica set NAME to N from M"). An empty selector only records Warning SelectingAll.
 * Enqueued by its Deployment, by its ReplicaSets' changes, and by deletions of their pods (Recreate waits on them).
 */
export function deploymentController(): ControllerDescriptor {
  return {
    name: 'deployment-controller',
    component: 'deployment-controller',
    requires: [Deployments, ReplicaSets],
    setup(ctx: ControllerContext): ControllerDef {
      const deployments = ctx.factory.informerFor<Deployment>(Deployments);
      const rss = ctx.factory.informerFor<ReplicaSet>(ReplicaSets);
      const pods = ctx.factory.informerFor<Pod>(Pods);
      const ownerKey = (rs: ReplicaSet, ref: OwnerReference | undefined = controllerRefOf(rs)) => {
        if (!ref || ref.kind !== 'Deployment' || ref.apiVersion !== 'apps/v1') return undefined;
        const key = objectKey(rs.metadata?.namespace, ref.name);
        return deployments.lister().get(key)?.metadata?.uid === ref.uid ? key : undefined;
      };
      const enqueueOwner = (rs: ReplicaSet, ref?: OwnerReference) => {
        const key = ownerKey(rs, ref);
        if (key) ctx.queue.add(key);
      };
      const enqueueMatching = (rs: ReplicaSet) => {
        for (const d of deployments.lister().list(rs.metadata?.namespace)) {
          if (!isEmptySelector(d) && labelSelectorMatcher(d.spec?.selector)(rs.metadata?.labels)) ctx.queue.add(metaKey(d));
        }
      };
      const subs = [
        deployments.addEventHandler({ onAdd: (d) => ctx.queue.add(metaKey(d)), onUpdate: (_o, d) => ctx.queue.add(metaKey(d)), onDelete: (d) => ctx.queue.add(metaKey(d)) }),
        rss.addEventHandler({
          onAdd: (rs) => (controllerRefOf(rs) ? enqueueOwner(rs) : enqueueMatching(rs)),
          onUpdate(old, rs) {
            const oldRef = controllerRefOf(old);
            const ref = controllerRefOf(rs);
            if (oldRef && oldRef.uid !== ref?.uid) enqueueOwner(old, oldRef);
            if (ref) enqueueOwner(rs, ref);
            else if (oldRef || JSON.stringify(old.metadata?.labels) !== JSON.stringify(rs.metadata?.labels)) enqueueMatching(rs);
          },
          onDelete: (rs) => enqueueOwner(rs),
        }),
        pods.addEventHandler({
          onDelete(pod) {
            const ref = controllerRefOf(pod);
            const rs = ref?.kind === 'ReplicaSet' ? rss.lister().get(objectKey(pod.metadata?.namespace, ref.name)) : undefined;
            if (rs && rs.metadata?.uid === ref?.uid) enqueueOwner(rs);
          },
        }),
      ];

      async function claim(d: Deployment): Promise<ReplicaSet[]> {
        const match = labelSelectorMatcher(d.spec?.selector);
        const uid = d.metadata?.uid;
        const owned: ReplicaSet[] = [];
        for (const rs of rss.lister().list(d.metadata?.namespace)) {
          const ref = controllerRefOf(rs);
          const refs = rs.metadata?.ownerReferences ?? [];
          const patch = (ownerReferences: OwnerReference[]) =>
            ctx.client.patch<ReplicaSet>(ReplicaSets, rs.metadata!.name!, rs.metadata?.namespace, 'merge', { metadata: { ownerReferences, resourceVersion: rs.metadata?.resourceVersion } }).catch((err) => {
              if (!(err instanceof ApiError && err.code === 404)) throw err;
              return undefined;
            });
          if (ref) {
            if (ref.uid !== uid) continue;
            if (match(rs.metadata?.labels)) owned.push(rs);
            else if (!d.metadata?.deletionTimestamp) await patch(refs.filter((r) => r.uid !== uid));
          } else if (match(rs.metadata?.labels) && !rs.metadata?.deletionTimestamp && !d.metadata?.deletionTimestamp) {
            const adopted = await patch([...refs, newControllerRef(d, 'apps/v1', 'Deployment')]);
            if (adopted) owned.push(adopted);
          }
        }
        return owned;
      }

      async function reconcile(key: string) {
        const d = deployments.lister().get(key);
        if (!d) return;
        if (isEmptySelector(d)) {
          ctx.recorder.event({ kind: 'Deployment', apiVersion: 'apps/v1', metadata: d.metadata }, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
          if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
            await ctx.client.update(Deployments, { ...d, status: { ...d.status, observedGeneration: d.metadata?.generation } }, 'status');
          }
          return;
        }
        const owned = await claim(d);
        const podsOf = (rs: ReplicaSet) => pods.lister().list(rs.metadata?.namespace).filter((p) => controllerRefOf(p)?.uid === rs.metadata?.uid);
        return new DeploymentSync(ctx, d, owned, podsOf).run();
      }

      return { reconcile, workers: 2, disposables: subs };
    },
  };
}
