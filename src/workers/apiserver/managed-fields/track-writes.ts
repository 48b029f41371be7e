import { rfc3339 } from '../../../api/clock';
import { groupVersion } from '../../../api/resources';
import type { ApiContext, ResourceRequest } from '../context';
import type { KubeObject } from '../registry/strategy';
import { updateManagedFields, type WriteInfo } from './managed-fields';

/** managerOrUserAgent: the fieldManager query, else the user agent up to its first "/" ("kubectl/v1.32.5 …" → "kubectl"). */
export function managerOf(rr: ResourceRequest): string {
  return rr.query.fieldManager || (rr.req.userAgent ?? '').split('/')[0];
}

/** The write as the field manager records it; `subresource` overrides the request's (scale writes the parent). */
export function writeInfo(ctx: ApiContext, rr: ResourceRequest, subresource = rr.subresource): WriteInfo {
  return {
    manager: managerOf(rr),
    apiVersion: groupVersion(rr.strategy.ref),
    time: rfc3339(ctx.clock.now()),
    subresource,
    hasStatus: 'status' in rr.strategy.subresources,
  };
}

/** Sets metadata.managedFields of a new object (one Update entry for its writer). */
export function trackCreate(ctx: ApiContext, rr: ResourceRequest, obj: KubeObject): void {
  const mf = updateManagedFields(undefined, obj as Record<string, unknown>, undefined, writeInfo(ctx, rr));
  if (mf?.length) obj.metadata!.managedFields = mf;
  else delete obj.metadata!.managedFields;
}

/**
 * Sets metadata.managedFields of an updated object: the request's list when it sent one (an empty list
 * resets them), else the live object's, updated with this write.
 */
export function trackUpdate(ctx: ApiContext, rr: ResourceRequest, old: KubeObject, next: KubeObject, subresource?: string): void {
  const sent = next.metadata?.managedFields;
  const base = Array.isArray(sent) ? sent : old.metadata?.managedFields;
  const mf = updateManagedFields(old as Record<string, unknown>, next as Record<string, unknown>, base, writeInfo(ctx, rr, subresource ?? rr.subresource));
  if (mf?.length) next.metadata!.managedFields = mf;
  else delete next.metadata!.managedFields;
}
