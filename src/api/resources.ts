/** How a resource is addressed: group/version/resource plus what the path needs to know. */
export interface ResourceRef {
  group: string; // '' for core
  version: string;
  resource: string; // plural, lower case: 'pods'
  kind: string;
  namespaced: boolean;
}

export const Pods: ResourceRef = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };
export const Nodes: ResourceRef = { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false };
export const Namespaces: ResourceRef = { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false };
export const Events: ResourceRef = { group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true };
export const ConfigMaps: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true };
export const Secrets: ResourceRef = { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true };
export const ServiceAccounts: ResourceRef = { group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true };
export const Services: ResourceRef = { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true };
export const EndpointsRef: ResourceRef = { group: '', version: 'v1', resource: 'endpoints', kind: 'Endpoints', namespaced: true };
export const ReplicationControllers: ResourceRef = { group: '', version: 'v1', resource: 'replicationcontrollers', kind: 'ReplicationController', namespaced: true };
export const PodTemplates: ResourceRef = { group: '', version: 'v1', resource: 'podtemplates', kind: 'PodTemplate', namespaced: true };
export const LimitRanges: ResourceRef = { group: '', version: 'v1', resource: 'limitranges', kind: 'LimitRange', namespaced: true };
export const ResourceQuotas: ResourceRef = { group: '', version: 'v1', resource: 'resourcequotas', kind: 'ResourceQuota', namespaced: true };
export const PersistentVolumes: ResourceRef = { group: '', version: 'v1', resource: 'persistentvolumes', kind: 'PersistentVolume', namespaced: false };
export const PersistentVolumeClaims: ResourceRef = { group: '', version: 'v1', resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', namespaced: true };
export const Deployments: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true };
export const ReplicaSets: ResourceRef = { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', namespaced: true };
export const StatefulSets: ResourceRef = { group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet', namespaced: true };
export const DaemonSets: ResourceRef = { group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet', namespaced: true };
export const ControllerRevisions: ResourceRef = { group: 'apps', version: 'v1', resource: 'controllerrevisions', kind: 'ControllerRevision', namespaced: true };
export const Jobs: ResourceRef = { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true };
export const CronJobs: ResourceRef = { group: 'batch', version: 'v1', resource: 'cronjobs', kind: 'CronJob', namespaced: true };
export const Leases: ResourceRef = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', namespaced: true };
export const EventsV1: ResourceRef = { group: 'events.k8s.io', version: 'v1', resource: 'events', kind: 'Event', namespaced: true };
export const EndpointSlices: ResourceRef = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true };
export const Ingresses: ResourceRef = { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', kind: 'Ingress', namespaced: true };
export const IngressClasses: ResourceRef = { group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses', kind: 'IngressClass', namespaced: false };
export const NetworkPolicies: ResourceRef = { group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true };
export const PodDisruptionBudgets: ResourceRef = { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true };
export const PriorityClasses: ResourceRef = { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses', kind: 'PriorityClass', namespaced: false };
export const StorageClasses: ResourceRef = { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses', kind: 'StorageClass', namespaced: false };
export const Roles: ResourceRef = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles', kind: 'Role', namespaced: true };
export const ClusterRoles: ResourceRef = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', kind: 'ClusterRole', namespaced: false };
export const RoleBindings: ResourceRef = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'rolebindings', kind: 'RoleBinding', namespaced: true };
export const ClusterRoleBindings: ResourceRef = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false };
export const HorizontalPodAutoscalersV1: ResourceRef = { group: 'autoscaling', version: 'v1', resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true };
export const HorizontalPodAutoscalers: ResourceRef = { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true };
/** metrics.k8s.io (served as metrics-server serves it): read-only, get and list. */
export const NodeMetricsResource: ResourceRef = { group: 'metrics.k8s.io', version: 'v1beta1', resource: 'nodes', kind: 'NodeMetrics', namespaced: false };
export const PodMetricsResource: ResourceRef = { group: 'metrics.k8s.io', version: 'v1beta1', resource: 'pods', kind: 'PodMetrics', namespaced: true };

export function groupVersion(ref: Pick<ResourceRef, 'group' | 'version'>): string {
  return ref.group ? `${ref.group}/${ref.version}` : ref.version;
}

/**
 * The REST path of a collection or object: /api/v1/namespaces/default/pods/web/status.
 * namespace is ignored for cluster-scoped resources; omitted for a namespaced resource it lists across all namespaces.
 */
export function resourcePath(ref: ResourceRef, namespace?: string, name?: string, subresource?: string): string {
  let p = ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
  if (ref.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${ref.resource}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (subresource) p += `/${subresource}`;
  return p;
}

/** The cache key client-go uses: "namespace/name", or "name" for cluster-scoped objects. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function splitKey(key: string): { namespace?: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export function metaKey(obj: { metadata?: { namespace?: string; name?: string } }): string {
  return objectKey(obj.metadata?.namespace, obj.metadata?.name ?? '');
}
