import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import type { Clock } from '../../api/clock';
import { DisposableStore, type Disposable } from '../../api/disposable';
import type { IdSource } from '../../api/ids';
import { metaKey, Nodes, Pods, PriorityClasses } from '../../api/resources';
import type { ApiClient } from '../../client/api-client';
import { createEventRecorder } from '../../client/event-recorder';
import { SharedInformerFactory } from '../../client/informer';
import { type ClusterEvent, type NodeInfo, type Profile } from './framework';
import { fitErrorMessage, randomIntFrom, schedulePod } from './schedule-pod';
import { runBindingCycle } from './binding-cycle';
import { NodeInfoCache } from './node-info-cache';
import { DEFAULT_SCHEDULER_NAME, defaultProfile, isTerminated, volumeBindingFromInformers } from './plugins';
import { preempt } from './preemption';
import { SchedulingQueue } from './scheduling-queue';
import { rejectorsOf, requeueStrategy } from './queueing-hints';
import { nominateAndEvict, setUnschedulable } from './pod-writes';
import { ExplainStore, type SchedulingExplanation } from './explain';
import { pooledIds } from './pooled-ids';

export interface SchedulerOptions {
  client: ApiClient;
  clock: Clock;
  ids: IdSource;
  profile?: Profile;
  /** reportingInstance suffix: events carry "default-scheduler-<hostname>". */
  hostname?: string;
  /** Bindings in flight at once (kube binds asynchronously); default 64. */
  parallelBinds?: number;
}

export interface Scheduler extends Disposable {
  ready: Promise<void>;
  /** The last attempt's per-node, per-plugin filter results and scores for the pod (undefined if never attempted). */
  explain(namespace: string, name: string): SchedulingExplanation | undefined;
  /** Pods bound since start (for benchmarks). */
  readonly bound: number;
  /** Benchmarks: stop taking pods from the queue (an attempt in flight finishes); resume() continues. */
  pause(): void;
  resume(): void;
}

/**
 * kube-scheduler: watches pods, nodes and PriorityClasses, schedules pending pods whose schedulerName is
 * this profile's (default-scheduler when unset) one at a time in queue order (priority, then age), and binds
 * them via POST pods/NAME/binding asynchronously (the pod is assumed on the node meanwhile).
 * - Priority: spec.priority, or the value of spec.priorityClassName's PriorityClass when the apiserver left
 *   it 0/unset, or the globalDefault class's value.
 * - Success: Normal "Scheduled" event (action Binding) "Successfully assigned ns/name to node".
 * - No fit: DefaultPreemption runs; if it finds victims it sets status.nominatedNodeName, deletes the
 *   victims (Normal "Preempted" event on each: "Preempted by pod <uid> on node <node>") and the
 *   FailedScheduling message carries no preemption part; otherwise it ends "preemption: …". Then a
 *   PodScheduled=False/Unschedulable condition (only written when it changes) and a Warning
 *   "FailedScheduling" event; the pod is parked (with the plugins that rejected it) until a cluster event one
 *   of those plugins registered, and whose queueing hint says may help, arrives (queueing-hints.ts: Node
 *   add/update/delete, an assigned pod added/relabeled/deleted or terminated, PVC/PV/StorageClass add/update;
 *   a pod no plugin rejected moves on any event), or 5 minutes pass, and never retried sooner than its backoff.
 * - Volumes: PVC/PV/StorageClass informers feed VolumeBinding (plugins/volume-binding.ts); after selecting a node
 *   the profile's Reserve plugins run, and the binding cycle runs their PreBind (volume writes, then waiting for the
 *   claims to bind) before the Binding; a failure there is a Warning FailedScheduling `running PreBind plugin "…": …`
 *   and a retry after backoff.
 * - API errors: retried after backoff.
 * `ready` resolves once the caches have synced (rejects if disposed first).
 */
export function startScheduler(opts: SchedulerOptions): Scheduler {
  const { client, clock, ids } = opts;
  const store = new DisposableStore();
  const factory = store.add(new SharedInformerFactory(client, clock));
  const pods = factory.informerFor<Pod>(Pods);
  const nodes = factory.informerFor<Node>(Nodes);
  const classes = factory.informerFor<PriorityClass>(PriorityClasses);
  // VolumeBinding/VolumeZone/VolumeRestrictions: a claim, volume or class appearing or changing may make parked pods fit.
  const volumes = volumeBindingFromInformers(factory, client, clock, (ev) => queue.moveOnEvent(ev));
  store.add(volumes);
  const profile = opts.profile ?? defaultProfile(volumes);
  const recorder = store.add(createEventRecorder(client, clock, pooledIds(ids), {
    component: profile.schedulerName,
    instance: `${profile.schedulerName}-${opts.hostname ?? 'tabernetes'}`,
  }));
  const cache = new NodeInfoCache();
  const explanations = new ExplainStore();
  /** Pending pods with status.nominatedNodeName (key → pod). */
  const nominated = new Map<string, Pod>();
  /** Pods assumed on a node while their binding is in flight. */
  const assumed = new Set<string>();

  function priorityOf(p: Pod): number {
    const cls = p.spec?.priorityClassName;
    if (cls && !p.spec?.priority) {
      const pc = classes.lister().get(cls);
      if (pc) return pc.value;
    }
    if (p.spec?.priority !== undefined) return p.spec.priority;
    return classes.lister().list().find((c) => c.globalDefault)?.value ?? 0;
  }
  const queue = store.add(
    new SchedulingQueue<ClusterEvent>(
      clock,
      (key) => {
        const p = pods.lister().get(key);
        return { priority: p ? priorityOf(p) : 0, timestamp: Date.parse(p?.metadata?.creationTimestamp ?? '') || 0 };
      },
      (key, rejectors, ev) => requeueStrategy(profile, pods.lister().get(key), rejectors, ev),
    ),
  );
  const assignedPodEvent = (action: ClusterEvent['action'], oldObj?: Pod, newObj?: Pod) => queue.moveOnEvent({ resource: 'AssignedPod', action, oldObj, newObj });

  const responsible = (p: Pod) => (p.spec?.schedulerName || DEFAULT_SCHEDULER_NAME) === profile.schedulerName;
  // SchedulingGates (PreEnqueue): a gated pod waits outside the queue until its gates are removed.
  const pending = (p: Pod) => !p.spec?.nodeName && !p.metadata?.deletionTimestamp && !isTerminated(p) && !p.spec?.schedulingGates?.length && responsible(p);
  const specOf = (p: Pod) => JSON.stringify([p.spec, p.metadata?.labels, p.metadata?.annotations]);
  const track = (p: Pod) => {
    const key = metaKey(p);
    if (p.spec?.nodeName) {
      nominated.delete(key);
      assumed.delete(key);
      cache.setPod(p, p.spec.nodeName);
    } else if (p.status?.nominatedNodeName && pending(p)) nominated.set(key, p);
    else nominated.delete(key);
  };

  store.add(pods.addEventHandler({
    onAdd(p) {
      track(p);
      if (pending(p)) queue.add(metaKey(p));
      else if (p.spec?.nodeName && !isTerminated(p)) assignedPodEvent('Add', undefined, p);
    },
    onUpdate(old, p) {
      track(p);
      const key = metaKey(p);
      if (p.spec?.nodeName) {
        queue.forget(key);
        if (!old.spec?.nodeName) assignedPodEvent('Add', undefined, p);
        else if (isTerminated(p) && !isTerminated(old)) assignedPodEvent('Delete', old);
        else if (!sameLabels(old.metadata?.labels, p.metadata?.labels)) assignedPodEvent('Update', old, p);
        return;
      }
      // Our own status writes must not retrigger a parked pod; spec/label changes do.
      if (pending(p) && (!queue.isParked(key) || specOf(old) !== specOf(p))) queue.add(key);
    },
    onDelete(p) {
      const key = metaKey(p);
      nominated.delete(key);
      assumed.delete(key);
      cache.removePod(key);
      queue.forget(key);
      explanations.delete(key);
      if (p.spec?.nodeName) assignedPodEvent('Delete', p);
    },
  }));
  store.add(nodes.addEventHandler({
    onAdd: (n) => {
      cache.setNode(n);
      queue.moveOnEvent({ resource: 'Node', action: 'Add', newObj: n });
    },
    onUpdate: (old, n) => {
      cache.setNode(n);
      // kube's Node update event types (allocatable, labels, taints, spec, conditions); heartbeats alone are none.
      if (JSON.stringify([old.spec, old.metadata?.labels, readyOf(old), old.status?.allocatable]) !== JSON.stringify([n.spec, n.metadata?.labels, readyOf(n), n.status?.allocatable])) {
        queue.moveOnEvent({ resource: 'Node', action: 'Update', oldObj: old, newObj: n });
      }
    },
    onDelete: (n) => {
      cache.removeNode(n.metadata?.name ?? '');
      queue.moveOnEvent({ resource: 'Node', action: 'Delete', oldObj: n });
    },
  }));

  /** The snapshot for pod: the cache plus pods nominated elsewhere with priority ≥ pod's (addNominatedPods). */
  function snapshotFor(pod: Pod): NodeInfo[] {
    const all = cache.list();
    if (!nominated.size) return all;
    const key = metaKey(pod);
    const prio = priorityOf(pod);
    const extra = new Map<string, Pod[]>();
    for (const [k, p] of nominated) {
      if (k === key || priorityOf(p) < prio) continue;
      const n = p.status!.nominatedNodeName!;
      extra.set(n, [...(extra.get(n) ?? []), p]);
    }
    if (!extra.size) return all;
    return all.map((ni) => {
      const more = extra.get(ni.node.metadata?.name ?? '');
      return more ? { node: ni.node, pods: [...ni.pods, ...more] } : ni;
    });
  }

  let nextStart = 0;
  let bound = 0;
  const randomInt = randomIntFrom(ids);
  const inflight = new Set<Promise<void>>();
  const parallel = opts.parallelBinds ?? 64;

  /** One scheduling cycle. Returns the binding cycle (boxed: awaiting must not wait for it) when the pod was assumed. */
  async function scheduleOne(key: string): Promise<{ binding: Promise<void> } | undefined> {
    const pod = pods.lister().get(key);
    if (!pod || !pending(pod) || assumed.has(key)) return undefined;
    const snapshot = snapshotFor(pod);
    const result = schedulePod(profile, pod, snapshot, { start: nextStart, randomInt, nominated: pod.status?.nominatedNodeName, affinityPods: cache.affinityPods() });
    if (snapshot.length) nextStart = (nextStart + result.record.evaluated.length) % snapshot.length;
    const subject = { kind: 'Pod', apiVersion: 'v1', metadata: pod.metadata };
    if (!result.ok) {
      let message = result.message;
      let preemption: SchedulingExplanation['preemption'];
      if (result.statuses.size) {
        const pr = preempt(profile, pod, snapshot, result.statuses, priorityOf);
        if (pr.ok) {
          message = fitErrorMessage(result.numAllNodes, result.statuses, '');
          preemption = { node: pr.candidate.node, victims: pr.candidate.victims.map(metaKey) };
          await nominateAndEvict(client, recorder, pod, pr.candidate.node, pr.candidate.victims);
        } else {
          message = fitErrorMessage(result.numAllNodes, result.statuses, pr.message);
        }
      }
      explanations.record(key, pod, clock.now(), result.record, message, preemption);
      queue.unschedulable(key, rejectorsOf(result.statuses));
      recorder.event(subject, 'Warning', 'FailedScheduling', message, undefined, { action: 'Scheduling', eventsV1: true });
      await setUnschedulable(client, clock, pod, message);
      return undefined;
    }
    const node = result.node;
    // Reserve: a failure un-reserves the plugins reserved so far and retries the pod after backoff.
    const reservers = profile.reserve ?? [];
    const chosen = reservers.length ? (snapshot === cache.list() ? cache.get(node) : undefined) ?? snapshot.find((ni) => ni.node.metadata?.name === node)! : undefined;
    for (let i = 0; i < reservers.length; i++) {
      const msg = reservers[i].reserve(pod, chosen!);
      if (msg === null) continue;
      for (let j = i; j >= 0; j--) reservers[j].unreserve(pod, node);
      const message = `running Reserve plugin "${reservers[i].name}": ${msg}`;
      explanations.record(key, pod, clock.now(), result.record, message);
      queue.error(key);
      recorder.event(subject, 'Warning', 'FailedScheduling', message, undefined, { action: 'Scheduling', eventsV1: true });
      return undefined;
    }
    explanations.record(key, pod, clock.now(), result.record);
    assumed.add(key);
    cache.setPod({ ...pod, spec: { ...pod.spec!, nodeName: node } }, node);
    nominated.delete(key);
    const bindingCycle = runBindingCycle({ client, recorder, reservers, queue }, pod, key, node, () => {
      if (assumed.delete(key)) cache.removePod(key);
    }).then((ok) => {
      if (ok) bound++;
    });
    return { binding: bindingCycle };
  }

  let stopped = false;
  let paused: { promise: Promise<void>; resume(): void } | undefined;
  store.add({ dispose: () => {
    stopped = true;
    paused?.resume();
  } });
  const ready = factory.waitForCacheSync();
  void (async () => {
    try {
      await ready;
    } catch {
      return;
    }
    for (;;) {
      if (paused) await paused.promise;
      const key = await queue.pop();
      if (key === undefined || stopped) return;
      if (paused) {
        // paused while waiting: put the pod back in order and wait
        queue.done(key);
        queue.add(key);
        continue;
      }
      let binding: Promise<void> | undefined;
      try {
        binding = (await scheduleOne(key))?.binding;
      } catch (err) {
        console.error('scheduler: attempt failed', key, err);
        queue.error(key);
      }
      if (!binding) {
        queue.done(key);
        continue;
      }
      const p = binding.finally(() => {
        inflight.delete(p);
        queue.done(key);
      });
      inflight.add(p);
      if (inflight.size >= parallel) await Promise.race(inflight);
    }
  })();
  factory.start();
  return {
    ready,
    explain: (namespace, name) => explanations.get(metaKey({ metadata: { namespace, name } })),
    get bound() {
      return bound;
    },
    pause() {
      if (paused) return;
      let resume!: () => void;
      const promise = new Promise<void>((r) => (resume = r));
      paused = { promise, resume };
    },
    resume() {
      const p = paused;
      paused = undefined;
      p?.resume();
    },
    dispose: () => store.dispose(),
  };
}

function readyOf(n: Node): string | undefined {
  return n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
}

function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  if (a === b) return true;
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => a![k] === b?.[k]);
}
