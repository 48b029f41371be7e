/**
 * Field names of the core/v1 types served, for server-side field validation (fieldValidation=Strict|Warn).
 * Only the levels people type by hand are checked: the object, metadata, pod spec and containers,
 * node spec, namespace spec. Deeper levels are accepted as given.
 */
const META = 'name generateName namespace selfLink uid resourceVersion generation creationTimestamp deletionTimestamp deletionGracePeriodSeconds labels annotations ownerReferences finalizers managedFields';
const POD_SPEC =
  'volumes initContainers containers ephemeralContainers restartPolicy terminationGracePeriodSeconds activeDeadlineSeconds dnsPolicy nodeSelector serviceAccountName serviceAccount automountServiceAccountToken nodeName hostNetwork hostPID hostIPC shareProcessNamespace securityContext imagePullSecrets hostname subdomain affinity schedulerName tolerations hostAliases priorityClassName priority dnsConfig readinessGates runtimeClassName enableServiceLinks preemptionPolicy overhead topologySpreadConstraints setHostnameAsFQDN os hostUsers schedulingGates resourceClaims resources';
const CONTAINER =
  'name image command args workingDir ports envFrom env resources resizePolicy restartPolicy volumeMounts volumeDevices livenessProbe readinessProbe startupProbe lifecycle terminationMessagePath terminationMessagePolicy imagePullPolicy securityContext stdin stdinOnce tty';
const EVENT = 'apiVersion kind metadata involvedObject reason message source firstTimestamp lastTimestamp count type eventTime series action related reportingComponent reportingInstance';

const set = (s: string) => new Set(s.split(' '));
const TOP = set('apiVersion kind metadata spec status');
const KNOWN: Record<string, { top: Set<string>; spec?: Set<string> }> = {
  Pod: { top: TOP, spec: set(POD_SPEC) },
  Node: { top: TOP, spec: set('podCIDR podCIDRs providerID unschedulable taints configSource externalID') },
  Namespace: { top: TOP, spec: set('finalizers') },
  Event: { top: set(EVENT) },
  ConfigMap: { top: set('apiVersion kind metadata data binaryData immutable') },
  Secret: { top: set('apiVersion kind metadata data stringData type immutable') },
  Lease: { top: TOP, spec: set('holderIdentity leaseDurationSeconds acquireTime renewTime leaseTransitions strategy preferredHolder') },
};
const METADATA = set(META);
const CONTAINER_FIELDS = set(CONTAINER);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Unknown field paths in kube's notation (`spec.containers[0].imagee`), in document order. With prune,
 * they are also deleted from obj (kube's decoder drops fields its types do not have).
 */
export function unknownFields(kind: string, obj: Obj, prune = false): string[] {
  const known = KNOWN[kind];
  if (!known) return [];
  const out: string[] = [];
  const check = (o: unknown, allowed: Set<string>, path: string) => {
    if (!isObj(o)) return;
    for (const k of Object.keys(o)) {
      if (allowed.has(k)) continue;
      out.push(path ? `${path}.${k}` : k);
      if (prune) delete o[k];
    }
  };
  check(obj, known.top, '');
  check(obj.metadata, METADATA, 'metadata');
  if (known.spec) check(obj.spec, known.spec, 'spec');
  if (kind === 'Pod' && isObj(obj.spec)) {
    for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
      const cs = obj.spec[list];
      if (Array.isArray(cs)) cs.forEach((c, i) => check(c, CONTAINER_FIELDS, `spec.${list}[${i}]`));
    }
  }
  return out;
}
