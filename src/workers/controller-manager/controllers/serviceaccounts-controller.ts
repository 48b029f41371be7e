import type { Namespace, ServiceAccount } from 'kubernetes-types/core/v1';
import { Namespaces, objectKey, ServiceAccounts } from '../../../api/resources';
import { ApiError } from '../../../api/status';
import type { ControllerContext, ControllerDef, ControllerDescriptor } from '../controller-context';

/**
 * serviceaccount-controller (pkg/controller/serviceaccount/serviceaccounts_controller.go), keyed by namespace name:
 * every active namespace has the ServiceAccounts in `names` (kube's default: just "default"); one deleted is
 * recreated. Terminating namespaces are skipped; AlreadyExists, NotFound and Forbidden on create are ignored
 * (a racing creator, or the namespace is going away), anything else is retried.
 */
export function serviceAccountsController(names: string[] = ['default']): ControllerDescriptor {
  return {
    name: 'serviceaccount-controller',
    component: 'service-account-controller',
    requires: [ServiceAccounts, Namespaces],
    setup(ctx: ControllerContext): ControllerDef {
      const namespaces = ctx.factory.informerFor<Namespace>(Namespaces);
      const accounts = ctx.factory.informerFor<ServiceAccount>(ServiceAccounts);
      const onNs = (n: Namespace) => ctx.queue.add(n.metadata?.name ?? '');
      const subs = [
        namespaces.addEventHandler({ onAdd: onNs, onUpdate: (_a, n) => onNs(n) }),
        accounts.addEventHandler({ onDelete: (sa) => names.includes(sa.metadata?.name ?? '') && ctx.queue.add(sa.metadata?.namespace ?? '') }),
      ];
      async function reconcile(ns: string) {
        const n = namespaces.lister().get(ns);
        if (!n || n.metadata?.deletionTimestamp || n.status?.phase === 'Terminating') return;
        for (const name of names) {
          if (accounts.lister().get(objectKey(ns, name))) continue;
          try {
            await ctx.client.create<ServiceAccount>(ServiceAccounts, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } }, ns);
          } catch (err) {
            if (!(err instanceof ApiError && [403, 404, 409].includes(err.code))) throw err;
          }
        }
      }
      return { reconcile, disposables: subs };
    },
  };
}
