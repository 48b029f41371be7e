import type { ApiRequest } from '../../api/protocol';
import { groupVersion } from '../../api/resources';
import type { ApiContext, ResourceRequest } from './context';
import { ApiServerError } from './errors';
import { createObject } from './handlers/create';
import { objectKey } from './object-codec';
import { priorityClassStrategy } from './registry/cluster-strategies';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './authz/bootstrap-policy';
import { clusterRoleBindingStrategy, clusterRoleStrategy } from './registry/rbac-strategies';
import { serviceStrategy } from './registry/service-strategy';
import type { KubeObject, ResourceStrategy } from './registry/strategy';
import { KUBERNETES_SERVICE_IP } from './service-allocator';

/**
 * Objects kube-apiserver creates at start when absent: the `kubernetes` Service in default (10.96.0.1,
 * https 443 → 6443), the system-node-critical / system-cluster-critical PriorityClasses and the default
 * RBAC ClusterRoles and ClusterRoleBindings (authz/bootstrap-policy). Existing objects are left as they
 * are (a user's edits survive a reload); a concurrent create is fine.
 */
const SYSTEM_OBJECTS: Array<[ResourceStrategy, string | undefined, KubeObject]> = [
  [
    serviceStrategy,
    'default',
    {
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { type: 'ClusterIP', clusterIP: KUBERNETES_SERVICE_IP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None' },
    },
  ],
  [
    priorityClassStrategy,
    undefined,
    { metadata: { name: 'system-node-critical' }, value: 2000001000, description: 'Used for system critical pods that must not be moved from their current node.' },
  ],
  [
    priorityClassStrategy,
    undefined,
    { metadata: { name: 'system-cluster-critical' }, value: 2000000000, description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.' },
  ],
  ...bootstrapClusterRoles().map((o): [ResourceStrategy, undefined, KubeObject] => [clusterRoleStrategy, undefined, o as unknown as KubeObject]),
  ...bootstrapClusterRoleBindings().map((o): [ResourceStrategy, undefined, KubeObject] => [clusterRoleBindingStrategy, undefined, o as unknown as KubeObject]),
];

export async function bootstrapSystemObjects(ctx: ApiContext): Promise<void> {
  for (const [strategy, namespace, obj] of SYSTEM_OBJECTS) {
    const req: ApiRequest = { method: 'POST', path: '' };
    const rr: ResourceRequest = { strategy, namespace, req, query: {} };
    if ((await ctx.store.get(objectKey(strategy, namespace, obj.metadata!.name!))).kv) continue;
    try {
      await createObject(ctx, rr, structuredClone({ apiVersion: groupVersion(strategy.ref), kind: strategy.ref.kind, ...obj }));
    } catch (err) {
      if (!(err instanceof ApiServerError) || err.code !== 409) throw err;
    }
  }
}
