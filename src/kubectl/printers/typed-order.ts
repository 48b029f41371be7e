/**
 * Objects as kubectl's typed clients print them: json.Marshal of a k8s.io/api struct writes fields in Go
 * struct order, map keys sorted, and the fields without omitempty even when unset (metadata.creationTimestamp
 * null, a container's resources {}, a Job's spec and status {}). typedOrder(value, type) rewrites decoded
 * JSON that way for the types listed below; fields a listed type does not name keep their order after the
 * named ones, and objects under a field without a type are treated as maps (keys sorted, as Go does).
 */
import { KIND_TYPES } from './typed-kinds';

type Obj = Record<string, unknown>;

/**
 * Each type: its fields in struct order; `field:Type` gives the field's (or each array element's) type,
 * a trailing `!` marks a struct field without omitempty (`{}` when unset), `?` a pointer, slice or metav1.Time
 * without omitempty (null), `#` a number without omitempty (0), `$` a string without omitempty (""). The top-level kinds besides Job are in typed-kinds.ts.
 */
const TYPES: Record<string, string> = {
  ...KIND_TYPES,
  ObjectMeta:
    'name generateName namespace selfLink uid resourceVersion generation creationTimestamp? deletionTimestamp deletionGracePeriodSeconds ' +
    'labels annotations ownerReferences:OwnerReference finalizers managedFields:ManagedFieldsEntry',
  OwnerReference: 'apiVersion kind name uid controller blockOwnerDeletion',
  ManagedFieldsEntry: 'manager operation apiVersion time fieldsType fieldsV1:Raw subresource',
  LabelSelector: 'matchLabels matchExpressions:LabelSelectorRequirement',
  LabelSelectorRequirement: 'key operator values',
  Job: 'kind apiVersion metadata:ObjectMeta! spec:JobSpec! status:JobStatus!',
  JobSpec:
    'parallelism completions activeDeadlineSeconds podFailurePolicy:PodFailurePolicy successPolicy:SuccessPolicy backoffLimit ' +
    'backoffLimitPerIndex maxFailedIndexes selector:LabelSelector manualSelector template:PodTemplateSpec! ttlSecondsAfterFinished ' +
    'completionMode suspend podReplacementPolicy managedBy',
  PodFailurePolicy: 'rules:PodFailurePolicyRule',
  PodFailurePolicyRule: 'action onExitCodes:PodFailurePolicyOnExitCodes onPodConditions:PodFailurePolicyOnPodConditions',
  PodFailurePolicyOnExitCodes: 'containerName operator values',
  PodFailurePolicyOnPodConditions: 'type status',
  SuccessPolicy: 'rules:SuccessPolicyRule',
  SuccessPolicyRule: 'succeededIndexes succeededCount',
  JobStatus:
    'conditions:JobCondition startTime completionTime active succeeded failed terminating completedIndexes failedIndexes ' +
    'uncountedTerminatedPods:UncountedTerminatedPods ready',
  JobCondition: 'type status lastProbeTime? lastTransitionTime? reason message',
  UncountedTerminatedPods: 'succeeded failed',
  PodTemplateSpec: 'metadata:ObjectMeta! spec:PodSpec!',
  PodSpec:
    'volumes:Volume initContainers:Container containers:Container? ephemeralContainers:Container restartPolicy ' +
    'terminationGracePeriodSeconds activeDeadlineSeconds dnsPolicy nodeSelector serviceAccountName serviceAccount ' +
    'automountServiceAccountToken nodeName hostNetwork hostPID hostIPC shareProcessNamespace securityContext:PodSecurityContext ' +
    'imagePullSecrets:LocalObjectReference hostname subdomain affinity:Affinity schedulerName tolerations:Toleration hostAliases:HostAlias ' +
    'priorityClassName priority dnsConfig:PodDNSConfig readinessGates:PodReadinessGate runtimeClassName enableServiceLinks ' +
    'preemptionPolicy overhead topologySpreadConstraints:TopologySpreadConstraint setHostnameAsFQDN os:PodOS hostUsers ' +
    'schedulingGates:PodSchedulingGate resourceClaims:PodResourceClaim resources:ResourceRequirements',
  Container:
    'name image command args workingDir ports:ContainerPort envFrom:EnvFromSource env:EnvVar resources:ResourceRequirements! ' +
    'resizePolicy:ContainerResizePolicy restartPolicy volumeMounts:VolumeMount volumeDevices:VolumeDevice livenessProbe:Probe ' +
    'readinessProbe:Probe startupProbe:Probe lifecycle:Lifecycle terminationMessagePath terminationMessagePolicy imagePullPolicy ' +
    'securityContext:SecurityContext stdin stdinOnce tty targetContainerName',
  ContainerPort: 'name hostPort containerPort protocol hostIP',
  ContainerResizePolicy: 'resourceName restartPolicy',
  EnvFromSource: 'prefix configMapRef:LocalRefOptional secretRef:LocalRefOptional',
  LocalRefOptional: 'name optional',
  LocalObjectReference: 'name',
  EnvVar: 'name value valueFrom:EnvVarSource',
  EnvVarSource: 'fieldRef:ObjectFieldSelector resourceFieldRef:ResourceFieldSelector configMapKeyRef:KeySelector secretKeyRef:KeySelector',
  ObjectFieldSelector: 'apiVersion fieldPath',
  ResourceFieldSelector: 'containerName resource divisor',
  KeySelector: 'name key optional',
  ResourceRequirements: 'limits requests claims:ResourceClaim',
  ResourceClaim: 'name request',
  VolumeMount: 'name readOnly recursiveReadOnly mountPath subPath mountPropagation subPathExpr',
  VolumeDevice: 'name devicePath',
  Probe:
    'exec:ExecAction httpGet:HTTPGetAction tcpSocket:TCPSocketAction grpc:GRPCAction initialDelaySeconds timeoutSeconds periodSeconds ' +
    'successThreshold failureThreshold terminationGracePeriodSeconds',
  ExecAction: 'command',
  HTTPGetAction: 'path port host scheme httpHeaders:HTTPHeader',
  HTTPHeader: 'name value',
  TCPSocketAction: 'port host',
  GRPCAction: 'port service',
  Lifecycle: 'postStart:LifecycleHandler preStop:LifecycleHandler stopSignal',
  LifecycleHandler: 'exec:ExecAction httpGet:HTTPGetAction tcpSocket:TCPSocketAction sleep',
  SecurityContext:
    'capabilities:Capabilities privileged seLinuxOptions:SELinuxOptions windowsOptions:WindowsOptions runAsUser runAsGroup runAsNonRoot ' +
    'readOnlyRootFilesystem allowPrivilegeEscalation procMount seccompProfile:SeccompProfile appArmorProfile:SeccompProfile',
  Capabilities: 'add drop',
  SELinuxOptions: 'user role type level',
  WindowsOptions: 'gmsaCredentialSpecName gmsaCredentialSpec runAsUserName hostProcess',
  SeccompProfile: 'type localhostProfile',
  PodSecurityContext:
    'seLinuxOptions:SELinuxOptions windowsOptions:WindowsOptions runAsUser runAsGroup runAsNonRoot supplementalGroups ' +
    'supplementalGroupsPolicy fsGroup sysctls:HTTPHeader fsGroupChangePolicy seccompProfile:SeccompProfile appArmorProfile:SeccompProfile seLinuxChangePolicy',
  Toleration: 'key operator value effect tolerationSeconds',
  HostAlias: 'ip hostnames',
  PodDNSConfig: 'nameservers searches options:HTTPHeader',
  PodReadinessGate: 'conditionType',
  PodOS: 'name',
  PodSchedulingGate: 'name',
  PodResourceClaim: 'name resourceClaimName resourceClaimTemplateName',
  TopologySpreadConstraint:
    'maxSkew topologyKey whenUnsatisfiable labelSelector:LabelSelector minDomains nodeAffinityPolicy nodeTaintsPolicy matchLabelKeys',
  Affinity: 'nodeAffinity:NodeAffinity podAffinity:PodAffinity podAntiAffinity:PodAffinity',
  NodeAffinity: 'requiredDuringSchedulingIgnoredDuringExecution:NodeSelector preferredDuringSchedulingIgnoredDuringExecution:PreferredSchedulingTerm',
  NodeSelector: 'nodeSelectorTerms:NodeSelectorTerm',
  NodeSelectorTerm: 'matchExpressions:LabelSelectorRequirement matchFields:LabelSelectorRequirement',
  PreferredSchedulingTerm: 'weight preference:NodeSelectorTerm',
  PodAffinity: 'requiredDuringSchedulingIgnoredDuringExecution:PodAffinityTerm preferredDuringSchedulingIgnoredDuringExecution:WeightedPodAffinityTerm',
  PodAffinityTerm: 'labelSelector:LabelSelector namespaces topologyKey namespaceSelector:LabelSelector matchLabelKeys mismatchLabelKeys',
  WeightedPodAffinityTerm: 'weight podAffinityTerm:PodAffinityTerm',
  Volume:
    'name hostPath:HostPathVolumeSource emptyDir:EmptyDirVolumeSource gcePersistentDisk awsElasticBlockStore gitRepo secret:SecretVolumeSource nfs iscsi ' +
    'glusterfs persistentVolumeClaim:PVCVolumeSource rbd flexVolume cinder cephfs flocker downwardAPI:DownwardAPIVolumeSource fc azureFile ' +
    'configMap:ConfigMapVolumeSource vsphereVolume quobyte azureDisk photonPersistentDisk projected:ProjectedVolumeSource portworxVolume scaleIO ' +
    'storageos csi ephemeral image:ImageVolumeSource',
  HostPathVolumeSource: 'path type',
  EmptyDirVolumeSource: 'medium sizeLimit',
  SecretVolumeSource: 'secretName items:KeyToPath defaultMode optional',
  ConfigMapVolumeSource: 'name items:KeyToPath defaultMode optional',
  KeyToPath: 'key path mode',
  PVCVolumeSource: 'claimName readOnly',
  DownwardAPIVolumeSource: 'items:DownwardAPIVolumeFile defaultMode',
  DownwardAPIVolumeFile: 'path fieldRef:ObjectFieldSelector resourceFieldRef:ResourceFieldSelector mode',
  ProjectedVolumeSource: 'sources:VolumeProjection defaultMode',
  VolumeProjection:
    'secret:ConfigMapProjection downwardAPI:DownwardAPIVolumeSource configMap:ConfigMapProjection serviceAccountToken:ServiceAccountTokenProjection clusterTrustBundle',
  ConfigMapProjection: 'name items:KeyToPath optional',
  ServiceAccountTokenProjection: 'audience expirationSeconds path',
  ImageVolumeSource: 'reference pullPolicy',
};

interface Field {
  name: string;
  type?: string;
  unset?: '{}' | 'null' | '0' | '""';
}

const parsed = new Map<string, Field[]>();

function fieldsOf(type: string): Field[] | undefined {
  let fields = parsed.get(type);
  if (fields || !(type in TYPES)) return fields;
  fields = TYPES[type].split(' ').map((spec) => {
    const m = /^(\w+)(?::(\w+))?([!?#$])?$/.exec(spec)!;
    return { name: m[1], type: m[2], unset: ({ '!': '{}', '?': 'null', '#': '0', $: '""' } as const)[m[3] as '!'] };
  });
  parsed.set(type, fields);
  return fields;
}

const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** A map (or an untyped struct): keys sorted by bytes, values as maps too. */
function sortedDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedDeep);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const k of Object.keys(v).sort()) if (v[k] !== undefined) out[k] = sortedDeep(v[k]);
  return out;
}

/** Whether typedOrder knows Go type `type` (a kind such as "Deployment"). */
export const hasTypedOrder = (type: string): boolean => type in TYPES;

/** value (decoded JSON of Go type `type`, e.g. "Job") re-encoded as json.Marshal of the typed struct would. */
export function typedOrder(value: unknown, type: string): unknown {
  if (type === 'Raw') return value;
  if (Array.isArray(value)) return value.map((v) => typedOrder(v, type));
  const fields = fieldsOf(type);
  if (!fields || !isObj(value)) return sortedDeep(value);
  const out: Obj = {};
  for (const f of fields) {
    const v = value[f.name];
    if (v === undefined || (v === null && f.unset !== 'null')) {
      if (f.unset === '{}') out[f.name] = typedOrder({}, f.type ?? '');
      else if (f.unset === 'null') out[f.name] = null;
      else if (f.unset === '0') out[f.name] = 0;
      else if (f.unset === '""') out[f.name] = '';
      continue;
    }
    out[f.name] = f.type ? typedOrder(v, f.type) : sortedDeep(v);
  }
  for (const [k, v] of Object.entries(value)) if (v !== undefined && !fields.some((f) => f.name === k)) out[k] = sortedDeep(v);
  return out;
}
