/**
 * Go struct field order (k8s.io/api v0.32) of the top-level kinds kubectl prints through typed clients (`create`'s
 * generators, the `set` commands) and what they hold besides pod templates, in typed-order's notation: `field:Type`,
 * `!` a struct without omitempty ({} when unset), `?` a pointer, slice or metav1.Time without omitempty (null),
 * `#` a number without omitempty (0), `$` a string without omitempty ("").
 */
export const KIND_TYPES: Record<string, string> = {
  Deployment: 'kind apiVersion metadata:ObjectMeta! spec:DeploymentSpec! status:DeploymentStatus!',
  DeploymentSpec:
    'replicas selector:LabelSelector template:PodTemplateSpec! strategy:DeploymentStrategy! minReadySeconds revisionHistoryLimit paused progressDeadlineSeconds',
  DeploymentStrategy: 'type rollingUpdate:RollingUpdateDeployment',
  RollingUpdateDeployment: 'maxUnavailable maxSurge',
  DeploymentStatus:
    'observedGeneration replicas updatedReplicas readyReplicas availableReplicas unavailableReplicas terminatingReplicas conditions:DeploymentCondition collisionCount',
  DeploymentCondition: 'type status lastUpdateTime? lastTransitionTime? reason message',
  CronJob: 'kind apiVersion metadata:ObjectMeta! spec:CronJobSpec! status:CronJobStatus!',
  CronJobSpec: 'schedule timeZone startingDeadlineSeconds concurrencyPolicy suspend jobTemplate:JobTemplateSpec! successfulJobsHistoryLimit failedJobsHistoryLimit',
  JobTemplateSpec: 'metadata:ObjectMeta! spec:JobSpec!',
  CronJobStatus: 'active:ObjectReference lastScheduleTime lastSuccessfulTime',
  ObjectReference: 'kind namespace name uid apiVersion resourceVersion fieldPath',
  ConfigMap: 'kind apiVersion metadata:ObjectMeta! immutable data binaryData',
  Secret: 'kind apiVersion metadata:ObjectMeta! immutable data stringData type',
  Namespace: 'kind apiVersion metadata:ObjectMeta! spec:NamespaceSpec! status:NamespaceStatus!',
  NamespaceSpec: 'finalizers',
  NamespaceStatus: 'phase conditions:NamespaceCondition',
  NamespaceCondition: 'type status lastTransitionTime reason message',
  ServiceAccount: 'kind apiVersion metadata:ObjectMeta! secrets:ObjectReference imagePullSecrets:LocalObjectReference automountServiceAccountToken',
  Service: 'kind apiVersion metadata:ObjectMeta! spec:ServiceSpec! status:ServiceStatus!',
  ServiceSpec:
    'ports:ServicePort selector clusterIP clusterIPs type externalIPs sessionAffinity loadBalancerIP loadBalancerSourceRanges externalName ' +
    'externalTrafficPolicy healthCheckNodePort publishNotReadyAddresses sessionAffinityConfig ipFamilies ipFamilyPolicy ' +
    'allocateLoadBalancerNodePorts loadBalancerClass internalTrafficPolicy trafficDistribution',
  ServicePort: 'name protocol appProtocol port targetPort# nodePort',
  ServiceStatus: 'loadBalancer:LoadBalancerStatus! conditions:Condition',
  LoadBalancerStatus: 'ingress:LoadBalancerIngress',
  LoadBalancerIngress: 'ip hostname ipMode ports',
  Condition: 'type status observedGeneration lastTransitionTime reason message',
  Role: 'kind apiVersion metadata:ObjectMeta! rules:PolicyRule?',
  ClusterRole: 'kind apiVersion metadata:ObjectMeta! rules:PolicyRule? aggregationRule:AggregationRule',
  PolicyRule: 'verbs apiGroups resources resourceNames nonResourceURLs',
  AggregationRule: 'clusterRoleSelectors:LabelSelector',
  RoleBinding: 'kind apiVersion metadata:ObjectMeta! subjects:Subject roleRef:RoleRef!',
  ClusterRoleBinding: 'kind apiVersion metadata:ObjectMeta! subjects:Subject roleRef:RoleRef!',
  Subject: 'kind apiGroup name namespace',
  RoleRef: 'apiGroup kind name',
  Ingress: 'kind apiVersion metadata:ObjectMeta! spec:IngressSpec! status:IngressStatus!',
  IngressSpec: 'ingressClassName defaultBackend:IngressBackend tls:IngressTLS rules:IngressRule',
  IngressBackend: 'service:IngressServiceBackend resource:TypedLocalObjectReference',
  IngressServiceBackend: 'name port:ServiceBackendPort!',
  ServiceBackendPort: 'name number',
  TypedLocalObjectReference: 'apiGroup kind name',
  IngressTLS: 'hosts secretName',
  IngressRule: 'host http:HTTPIngressRuleValue',
  HTTPIngressRuleValue: 'paths:HTTPIngressPath?',
  HTTPIngressPath: 'path pathType backend:IngressBackend!',
  IngressStatus: 'loadBalancer:IngressLoadBalancerStatus!',
  IngressLoadBalancerStatus: 'ingress:LoadBalancerIngress',
  PodDisruptionBudget: 'kind apiVersion metadata:ObjectMeta! spec:PodDisruptionBudgetSpec! status:PodDisruptionBudgetStatus!',
  PodDisruptionBudgetSpec: 'minAvailable selector:LabelSelector maxUnavailable unhealthyPodEvictionPolicy',
  PodDisruptionBudgetStatus:
    'observedGeneration disruptedPods disruptionsAllowed# currentHealthy# desiredHealthy# expectedPods# conditions:Condition',
  PriorityClass: 'kind apiVersion metadata:ObjectMeta! value# globalDefault description preemptionPolicy',
  ResourceQuota: 'kind apiVersion metadata:ObjectMeta! spec:ResourceQuotaSpec! status:ResourceQuotaStatus!',
  ResourceQuotaSpec: 'hard scopes scopeSelector:ScopeSelector',
  ScopeSelector: 'matchExpressions:ScopedResourceSelectorRequirement',
  ScopedResourceSelectorRequirement: 'scopeName operator values',
  ResourceQuotaStatus: 'hard used',
  ReplicaSet: 'kind apiVersion metadata:ObjectMeta! spec:ReplicaSetSpec! status:ReplicaSetStatus!',
  ReplicaSetSpec: 'replicas minReadySeconds selector:LabelSelector? template:PodTemplateSpec!',
  ReplicaSetStatus: 'replicas# fullyLabeledReplicas readyReplicas availableReplicas observedGeneration conditions:AppsCondition',
  AppsCondition: 'type status lastTransitionTime? reason message',
  ReplicationController: 'kind apiVersion metadata:ObjectMeta! spec:ReplicationControllerSpec! status:ReplicationControllerStatus!',
  ReplicationControllerSpec: 'replicas minReadySeconds selector template:PodTemplateSpec',
  ReplicationControllerStatus: 'replicas# fullyLabeledReplicas readyReplicas availableReplicas observedGeneration conditions:AppsCondition',
  StatefulSet: 'kind apiVersion metadata:ObjectMeta! spec:StatefulSetSpec! status:StatefulSetStatus!',
  StatefulSetSpec:
    'replicas selector:LabelSelector? template:PodTemplateSpec! volumeClaimTemplates:PersistentVolumeClaim serviceName$ podManagementPolicy ' +
    'updateStrategy:StatefulSetUpdateStrategy! revisionHistoryLimit minReadySeconds persistentVolumeClaimRetentionPolicy:PVCRetentionPolicy ordinals:StatefulSetOrdinals',
  StatefulSetUpdateStrategy: 'type rollingUpdate:RollingUpdateStatefulSetStrategy',
  RollingUpdateStatefulSetStrategy: 'partition maxUnavailable',
  PVCRetentionPolicy: 'whenDeleted whenScaled',
  StatefulSetOrdinals: 'start#',
  StatefulSetStatus:
    'observedGeneration replicas# readyReplicas currentReplicas updatedReplicas currentRevision updateRevision collisionCount conditions:AppsCondition availableReplicas#',
  DaemonSet: 'kind apiVersion metadata:ObjectMeta! spec:DaemonSetSpec! status:DaemonSetStatus!',
  DaemonSetSpec: 'selector:LabelSelector? template:PodTemplateSpec! updateStrategy:DaemonSetUpdateStrategy! minReadySeconds revisionHistoryLimit',
  DaemonSetUpdateStrategy: 'type rollingUpdate:RollingUpdateDeployment',
  DaemonSetStatus:
    'currentNumberScheduled# numberMisscheduled# desiredNumberScheduled# numberReady# observedGeneration updatedNumberScheduled numberAvailable ' +
    'numberUnavailable collisionCount conditions:AppsCondition',
  PersistentVolumeClaim: 'kind apiVersion metadata:ObjectMeta! spec:PersistentVolumeClaimSpec! status:PersistentVolumeClaimStatus!',
  PersistentVolumeClaimSpec:
    'accessModes selector:LabelSelector resources:VolumeResourceRequirements! volumeName storageClassName volumeMode ' +
    'dataSource:TypedLocalObjectReference dataSourceRef:TypedObjectReference volumeAttributesClassName',
  VolumeResourceRequirements: 'limits requests',
  TypedObjectReference: 'apiGroup kind name namespace',
  PersistentVolumeClaimStatus:
    'phase accessModes capacity conditions:PodCondition allocatedResources allocatedResourceStatuses currentVolumeAttributesClassName ' +
    'modifyVolumeStatus:ModifyVolumeStatus',
  ModifyVolumeStatus: 'targetVolumeAttributesClassName status',
  Pod: 'kind apiVersion metadata:ObjectMeta! spec:PodSpec! status:PodStatus!',
  PodStatus:
    'phase conditions:PodCondition message reason nominatedNodeName hostIP hostIPs:PodIP podIP podIPs:PodIP startTime ' +
    'initContainerStatuses:ContainerStatus containerStatuses:ContainerStatus qosClass ephemeralContainerStatuses:ContainerStatus resize ' +
    'resourceClaimStatuses:PodResourceClaimStatus',
  PodCondition: 'type status lastProbeTime? lastTransitionTime? reason message',
  PodIP: 'ip$',
  ContainerStatus:
    'name state:ContainerState! lastState:ContainerState! ready restartCount# image$ imageID$ containerID started allocatedResources ' +
    'resources:ResourceRequirements volumeMounts:VolumeMountStatus user:ContainerUser allocatedResourcesStatus:ResourceStatus',
  ContainerState: 'waiting:ContainerStateWaiting running:ContainerStateRunning terminated:ContainerStateTerminated',
  ContainerStateWaiting: 'reason message',
  ContainerStateRunning: 'startedAt?',
  ContainerStateTerminated: 'exitCode# signal reason message startedAt? finishedAt? containerID',
  VolumeMountStatus: 'name mountPath readOnly recursiveReadOnly',
  ContainerUser: 'linux:LinuxContainerUser',
  LinuxContainerUser: 'uid# gid# supplementalGroups',
  ResourceStatus: 'name resources:ResourceHealth',
  ResourceHealth: 'resourceID health',
  PodResourceClaimStatus: 'name resourceClaimName',
};
