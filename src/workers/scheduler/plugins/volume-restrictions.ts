import type { Pod } from 'kubernetes-types/core/v1';
import { metaKey, objectKey } from '../../../api/resources';
import { resolvable, unschedulable, type FilterPlugin } from '../framework';
import { sameNamespace } from './event-hints';
import { podUsesClaim, type VolumeListers } from './find-pod-volumes';

export const ERR_REASON_RWOP_CONFLICT = 'node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode';
const KEY = 'VolumeRestrictions';

/**
 * kube-scheduler's VolumeRestrictions, ReadWriteOncePod part (the GCE PD / EBS / RBD / iSCSI disk conflicts have no
 * volume plugins here): while any placed pod uses one of the pod's ReadWriteOncePod claims, every node rejects it
 * (Unschedulable: preempting that pod helps). PreFilter: a missing claim is UnschedulableAndUnresolvable
 * `persistentvolumeclaim "x" not found`.
 */
export function volumeRestrictions(listers: VolumeListers): FilterPlugin {
  return {
    name: 'VolumeRestrictions',
    // The pod's claim appearing or changing; an assigned pod that used one of its claims going away.
    events: [
      { resource: 'PersistentVolumeClaim', actions: ['Add', 'Update'], hint: podUsesClaim },
      {
        resource: 'AssignedPod',
        actions: ['Delete'],
        hint: (pod, ev) => {
          const mine = new Set((pod.spec?.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : [])));
          return sameNamespace(pod, ev) && !!(ev.oldObj as Pod).spec?.volumes?.some((v) => v.persistentVolumeClaim && mine.has(v.persistentVolumeClaim.claimName));
        },
      },
    ],
    preFilter(pod, state) {
      const ns = pod.metadata?.namespace;
      const rwop = new Set<string>();
      for (const v of pod.spec?.volumes ?? []) {
        const name = v.persistentVolumeClaim?.claimName;
        if (!name) continue;
        const pvc = listers.claims.get(objectKey(ns, name));
        if (!pvc) return unschedulable(`persistentvolumeclaim "${name}" not found`);
        if (pvc.spec?.accessModes?.includes('ReadWriteOncePod')) rwop.add(name);
      }
      if (!rwop.size) return null;
      const self = metaKey(pod);
      let conflicts = 0;
      for (const ni of state.all) {
        for (const p of ni.pods) {
          if (p.metadata?.namespace !== ns || metaKey(p) === self) continue;
          if (p.spec?.volumes?.some((v) => v.persistentVolumeClaim && rwop.has(v.persistentVolumeClaim.claimName))) conflicts++;
        }
      }
      if (conflicts) state.data.set(KEY, conflicts);
      return null;
    },
    skip: (_pod, state) => !state.data.has(KEY),
    filter: (_pod, _ni, state) => (state.data.has(KEY) ? resolvable(ERR_REASON_RWOP_CONFLICT) : null),
  };
}
