// Test objects shared by describe-more.test.ts (expected texts recorded from kubectl 1.32) and
// kubectl-vs-real-describe.test.ts (compared live with kubectl 1.32): the same objects, so the same output.

/** A Role `reader` (three rules, one with resourceNames) and a RoleBinding `read-pods` to a User and a ServiceAccount, as YAML ending in a newline. */
export const READER_RBAC = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, labels: {a: b}}
rules:
- {apiGroups: [""], resources: [pods, pods/log], verbs: [get, list]}
- {apiGroups: [apps], resources: [deployments], resourceNames: [web], verbs: [get]}
- {apiGroups: [""], resources: [configmaps], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: read-pods}
subjects:
- {kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}
- {kind: ServiceAccount, name: robot, namespace: default}
roleRef: {kind: Role, name: reader, apiGroup: rbac.authorization.k8s.io}
`;
