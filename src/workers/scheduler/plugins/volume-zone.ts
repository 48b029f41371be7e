import { objectKey } from '../../../api/resources';
import { classOf } from '../../controller-manager/volume-util';
import { unschedulable, type FilterPlugin } from '../framework';
import { VOLUME_EVENTS, type VolumeListers } from './find-pod-volumes';

export const ERR_REASON_VOLUME_ZONE_CONFLICT = 'node(s) had no available volume zone';
const BETA_ZONE = 'failure-domain.beta.kubernetes.io/zone';
const BETA_REGION = 'failure-domain.beta.kubernetes.io/region';
const TOPOLOGY_LABELS = [BETA_ZONE, BETA_REGION, 'topology.kubernetes.io/zone', 'topology.kubernetes.io/region'];
const GA: Record<string, string> = { [BETA_ZONE]: 'topology.kubernetes.io/zone', [BETA_REGION]: 'topology.kubernetes.io/region' };
const KEY = 'VolumeZone';

interface PvTopology {
  key: string;
  values: Set<string>;
}

/**
 * kube-scheduler's VolumeZone: a bound claim's PV zone/region labels (values "a__b" mean either) must be on the node
 * (a beta PV label also matches the node's GA label); a node with none of the four topology labels always fits.
 * PreFilter (UnschedulableAndUnresolvable, kube's texts): a missing claim or PV (`persistentvolume "x" not found`), an
 * unbound claim without class, or one whose class is not WaitForFirstConsumer ("PersistentVolume had no name").
 * Unbound WaitForFirstConsumer claims are left to VolumeBinding.
 */
export function volumeZone(listers: VolumeListers): FilterPlugin {
  return {
    name: 'VolumeZone',
    events: VOLUME_EVENTS,
    preFilter(pod, state) {
      const topologies: PvTopology[] = [];
      for (const v of pod.spec?.volumes ?? []) {
        const name = v.persistentVolumeClaim?.claimName;
        if (name === undefined) continue;
        if (!name) return unschedulable('PersistentVolumeClaim had no name');
        const pvc = listers.claims.get(objectKey(pod.metadata?.namespace, name));
        if (!pvc) return unschedulable(`persistentvolumeclaim "${name}" not found`);
        const pvName = pvc.spec?.volumeName;
        if (!pvName) {
          const sc = classOf(pvc);
          if (!sc) return unschedulable('PersistentVolumeClaim had no pv name and storageClass name');
          const cls = listers.classes.get(sc);
          if (!cls) return unschedulable(`storageclass.storage.k8s.io "${sc}" not found`);
          if (!cls.volumeBindingMode) return unschedulable(`VolumeBindingMode not set for StorageClass "${sc}"`);
          if (cls.volumeBindingMode === 'WaitForFirstConsumer') continue;
          return unschedulable('PersistentVolume had no name');
        }
        const pv = listers.volumes.get(pvName);
        if (!pv) return unschedulable(`persistentvolume "${pvName}" not found`);
        for (const key of TOPOLOGY_LABELS) {
          const value = pv.metadata?.labels?.[key];
          if (value === undefined) continue;
          topologies.push({ key, values: new Set(value.split('__').map((s) => s.trim()).filter(Boolean)) });
        }
      }
      if (topologies.length) state.data.set(KEY, topologies);
      return null;
    },
    skip: (_pod, state) => !state.data.has(KEY),
    filter(_pod, ni, state) {
      const topologies = state.data.get(KEY) as PvTopology[] | undefined;
      if (!topologies) return null;
      const labels = ni.node.metadata?.labels ?? {};
      if (!TOPOLOGY_LABELS.some((k) => k in labels)) return null;
      for (const t of topologies) {
        const v = labels[t.key] ?? (GA[t.key] ? labels[GA[t.key]] : undefined);
        if (v === undefined || !t.values.has(v)) return unschedulable(ERR_REASON_VOLUME_ZONE_CONFLICT);
      }
      return null;
    },
  };
}
