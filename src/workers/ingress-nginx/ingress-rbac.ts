import type { ServiceAccount } from 'kubernetes-types/core/v1';
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding } from 'kubernetes-types/rbac/v1';
import { ClusterRoleBindings, ClusterRoles, RoleBindings, Roles, ServiceAccounts, type ResourceRef } from '../../api/resources';
import { CONF_CONFIGMAP, CONTROLLER_LABELS, INGRESS_NAMESPACE } from './ingress-manifests';

/**
 * The controller's identity as the ingress-nginx deploy manifest (v1.11.3, provider cloud) gives it:
 * ServiceAccount ingress-nginx/ingress-nginx, bound to ClusterRole ingress-nginx and Role ingress-nginx/ingress-nginx
 * (rules word for word), so the apiserver sees `system:serviceaccount:ingress-nginx:ingress-nginx`.
 */
export const SERVICE_ACCOUNT = 'ingress-nginx';
/** Not in the manifest: what our split controller does that the real one does in its own pod (see TABERNETES_RULES). */
export const TABERNETES_ROLE = 'ingress-nginx-tabernetes';

const VERSION = { 'app.kubernetes.io/part-of': 'ingress-nginx', 'app.kubernetes.io/version': '1.11.3' };
const CLUSTER_LABELS = { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': 'ingress-nginx', ...VERSION };
const NS_LABELS = { ...CONTROLLER_LABELS, ...VERSION };
const RBAC = 'rbac.authorization.k8s.io/v1';
const rule = (apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]): PolicyRule => ({ apiGroups, resources, ...(resourceNames ? { resourceNames } : {}), verbs });
const READ = ['get', 'list', 'watch'];
const subjects = [{ kind: 'ServiceAccount', name: SERVICE_ACCOUNT, namespace: INGRESS_NAMESPACE }];

export function controllerServiceAccount(): ServiceAccount {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: SERVICE_ACCOUNT, namespace: INGRESS_NAMESPACE, labels: NS_LABELS }, automountServiceAccountToken: true };
}

export function controllerClusterRole(): ClusterRole {
  return {
    apiVersion: RBAC,
    kind: 'ClusterRole',
    metadata: { name: 'ingress-nginx', labels: CLUSTER_LABELS },
    rules: [
      rule([''], ['configmaps', 'endpoints', 'nodes', 'pods', 'secrets', 'namespaces'], ['list', 'watch']),
      rule(['coordination.k8s.io'], ['leases'], ['list', 'watch']),
      rule([''], ['nodes'], ['get']),
      rule([''], ['services'], READ),
      rule(['networking.k8s.io'], ['ingresses'], READ),
      rule([''], ['events'], ['create', 'patch']),
      rule(['networking.k8s.io'], ['ingresses/status'], ['update']),
      rule(['networking.k8s.io'], ['ingressclasses'], READ),
      rule(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch', 'get']),
    ],
  };
}

export function controllerRole(): Role {
  return {
    apiVersion: RBAC,
    kind: 'Role',
    metadata: { name: 'ingress-nginx', namespace: INGRESS_NAMESPACE, labels: NS_LABELS },
    rules: [
      rule([''], ['namespaces'], ['get']),
      rule([''], ['configmaps', 'pods', 'secrets', 'endpoints'], READ),
      rule([''], ['services'], READ),
      rule(['networking.k8s.io'], ['ingresses'], READ),
      rule(['networking.k8s.io'], ['ingresses/status'], ['update']),
      rule(['networking.k8s.io'], ['ingressclasses'], READ),
      rule(['coordination.k8s.io'], ['leases'], ['get', 'update'], ['ingress-nginx-leader']),
      rule(['coordination.k8s.io'], ['leases'], ['create']),
      rule([''], ['events'], ['create', 'patch']),
      rule(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch', 'get']),
    ],
  };
}

/**
 * Not the manifest's: the real controller renders nginx.conf inside its own pod; ours runs beside kube-proxy and
 * hands the conf to the pod through ConfigMap ingress-nginx-controller-conf, stamping its hash on the pods.
 */
export function tabernetesRole(): Role {
  return {
    apiVersion: RBAC,
    kind: 'Role',
    metadata: { name: TABERNETES_ROLE, namespace: INGRESS_NAMESPACE, labels: NS_LABELS },
    rules: [rule([''], ['configmaps'], ['update'], [CONF_CONFIGMAP]), rule([''], ['pods'], ['patch'])],
  };
}

export function controllerClusterRoleBinding(): ClusterRoleBinding {
  return { apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name: 'ingress-nginx', labels: CLUSTER_LABELS }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'ingress-nginx' }, subjects };
}

export function controllerRoleBindings(): RoleBinding[] {
  return [
    { apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'ingress-nginx', namespace: INGRESS_NAMESPACE, labels: NS_LABELS }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ingress-nginx' }, subjects },
    { apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: TABERNETES_ROLE, namespace: INGRESS_NAMESPACE, labels: NS_LABELS }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: TABERNETES_ROLE }, subjects },
  ];
}

/** Every RBAC object above with its resource, in the order an apply creates them (account, roles, then bindings). */
export function controllerIdentityObjects(): Array<[ResourceRef, { metadata?: { name?: string; namespace?: string } }]> {
  return [
    [ServiceAccounts, controllerServiceAccount()],
    [ClusterRoles, controllerClusterRole()],
    [Roles, controllerRole()],
    [Roles, tabernetesRole()],
    [ClusterRoleBindings, controllerClusterRoleBinding()],
    ...controllerRoleBindings().map((b): [ResourceRef, RoleBinding] => [RoleBindings, b]),
  ];
}
