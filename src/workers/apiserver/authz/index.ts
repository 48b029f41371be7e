/**
 * src/workers/apiserver/authz: authentication, impersonation, RBAC authorization, access reviews and the
 * audit ring — kube-apiserver's filter chain in front of the handlers (withAuthorization wraps the server).
 * - auth-layer: withAuthorization (authn → impersonation → RBAC → reviews → audit), forbidden()/unauthorized() Status errors.
 * - request-attributes: RequestInfoFactory (path + method → verb/namespace/group/resource/subresource/name).
 * - rbac-authorizer: RuleAllows, binding visits and RBAC's allow/deny reasons; system:masters short-circuit.
 * - policy-cache: Roles/ClusterRoles/bindings kept from the store's watch (re-indexed only on change), ClusterRole aggregation.
 * - watched-prefix: one store prefix kept in memory from the store's watch (read-your-writes: see its contract).
 * - store-indexes: authzIndexes(store), the PolicyCache and NodeGraph shared by every user of one store.
 * - component-identities: the users kubeadm gives kube-controller-manager, kube-scheduler, kube-proxy and
 *   kubelets (system:node:<name>), nodeIdentity(), authenticatedAs (a connection's x509-like identity).
 * - node-authorizer: the Node authorizer (a kubelet reads only what its pods use) over a watch-fed graph; union-authorizer: Node,RBAC.
 * - controller-roles: system:controller:* ClusterRoles/bindings and each controller's kube-system service account.
 * - bootstrap-policy: the default ClusterRoles/ClusterRoleBindings (cluster-admin, admin/edit/view, system:*).
 * - service-account-tokens: TokenRequest JWTs (HS256, per-cluster key in the store) and their verification
 *   (verified tokens kept in a bounded LRU; each hit re-checks expiry and the ServiceAccount's uid).
 * - reviews: SelfSubjectAccessReview, SubjectAccessReview, LocalSubjectAccessReview, SelfSubjectRulesReview,
 *   SelfSubjectReview, TokenReview and serviceaccounts/<name>/token; review-selectors: resourceAttributes
 *   fieldSelector/labelSelector (validation, the field selector for the Node authorizer, evaluationError).
 * - audit-ring: the last N requests (user, verb, resource, URI, code).
 * - hmac-sha256: SHA-256/HMAC/base64url in plain ES2022 (core code has no WebCrypto).
 */
export { withAuthorization, forbidden, unauthorized, IN_TAB_ADMIN, type AuthOptions, type AuthorizingHandler } from './auth-layer';
export type { AuditEntry } from './audit-ring';
export { authorize, ruleAllows, rulesFor, SYSTEM_MASTERS, type Decision } from './rbac-authorizer';
export { requestAttributes, type Attributes } from './request-attributes';
export { PolicyCache, type PolicySnapshot } from './policy-cache';
export { bootstrapClusterRoles, bootstrapClusterRoleBindings } from './bootstrap-policy';
export { ServiceAccountTokens, serviceAccountUser, API_AUDIENCE } from './service-account-tokens';
export { authenticatedAs, nodeIdentity, nodeUser, KUBE_CONTROLLER_MANAGER_USER, KUBE_PROXY_USER, KUBE_SCHEDULER_USER, NODES_GROUP } from './component-identities';
export { authorizeNode, NodeGraph, type NodeDecision } from './node-authorizer';
export { authorizeNodeAndRbac } from './union-authorizer';
export { authzIndexes, type AuthzIndexes } from './store-indexes';
export { WatchedPrefix, type PrefixChange } from './watched-prefix';
export { controllerClusterRoles, controllerClusterRoleBindings, CONTROLLER_SERVICE_ACCOUNTS } from './controller-roles';
