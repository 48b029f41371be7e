import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { quantityValue } from '../../../api/quantity';
import { metaKey } from '../../../api/resources';
import type { Lister } from '../../../client/informer';
import { BIND_COMPLETED, classOf, findMatchingVolume, SELECTED_NODE } from '../../controller-manager/volume-util';
import type { ClusterEvent, ClusterEventHint } from '../framework';
import { sameNamespace } from './event-hints';
import { termsMatch } from './node-affinity';

// VolumeBinding's per-node decision (volume-binding.ts runs it in Filter and again in Reserve).

export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const ERR_REASON_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const ERR_REASON_NOT_ENOUGH_SPACE = 'node(s) did not have enough free storage';
export const ERR_REASON_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
export const ERR_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
const NOT_SUPPORTED_PROVISIONER = 'kubernetes.io/no-provisioner';

export interface VolumeListers {
  claims: Lister<PersistentVolumeClaim>;
  volumes: Lister<PersistentVolume>;
  classes: Lister<StorageClass>;
}

/** A pod's volume claims, by binding state (GetPodVolumeClaims). */
export interface PodClaims {
  bound: PersistentVolumeClaim[];
  delayed: PersistentVolumeClaim[];
}

/** The decisions for one pod on one node (PodVolumes). */
export interface PodVolumes {
  bindings: { claim: PersistentVolumeClaim; pv: PersistentVolume }[];
  provisions: PersistentVolumeClaim[];
}

/** The claim name each of the pod's PVC-backed volumes uses (generic ephemeral volumes: "<pod>-<volume>"). */
export function podClaimRefs(pod: Pod): { name: string; ephemeral: boolean }[] {
  const out: { name: string; ephemeral: boolean }[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim) out.push({ name: v.persistentVolumeClaim.claimName, ephemeral: false });
    else if (v.ephemeral) out.push({ name: `${pod.metadata?.name}-${v.name}`, ephemeral: true });
  }
  return out;
}

/** PVC event hint (VolumeBinding, VolumeZone, VolumeRestrictions): the claim is one of the pod's. */
export function podUsesClaim(pod: Pod, ev: ClusterEvent): boolean {
  const name = ((ev.newObj ?? ev.oldObj) as PersistentVolumeClaim | undefined)?.metadata?.name;
  return sameNamespace(pod, ev) && podClaimRefs(pod).some((r) => r.name === name);
}

/** VolumeBinding's and VolumeZone's EventsToRegister: the pod's claims, any volume or class, node labels. */
export const VOLUME_EVENTS: readonly ClusterEventHint[] = [
  { resource: 'PersistentVolumeClaim', actions: ['Add', 'Update'], hint: podUsesClaim },
  { resource: 'PersistentVolume', actions: ['Add', 'Update'] },
  { resource: 'StorageClass', actions: ['Add', 'Update'] },
  { resource: 'Node', actions: ['Add', 'Update'] },
];

/** volume.CheckNodeAffinity: the PV's required node affinity against the node's labels only (matchFields never match). */
export function pvMatchesNode(pv: PersistentVolume, labels: Record<string, string>): boolean {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  return !terms || termsMatch(terms, labels, '');
}

/** spec.volumeName set and the bind-completed annotation present. */
export const fullyBound = (c: PersistentVolumeClaim) => !!c.spec?.volumeName && c.metadata?.annotations?.[BIND_COMPLETED] !== undefined;
const storageOf = (c: PersistentVolumeClaim) => quantityValue(String(c.spec?.resources?.requests?.storage ?? '0'));

/**
 * FindPodVolumes: conflict reasons (kube's order) and, when none, what binding the pod on node takes. PVs in
 * assumedPVs (PV name → claim key, reserved for pods not bound yet) only match their own claim.
 */
export function findPodVolumes(deps: VolumeListers, assumedPVs: ReadonlyMap<string, string>, pc: PodClaims, node: string, labels: Record<string, string>): { reasons: string[]; volumes: PodVolumes } {
  const volumes: PodVolumes = { bindings: [], provisions: [] };
  let boundOk = true;
  let pvFound = true;
  let unboundOk = true;
  const reasons = () => [...(boundOk ? [] : [ERR_REASON_NODE_CONFLICT]), ...(unboundOk ? [] : [ERR_REASON_BIND_CONFLICT]), ...(pvFound ? [] : [ERR_REASON_PV_NOT_EXIST])];
  for (const c of pc.bound) {
    const pv = deps.volumes.get(c.spec!.volumeName!);
    if (!pv) {
      pvFound = false;
      break;
    }
    if (!pvMatchesNode(pv, labels)) {
      boundOk = false;
      break;
    }
  }
  if (!pc.delayed.length) return { reasons: reasons(), volumes };
  const toMatch: PersistentVolumeClaim[] = [];
  const toProvision: PersistentVolumeClaim[] = [];
  for (const c of pc.delayed) {
    const selected = c.metadata?.annotations?.[SELECTED_NODE];
    if (selected === undefined) toMatch.push(c);
    else if (selected !== node) {
      unboundOk = false;
      return { reasons: reasons(), volumes };
    } else toProvision.push(c);
  }
  if (toMatch.length) {
    const all = deps.volumes.list();
    const chosen = new Set<string>();
    for (const c of [...toMatch].sort((a, b) => storageOf(a) - storageOf(b))) {
      const key = metaKey(c);
      const pv = findMatchingVolume(c, all, (v) => {
        const name = v.metadata?.name ?? '';
        const owner = assumedPVs.get(name);
        return !chosen.has(name) && (owner === undefined || owner === key) && pvMatchesNode(v, labels);
      });
      if (!pv) {
        unboundOk = false;
        toProvision.push(c);
        continue;
      }
      chosen.add(pv.metadata?.name ?? '');
      volumes.bindings.push({ claim: c, pv });
    }
  }
  if (toProvision.length) {
    unboundOk = toProvision.every((c) => {
      const sc = deps.classes.get(classOf(c));
      if (!sc?.provisioner || sc.provisioner === NOT_SUPPORTED_PROVISIONER) return false;
      return topologyMatches(sc, labels);
    });
    if (unboundOk) volumes.provisions = toProvision;
  }
  return { reasons: reasons(), volumes };
}

/** v1helper.MatchTopologySelectorTerms: no terms match everything; terms are ORed, a term's expressions ANDed. */
function topologyMatches(sc: StorageClass, labels: Record<string, string>): boolean {
  const terms = sc.allowedTopologies ?? [];
  if (!terms.length) return true;
  return terms.some((t) => (t.matchLabelExpressions ?? []).every((e) => e.key in labels && e.values.includes(labels[e.key])));
}
