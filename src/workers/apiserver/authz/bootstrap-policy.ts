import type { ClusterRole, ClusterRoleBinding, PolicyRule } from 'kubernetes-types/rbac/v1';
import { aggregateClusterRoles } from './policy-cache';
import { controllerClusterRoleBindings, controllerClusterRoles } from './controller-roles';

/**
 * The default ClusterRoles and ClusterRoleBindings kube-apiserver 1.32 reconciles at start
 * (plugin/pkg/auth/authorizer/rbac/bootstrappolicy) that users meet, plus kubeadm's kubeadm:cluster-admins
 * binding (the group of the admin kubeconfig's user). Aggregated roles (admin, edit, view) carry the
 * rules the aggregation controller would have written.
 */

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const READ_WRITE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
const AGG = 'rbac.authorization.k8s.io/aggregate-to-';

const rule = (verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): PolicyRule => ({ verbs, apiGroups, resources, ...(resourceNames ? { resourceNames } : {}) });
const urls = (verbs: string[], nonResourceURLs: string[]): PolicyRule => ({ verbs, nonResourceURLs });

const META = { labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } };

function role(name: string, rules: PolicyRule[], labels: Record<string, string> = {}, aggregateFrom?: string): ClusterRole {
  const r: ClusterRole = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels: { ...META.labels, ...labels }, annotations: { ...META.annotations } }, rules };
  if (aggregateFrom) r.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { [`${AGG}${aggregateFrom}`]: 'true' } }] };
  return r;
}

const VIEW_RULES: PolicyRule[] = [
  rule(READ, [''], ['pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'configmaps']),
  rule(READ, [''], ['limitranges', 'resourcequotas', 'bindings', 'events', 'pods/status', 'resourcequotas/status', 'namespaces/status', 'replicationcontrollers/status', 'pods/log']),
  rule(READ, [''], ['namespaces']),
  rule(READ, ['discovery.k8s.io'], ['endpointslices']),
  rule(READ, ['apps'], ['controllerrevisions', 'statefulsets', 'statefulsets/scale', 'statefulsets/status', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status']),
  rule(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
  rule(READ, ['batch'], ['jobs', 'cronjobs', 'cronjobs/status', 'jobs/status']),
  rule(READ, ['extensions'], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale', 'networkpolicies']),
  rule(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
  rule(READ, ['networking.k8s.io'], ['networkpolicies', 'ingresses', 'ingresses/status']),
];

const EDIT_RULES: PolicyRule[] = [
  rule(READ, [''], ['pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward', 'secrets', 'services/proxy']),
  rule(['impersonate'], [''], ['serviceaccounts']),
  rule(WRITE, [''], ['pods', 'pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward']),
  rule(['create'], [''], ['pods/eviction']),
  rule(WRITE, [''], ['replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/proxy', 'persistentvolumeclaims', 'configmaps', 'secrets', 'events']),
  rule(['create'], [''], ['serviceaccounts/token']),
  rule(WRITE, ['apps'], ['statefulsets', 'statefulsets/scale', 'daemonsets', 'deployments', 'deployments/scale', 'deployments/rollback', 'replicasets', 'replicasets/scale']),
  rule(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
  rule(WRITE, ['batch'], ['jobs', 'cronjobs']),
  rule(WRITE, ['extensions'], ['daemonsets', 'deployments', 'deployments/scale', 'deployments/rollback', 'ingresses', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale', 'networkpolicies']),
  rule(WRITE, ['policy'], ['poddisruptionbudgets']),
  rule(WRITE, ['networking.k8s.io'], ['networkpolicies', 'ingresses']),
  rule(READ_WRITE, ['coordination.k8s.io'], ['leases']),
];

const ADMIN_RULES: PolicyRule[] = [rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']), rule(READ_WRITE, ['rbac.authorization.k8s.io'], ['roles', 'rolebindings'])];

const SCHEDULER_RULES: PolicyRule[] = [
  rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], ['events']),
  rule(['create'], ['coordination.k8s.io'], ['leases']),
  rule(['get', 'update'], ['coordination.k8s.io'], ['leases'], ['kube-scheduler']),
  rule(['delete', 'get', 'list', 'watch'], [''], ['pods']),
  rule(['create'], [''], ['bindings', 'pods/binding']),
  rule(['patch', 'update'], [''], ['pods/status']),
  rule(READ, [''], ['nodes', 'namespaces', 'persistentvolumeclaims', 'persistentvolumes', 'replicationcontrollers', 'services', 'configmaps']),
  rule(READ, ['apps'], ['replicasets', 'statefulsets']),
  rule(READ, ['policy'], ['poddisruptionbudgets']),
  rule(READ, ['storage.k8s.io'], ['storageclasses', 'csinodes', 'csidrivers', 'csistoragecapacities']),
  rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
  rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
];

const CONTROLLER_MANAGER_RULES: PolicyRule[] = [
  rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], ['events']),
  rule(['create'], ['coordination.k8s.io'], ['leases']),
  rule(['get', 'update'], ['coordination.k8s.io'], ['leases'], ['kube-controller-manager']),
  rule(['create'], [''], ['secrets', 'serviceaccounts']),
  rule(['delete'], [''], ['secrets']),
  rule(['get'], [''], ['configmaps', 'namespaces', 'secrets', 'serviceaccounts']),
  rule(['update'], [''], ['secrets', 'serviceaccounts']),
  rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
  rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
  rule(['list', 'watch'], ['*'], ['*']),
  rule(['create'], [''], ['serviceaccounts/token']),
];

/** bootstrappolicy.NodeRules(): the system:node role, and what the Node authorizer grants every node for other resources. */
export const NODE_RULES: PolicyRule[] = [
  rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
  rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews', 'subjectaccessreviews']),
  rule(READ, [''], ['services']),
  rule(['create', 'get', 'list', 'watch'], [''], ['nodes']),
  rule(['patch', 'update'], [''], ['nodes/status']),
  rule(['patch', 'update'], [''], ['nodes']),
  rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], ['events']),
  rule(READ, [''], ['pods']),
  rule(['create', 'delete'], [''], ['pods']),
  rule(['patch', 'update'], [''], ['pods/status']),
  rule(['create'], [''], ['pods/eviction']),
  rule(READ, [''], ['configmaps', 'secrets']),
  rule(['get'], [''], ['persistentvolumeclaims', 'persistentvolumes']),
  rule(['get'], [''], ['endpoints']),
  rule(['create', 'get', 'list', 'watch'], ['certificates.k8s.io'], ['certificatesigningrequests']),
  rule(['create', 'delete', 'get', 'patch', 'update'], ['coordination.k8s.io'], ['leases']),
  rule(['get'], ['storage.k8s.io'], ['volumeattachments']),
  rule(['get', 'patch', 'update'], [''], ['persistentvolumeclaims/status']),
  rule(['create'], [''], ['serviceaccounts/token']),
  rule(['get', 'list', 'watch'], ['storage.k8s.io'], ['csidrivers']),
  rule(['create', 'delete', 'get', 'patch', 'update'], ['storage.k8s.io'], ['csinodes']),
  rule(READ, ['node.k8s.io'], ['runtimeclasses']),
];
const ROLES: ClusterRole[] = [
  role('cluster-admin', [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
  role('system:discovery', [urls(['get'], ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'])]),
  role('system:monitoring', [urls(['get'], ['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*'])]),
  role('system:basic-user', [rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']), rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews'])]),
  role('system:public-info-viewer', [urls(['get'], ['/healthz', '/livez', '/readyz', '/version', '/version/'])]),
  role('admin', [], { [`${AGG}admin`]: 'true' }, 'admin'),
  role('edit', [], { [`${AGG}admin`]: 'true' }, 'edit'),
  role('view', [], { [`${AGG}edit`]: 'true' }, 'view'),
  role('system:aggregate-to-admin', ADMIN_RULES, { [`${AGG}admin`]: 'true' }),
  role('system:aggregate-to-edit', EDIT_RULES, { [`${AGG}edit`]: 'true' }),
  role('system:aggregate-to-view', VIEW_RULES, { [`${AGG}view`]: 'true' }),
  role('system:kube-scheduler', SCHEDULER_RULES),
  role('system:kube-controller-manager', CONTROLLER_MANAGER_RULES),
  role('system:volume-scheduler', [
    rule(['get', 'list', 'patch', 'update', 'watch'], [''], ['persistentvolumes']),
    rule(READ, ['storage.k8s.io'], ['storageclasses']),
    rule(['get', 'list', 'patch', 'update', 'watch'], [''], ['persistentvolumeclaims']),
  ]),
  role('system:node', NODE_RULES),
  role('system:node-proxier', [
    rule(['list', 'watch'], [''], ['endpoints', 'services']),
    rule(READ, [''], ['nodes']),
    rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], ['events']),
    rule(['list', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
  ]),
  role('system:service-account-issuer-discovery', [urls(['get'], ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/'])]),
];

/**
 * Not kube's: what our in-tab components do beyond their kube roles, bound to their users so the kube roles
 * stay word for word. kube-proxy also plays Calico (NetworkPolicy, Pod and Namespace informers), the kubeadm
 * CoreDNS addon (creates the kube-dns Service) and the cloud LoadBalancer (writes services/status); the
 * scheduler reads PriorityClasses; the persistentvolume binder also plays kind's local-path-provisioner.
 */
const EXTRA_ROLES: ClusterRole[] = [
  role('tabernetes:kube-proxy-addons', [
    rule(['list', 'watch'], [''], ['namespaces', 'pods']),
    rule(['list', 'watch'], ['networking.k8s.io'], ['networkpolicies']),
    rule(['create', 'get'], [''], ['services']),
    rule(['patch', 'update'], [''], ['services/status']),
  ]),
  role('tabernetes:kube-scheduler-addons', [rule(READ, ['scheduling.k8s.io'], ['priorityclasses'])]),
  // kind's local-path-provisioner, which our persistentvolume binder plays: it creates the "standard" StorageClass.
  role('tabernetes:local-path-provisioner', [rule(['create', 'get'], ['storage.k8s.io'], ['storageclasses'])]),
  // Our kubelets watch PVCs to start a pod once its claim binds (kube's scheduler holds such pods until then).
  role('tabernetes:node-volume-wakeups', [rule(['list', 'watch'], [''], ['persistentvolumeclaims'])]),
];
ROLES.push(...controllerClusterRoles(), ...EXTRA_ROLES);

const aggregated = aggregateClusterRoles(ROLES);
for (const r of ROLES) if (r.aggregationRule) r.rules = aggregated.get(r.metadata!.name!) ?? [];

const NO_META: { labels: Record<string, string>; annotations: Record<string, string> } = { labels: {}, annotations: {} };

type SubjectSpec = [kind: 'User' | 'Group', name: string];

function binding(name: string, roleName: string, subjects: SubjectSpec[], meta: typeof NO_META = META): ClusterRoleBinding {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name, ...(meta !== NO_META ? { labels: { ...meta.labels }, annotations: { ...meta.annotations } } : {}) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
    ...(subjects.length ? { subjects: subjects.map(([kind, n]) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name: n })) } : {}),
  };
}

const BINDINGS: ClusterRoleBinding[] = [
  binding('cluster-admin', 'cluster-admin', [['Group', 'system:masters']]),
  binding('system:discovery', 'system:discovery', [['Group', 'system:authenticated']]),
  binding('system:monitoring', 'system:monitoring', [['Group', 'system:monitoring']]),
  binding('system:basic-user', 'system:basic-user', [['Group', 'system:authenticated']]),
  binding('system:public-info-viewer', 'system:public-info-viewer', [['Group', 'system:authenticated'], ['Group', 'system:unauthenticated']]),
  binding('system:kube-scheduler', 'system:kube-scheduler', [['User', 'system:kube-scheduler']]),
  binding('system:kube-controller-manager', 'system:kube-controller-manager', [['User', 'system:kube-controller-manager']]),
  binding('system:volume-scheduler', 'system:volume-scheduler', [['User', 'system:kube-scheduler']]),
  binding('system:node', 'system:node', []),
  binding('system:node-proxier', 'system:node-proxier', [['User', 'system:kube-proxy']]),
  binding('system:service-account-issuer-discovery', 'system:service-account-issuer-discovery', [['Group', 'system:serviceaccounts']]),
  binding('kubeadm:cluster-admins', 'cluster-admin', [['Group', 'kubeadm:cluster-admins']], NO_META),
  ...controllerClusterRoleBindings(),
  binding('tabernetes:kube-proxy-addons', 'tabernetes:kube-proxy-addons', [['User', 'system:kube-proxy']], NO_META),
  binding('tabernetes:kube-scheduler-addons', 'tabernetes:kube-scheduler-addons', [['User', 'system:kube-scheduler']], NO_META),
  binding('tabernetes:node-volume-wakeups', 'tabernetes:node-volume-wakeups', [['Group', 'system:nodes']], NO_META),
  { ...binding('tabernetes:local-path-provisioner', 'tabernetes:local-path-provisioner', [], NO_META), subjects: [{ kind: 'ServiceAccount', name: 'persistent-volume-binder', namespace: 'kube-system' }] },
];

/** Fresh copies (callers may mutate them). */
export function bootstrapClusterRoles(): ClusterRole[] {
  return structuredClone(ROLES);
}

export function bootstrapClusterRoleBindings(): ClusterRoleBinding[] {
  return structuredClone(BINDINGS);
}
