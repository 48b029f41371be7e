import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { ControllerRevisions, CronJobs, DaemonSets, Deployments, EndpointSlices, Jobs, Pods, ReplicaSets, ReplicationControllers, Services, StatefulSets, type ResourceRef } from '../../../api/resources';
import { ApiError } from '../../../api/status';
import type { ControllerContext, ControllerDef, ControllerDescriptor } from '../controller-context';
import { startGcMonitors } from './gc-monitors';

/**
 * Built-in kinds the garbage collector tracks from its start when served, through the shared informers the workload
 * controllers use too. Every other deletable resource (ConfigMaps, Secrets, PVCs, RBAC, custom resources…) is found
 * by gc-monitors' discovery resync.
 */
export const GC_TRACKED: ResourceRef[] = [Pods, Services, EndpointSlices, ReplicationControllers, ReplicaSets, Deployments, StatefulSets, DaemonSets, ControllerRevisions, Jobs, CronJobs];

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

interface GcObject {
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string; deletionTimestamp?: string; finalizers?: string[]; ownerReferences?: OwnerReference[] };
}

interface GraphNode {
  uid: string;
  ref: ResourceRef;
  obj: GcObject;
}

const meta = (n: GraphNode) => n.obj.metadata ?? {};
const owners = (n: GraphNode) => meta(n).ownerReferences ?? [];
const finalizers = (n: GraphNode) => meta(n).finalizers ?? [];
const hasFinalizer = (n: GraphNode, f: string) => !!meta(n).deletionTimestamp && finalizers(n).includes(f);

/**
 * garbage-collector-controller over a uid graph of every object of every deletable resource (gc-monitors: GC_TRACKED
 * at start, then discovery re-read every 30s of the Clock, so CRDs created later are tracked). Keys are uids.
 * reconcile(uid), level-based:
 * - deleting with the "orphan" finalizer: removes the ownerReference to it from every dependent, then the finalizer;
 * - deleting with "foregroundDeletion": deletes every dependent not yet deleting (Foreground if it has dependents
 *   itself, else Background); removes the finalizer once no dependent with blockOwnerDeletion=true remains;
 * - otherwise, an object with ownerReferences: an owner absent from the graph is confirmed with a live GET (404 or
 *   another uid = dangling). With a live owner left, references to dangling owners and owners being deleted in
 *   foreground are removed; with none left the object is deleted (Foreground if it waits on a foreground owner
 *   and has dependents; else per its own GC finalizer, default Background), with a uid precondition.
 * Owners of untracked kinds are assumed to exist; when a kind becomes tracked, objects it owns are re-queued.
 * 404 and 409 on writes are ignored (the next event re-queues).
 */
export function garbageCollector(): ControllerDescriptor {
  return {
    name: 'garbage-collector-controller',
    component: 'garbage-collector-controller',
    optional: GC_TRACKED,
    setup(ctx: ControllerContext): ControllerDef {
      const nodes = new Map<string, GraphNode>();
      const dependents = new Map<string, Set<string>>();
      const link = (owner: string, dep: string, add: boolean) => {
        let set = dependents.get(owner);
        if (add) {
          if (!set) dependents.set(owner, (set = new Set()));
          set.add(dep);
        } else if (set) {
          set.delete(dep);
          if (!set.size) dependents.delete(owner);
        }
      };
      const enqueueWaitingOwners = (n: GraphNode) => {
        for (const o of owners(n)) {
          const owner = nodes.get(o.uid);
          if (owner && hasFinalizer(owner, FINALIZER_FOREGROUND)) ctx.queue.add(owner.uid);
        }
      };
      const upsert = (ref: ResourceRef, obj: GcObject) => {
        const uid = obj.metadata?.uid;
        if (!uid) return;
        const prev = nodes.get(uid);
        const node: GraphNode = { uid, ref, obj };
        if (prev) for (const o of owners(prev)) link(o.uid, uid, false);
        for (const o of owners(node)) link(o.uid, uid, true);
        nodes.set(uid, node);
        const ownersChanged = JSON.stringify(prev ? owners(prev) : []) !== JSON.stringify(owners(node));
        if (owners(node).length && (!prev || ownersChanged)) ctx.queue.add(uid);
        if (hasFinalizer(node, FINALIZER_ORPHAN) || hasFinalizer(node, FINALIZER_FOREGROUND)) ctx.queue.add(uid);
        if (prev && ownersChanged) enqueueWaitingOwners(prev);
        if (meta(node).deletionTimestamp && !(prev && meta(prev).deletionTimestamp)) enqueueWaitingOwners(node);
      };
      const remove = (obj: GcObject) => {
        const uid = obj.metadata?.uid;
        const node = uid ? nodes.get(uid) : undefined;
        if (!node) return;
        nodes.delete(node.uid);
        for (const o of owners(node)) link(o.uid, node.uid, false);
        for (const d of dependents.get(node.uid) ?? []) ctx.queue.add(d);
        enqueueWaitingOwners(node);
      };
      const monitors = startGcMonitors<GcObject>(ctx, GC_TRACKED.filter((r) => ctx.served(r)), GC_TRACKED, {
        handler: (ref) => ({ onAdd: (o) => upsert(ref, o), onUpdate: (_o, o) => upsert(ref, o), onDelete: remove }),
        onStarted(ref) {
          for (const n of nodes.values()) if (owners(n).some((o) => o.kind === ref.kind && monitors.resourceFor(o.apiVersion, o.kind) === ref)) ctx.queue.add(n.uid);
        },
        onStopped(ref, objects) {
          for (const o of objects) if (nodes.get(o.metadata?.uid ?? '')?.ref === ref) remove(o);
        },
      });

      const ignoreGone = (err: unknown) => {
        if (!(err instanceof ApiError && (err.code === 404 || err.code === 409))) throw err;
      };
      const deps = (uid: string) => [...(dependents.get(uid) ?? [])].map((d) => nodes.get(d)).filter((d): d is GraphNode => !!d);
      const patchMeta = (n: GraphNode, patch: object) =>
        ctx.client.patch(n.ref, meta(n).name ?? '', meta(n).namespace, 'merge', { metadata: { ...patch, resourceVersion: meta(n).resourceVersion } }).catch(ignoreGone);
      const remove_ = (n: GraphNode, policy: 'Foreground' | 'Background' | 'Orphan') =>
        ctx.client.delete(n.ref, meta(n).name ?? '', meta(n).namespace, { propagationPolicy: policy, preconditions: { uid: n.uid } }).catch(ignoreGone);

      /** Whether the owner a reference names exists (graph first, then a live GET); undefined if it does not. */
      async function ownerState(n: GraphNode, o: OwnerReference): Promise<'solid' | 'dangling' | 'waiting'> {
        const known = nodes.get(o.uid);
        if (known) return hasFinalizer(known, FINALIZER_FOREGROUND) ? 'waiting' : 'solid';
        const ref = monitors.resourceFor(o.apiVersion, o.kind);
        if (!ref) return 'solid';
        try {
          const live = await ctx.client.get<GcObject>(ref, o.name, ref.namespaced ? meta(n).namespace : undefined);
          if (live.metadata?.uid !== o.uid) return 'dangling';
          return live.metadata?.deletionTimestamp && (live.metadata.finalizers ?? []).includes(FINALIZER_FOREGROUND) ? 'waiting' : 'solid';
        } catch (err) {
          if (err instanceof ApiError && err.code === 404) return 'dangling';
          throw err;
        }
      }

      async function reconcile(uid: string): Promise<void> {
        const n = nodes.get(uid);
        if (!n) return;
        if (hasFinalizer(n, FINALIZER_ORPHAN)) {
          for (const d of deps(uid)) await patchMeta(d, { ownerReferences: owners(d).filter((o) => o.uid !== uid) });
          await patchMeta(n, { finalizers: finalizers(n).filter((f) => f !== FINALIZER_ORPHAN) });
          return;
        }
        if (hasFinalizer(n, FINALIZER_FOREGROUND)) {
          const all = deps(uid);
          for (const d of all) if (!meta(d).deletionTimestamp) await remove_(d, dependents.has(d.uid) ? 'Foreground' : 'Background');
          const blocking = all.filter((d) => owners(d).some((o) => o.uid === uid && o.blockOwnerDeletion));
          if (!blocking.length) await patchMeta(n, { finalizers: finalizers(n).filter((f) => f !== FINALIZER_FOREGROUND) });
          return;
        }
        if (meta(n).deletionTimestamp || !owners(n).length) return;
        const states = await Promise.all(owners(n).map(async (o) => [o, await ownerState(n, o)] as const));
        const solid = states.filter(([, s]) => s === 'solid');
        const waiting = states.filter(([, s]) => s === 'waiting');
        if (solid.length) {
          if (solid.length < states.length) await patchMeta(n, { ownerReferences: solid.map(([o]) => o) });
          return;
        }
        if (waiting.length && dependents.has(uid)) return void (await remove_(n, 'Foreground'));
        const own = finalizers(n);
        await remove_(n, own.includes(FINALIZER_ORPHAN) ? 'Orphan' : own.includes(FINALIZER_FOREGROUND) ? 'Foreground' : 'Background');
      }

      return { reconcile, workers: 2, disposables: [monitors] };
    },
  };
}
