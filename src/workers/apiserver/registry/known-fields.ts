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

const EVENT_V1 = 'apiVersion kind metadata eventTime series reportingController reportingInstance action reason regarding related note type deprecatedSource deprecatedFirstTimestamp deprecatedLastTimestamp deprecatedCount';
const SERVICE_SPEC =
  'ports selector clusterIP clusterIPs type externalIPs sessionAffinity loadBalancerIP loadBalancerSourceRanges externalName externalTrafficPolicy healthCheckNodePort publishNotReadyAddresses sessionAffinityConfig ipFamilies ipFamilyPolicy allocateLoadBalancerNodePorts loadBalancerClass internalTrafficPolicy trafficDistribution';
const JOB_SPEC =
  'parallelism completions activeDeadlineSeconds podFailurePolicy successPolicy backoffLimit backoffLimitPerIndex maxFailedIndexes selector manualSelector template ttlSecondsAfterFinished completionMode suspend podReplacementPolicy managedBy';

const set = (s: string) => new Set(s.split(' '));
const TOP = set('apiVersion kind metadata spec status');
/** Keyed by kind for core/v1, "Kind.group" otherwise. */
const KNOWN: Record<string, { top: Set<string>; spec?: Set<string>; template?: string[] }> = {
  Pod: { top: TOP },
  Node: { top: TOP, spec: set('podCIDR podCIDRs providerID unschedulable taints configSource externalID') },
  Namespace: { top: TOP, spec: set('finalizers') },
  Event: { top: set(EVENT) },
  'Event.events.k8s.io': { top: set(EVENT_V1) },
  ServiceAccount: { top: set('apiVersion kind metadata secrets imagePullSecrets automountServiceAccountToken') },
  Service: { top: TOP, spec: set(SERVICE_SPEC) },
  'Deployment.apps': { top: TOP, spec: set('replicas selector template strategy minReadySeconds revisionHistoryLimit paused progressDeadlineSeconds'), template: ['spec', 'template'] },
  'ReplicaSet.apps': { top: TOP, spec: set('replicas minReadySeconds selector template'), template: ['spec', 'template'] },
  'Job.batch': { top: TOP, spec: set(JOB_SPEC), template: ['spec', 'template'] },
  'CronJob.batch': { top: TOP, spec: set('schedule timeZone startingDeadlineSeconds concurrencyPolicy suspend jobTemplate successfulJobsHistoryLimit failedJobsHistoryLimit'), template: ['spec', 'jobTemplate', 'spec', 'template'] },
  'StatefulSet.apps': {
    top: TOP,
    spec: set('replicas selector template volumeClaimTemplates serviceName podManagementPolicy updateStrategy revisionHistoryLimit minReadySeconds persistentVolumeClaimRetentionPolicy ordinals'),
    template: ['spec', 'template'],
  },
  'DaemonSet.apps': { top: TOP, spec: set('selector template updateStrategy minReadySeconds revisionHistoryLimit'), template: ['spec', 'template'] },
  ReplicationController: { top: TOP, spec: set('replicas minReadySeconds selector template'), template: ['spec', 'template'] },
  PersistentVolumeClaim: { top: TOP, spec: set('accessModes selector resources volumeName storageClassName volumeMode dataSource dataSourceRef volumeAttributesClassName') },
  ConfigMap: { top: set('apiVersion kind metadata data binaryData immutable') },
  Secret: { top: set('apiVersion kind metadata data stringData type immutable') },
  'Lease.coordination.k8s.io': { top: TOP, spec: set('holderIdentity leaseDurationSeconds acquireTime renewTime leaseTransitions strategy preferredHolder') },
};
const METADATA = set(META);
const POD_SPEC_FIELDS = set(POD_SPEC);
const TEMPLATE_FIELDS = set('metadata spec');
const CONTAINER_FIELDS = set(CONTAINER);
const EPHEMERAL_CONTAINER_FIELDS = new Set([...CONTAINER_FIELDS, 'targetContainerName']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Unknown field paths in kube's notation (`spec.containers[0].imagee`), in document order. With prune,
 * they are also deleted from obj (kube's decoder drops fields its types do not have).
 */
export function unknownFields(kind: string, obj: Obj, prune = false, group = ''): string[] {
  const known = KNOWN[group ? `${kind}.${group}` : kind];
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
  const checkPodSpec = (spec: unknown, path: string) => {
    if (!isObj(spec)) return;
    check(spec, POD_SPEC_FIELDS, path);
    for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
      const cs = spec[list];
      if (Array.isArray(cs)) cs.forEach((c, i) => check(c, list === 'ephemeralContainers' ? EPHEMERAL_CONTAINER_FIELDS : CONTAINER_FIELDS, `${path}.${list}[${i}]`));
    }
  };
  if (kind === 'Pod' && isObj(obj.spec)) checkPodSpec(obj.spec, 'spec');
  if (known.template) {
    // a pod template (workloads): its metadata, pod spec and containers
    let t: unknown = obj;
    for (const k of known.template) t = isObj(t) ? t[k] : undefined;
    if (isObj(t)) {
      const path = known.template.join('.');
      check(t, TEMPLATE_FIELDS, path);
      check(t.metadata, METADATA, `${path}.metadata`);
      checkPodSpec(t.spec, `${path}.spec`);
    }
  }
  return out;
}
