import type { Pod } from 'kubernetes-types/core/v1';
import { Pods } from '../../../api/resources';
import { podColumns, podRow } from '../printers/pod-printer';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta';
import { nameIsDNSSubdomain } from '../../../api/label-validation';
import { defaultPodSpec, podQOSClass } from './pod-defaults';
import { validatePod, validatePodSpecUpdate } from './pod-validation';
import { prepareEphemeralContainersUpdate, validateEphemeralContainersUpdate, validateNoEphemeralOnCreate } from './ephemeral-containers';
import { ALL_VERBS, type KubeObject, type ResourceStrategy } from './strategy';
import { invalid, type FieldError } from '../field-errors';

const asPod = (o: KubeObject) => o as unknown as Pod;

/** Pods: spec mostly immutable after create, status owned by /status (kubelet), bound through /binding. */
export const podStrategy: ResourceStrategy = {
  ref: Pods,
  singularName: 'pod',
  shortNames: ['po'],
  categories: ['all'],
  verbs: ALL_VERBS,
  subresources: {
    attach: { kind: 'PodAttachOptions', verbs: ['create', 'get'] },
    binding: { kind: 'Binding', verbs: ['create'] },
    ephemeralcontainers: { kind: 'Pod', verbs: ['get', 'patch', 'update'] },
    eviction: { kind: 'Eviction', verbs: ['create'], group: 'policy', version: 'v1' },
    exec: { kind: 'PodExecOptions', verbs: ['create', 'get'] },
    log: { kind: 'Pod', verbs: ['get'] },
    portforward: { kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
    proxy: { kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
    status: { kind: 'Pod', verbs: ['get', 'patch', 'update'] },
  },
  hasGeneration: false,
  nameValidator: nameIsDNSSubdomain,
  returnDeletedObject: true,
  defaults(obj) {
    const pod = asPod(obj);
    if (pod.spec) defaultPodSpec(pod.spec);
  },
  prepareForCreate(obj) {
    const pod = asPod(obj);
    obj.status = { phase: 'Pending', qosClass: podQOSClass(pod.spec) };
  },
  validate(obj) {
    return [...validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain), ...validatePod(asPod(obj)), ...validateNoEphemeralOnCreate(asPod(obj))];
  },
  prepareForUpdate(obj, old) {
    obj.status = old.status;
  },
  subresourceUpdates: { ephemeralcontainers: { prepare: prepareEphemeralContainersUpdate, validate: validateEphemeralContainersUpdate } },
  validateUpdate(obj, old) {
    const errs: FieldError[] = validateObjectMetaUpdate(obj.metadata, old.metadata, true, nameIsDNSSubdomain);
    errs.push(...validatePodSpecUpdate(asPod(obj).spec, asPod(old).spec));
    return errs;
  },
  prepareForStatusUpdate(obj, old) {
    const pod = asPod(obj);
    const prev = asPod(old);
    pod.spec = prev.spec;
    pod.metadata!.ownerReferences = prev.metadata?.ownerReferences;
    if (!pod.metadata!.ownerReferences) delete pod.metadata!.ownerReferences;
    const status: Record<string, unknown> = { ...(pod.status ?? {}), qosClass: prev.status?.qosClass };
    if (status.qosClass === undefined) delete status.qosClass;
    obj.status = status;
  },
  validateStatusUpdate(obj, old) {
    const errs = validateObjectMetaUpdate(obj.metadata, old.metadata, true, nameIsDNSSubdomain);
    const pod = asPod(obj);
    const prev = asPod(old);
    const phase = pod.status?.phase;
    if (prev.status?.phase === 'Succeeded' || prev.status?.phase === 'Failed') {
      if (phase !== prev.status.phase) errs.push(invalid('status.phase', phase ?? '', `may not be transitioned to non-terminal state`));
    }
    return errs;
  },
  selectableFields(obj) {
    const pod = asPod(obj);
    return {
      'spec.nodeName': pod.spec?.nodeName ?? '',
      'spec.restartPolicy': pod.spec?.restartPolicy ?? '',
      'spec.schedulerName': pod.spec?.schedulerName ?? '',
      'spec.serviceAccountName': pod.spec?.serviceAccountName ?? '',
      'spec.hostNetwork': String(pod.spec?.hostNetwork ?? false),
      'status.phase': pod.status?.phase ?? '',
      'status.podIP': pod.status?.podIPs?.[0]?.ip ?? '',
      'status.nominatedNodeName': pod.status?.nominatedNodeName ?? '',
    };
  },
  table: { columns: podColumns, row: (o, now) => podRow(asPod(o), now) },
};
