import { describe, expect, it } from 'vitest';
import { clusterPageFixture, kubectl } from './page-helpers';

const BINDING = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: jane-view, namespace: default}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: User, name: jane}
`;

describe('RBAC in the tab', () => {
  const cluster = clusterPageFixture();

  it('the terminal is cluster-admin; --as jane is denied until a RoleBinding grants view', async () => {
    expect((await kubectl(cluster.page, 'get clusterrole cluster-admin admin edit view -o name')).stdout).toBe(
      'clusterrole.rbac.authorization.k8s.io/cluster-admin\nclusterrole.rbac.authorization.k8s.io/admin\nclusterrole.rbac.authorization.k8s.io/edit\nclusterrole.rbac.authorization.k8s.io/view\n',
    );
    const denied = await kubectl(cluster.page, '--as jane get pods');
    expect([denied.exitCode, denied.stderr]).toEqual([1, 'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"\n']);
    expect((await kubectl(cluster.page, 'apply -f -', BINDING)).stdout).toBe('rolebinding.rbac.authorization.k8s.io/jane-view created\n');
    const allowed = await kubectl(cluster.page, '--as jane get pods');
    expect([allowed.exitCode, allowed.stderr]).toEqual([0, 'No resources found in default namespace.\n']);
    const write = await kubectl(cluster.page, '--as jane delete pod x');
    expect(write.stderr).toBe('Error from server (Forbidden): pods "x" is forbidden: User "jane" cannot delete resource "pods" in API group "" in the namespace "default"\n');
  });
});
