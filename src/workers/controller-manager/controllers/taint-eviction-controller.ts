import type { Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1';
import { rfc3339 } from '../../../api/clock';
import { metaKey, Nodes, Pods } from '../../../api/resources';
import { ApiError } from '../../../api/status';
import type { ControllerContext, ControllerDef, ControllerDescriptor } from '../controller-context';
import { toleratesTaint } from '../../scheduler/plugins/taint-toleration';

/**
 * The NoExecute tolerations of a pod that tolerate every NoExecute taint, or undefined if some taint is
 * untolerated (v1helper.GetMatchingTolerations).
 */
function matchingTolerations(taints: Taint[], tolerations: Toleration[] | undefined): Toleration[] | undefined {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = (tolerations ?? []).find((tol) => toleratesTaint(tol, taint));
    if (!t) return undefined;
    used.push(t);
  }
  return used;
}

/**
 * taint-eviction-controller (kube's TaintManager), level-based per pod key:
 * - a bound, not-deleting pod on a node with a NoExecute taint it does not tolerate is evicted now;
 * - if every such taint is tolerated, the pod is evicted when the shortest tolerationSeconds has elapsed since
 *   the earliest taint's timeAdded (never, if no used toleration sets tolerationSeconds); requeueAfter waits for it;
 * - eviction: Normal "TaintManagerEviction" event "Marking for deletion Pod ns/name", a DisruptionTarget
 *   condition (reason DeletionByTaintManager), then DELETE of the pod. A scheduled eviction that becomes
 *   unnecessary records "Cancelling deletion of Pod ns/name".
 */
export function taintEvictionController(): ControllerDescriptor {
  return {
    name: 'taint-eviction-controller',
    component: 'taint-eviction-controller',
    setup(ctx: ControllerContext): ControllerDef {
      const nodes = ctx.factory.informerFor<Node>(Nodes);
      const pods = ctx.factory.informerFor<Pod>(Pods);
      const scheduled = new Set<string>();
      const enqueuePod = (p: Pod) => {
        if (p.spec?.nodeName) ctx.queue.add(metaKey(p));
      };
      const noExecute = (n: Node | undefined) => (n?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
      const subs = [
        pods.addEventHandler({ onAdd: enqueuePod, onUpdate: (_o, p) => enqueuePod(p), onDelete: (p) => scheduled.delete(metaKey(p)) }),
        nodes.addEventHandler({
          onAdd: (n) => {
            if (noExecute(n).length) for (const p of pods.lister().list()) if (p.spec?.nodeName === n.metadata?.name) enqueuePod(p);
          },
          onUpdate: (old, n) => {
            if (JSON.stringify(noExecute(old)) === JSON.stringify(noExecute(n))) return;
            for (const p of pods.lister().list()) if (p.spec?.nodeName === n.metadata?.name) enqueuePod(p);
          },
        }),
      ];

      const podRef = (p: Pod) => ({ kind: 'Pod', apiVersion: 'v1', metadata: p.metadata });

      function cancel(key: string, pod: Pod) {
        if (!scheduled.delete(key)) return;
        ctx.recorder.event(podRef(pod), 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
      }

      async function evict(key: string, pod: Pod) {
        scheduled.delete(key);
        ctx.recorder.event(podRef(pod), 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
        const conds = (pod.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
        conds.push({ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: rfc3339(ctx.clock.now()) });
        try {
          await ctx.client.patch(Pods, pod.metadata!.name!, pod.metadata!.namespace, 'strategic', { status: { conditions: conds } }, 'status');
          await ctx.client.delete(Pods, pod.metadata!.name!, pod.metadata!.namespace);
        } catch (err) {
          if (!(err instanceof ApiError && err.code === 404)) throw err;
        }
      }

      async function reconcile(key: string) {
        const pod = pods.lister().get(key);
        if (!pod) return void scheduled.delete(key);
        if (!pod.spec?.nodeName || pod.metadata?.deletionTimestamp) return cancel(key, pod);
        const taints = noExecute(nodes.lister().get(pod.spec.nodeName));
        if (!taints.length) return cancel(key, pod);
        const used = matchingTolerations(taints, pod.spec.tolerations);
        if (!used) return evict(key, pod);
        const seconds = used.map((t) => t.tolerationSeconds).filter((s): s is number => typeof s === 'number');
        if (!seconds.length) return cancel(key, pod);
        const now = ctx.clock.now();
        const added = Math.min(...taints.map((t) => (t.timeAdded ? Date.parse(t.timeAdded) : now)));
        const deadline = added + Math.max(0, Math.min(...seconds)) * 1000;
        if (now >= deadline) return evict(key, pod);
        scheduled.add(key);
        return { requeueAfter: deadline - now };
      }

      return { reconcile, disposables: subs };
    },
  };
}
