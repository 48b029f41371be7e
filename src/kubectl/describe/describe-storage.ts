import type { Event, PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { formatLabels } from '../printers/table-printer';
import { PrefixWriter } from './prefix-writer';
import { describeEvents } from './describe-events';
import { printAnnotationsMultiline, printLabelsMultiline } from './describe-labels';
import { timestampSince } from '../../api/duration';

const MODES: [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** storageutil.GetAccessModesAsString: "RWO,ROX" in kubectl's fixed order. */
export function accessModesString(modes: string[] | undefined): string {
  return MODES.filter(([m]) => modes?.includes(m)).map(([, s]) => s).join(',');
}

const goStrings = (l: string[] | undefined) => `[${(l ?? []).join(' ')}]`;

function deletionStatus(meta: { deletionTimestamp?: string } | undefined, phase: string | undefined, now: number): string {
  return meta?.deletionTimestamp ? `Terminating (lasts ${timestampSince(meta.deletionTimestamp, now)})` : (phase ?? '');
}

/** kubectl describe pvc; `usedBy` are the names of the namespace's pods that mount the claim. */
export function describePersistentVolumeClaim(pvc: PersistentVolumeClaim, usedBy: string[], events: Event[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = pvc.spec ?? {};
  w.write(0, `Name:\t${pvc.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${pvc.metadata?.namespace ?? ''}\n`);
  w.write(0, `StorageClass:\t${spec.storageClassName ?? pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? ''}\n`);
  w.write(0, `Status:\t${deletionStatus(pvc.metadata, pvc.status?.phase, now)}\n`);
  w.write(0, `Volume:\t${spec.volumeName ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', pvc.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', pvc.metadata?.annotations);
  w.write(0, `Finalizers:\t${goStrings(pvc.metadata?.finalizers)}\n`);
  const bound = !!spec.volumeName;
  w.write(0, `Capacity:\t${bound ? (pvc.status?.capacity?.storage ?? '0') : ''}\n`);
  w.write(0, `Access Modes:\t${bound ? accessModesString(pvc.status?.accessModes) : ''}\n`);
  if (spec.volumeMode) w.write(0, `VolumeMode:\t${spec.volumeMode}\n`);
  if (spec.dataSource) {
    w.write(0, 'DataSource:\n');
    if (spec.dataSource.apiGroup) w.write(1, `APIGroup:\t${spec.dataSource.apiGroup}\n`);
    w.write(1, `Kind:\t${spec.dataSource.kind}\n`);
    w.write(1, `Name:\t${spec.dataSource.name}\n`);
  }
  w.write(0, 'Used By:\t');
  if (!usedBy.length) w.writeLine('<none>');
  [...usedBy].sort().forEach((n, i) => w.write(0, `${i ? '\t' : ''}${n}\n`));
  const conds = pvc.status?.conditions ?? [];
  if (conds.length) {
    w.write(0, 'Conditions:\n');
    w.write(1, 'Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of conds) w.write(1, `${c.type} \t${c.status} \t${rfc(c.lastProbeTime)} \t${rfc(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
  }
  if (events) describeEvents(events, w, now);
  return w.toString();
}

/** Go's zero time in RFC1123Z when absent, as kubectl prints unset metav1.Time. */
function rfc(ts: string | undefined): string {
  if (!ts) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  const d = new Date(ts);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${day}, ${p(d.getUTCDate())} ${mon} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** kubectl describe pv (hostPath, local, nfs and csi sources; others print their type only). */
export function describePersistentVolume(pv: PersistentVolume, events: Event[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = pv.spec ?? {};
  w.write(0, `Name:\t${pv.metadata?.name ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', pv.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', pv.metadata?.annotations);
  w.write(0, `Finalizers:\t${goStrings(pv.metadata?.finalizers)}\n`);
  w.write(0, `StorageClass:\t${spec.storageClassName ?? ''}\n`);
  w.write(0, `Status:\t${deletionStatus(pv.metadata, pv.status?.phase, now)}\n`);
  w.write(0, `Claim:\t${spec.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : ''}\n`);
  w.write(0, `Reclaim Policy:\t${spec.persistentVolumeReclaimPolicy ?? ''}\n`);
  w.write(0, `Access Modes:\t${accessModesString(spec.accessModes)}\n`);
  if (spec.volumeMode) w.write(0, `VolumeMode:\t${spec.volumeMode}\n`);
  w.write(0, `Capacity:\t${spec.capacity?.storage ?? '0'}\n`);
  const terms = spec.nodeAffinity?.required?.nodeSelectorTerms;
  if (!terms) w.write(0, 'Node Affinity:\t<none>\n');
  else {
    w.write(0, 'Node Affinity:\t\n');
    w.write(1, 'Required Terms:\t');
    if (!terms.length) w.write(0, '<none>\n');
    else {
      w.write(0, '\n');
      terms.forEach((t, i) => {
        const exprs = [...(t.matchExpressions ?? []), ...(t.matchFields ?? [])].map((e) => `${e.key} ${e.operator.toLowerCase() === 'in' ? 'in' : e.operator === 'NotIn' ? 'notin' : e.operator} [${(e.values ?? []).join(', ')}]`);
        w.write(2, `Term ${i}:\t${exprs.join(', ') || '<none>'}\n`);
      });
    }
  }
  w.write(0, `Message:\t${pv.status?.message ?? ''}\n`);
  w.write(0, 'Source:\n');
  if (spec.hostPath) w.write(2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${spec.hostPath.path}\n    HostPathType:\t${spec.hostPath.type || '<none>'}\n`);
  else if (spec.local) w.write(2, `Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t${spec.local.path}\n`);
  else if (spec.nfs) w.write(2, `Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t${spec.nfs.server}\n    Path:\t${spec.nfs.path}\n    ReadOnly:\t${!!spec.nfs.readOnly}\n`);
  else if (spec.csi) {
    w.write(2, `Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t${spec.csi.driver}\n    FSType:\t${spec.csi.fsType ?? ''}\n    VolumeHandle:\t${spec.csi.volumeHandle}\n    ReadOnly:\t${!!spec.csi.readOnly}\n`);
    printLabelsMultiline(w, 'VolumeAttributes', spec.csi.volumeAttributes, '    ');
  }
  if (events) describeEvents(events, w, now);
  return w.toString();
}

/** kubectl describe storageclass (annotations and parameters as one "k=v,…" line, as kubectl). */
export function describeStorageClass(sc: StorageClass, events: Event[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const ann = sc.metadata?.annotations ?? {};
  const isDefault = ann['storageclass.kubernetes.io/is-default-class'] === 'true' || ann['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
  w.write(0, `Name:\t${sc.metadata?.name ?? ''}\n`);
  w.write(0, `IsDefaultClass:\t${isDefault ? 'Yes' : 'No'}\n`);
  w.write(0, `Annotations:\t${formatLabels(sc.metadata?.annotations)}\n`);
  w.write(0, `Provisioner:\t${sc.provisioner}\n`);
  w.write(0, `Parameters:\t${formatLabels(sc.parameters)}\n`);
  w.write(0, `AllowVolumeExpansion:\t${sc.allowVolumeExpansion === undefined ? '<unset>' : sc.allowVolumeExpansion ? 'True' : 'False'}\n`);
  if (!sc.mountOptions?.length) w.write(0, 'MountOptions:\t<none>\n');
  else {
    w.write(0, 'MountOptions:\n');
    for (const o of sc.mountOptions) w.write(1, `${o}\n`);
  }
  if (sc.reclaimPolicy) w.write(0, `ReclaimPolicy:\t${sc.reclaimPolicy}\n`);
  if (sc.volumeBindingMode) w.write(0, `VolumeBindingMode:\t${sc.volumeBindingMode}\n`);
  if (sc.allowedTopologies) {
    w.write(0, 'AllowedTopologies:\t');
    if (!sc.allowedTopologies.length) w.writeLine('<none>');
    else {
      w.write(0, '\n');
      sc.allowedTopologies.forEach((t, i) => {
        const exprs = (t.matchLabelExpressions ?? []).map((e) => `${e.key} in [${e.values.join(', ')}]`);
        w.write(1, `Term ${i}:\t${exprs.join('\n') || '<none>'}\n`);
      });
    }
  }
  if (events) describeEvents(events, w, now);
  return w.toString();
}
