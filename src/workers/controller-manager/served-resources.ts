import type { APIResourceList } from 'kubernetes-types/meta/v1';
import { groupVersion, type ResourceRef } from '../../api/resources';
import { ApiError } from '../../api/status';
import type { ApiClient } from '../../client/api-client';

/** Answers whether the apiserver serves a resource (from discovery taken once at start). */
export type ServedResources = (ref: ResourceRef) => boolean;

export const refKey = (ref: Pick<ResourceRef, 'group' | 'version' | 'resource'>) => `${groupVersion(ref)}/${ref.resource}`;

/**
 * Reads discovery for the group/versions of refs (GET /api/v1, /apis/<g>/<v>). A 404 means the group/version is
 * not served; any other failure is thrown (the caller retries). Subresources are ignored.
 */
export async function discoverServed(client: ApiClient, refs: ResourceRef[]): Promise<ServedResources> {
  const served = new Set<string>();
  const gvs = new Map<string, ResourceRef>();
  for (const r of refs) gvs.set(groupVersion(r), r);
  for (const [gv, r] of gvs) {
    const path = r.group ? `/apis/${gv}` : `/api/${gv}`;
    try {
      const list = await client.call<APIResourceList>({ method: 'GET', path });
      for (const res of list.resources ?? []) if (!res.name.includes('/')) served.add(`${gv}/${res.name}`);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404)) throw err;
    }
  }
  return (ref) => served.has(refKey(ref));
}
