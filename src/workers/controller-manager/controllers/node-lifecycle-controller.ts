import type { Node, NodeCondition, Pod, PodCondition, Taint } from 'kubernetes-types/core/v1';
import { rfc3339 } from '../../../api/clock';
import { Nodes, Pods } from '../../../api/resources';
import { ApiError } from '../../../api/status';
import type { ControllerContext, ControllerDef, ControllerDescriptor } from '../controller-context';

/** kube-controller-manager defaults: --node-monitor-grace-period 40s, --node-startup-grace-period 1m. */
export const NODE_MONITOR_GRACE_PERIOD_MS = 40_000;
export const NODE_STARTUP_GRACE_PERIOD_MS = 60_000;
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';

/** The conditions the controller flips to Unknown when the kubelet goes silent (nodeConditionTypes). */
const MONITORED_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export interface NodeLifecycleOptions {
  gracePeriodMs?: number;
  startupGracePeriodMs?: number;
}

const parseTime = (t: string | undefined): number | undefined => (t ? Date.parse(t) : undefined);
/** TaintNodesByCondition: a condition that is True (or spec.unschedulable) gives its NoSchedule taint. */
const CONDITION_TAINTS: Record<string, string> = {
  MemoryPressure: 'node.kubernetes.io/memory-pressure',
  DiskPressure: 'node.kubernetes.io/disk-pressure',
  PIDPressure: 'node.kubernetes.io/pid-pressure',
  NetworkUnavailable: 'node.kubernetes.io/network-unavailable',
};
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
const CONDITION_TAINT_KEYS = new Set([...Object.values(CONDITION_TAINTS), TAINT_UNSCHEDULABLE]);
const isManagedTaint = (t: Taint) =>
  ((t.key === TAINT_NOT_READY || t.key === TAINT_UNREACHABLE) && (t.effect === 'NoSchedule' || t.effect === 'NoExecute')) ||
  (CONDITION_TAINT_KEYS.has(t.key) && t.effect === 'NoSchedule');
const readyStatus = (n: Node) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status;

/** The taints TaintNodesByCondition and the NoExecute tainting pass want for a node. */
function desiredTaints(node: Node): { key: string; effect: 'NoSchedule' | 'NoExecute' }[] {
  const want: { key: string; effect: 'NoSchedule' | 'NoExecute' }[] = [];
  const status = readyStatus(node);
  if (status !== 'True') {
    const key = status === 'Unknown' ? TAINT_UNREACHABLE : TAINT_NOT_READY;
    want.push({ key, effect: 'NoSchedule' }, { key, effect: 'NoExecute' });
  }
  for (const c of node.status?.conditions ?? []) if (c.status === 'True' && CONDITION_TAINTS[c.type]) want.push({ key: CONDITION_TAINTS[c.type], effect: 'NoSchedule' });
  if (node.spec?.unschedulable) want.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  return want;
}

/**
 * node-lifecycle-controller (events as "node-controller"). Level-based per node name:
 * 1. Failure detection: when the Ready condition's lastHeartbeatTime is older than the grace period (40s of
 *    cluster time; 1m from creation for a node that never posted status), Ready/MemoryPressure/DiskPressure/
 *    PIDPressure become Unknown with reason NodeStatusUnknown "Kubelet stopped posting node status."
 *    (NodeStatusNeverUpdated "Kubelet never posted node status." when absent), written with PUT nodes/NAME/status,
 *    and a NodeNotReady event is recorded.
 * 2. Tainting: Ready False → node.kubernetes.io/not-ready, Unknown → node.kubernetes.io/unreachable, each
 *    NoSchedule + NoExecute (timeAdded on NoExecute); removed when Ready is True again. TaintNodesByCondition:
 *    MemoryPressure/DiskPressure/PIDPressure/NetworkUnavailable True and spec.unschedulable (cordon) give their
 *    node.kubernetes.io/<…> NoSchedule taint. Written with PUT nodes/NAME.
 * 3. Pods bound to a node that is not Ready get their Ready condition set to False (MarkPodsNotReady).
 * Re-checks itself with requeueAfter when the heartbeat would go stale. Write conflicts surface as errors
 * (the controller retries with backoff against the fresher cache).
 */
export function nodeLifecycleController(opts: NodeLifecycleOptions = {}): ControllerDescriptor {
  const grace = opts.gracePeriodMs ?? NODE_MONITOR_GRACE_PERIOD_MS;
  const startupGrace = opts.startupGracePeriodMs ?? NODE_STARTUP_GRACE_PERIOD_MS;
  return {
    name: 'node-lifecycle-controller',
    component: 'node-controller',
    setup(ctx: ControllerContext): ControllerDef {
      const nodes = ctx.factory.informerFor<Node>(Nodes);
      const pods = ctx.factory.informerFor<Pod>(Pods);
      const registered = new Set<string>();
      const enqueue = (n: Node) => ctx.queue.add(n.metadata?.name ?? '');
      const subs = [
        nodes.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: (n) => registered.delete(n.metadata?.uid ?? '') }),
        pods.addEventHandler({
          onAdd: (p) => enqueuePodNode(p),
          onUpdate: (_o, p) => enqueuePodNode(p),
        }),
      ];
      function enqueuePodNode(p: Pod) {
        const name = p.spec?.nodeName;
        if (!name) return;
        const n = nodes.lister().get(name);
        if (n && readyStatus(n) !== 'True') ctx.queue.add(name);
      }

      async function reconcile(name: string) {
        let node = nodes.lister().get(name);
        if (!node) return;
        const now = ctx.clock.now();
        const uid = node.metadata?.uid ?? name;
        if (!registered.has(uid)) {
          registered.add(uid);
          ctx.recorder.event({ kind: 'Node', apiVersion: 'v1', metadata: { name, uid } }, 'Normal', 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`);
        }

        // 1. Failure detection.
        const conditions = node.status?.conditions ?? [];
        const ready = conditions.find((c) => c.type === 'Ready');
        const created = parseTime(node.metadata?.creationTimestamp) ?? now;
        const probe = ready ? parseTime(ready.lastHeartbeatTime) ?? created : created;
        const deadline = probe + (ready ? grace : startupGrace);
        if (ready?.status !== 'Unknown' && now > deadline) {
          const wasReady = ready?.status === 'True';
          const next: NodeCondition[] = conditions.map((c) =>
            MONITORED_CONDITIONS.includes(c.type) && c.status !== 'Unknown'
              ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: rfc3339(now) }
              : c,
          );
          for (const type of MONITORED_CONDITIONS) {
            if (next.some((c) => c.type === type)) continue;
            next.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: node.metadata?.creationTimestamp, lastTransitionTime: rfc3339(now) });
          }
          node = await ctx.client.update<Node>(Nodes, { ...node, status: { ...node.status, conditions: next } }, 'status');
          if (wasReady) ctx.recorder.event({ kind: 'Node', apiVersion: 'v1', metadata: { name, uid: name } }, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
        }

        // 2. Taints follow the Ready status.
        const status = readyStatus(node);
        const current = node.spec?.taints ?? [];
        const want = desiredTaints(node);
        const keep = current.filter((t) => !isManagedTaint(t) || want.some((w) => w.key === t.key && w.effect === t.effect));
        const add: Taint[] = want
          .filter((w) => !current.some((t) => t.key === w.key && t.effect === w.effect))
          .map((w) => (w.effect === 'NoExecute' ? { ...w, timeAdded: rfc3339(now) } : { ...w }));
        if (add.length || keep.length !== current.length) {
          const taints = [...keep, ...add];
          const spec = { ...node.spec };
          if (taints.length) spec.taints = taints;
          else delete spec.taints;
          node = await ctx.client.update<Node>(Nodes, { ...node, spec });
        }

        // 3. Pods on a node that is not Ready are not Ready either.
        if (status !== 'True') {
          for (const p of pods.lister().list()) {
            if (p.spec?.nodeName !== name) continue;
            const conds = p.status?.conditions ?? [];
            const r = conds.find((c) => c.type === 'Ready');
            if (!r || r.status === 'False') continue;
            const nextConds: PodCondition[] = conds.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: rfc3339(now) } : c));
            try {
              await ctx.client.patch(Pods, p.metadata!.name!, p.metadata!.namespace, 'strategic', { status: { conditions: nextConds } }, 'status');
            } catch (err) {
              if (!(err instanceof ApiError && err.code === 404)) throw err;
            }
          }
        }

        if (status === 'Unknown') return;
        return { requeueAfter: Math.max(1000, deadline - now + 1000) };
      }

      return { reconcile, disposables: subs };
    },
  };
}
