import type { APIGroupList, APIResourceList, APIVersions } from 'kubernetes-types/meta/v1';
import type { ResourceRef } from '../../api/resources';
import { ApiError } from '../../api/status';
import type { ApiClient } from '../../client/api-client';
import { refKey } from './served-resources';

/** Resources the garbage collector never tracks (kube's garbagecollector.DefaultIgnoredResources()): group/resource. */
export const GC_IGNORED = new Set(['/events', 'events.k8s.io/events']);

/**
 * The resources the garbage collector tracks, as kube's GetDeletableResources: discoverResources with delete, list
 * and watch, minus GC_IGNORED.
 */
export async function discoverGcResources(client: ApiClient, fallbackGroupVersions: string[] = []): Promise<ResourceRef[]> {
  const found = await discoverResources(client, ['delete', 'list', 'watch'], fallbackGroupVersions);
  return found.filter((r) => !GC_IGNORED.has(`${r.group}/${r.resource}`));
}

/**
 * Top-level resources (no subresources) whose discovery verbs include every one of `verbs`, from the preferred
 * version of each group (GET /api, /apis, then each /api/v1, /apis/<g>/<v>), as client-go's ServerPreferredResources
 * filtered by verbs. Sorted by group/version/resource.
 * A 404 for /api or /apis (a server without the group lists) falls back to `fallbackGroupVersions`; a 404 for a
 * group version (e.g. a CRD removed between the two reads) skips it. Any other failure is thrown (callers keep
 * what they had and retry).
 */
export async function discoverResources(client: ApiClient, verbs: string[], fallbackGroupVersions: string[] = []): Promise<ResourceRef[]> {
  const notFound = (err: unknown) => err instanceof ApiError && err.code === 404;
  const gvs: string[] = [];
  try {
    const core = await client.call<APIVersions>({ method: 'GET', path: '/api' });
    gvs.push(...(core.versions.includes('v1') ? ['v1'] : core.versions.slice(0, 1)));
  } catch (err) {
    if (!notFound(err)) throw err;
    gvs.push(...fallbackGroupVersions.filter((gv) => !gv.includes('/')));
  }
  try {
    const groups = await client.call<APIGroupList>({ method: 'GET', path: '/apis' });
    for (const g of groups.groups ?? []) {
      const preferred = g.preferredVersion?.groupVersion ?? g.versions[0]?.groupVersion;
      if (preferred) gvs.push(preferred);
    }
  } catch (err) {
    if (!notFound(err)) throw err;
    gvs.push(...fallbackGroupVersions.filter((gv) => gv.includes('/')));
  }
  const out: ResourceRef[] = [];
  for (const gv of [...new Set(gvs)]) {
    const [group, version] = gv.includes('/') ? gv.split('/') : ['', gv];
    let list: APIResourceList;
    try {
      list = await client.call<APIResourceList>({ method: 'GET', path: group ? `/apis/${gv}` : `/api/${gv}` });
    } catch (err) {
      if (notFound(err)) continue;
      throw err;
    }
    for (const r of list.resources ?? []) {
      if (r.name.includes('/') || !verbs.every((v) => r.verbs.includes(v))) continue;
      out.push({ group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced });
    }
  }
  return out.sort((a, b) => (refKey(a) < refKey(b) ? -1 : refKey(a) > refKey(b) ? 1 : 0));
}
