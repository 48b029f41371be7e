import type { Namespace } from 'kubernetes-types/core/v1';
import type { APIGroupList, APIResourceList } from 'kubernetes-types/meta/v1';
import { Events, Namespaces, Pods, type ResourceRef } from '../../../api/resources';
import { ApiError } from '../../../api/status';
import type { ApiClient } from '../../../client/api-client';
import type { ControllerContext, ControllerDef, ControllerDescriptor } from '../controller-context';

/** How often a namespace whose content is still terminating (graceful pod deletion) is re-checked. */
export const NAMESPACE_CONTENT_RECHECK_MS = 2_000;

/**
 * Namespaced resources that can be listed and deleted, from discovery (/api/v1 and each group's preferred
 * version under /apis). Falls back to pods and events when discovery fails.
 */
export async function discoverDeletableResources(client: ApiClient): Promise<ResourceRef[]> {
  const out: ResourceRef[] = [];
  const add = (group: string, version: string, list: APIResourceList) => {
    for (const r of list.resources ?? []) {
      if (!r.namespaced || r.name.includes('/') || !r.verbs.includes('list') || !r.verbs.includes('delete')) continue;
      out.push({ group, version, resource: r.name, kind: r.kind, namespaced: true });
    }
  };
  try {
    add('', 'v1', await client.call<APIResourceList>({ method: 'GET', path: '/api/v1' }));
    const groups = await client.call<APIGroupList>({ method: 'GET', path: '/apis' }).catch(() => ({ groups: [] }) as unknown as APIGroupList);
    for (const g of groups.groups ?? []) {
      const v = g.preferredVersion?.version ?? g.versions[0]?.version;
      if (v) add(g.name, v, await client.call<APIResourceList>({ method: 'GET', path: `/apis/${g.name}/${v}` }));
    }
  } catch {
    return [Pods, Events];
  }
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
      const discover = resources ?? (() => discoverDeletableResources(ctx.client));

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
