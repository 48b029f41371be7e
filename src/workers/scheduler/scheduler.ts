import type { Binding, Node, Pod, PodCondition } from 'kubernetes-types/core/v1';
import type { Clock } from '../../api/clock';
import { rfc3339 } from '../../api/clock';
import { DisposableStore, type Disposable } from '../../api/disposable';
import type { IdSource } from '../../api/ids';
import { metaKey, Nodes, Pods, splitKey } from '../../api/resources';
import { ApiError } from '../../api/status';
import type { ApiClient } from '../../client/api-client';
import { createEventRecorder } from '../../client/event-recorder';
import { SharedInformerFactory } from '../../client/informer';
import { schedulePod, type NodeInfo, type Profile } from './framework';
import { DEFAULT_SCHEDULER_NAME, defaultProfile, isTerminated } from './plugins';
import { SchedulingQueue } from './scheduling-queue';

export interface SchedulerOptions {
  client: ApiClient;
  clock: Clock;
  ids: IdSource;
  profile?: Profile;
  /** reportingInstance suffix: events carry "default-scheduler-<hostname>". */
  hostname?: string;
}

/** Assumed bindings expire if the informer never confirms them (kube's assumed pod TTL is 15 min; bindings here are synchronous). */
const ASSUME_TTL_MS = 30_000;

/**
 * kube-scheduler: watches all pods and nodes, schedules pending pods whose schedulerName is this profile's
 * (default-scheduler when unset) one at a time, and binds them via POST pods/NAME/binding.
 * - Success: Normal "Scheduled" event (action Binding) "Successfully assigned ns/name to node".
 * - No fit: PodScheduled=False/Unschedulable condition (only written when it changes) and a Warning
 *   "FailedScheduling" event (action Scheduling); the pod is parked until a node is added or changes, a pod
 *   is deleted or terminates, or 5 minutes pass, and never retried sooner than its backoff.
 * - API errors: retried after backoff.
 * `ready` resolves once the pod and node caches have synced (rejects if disposed first).
 * dispose stops the informers and the loop; an attempt in flight finishes its write.
 */
export function startScheduler(opts: SchedulerOptions): Disposable & { ready: Promise<void> } {
  const { client, clock } = opts;
  const profile = opts.profile ?? defaultProfile();
  const store = new DisposableStore();
  const recorder = createEventRecorder(client, clock, opts.ids, {
    component: profile.schedulerName,
    instance: `${profile.schedulerName}-${opts.hostname ?? 'tabernetes'}`,
  });
  const factory = store.add(new SharedInformerFactory(client, clock));
  const pods = factory.informerFor<Pod>(Pods);
  const nodes = factory.informerFor<Node>(Nodes);
  const queue = store.add(new SchedulingQueue(clock));
  /** podKey → node name, for pods bound by us that the informer has not yet shown as bound. */
  const assumed = new Map<string, { node: string; at: number }>();

  const responsible = (p: Pod) => (p.spec?.schedulerName || DEFAULT_SCHEDULER_NAME) === profile.schedulerName;
  // SchedulingGates (PreEnqueue): a gated pod waits outside the queue until its gates are removed.
  const pending = (p: Pod) => !p.spec?.nodeName && !p.metadata?.deletionTimestamp && !isTerminated(p) && !p.spec?.schedulingGates?.length && responsible(p);
  const specOf = (p: Pod) => JSON.stringify([p.spec, p.metadata?.labels, p.metadata?.annotations]);

  store.add(pods.addEventHandler({
    onAdd(p) {
      if (pending(p)) queue.add(metaKey(p));
    },
    onUpdate(old, p) {
      const key = metaKey(p);
      if (p.spec?.nodeName) {
        assumed.delete(key);
        queue.forget(key);
        if (isTerminated(p) && !isTerminated(old)) queue.moveAllToActiveOrBackoff();
        return;
      }
      // Our own status writes must not retrigger a parked pod; spec/label changes do.
      if (pending(p) && (!queue.isParked(key) || specOf(old) !== specOf(p))) queue.add(key);
    },
    onDelete(p) {
      const key = metaKey(p);
      assumed.delete(key);
      queue.forget(key);
      if (p.spec?.nodeName) queue.moveAllToActiveOrBackoff();
    },
  }));
  store.add(nodes.addEventHandler({
    onAdd: () => queue.moveAllToActiveOrBackoff(),
    onUpdate: (old, n) => {
      if (JSON.stringify([old.spec, old.metadata?.labels, readyOf(old)]) !== JSON.stringify([n.spec, n.metadata?.labels, readyOf(n)])) queue.moveAllToActiveOrBackoff();
    },
  }));

  function snapshot(): NodeInfo[] {
    const byNode = new Map<string, NodeInfo>();
    for (const n of nodes.lister().list()) byNode.set(n.metadata?.name ?? '', { node: n, pods: [] });
    const now = clock.now();
    for (const p of pods.lister().list()) {
      const key = metaKey(p);
      const a = assumed.get(key);
      if (a && now - a.at > ASSUME_TTL_MS) assumed.delete(key);
      const nodeName = p.spec?.nodeName ?? assumed.get(key)?.node;
      if (nodeName) byNode.get(nodeName)?.pods.push(p);
    }
    return [...byNode.values()];
  }

  async function scheduleOne(key: string): Promise<void> {
    const pod = pods.lister().get(key);
    if (!pod || !pending(pod) || assumed.has(key)) return;
    const result = schedulePod(profile, pod, snapshot());
    const { namespace, name } = splitKey(key);
    const subject = { kind: 'Pod', apiVersion: 'v1', metadata: pod.metadata };
    if (!result.ok) {
      queue.unschedulable(key);
      recorder.event(subject, 'Warning', 'FailedScheduling', result.message, undefined, { action: 'Scheduling', eventsV1: true });
      await setUnschedulable(pod, result.message);
      return;
    }
    assumed.set(key, { node: result.node, at: clock.now() });
    const binding: Binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace }, target: { apiVersion: 'v1', kind: 'Node', name: result.node } };
    try {
      await client.create(Pods, binding, namespace, undefined, { name, subresource: 'binding' });
    } catch (err) {
      assumed.delete(key);
      if (err instanceof ApiError && err.code === 404) return queue.forget(key);
      queue.error(key);
      recorder.event(subject, 'Warning', 'FailedScheduling', `running Bind plugin "DefaultBinder": ${err instanceof Error ? err.message : String(err)}`, undefined, { action: 'Scheduling', eventsV1: true });
      return;
    }
    queue.forget(key);
    recorder.event(subject, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${result.node}`, undefined, { action: 'Binding', eventsV1: true });
  }

  /** Writes PodScheduled=False/Unschedulable unless the pod already says exactly that. Errors are left to the next attempt. */
  async function setUnschedulable(pod: Pod, message: string): Promise<void> {
    const conditions = pod.status?.conditions ?? [];
    const prev = conditions.find((c) => c.type === 'PodScheduled');
    if (prev?.status === 'False' && prev.reason === 'Unschedulable' && prev.message === message) return;
    const cond: PodCondition = {
      type: 'PodScheduled',
      status: 'False',
      lastTransitionTime: prev?.status === 'False' && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(clock.now()),
      reason: 'Unschedulable',
      message,
    };
    const next = [...conditions.filter((c) => c.type !== 'PodScheduled'), cond];
    try {
      await client.patch(Pods, pod.metadata!.name!, pod.metadata!.namespace, 'strategic', { status: { conditions: next } }, 'status');
    } catch {
      // The pod may be gone or changed; the next attempt rewrites the condition.
    }
  }

  let stopped = false;
  store.add({ dispose: () => void (stopped = true) });
  const ready = factory.waitForCacheSync();
  void (async () => {
    try {
      await ready;
    } catch {
      return;
    }
    for (;;) {
      const key = await queue.pop();
      if (key === undefined || stopped) return;
      try {
        await scheduleOne(key);
      } catch (err) {
        console.error('scheduler: attempt failed', key, err);
        queue.error(key);
      } finally {
        queue.done(key);
      }
    }
  })();
  factory.start();
  return { ready, dispose: () => store.dispose() };
}

function readyOf(n: Node): string | undefined {
  return n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
}
