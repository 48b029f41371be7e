import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import type { Clock } from '../../../api/clock';
import type { Disposable } from '../../../api/disposable';
import { metaKey, objectKey, PersistentVolumeClaims, PersistentVolumes, StorageClasses } from '../../../api/resources';
import type { ApiClient } from '../../../client/api-client';
import type { SharedInformerFactory } from '../../../client/informer';
import { BOUND_BY_CONTROLLER, classOf, SELECTED_NODE } from '../../controller-manager/volume-util';
import { unschedulable, type ClusterEvent, type CycleState, type FilterPlugin, type ReservePlugin } from '../framework';
import { ERR_UNBOUND_IMMEDIATE, findPodVolumes, fullyBound, podClaimRefs, VOLUME_EVENTS, type PodClaims, type PodVolumes, type VolumeListers } from './find-pod-volumes';

/** kube's volumebinding DefaultBindTimeoutSeconds. */
export const BIND_TIMEOUT_MS = 600_000;
const KEY = 'VolumeBinding';

export interface VolumeBindingDeps extends VolumeListers {
  client: ApiClient;
  clock: Clock;
}

/**
 * kube-scheduler's VolumeBinding plugin (Filter + Reserve/PreBind) over the scheduler's PVC/PV/StorageClass listers.
 * - PreFilter (UnschedulableAndUnresolvable, message as kube's): a missing claim `persistentvolumeclaim "x" not found`,
 *   a Lost or deleting claim, an unbound claim whose class is not WaitForFirstConsumer (or a claim with volumeName but
 *   no bind-completed annotation) ERR_UNBOUND_IMMEDIATE. A pod without claims skips the plugin.
 * - Filter per node: bound claims' PVs must exist (ERR_REASON_PV_NOT_EXIST) and their nodeAffinity match the node
 *   (ERR_REASON_NODE_CONFLICT); WaitForFirstConsumer claims need an Available matching PV whose affinity fits the node,
 *   or a class with a provisioner whose allowedTopologies fit (else ERR_REASON_BIND_CONFLICT); a claim already
 *   carrying volume.kubernetes.io/selected-node only fits that node. All rejections are UnschedulableAndUnresolvable.
 * - Reserve assumes the chosen PVs and selected-node annotations in memory (later pods see them); PreBind writes
 *   them (PV claimRef + bound-by-controller, PVC annotation) and waits until every claim is fully bound (spec.volumeName
 *   and bind-completed), BIND_TIMEOUT_MS at most; a provisioner dropping the annotation fails it. changed() must be
 *   called on every PVC/PV informer event so waits re-check.
 */
export function volumeBinding(deps: VolumeBindingDeps): { filter: FilterPlugin; reserve: ReservePlugin; listers: VolumeListers; changed(): void } {
  /** PV name → the claim key it is assumed bound to. */
  const assumedPVs = new Map<string, string>();
  /** Claim key → the claim with its assumed selected-node annotation. */
  const assumedClaims = new Map<string, PersistentVolumeClaim>();
  const reserved = new Map<string, PodVolumes>();
  const waiters = new Set<() => void>();

  const claimOf = (key: string) => assumedClaims.get(key) ?? deps.claims.get(key);

  function isDelayBinding(c: PersistentVolumeClaim): boolean {
    const name = classOf(c);
    return !!name && deps.classes.get(name)?.volumeBindingMode === 'WaitForFirstConsumer';
  }

  /** podHasPVCs + GetPodVolumeClaims: a rejection message, or the classified claims (undefined: no claims). */
  function podClaims(pod: Pod): string | PodClaims | undefined {
    const refs = podClaimRefs(pod);
    if (!refs.length) return undefined;
    const ns = pod.metadata?.namespace;
    const out: PodClaims = { bound: [], delayed: [] };
    let immediate = false;
    for (const ref of refs) {
      const c = claimOf(objectKey(ns, ref.name));
      if (!c) return ref.ephemeral ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${ref.name}"` : `persistentvolumeclaim "${ref.name}" not found`;
      if (c.status?.phase === 'Lost') return `persistentvolumeclaim "${ref.name}" bound to non-existent persistentvolume "${c.spec?.volumeName ?? ''}"`;
      if (c.metadata?.deletionTimestamp) return `persistentvolumeclaim "${ref.name}" is being deleted`;
      if (ref.ephemeral && !c.metadata?.ownerReferences?.some((o) => o.controller && o.uid === pod.metadata?.uid)) {
        return `PVC ${ns}/${ref.name} was not created for pod ${ns}/${pod.metadata?.name} (pod is not owner)`;
      }
      if (fullyBound(c)) out.bound.push(c);
      else if (!c.spec?.volumeName && isDelayBinding(c)) out.delayed.push(c);
      else immediate = true;
    }
    return immediate ? ERR_UNBOUND_IMMEDIATE : out;
  }

  const filter: FilterPlugin = {
    name: 'VolumeBinding',
    events: VOLUME_EVENTS,
    preFilter(pod, state) {
      const pc = podClaims(pod);
      if (typeof pc === 'string') return unschedulable(pc);
      if (pc) state.data.set(KEY, pc);
      return null;
    },
    skip: (_pod, state) => !state.data.has(KEY),
    filter(_pod, ni, state: CycleState) {
      const pc = state.data.get(KEY) as PodClaims | undefined;
      if (!pc) return null;
      const { reasons } = findPodVolumes(deps, assumedPVs, pc, ni.node.metadata?.name ?? '', ni.node.metadata?.labels ?? {});
      return reasons.length ? unschedulable(...reasons) : null;
    },
  };

  function forget(podKey: string) {
    const r = reserved.get(podKey);
    if (!r) return;
    reserved.delete(podKey);
    for (const b of r.bindings) assumedPVs.delete(b.pv.metadata?.name ?? '');
    for (const c of r.provisions) assumedClaims.delete(metaKey(c));
  }

  /** Resolves once every claim of r is fully bound; rejects on a provisioning failure or after BIND_TIMEOUT_MS. */
  function waitBound(r: PodVolumes, node: string): Promise<void> {
    const check = (): boolean => {
      for (const b of r.bindings) {
        const c = deps.claims.get(metaKey(b.claim));
        if (!c || !fullyBound(c)) return false;
      }
      for (const p of r.provisions) {
        const c = deps.claims.get(metaKey(p));
        if (!c) return false;
        if (c.metadata?.annotations?.[SELECTED_NODE] !== node) throw new Error(`provisioning failed for PVC "${p.metadata?.name}"`);
        if (!fullyBound(c)) return false;
      }
      return true;
    };
    return new Promise<void>((resolve, reject) => {
      const finish = (err?: Error) => {
        waiters.delete(recheck);
        timer.dispose();
        if (err) reject(err);
        else resolve();
      };
      const recheck = () => {
        try {
          if (check()) finish();
        } catch (err) {
          finish(err as Error);
        }
      };
      const timer = deps.clock.after(BIND_TIMEOUT_MS, () => finish(new Error('binding volumes: context deadline exceeded')));
      waiters.add(recheck);
      recheck();
    });
  }

  const reserve: ReservePlugin = {
    name: 'VolumeBinding',
    reserve(pod, node) {
      const podKey = metaKey(pod);
      forget(podKey);
      const pc = podClaims(pod);
      if (pc === undefined) return null;
      if (typeof pc === 'string') return pc;
      if (!pc.delayed.length) return null;
      return reserveOn(podKey, pc, node.node.metadata?.name ?? '', node.node.metadata?.labels ?? {});
    },
    unreserve: (pod) => forget(metaKey(pod)),
    async preBind(pod, node) {
      const podKey = metaKey(pod);
      const r = reserved.get(podKey);
      if (!r) return;
      try {
        for (const { claim, pv } of r.bindings) {
          const claimRef = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: claim.metadata?.namespace, name: claim.metadata?.name, uid: claim.metadata?.uid, resourceVersion: claim.metadata?.resourceVersion };
          await deps.client.patch(PersistentVolumes, pv.metadata!.name!, undefined, 'merge', { metadata: { annotations: { [BOUND_BY_CONTROLLER]: 'yes' } }, spec: { claimRef } });
        }
        for (const c of r.provisions) {
          if (deps.claims.get(metaKey(c))?.metadata?.annotations?.[SELECTED_NODE] === node) continue;
          await deps.client.patch(PersistentVolumeClaims, c.metadata!.name!, c.metadata?.namespace, 'merge', { metadata: { annotations: { [SELECTED_NODE]: node } } });
        }
        await waitBound(r, node);
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        throw new Error(msg.startsWith('binding volumes: ') ? msg : `binding volumes: ${msg}`);
      } finally {
        forget(podKey);
      }
    },
  };

  /** AssumePodVolumes: FindPodVolumes again on the chosen node, then assume its decisions. */
  function reserveOn(podKey: string, pc: PodClaims, node: string, labels: Record<string, string>): string | null {
    const { reasons, volumes } = findPodVolumes(deps, assumedPVs, pc, node, labels);
    if (reasons.length) return reasons.join(', ');
    reserved.set(podKey, volumes);
    for (const b of volumes.bindings) assumedPVs.set(b.pv.metadata?.name ?? '', metaKey(b.claim));
    for (const c of volumes.provisions) {
      assumedClaims.set(metaKey(c), { ...c, metadata: { ...c.metadata, annotations: { ...(c.metadata?.annotations ?? {}), [SELECTED_NODE]: node } } });
    }
    return null;
  }

  return {
    filter,
    reserve,
    listers: deps,
    changed() {
      for (const w of [...waiters]) w();
    },
  };
}

export type VolumeBinding = ReturnType<typeof volumeBinding>;

/**
 * volumeBinding over PVC/PV/StorageClass informers from factory: every claim/volume/class add (after the initial
 * list) or update calls changed() then onEvent with the ClusterEvent (the scheduler requeues the parked pods it may
 * help); deletes only changed(). Dispose removes the handlers.
 */
export function volumeBindingFromInformers(factory: SharedInformerFactory, client: ApiClient, clock: Clock, onEvent: (ev: ClusterEvent) => void): VolumeBinding & Disposable {
  const claims = factory.informerFor<PersistentVolumeClaim>(PersistentVolumeClaims);
  const volumes = factory.informerFor<PersistentVolume>(PersistentVolumes);
  const classes = factory.informerFor<StorageClass>(StorageClasses);
  const vb = volumeBinding({ client, clock, claims: claims.lister(), volumes: volumes.lister(), classes: classes.lister() });
  const handler = (resource: ClusterEvent['resource']) => {
    const event = (ev: ClusterEvent) => {
      vb.changed();
      onEvent(ev);
    };
    return {
      onAdd: (o: unknown, initial: boolean) => !initial && event({ resource, action: 'Add', newObj: o }),
      onUpdate: (old: unknown, o: unknown) => event({ resource, action: 'Update', oldObj: old, newObj: o }),
      onDelete: () => vb.changed(),
    };
  };
  const subs = [claims.addEventHandler(handler('PersistentVolumeClaim')), volumes.addEventHandler(handler('PersistentVolume')), classes.addEventHandler(handler('StorageClass'))];
  return { ...vb, dispose: () => subs.forEach((d) => d.dispose()) };
}
