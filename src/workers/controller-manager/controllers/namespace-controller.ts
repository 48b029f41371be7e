import type { Namespace } from 'kubernetes-types/core/v1';
import { Events, Namespaces, Pods, type ResourceRef } from '../../../api/resources';
import { ApiError } from '../../../api/status';
import type { ApiClient } from '../../../client/api-client';
import type { ControllerContext, ControllerDef, ControllerDescriptor } from '../controller-context';
import { discoverResources } from '../discover-resources';

/** How often a namespace whose content is still terminating (graceful pod deletion) is re-checked. */
export const NAMESPACE_CONTENT_RECHECK_MS = 2_000;

/**
 * Namespaced resources that can be listed and deleted, from discovery (discoverResources; /api/v1 alone when the
 * server has no group lists). Falls back to pods and events when discovery fails.
 */
export async function discoverNamespacedResources(client: ApiClient): Promise<ResourceRef[]> {
  const out = await discoverResources(client, ['list', 'delete'], ['v1']).then(
    (all) => all.filter((r) => r.namespaced),
    () => [],
  );
  return out.length ? out : [Pods, Events];
}

/**
 * namespace-controller: for a namespace with deletionTimestamp whose spec.finalizers holds "kubernetes",
 * deletes every object of every namespaced resource in it (404s ignored), re-checks every 2s while objects
 * remain (pods terminate gracefully), then removes "kubernetes" with PUT namespaces/NAME/finalize, after
 * which the apiserver deletes the namespace once metadata.finalizers is empty too.
 * Not in defaultControllers(): enable it only if the apiserver does not finalize namespaces itself.
 */
export function namespaceController(resources?: () => Promise<ResourceRef[]>): ControllerDescriptor {
  return {
    name: 'namespace-controller',
    component: 'namespace-controller',
    setup(ctx: ControllerContext): ControllerDef {
      const namespaces = ctx.factory.informerFor<Namespace>(Namespaces);
      const enqueue = (ns: Namespace) => {
        if (ns.metadata?.deletionTimestamp) ctx.queue.add(ns.metadata.name ?? '');
      };
      const sub = namespaces.addEventHandler({ onAdd: enqueue, onUpdate: (_o, ns) => enqueue(ns) });
      const discover = resources ?? (() => discoverNamespacedResources(ctx.client));

      async function reconcile(name: string) {
        const ns = namespaces.lister().get(name);
        if (!ns?.metadata?.deletionTimestamp || !(ns.spec?.finalizers ?? []).includes('kubernetes')) return;
        let remaining = 0;
        for (const ref of await discover()) {
          const list = await ctx.client.list<{ metadata?: { name?: string; deletionTimestamp?: string } }>(ref, name);
          for (const item of list.items) {
            remaining++;
            if (item.metadata?.deletionTimestamp) continue;
            try {
              await ctx.client.delete(ref, item.metadata?.name ?? '', name);
            } catch (err) {
              if (!(err instanceof ApiError && err.code === 404)) throw err;
            }
          }
        }
        if (remaining) return { requeueAfter: NAMESPACE_CONTENT_RECHECK_MS };
        const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== 'kubernetes');
        try {
          await ctx.client.update<Namespace>(Namespaces, { ...ns, spec: { ...ns.spec, finalizers } }, 'finalize');
        } catch (err) {
          if (!(err instanceof ApiError && err.code === 404)) throw err;
        }
      }

      return { reconcile, disposables: [sub] };
    },
  };
}
