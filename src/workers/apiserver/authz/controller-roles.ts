import type { ClusterRole, ClusterRoleBinding, PolicyRule } from 'kubernetes-types/rbac/v1';

/**
 * kube-apiserver 1.32's controller roles (bootstrappolicy/controller_policy.go): one ClusterRole
 * `system:controller:<sa>` per kube-controller-manager controller, bound to the ServiceAccount kube-system/<sa>
 * that controller uses with --use-service-account-credentials (kubeadm's setting). Rules are sorted as
 * rbacv1helpers' RuleOrDie leaves them (verbs, groups, resources, names), so `kubectl get -o yaml` matches.
 */

export const CONTROLLER_ROLE_PREFIX = 'system:controller:';

/** A sorted rule, as rbacv1helpers.NewRule(...).Groups(...).Resources(...).Names(...).RuleOrDie() builds it. */
export function sortedRule(verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): PolicyRule {
  const s = (xs: string[]) => [...xs].sort();
  return { verbs: s(verbs), apiGroups: s(apiGroups), resources: s(resources), ...(resourceNames ? { resourceNames: s(resourceNames) } : {}) };
}

const r = sortedRule;
const events = () => r(['create', 'update', 'patch'], ['', 'events.k8s.io'], ['events']);
const READ = ['get', 'list', 'watch'];
const APPS = ['apps', 'extensions'];

/** Controller SA name (kube-system) → its rules, in controller_policy.go's order. */
const CONTROLLER_RULES: Array<[string, PolicyRule[]]> = [
  ['attachdetach-controller', [
    r(['list', 'watch'], [''], ['persistentvolumes', 'persistentvolumeclaims']), r(READ, [''], ['nodes']), r(['patch', 'update'], [''], ['nodes/status']),
    r(['list', 'watch'], [''], ['pods']), events(), r(['get', 'create', 'delete', 'list', 'watch'], ['storage.k8s.io'], ['volumeattachments']),
    r(READ, ['storage.k8s.io'], ['csidrivers']), r(READ, ['storage.k8s.io'], ['csinodes']),
  ]],
  ['clusterrole-aggregation-controller', [r(['escalate', 'get', 'list', 'watch', 'update', 'patch'], ['rbac.authorization.k8s.io'], ['clusterroles'])]],
  ['cronjob-controller', [
    r(['get', 'list', 'watch', 'update'], ['batch'], ['cronjobs']), r(['get', 'list', 'watch', 'create', 'update', 'delete', 'patch'], ['batch'], ['jobs']),
    r(['update'], ['batch'], ['cronjobs/status']), r(['update'], ['batch'], ['cronjobs/finalizers']), r(['list', 'watch', 'delete'], [''], ['pods']), events(),
  ]],
  ['daemon-set-controller', [
    r(READ, APPS, ['daemonsets']), r(['update'], APPS, ['daemonsets/status']), r(['update'], APPS, ['daemonsets/finalizers']), r(['list', 'watch'], [''], ['nodes']),
    r(['list', 'watch', 'create', 'delete', 'patch'], [''], ['pods']), r(['create'], [''], ['pods/binding']),
    r(['get', 'list', 'watch', 'create', 'delete', 'update', 'patch'], ['apps'], ['controllerrevisions']), events(),
  ]],
  ['deployment-controller', [
    r(['get', 'list', 'watch', 'update'], APPS, ['deployments']), r(['update'], APPS, ['deployments/status']), r(['update'], APPS, ['deployments/finalizers']),
    r(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'], APPS, ['replicasets']), r(['get', 'list', 'watch', 'update'], [''], ['pods']), events(),
  ]],
  ['disruption-controller', [
    r(READ, APPS, ['deployments']), r(READ, APPS, ['replicasets']), r(READ, [''], ['replicationcontrollers']), r(READ, ['policy'], ['poddisruptionbudgets']),
    r(READ, ['apps'], ['statefulsets']), r(['update'], ['policy'], ['poddisruptionbudgets/status']), r(['patch', 'update'], [''], ['pods/status']),
    r(['get'], ['*'], ['*/scale']), events(),
  ]],
  ['endpoint-controller', [
    r(READ, [''], ['services', 'pods']), r(['get', 'list', 'watch', 'create', 'update', 'delete'], [''], ['endpoints']), r(['create'], [''], ['endpoints/restricted']), events(),
  ]],
  ['endpointslice-controller', [
    r(READ, [''], ['services', 'pods', 'nodes']), r(['update'], [''], ['services/finalizers']),
    r(['get', 'list', 'watch', 'create', 'update', 'delete'], ['discovery.k8s.io'], ['endpointslices']), events(),
  ]],
  ['endpointslicemirroring-controller', [
    r(READ, [''], ['services', 'endpoints']), r(['update'], [''], ['services/finalizers']), r(['update'], [''], ['endpoints/finalizers']),
    r(['get', 'list', 'watch', 'create', 'update', 'delete'], ['discovery.k8s.io'], ['endpointslices']), events(),
  ]],
  ['expand-controller', [
    r(['get', 'list', 'watch', 'update', 'patch'], [''], ['persistentvolumes']), r(['update', 'patch'], [''], ['persistentvolumeclaims/status']),
    r(READ, [''], ['persistentvolumeclaims']), events(), r(['get'], [''], ['services']),
  ]],
  ['ephemeral-volume-controller', [
    r(READ, [''], ['pods']), r(['update'], [''], ['pods/finalizers']), r(['get', 'list', 'watch', 'create'], [''], ['persistentvolumeclaims']), events(),
  ]],
  ['generic-garbage-collector', [r(['get', 'list', 'watch', 'patch', 'update', 'delete'], ['*'], ['*']), events()]],
  ['horizontal-pod-autoscaler', [
    r(READ, ['autoscaling'], ['horizontalpodautoscalers']), r(['update'], ['autoscaling'], ['horizontalpodautoscalers/status']), r(['get', 'update'], ['*'], ['*/scale']),
    r(['list', 'watch'], [''], ['pods']), r(['list', 'watch'], ['metrics.k8s.io'], ['pods']), r(READ, ['custom.metrics.k8s.io'], ['*']),
    r(READ, ['external.metrics.k8s.io'], ['*']), events(),
  ]],
  ['job-controller', [
    r(['get', 'list', 'watch', 'update', 'patch'], ['batch'], ['jobs']), r(['update'], ['batch'], ['jobs/status']), r(['update'], ['batch'], ['jobs/finalizers']),
    r(['list', 'watch', 'create', 'delete', 'patch'], [''], ['pods']), events(),
  ]],
  ['namespace-controller', [
    r(['get', 'list', 'watch', 'delete'], [''], ['namespaces']), r(['update'], [''], ['namespaces/finalize', 'namespaces/status']),
    r(['get', 'list', 'watch', 'delete', 'deletecollection'], ['*'], ['*']),
  ]],
  ['node-controller', [
    r(['get', 'list', 'watch', 'update', 'delete', 'patch'], [''], ['nodes']), r(['patch', 'update'], [''], ['nodes/status']), r(['patch', 'update'], [''], ['pods/status']),
    r(['list', 'watch', 'get', 'delete'], [''], ['pods']), events(),
  ]],
  ['persistent-volume-binder', [
    r(['get', 'list', 'watch', 'update', 'create', 'delete'], [''], ['persistentvolumes']), r(['update'], [''], ['persistentvolumes/status']),
    r(['get', 'list', 'watch', 'update'], [''], ['persistentvolumeclaims']), r(['update'], [''], ['persistentvolumeclaims/status']),
    r(['list', 'watch', 'get', 'create', 'delete'], [''], ['pods']), r(READ, ['storage.k8s.io'], ['storageclasses']), r(['list', 'watch'], [''], ['nodes']), events(),
    r(['watch'], [''], ['events']), r(['get'], [''], ['services']),
  ]],
  ['pod-garbage-collector', [r(['list', 'watch', 'delete'], [''], ['pods']), r(READ, [''], ['nodes']), r(['patch'], [''], ['pods/status'])]],
  ['replicaset-controller', [
    r(['get', 'list', 'watch', 'update'], APPS, ['replicasets']), r(['update'], APPS, ['replicasets/status']), r(['update'], APPS, ['replicasets/finalizers']),
    r(['list', 'watch', 'patch', 'create', 'delete'], [''], ['pods']), events(),
  ]],
  ['replication-controller', [
    r(['get', 'list', 'watch', 'update'], [''], ['replicationcontrollers']), r(['update'], [''], ['replicationcontrollers/status']),
    r(['update'], [''], ['replicationcontrollers/finalizers']), r(['list', 'watch', 'patch', 'create', 'delete'], [''], ['pods']), events(),
  ]],
  ['resourcequota-controller', [r(['list', 'watch'], ['*'], ['*']), r(['update'], [''], ['resourcequotas/status']), events()]],
  ['route-controller', [r(['list', 'watch'], [''], ['nodes']), r(['patch'], [''], ['nodes/status']), events()]],
  ['service-account-controller', [r(['create'], [''], ['serviceaccounts']), events()]],
  ['service-controller', [r(READ, [''], ['services']), r(['patch', 'update'], [''], ['services/status']), r(['list', 'watch'], [''], ['nodes']), events()]],
  ['statefulset-controller', [
    r(['list', 'watch'], [''], ['pods']), r(READ, ['apps'], ['statefulsets']), r(['update'], ['apps'], ['statefulsets/status']), r(['update'], ['apps'], ['statefulsets/finalizers']),
    r(['get', 'create', 'delete', 'update', 'patch'], [''], ['pods']), r(['get', 'create', 'delete', 'update', 'patch', 'list', 'watch'], ['apps'], ['controllerrevisions']),
    r(['get', 'create', 'list', 'watch'], [''], ['persistentvolumeclaims']), r(['update', 'delete'], [''], ['persistentvolumeclaims']), r(['update'], [''], ['pods/finalizers']), events(),
  ]],
  ['ttl-controller', [r(['update', 'patch', 'list', 'watch'], [''], ['nodes']), events()]],
  ['certificate-controller', [
    r(['get', 'list', 'watch', 'delete'], ['certificates.k8s.io'], ['certificatesigningrequests']),
    r(['update'], ['certificates.k8s.io'], ['certificatesigningrequests/status', 'certificatesigningrequests/approval']),
    r(['approve'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/kube-apiserver-client-kubelet']),
    r(['sign'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/legacy-unknown', 'kubernetes.io/kube-apiserver-client', 'kubernetes.io/kube-apiserver-client-kubelet', 'kubernetes.io/kubelet-serving']),
    r(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']), events(),
  ]],
  ['pvc-protection-controller', [r(['get', 'list', 'watch', 'update'], [''], ['persistentvolumeclaims']), r(['list', 'watch', 'get'], [''], ['pods']), events()]],
  ['pv-protection-controller', [r(['get', 'list', 'watch', 'update'], [''], ['persistentvolumes']), events()]],
  ['ttl-after-finished-controller', [r(['get', 'list', 'watch', 'delete'], ['batch'], ['jobs']), events()]],
  ['root-ca-cert-publisher', [r(['create', 'update'], [''], ['configmaps']), events()]],
  ['validatingadmissionpolicy-status-controller', [
    r(READ, ['admissionregistration.k8s.io'], ['validatingadmissionpolicies']), r(['get', 'patch', 'update'], ['admissionregistration.k8s.io'], ['validatingadmissionpolicies/status']), events(),
  ]],
  ['legacy-service-account-token-cleaner', [r(['get'], [''], ['configmaps'], ['kube-apiserver-legacy-service-account-token-tracking']), r(['patch', 'delete'], [''], ['secrets'])]],
];

const LABELS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const ANNOTATIONS = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };

export function controllerClusterRoles(): ClusterRole[] {
  return CONTROLLER_RULES.map(([sa, rules]) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: `${CONTROLLER_ROLE_PREFIX}${sa}`, labels: { ...LABELS }, annotations: { ...ANNOTATIONS } },
    rules: structuredClone(rules),
  }));
}

export function controllerClusterRoleBindings(): ClusterRoleBinding[] {
  return CONTROLLER_RULES.map(([sa]) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: `${CONTROLLER_ROLE_PREFIX}${sa}`, labels: { ...LABELS }, annotations: { ...ANNOTATIONS } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${CONTROLLER_ROLE_PREFIX}${sa}` },
    subjects: [{ kind: 'ServiceAccount', name: sa, namespace: 'kube-system' }],
  }));
}

/**
 * kube-controller-manager's controller (our descriptor name) → the kube-system ServiceAccount it acts as
 * (cmd/kube-controller-manager names; the taint-eviction controller reuses node-controller's, as kube's does).
 */
export const CONTROLLER_SERVICE_ACCOUNTS: Readonly<Record<string, string>> = {
  'cronjob-controller': 'cronjob-controller',
  'daemonset-controller': 'daemon-set-controller',
  'deployment-controller': 'deployment-controller',
  'disruption-controller': 'disruption-controller',
  'endpoints-controller': 'endpoint-controller',
  'endpointslice-controller': 'endpointslice-controller',
  'garbage-collector-controller': 'generic-garbage-collector',
  'horizontal-pod-autoscaler-controller': 'horizontal-pod-autoscaler',
  'job-controller': 'job-controller',
  'namespace-controller': 'namespace-controller',
  'node-lifecycle-controller': 'node-controller',
  'taint-eviction-controller': 'node-controller',
  'persistentvolume-binder-controller': 'persistent-volume-binder',
  'replicaset-controller': 'replicaset-controller',
  'replicationcontroller-controller': 'replication-controller',
  'resourcequota-controller': 'resourcequota-controller',
  'root-ca-certificate-publisher-controller': 'root-ca-cert-publisher',
  'serviceaccount-controller': 'service-account-controller',
  'statefulset-controller': 'statefulset-controller',
  'ttl-after-finished-controller': 'ttl-after-finished-controller',
};
