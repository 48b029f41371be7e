import type { ControllerRevision, DaemonSet, DaemonSetStatus } from 'kubernetes-types/apps/v1';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { ControllerRevisions, DaemonSets, metaKey, Nodes, objectKey, Pods } from '../../../api/resources';
import { ApiError } from '../../../api/status';
import { labelSelectorMatcher } from '../../../client/labels';
import type { ControllerContext, ControllerDef, ControllerDescriptor } from '../controller-context';
import { ControllerExpectations } from '../controller-expectations';
import { compactDaemonStatus, daemonSetHash, newDaemonPod, newDaemonSetRevision, nodeShouldRunDaemonPod, targetNodeOf } from '../daemonset-util';
import { scaledValue } from '../deployment-util';
import { controllerRefOf, isPodAvailable, isPodReady, newControllerRef, podAvailableAt } from '../pod-utils';
import { REVISION_LABEL, sameData } from '../statefulset-util';

const isCode = (err: unknown, code: number) => err instanceof ApiError && err.code === code;
const errMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));
const byAge = (a: Pod, b: Pod) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? '') || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');

/**
 * daemonset-controller (pkg/controller/daemon), per DaemonSet key:
 * - claims the pods its selector matches (adopting orphans) and keeps a ControllerRevision `<ds>-<hash>` of its
 *   template (pods carry controller-revision-hash=<hash>);
 * - for every node where it should run (nodeSelector, required node affinity, NoSchedule/NoExecute taints vs the
 *   template's tolerations plus the daemon tolerations) and has no pod, creates one bound to the node by required
 *   node affinity matchFields metadata.name (the scheduler places it); deletes Failed pods (Warning FailedDaemonPod
 *   "Found failed daemon pod NS/NAME on node NODE, will try to kill it"), duplicates (keeping the oldest) and pods
 *   on nodes where it should no longer run (NoExecute taints or selectors); SuccessfulCreate "Created pod: NAME",
 *   SuccessfulDelete "Deleted pod: NAME", FailedCreate/FailedDelete "Error creating: …"/"Error deleting: …";
 * - RollingUpdate (once nothing above is pending): with maxSurge 0 deletes old pods, unavailable ones first, while
 *   fewer than maxUnavailable (default 1) nodes are unavailable; with maxSurge > 0 creates a new pod beside up to
 *   maxSurge old ones and deletes each old pod once its replacement is available. OnDelete only replaces deleted pods;
 * - status: desiredNumberScheduled, currentNumberScheduled, numberMisscheduled, numberReady, numberAvailable,
 *   numberUnavailable, updatedNumberScheduled, observedGeneration. Expectations keep a lagging informer from
 *   creating twice; API errors other than 404/409 are rethrown (rate-limited retry).
 */
export function daemonSetController(): ControllerDescriptor {
  return {
    name: 'daemonset-controller',
    component: 'daemonset-controller',
    requires: [DaemonSets, ControllerRevisions],
    setup(ctx: ControllerContext): ControllerDef {
      const dss = ctx.factory.informerFor<DaemonSet>(DaemonSets);
      const pods = ctx.factory.informerFor<Pod>(Pods);
      const nodes = ctx.factory.informerFor<Node>(Nodes);
      const revs = ctx.factory.informerFor<ControllerRevision>(ControllerRevisions);
      const exp = new ControllerExpectations(ctx.clock);
      const ownerKey = (p: Pod) => {
        const ref = controllerRefOf(p);
        return ref?.kind === 'DaemonSet' ? objectKey(p.metadata?.namespace, ref.name) : undefined;
      };
      const onPod = (p: Pod, kind: 'add' | 'update' | 'delete') => {
        const key = ownerKey(p);
        if (!key) {
          if (!controllerRefOf(p)) for (const d of dss.lister().list(p.metadata?.namespace)) if (labelSelectorMatcher(d.spec?.selector)(p.metadata?.labels)) ctx.queue.add(metaKey(d));
          return;
        }
        if (kind === 'add') exp.creationObserved(key);
        if (kind === 'delete' || p.metadata?.deletionTimestamp) exp.deletionObserved(key, metaKey(p));
        ctx.queue.add(key);
      };
      const all = () => {
        for (const d of dss.lister().list()) ctx.queue.add(metaKey(d));
      };
      const subs = [
        dss.addEventHandler({ onAdd: (d) => ctx.queue.add(metaKey(d)), onUpdate: (_a, d) => ctx.queue.add(metaKey(d)), onDelete: (d) => ctx.queue.add(metaKey(d)) }),
        pods.addEventHandler({ onAdd: (p) => onPod(p, 'add'), onUpdate: (_a, p) => onPod(p, 'update'), onDelete: (p) => onPod(p, 'delete') }),
        nodes.addEventHandler({ onAdd: all, onUpdate: (a, b) => JSON.stringify([a.metadata?.labels, a.spec?.taints]) !== JSON.stringify([b.metadata?.labels, b.spec?.taints]) && all(), onDelete: all }),
      ];
      const subject = (d: DaemonSet) => ({ kind: 'DaemonSet', apiVersion: 'apps/v1', metadata: d.metadata });

      async function claimPods(ds: DaemonSet): Promise<Pod[]> {
        const match = labelSelectorMatcher(ds.spec?.selector);
        const out: Pod[] = [];
        for (const pod of pods.lister().list(ds.metadata?.namespace)) {
          const ref = controllerRefOf(pod);
          if (ref) {
            if (ref.uid === ds.metadata?.uid) out.push(pod);
            continue;
          }
          if (!match(pod.metadata?.labels) || pod.metadata?.deletionTimestamp) continue;
          const ownerReferences = [...(pod.metadata?.ownerReferences ?? []), newControllerRef(ds, 'apps/v1', 'DaemonSet')];
          const adopted = await ctx.client.patch<Pod>(Pods, pod.metadata!.name!, pod.metadata?.namespace, 'merge', { metadata: { ownerReferences, resourceVersion: pod.metadata?.resourceVersion } }).catch((err) => {
            if (!isCode(err, 404) && !isCode(err, 409)) throw err;
          });
          if (adopted) out.push(adopted);
        }
        return out;
      }

      /** Ensures the current revision exists; returns its hash, or undefined after bumping collisionCount. */
      async function currentRevision(ds: DaemonSet): Promise<string | undefined> {
        const owned = revs.lister().list(ds.metadata?.namespace).filter((r) => controllerRefOf(r)?.uid === ds.metadata?.uid);
        const max = Math.max(0, ...owned.map((r) => r.revision ?? 0));
        const want = newDaemonSetRevision(ds, max + 1);
        const found = owned.find((r) => r.metadata?.name === want.metadata?.name);
        if (found && sameData(found, want)) {
          if (found.revision !== max) await ctx.client.update(ControllerRevisions, { ...found, revision: max + 1 });
          return daemonSetHash(ds);
        }
        try {
          if (!found) await ctx.client.create(ControllerRevisions, want, ds.metadata?.namespace);
          else throw new ApiError(409, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 409, reason: 'AlreadyExists', message: 'hash collision' });
          return daemonSetHash(ds);
        } catch (err) {
          if (!isCode(err, 409)) throw err;
          const clash = found ?? (await ctx.client.get<ControllerRevision>(ControllerRevisions, want.metadata!.name!, ds.metadata?.namespace));
          if (sameData(clash, want) && controllerRefOf(clash)?.uid === ds.metadata?.uid) return daemonSetHash(ds);
          await ctx.client.update(DaemonSets, { ...ds, status: { ...ds.status!, collisionCount: (ds.status?.collisionCount ?? 0) + 1 } }, 'status');
          return undefined;
        }
      }

      async function apply(key: string, ds: DaemonSet, creates: string[], deletes: Pod[], hash: string): Promise<void> {
        if (!creates.length && !deletes.length) return;
        exp.expect(key, creates.length, deletes.map(metaKey));
        const ns = ds.metadata?.namespace ?? 'default';
        let failure: unknown;
        const made = await Promise.allSettled(creates.map((n) => ctx.client.create<Pod>(Pods, newDaemonPod(ds, n, hash), ns)));
        for (const r of made) {
          if (r.status === 'fulfilled') ctx.recorder.event(subject(ds), 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata?.name}`);
          else {
            exp.creationObserved(key);
            failure ??= r.reason;
            ctx.recorder.event(subject(ds), 'Warning', 'FailedCreate', `Error creating: ${errMessage(r.reason)}`);
          }
        }
        const gone = await Promise.allSettled(deletes.map((p) => ctx.client.delete(Pods, p.metadata!.name!, ns)));
        gone.forEach((r, i) => {
          if (r.status === 'fulfilled') return ctx.recorder.event(subject(ds), 'Normal', 'SuccessfulDelete', `Deleted pod: ${deletes[i].metadata?.name}`);
          exp.deletionObserved(key, metaKey(deletes[i]));
          if (isCode(r.reason, 404)) return;
          failure ??= r.reason;
          ctx.recorder.event(subject(ds), 'Warning', 'FailedDelete', `Error deleting: ${errMessage(r.reason)}`);
        });
        if (failure) throw failure;
      }

      async function reconcile(key: string) {
        const ds = dss.lister().get(key);
        if (!ds) return void exp.delete(key);
        if (ds.metadata?.deletionTimestamp) return;
        const owned = await claimPods(ds);
        const hash = await currentRevision(ds);
        if (!hash) return { requeueAfter: 0 };
        const now = ctx.clock.now();
        const minReady = ds.spec?.minReadySeconds ?? 0;
        const available = (p: Pod) => isPodAvailable(p, minReady, now);
        const isNew = (p: Pod) => p.metadata?.labels?.[REVISION_LABEL] === hash;
        const byNode = new Map<string, Pod[]>();
        for (const p of owned) {
          const n = targetNodeOf(p);
          if (n) byNode.set(n, [...(byNode.get(n) ?? []), p].sort(byAge));
        }
        const rolling = (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
        const ru = ds.spec?.updateStrategy?.rollingUpdate;
        const creates: string[] = [];
        const deletes: Pod[] = [];
        const should = new Map<string, boolean>();
        for (const node of nodes.lister().list()) {
          const name = node.metadata?.name ?? '';
          const [run, cont] = nodeShouldRunDaemonPod(node, ds);
          should.set(name, run);
          const here = (byNode.get(name) ?? []).filter((p) => !p.metadata?.deletionTimestamp);
          if (!cont) {
            deletes.push(...here);
            continue;
          }
          const failed = here.filter((p) => p.status?.phase === 'Failed');
          for (const p of failed) ctx.recorder.event(subject(ds), 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${p.metadata?.namespace}/${p.metadata?.name} on node ${name}, will try to kill it`);
          deletes.push(...failed);
          const alive = here.filter((p) => p.status?.phase !== 'Failed');
          if (!alive.length) {
            if (run && !(byNode.get(name) ?? []).some((p) => p.metadata?.deletionTimestamp)) creates.push(name);
            continue;
          }
          // duplicates: keep the oldest (with surge, the oldest old and the oldest new)
          const surging = rolling && scaledValue(ru?.maxSurge, 1, true, '0') > 0;
          const keep = surging ? [alive.find((p) => !isNew(p)), alive.find(isNew)].filter((p): p is Pod => !!p) : [alive[0]];
          deletes.push(...alive.filter((p) => !keep.includes(p)));
        }
        if (exp.satisfied(key)) {
          if (!creates.length && !deletes.length && rolling) rollingUpdate(ds, byNode, should, available, isNew, creates, deletes);
          await apply(key, ds, creates, deletes, hash);
        }
        // status from the informer's view, pods per node oldest first
        const desired = [...should.values()].filter(Boolean).length;
        let current = 0, mis = 0, ready = 0, avail = 0, updated = 0;
        for (const [name, ps] of byNode) {
          const live = ps.filter((p) => !p.metadata?.deletionTimestamp);
          if (!live.length) continue;
          if (!should.get(name)) {
            mis++;
            continue;
          }
          current++;
          if (live.some(isNew)) updated++;
          if (isPodReady(live[0])) ready++;
          if (available(live[0])) avail++;
        }
        const status = compactDaemonStatus({ desiredNumberScheduled: desired, currentNumberScheduled: current, numberMisscheduled: mis, numberReady: ready, numberAvailable: avail, numberUnavailable: desired - avail, updatedNumberScheduled: updated, observedGeneration: ds.metadata?.generation, collisionCount: ds.status?.collisionCount });
        if (JSON.stringify(compactDaemonStatus(ds.status ?? ({} as DaemonSetStatus))) !== JSON.stringify(status)) {
          try {
            await ctx.client.update(DaemonSets, { ...ds, status }, 'status');
          } catch (err) {
            if (isCode(err, 404)) return;
            if (!isCode(err, 409)) throw err;
            return { requeueAfter: 0 };
          }
        }
        const ats = owned.map((p) => podAvailableAt(p, minReady)).filter((t): t is number => t !== undefined && t > now);
        if (ats.length) return { requeueAfter: Math.min(...ats) - now };
      }

      function rollingUpdate(ds: DaemonSet, byNode: Map<string, Pod[]>, should: Map<string, boolean>, available: (p: Pod) => boolean, isNew: (p: Pod) => boolean, creates: string[], deletes: Pod[]): void {
        const ru = ds.spec?.updateStrategy?.rollingUpdate;
        const desired = [...should.values()].filter(Boolean).length;
        const maxSurge = scaledValue(ru?.maxSurge, desired, true, '0');
        let maxUnavailable = scaledValue(ru?.maxUnavailable, desired, true, '1');
        if (!maxSurge && !maxUnavailable) maxUnavailable = 1;
        let unavailable = 0;
        const candidates: Pod[] = [];
        let surged = 0;
        const surgeCandidates: string[] = [];
        for (const [name, run] of should) {
          if (!run) continue;
          const live = (byNode.get(name) ?? []).filter((p) => !p.metadata?.deletionTimestamp);
          const fresh = live.find(isNew);
          const old = live.find((p) => !isNew(p));
          if (maxSurge > 0) {
            if (fresh && old && available(fresh)) deletes.push(old);
            else if (fresh && old) surged++;
            else if (old && !available(old)) deletes.push(old);
            else if (old) surgeCandidates.push(name);
            continue;
          }
          if (fresh) {
            if (!available(fresh)) unavailable++;
          } else if (old) {
            if (!available(old)) deletes.push(old);
            else candidates.push(old);
          } else unavailable++;
        }
        if (maxSurge > 0) creates.push(...surgeCandidates.slice(0, Math.max(0, maxSurge - surged)));
        else deletes.push(...candidates.slice(0, Math.max(0, maxUnavailable - unavailable - deletes.length)));
      }

      return { reconcile, disposables: subs };
    },
  };
}
