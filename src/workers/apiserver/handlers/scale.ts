import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type { ApiResponse } from '../../../api/protocol';
import { labelSelectorAsSelector, selectorFromSet } from '../../../api/label-selector';
import type { ApiContext, ResourceRequest } from '../context';
import { badRequest, conflict, invalidError, unsupportedMediaType } from '../errors';
import { invalid } from '../field-errors';
import { applyJsonPatch, PatchError } from '../patch/json-patch';
import { applyMergePatch } from '../patch/merge-patch';
import type { KubeObject, ResourceStrategy } from '../registry/strategy';
import { getPath, scalePaths, setPath } from '../crd/custom-resource-scale';
import { loadObject } from './get';
import { withAdmissionWarnings } from '../admission';
import { commitUpdate, MAX_STORE_RETRIES, StoreConflict } from './update';
import { decodePatchBody, isPatchContentType, JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH } from './patch-body';

/**
 * The scale subresource (autoscaling/v1 Scale) of Deployments, ReplicaSets, StatefulSets and
 * ReplicationControllers: GET reads spec.replicas/status.replicas/status.selector, PUT and PATCH
 * (json, merge, strategic) write spec.replicas through the main resource's update path (so generation
 * and conflicts behave as for the object). A stale Scale resourceVersion is 409 Conflict.
 */
interface Scale {
  apiVersion: 'autoscaling/v1';
  kind: 'Scale';
  metadata: Record<string, unknown>;
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

function selectorString(sel: unknown): string | undefined {
  if (!sel || typeof sel !== 'object') return undefined;
  const ls = sel as LabelSelector;
  if (ls.matchLabels || ls.matchExpressions) {
    const s = labelSelectorAsSelector(ls);
    return s === 'nothing' ? undefined : s.toString();
  }
  return selectorFromSet(sel as Record<string, string>).toString();
}

/** The Scale of obj; `s` picks the replica and selector paths (custom resources: their CRD's). */
export function toScale(obj: KubeObject, s?: ResourceStrategy): Scale {
  const m = obj.metadata ?? {};
  const paths = s ? scalePaths(s) : { specReplicas: ['spec', 'replicas'], statusReplicas: ['status', 'replicas'], selector: ['spec', 'selector'] };
  const meta: Record<string, unknown> = { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp };
  const rawSelector = paths.selector && getPath(obj, paths.selector);
  const selector = typeof rawSelector === 'string' ? rawSelector : selectorString(rawSelector);
  const replicas = getPath(obj, paths.specReplicas) as number | undefined;
  const statusReplicas = getPath(obj, paths.statusReplicas) as number | undefined;
  return { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: meta, spec: { replicas: replicas ?? 0 }, status: { replicas: statusReplicas ?? 0, ...(selector !== undefined && { selector }) } };
}

function scaleFromBody(body: unknown): Scale {
  let b = body;
  if (typeof b === 'string') {
    try {
      b = JSON.parse(b);
    } catch (err) {
      throw badRequest(`the object provided is unrecognized (must be of type Scale): ${(err as Error).message}`);
    }
  }
  if (!b || typeof b !== 'object') throw badRequest('the object provided is unrecognized (must be of type Scale)');
  return b as Scale;
}

async function writeScale(ctx: ApiContext, rr: ResourceRequest, current: Awaited<ReturnType<typeof loadObject>>, scale: Scale): Promise<ApiResponse> {
  const name = rr.name!;
  const rv = scale.metadata?.resourceVersion;
  if (rv && rv !== current.obj.metadata?.resourceVersion) throw conflict(rr.strategy.ref, name);
  const replicas = scale.spec?.replicas;
  if (typeof replicas === 'number' && replicas < 0) {
    throw invalidError({ kind: 'Scale', group: 'autoscaling' }, name, [invalid('spec.replicas', replicas, 'must be greater than or equal to 0')]);
  }
  const next = structuredClone(current.obj);
  setPath(next, scalePaths(rr.strategy).specReplicas, replicas ?? 0);
  delete next.metadata!.resourceVersion;
  const out = await commitUpdate(ctx, { ...rr, subresource: undefined }, current, next, { subresource: 'scale' });
  return { status: 200, body: toScale(out, rr.strategy), ...withAdmissionWarnings(rr) };
}

export async function scaleHandler(ctx: ApiContext, rr: ResourceRequest): Promise<ApiResponse> {
  const method = rr.req.method;
  if (method === 'GET') return { status: 200, body: toScale((await loadObject(ctx, rr)).obj, rr.strategy) };
  for (let attempt = 0; ; attempt++) {
    const current = await loadObject(ctx, rr);
    let scale: Scale;
    if (method === 'PUT') scale = scaleFromBody(rr.req.body);
    else {
      const ct = (rr.req.contentType ?? '').split(';')[0].trim();
      const patch = isPatchContentType(ct) ? decodePatchBody(ct, rr.req.body, rr.query.fieldValidation) : rr.req.body;
      try {
        if (ct === JSON_PATCH) scale = applyJsonPatch(toScale(current.obj, rr.strategy), patch) as Scale;
        else if (ct === MERGE_PATCH || ct === STRATEGIC_PATCH) scale = applyMergePatch(toScale(current.obj, rr.strategy), patch) as Scale;
        else throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
      } catch (err) {
        if (err instanceof PatchError) throw badRequest(err.message);
        throw err;
      }
      if (scale.metadata) delete scale.metadata.resourceVersion;
    }
    try {
      return await writeScale(ctx, rr, current, scale);
    } catch (err) {
      if (!(err instanceof StoreConflict) || (method === 'PUT' && scale.metadata?.resourceVersion) || attempt + 1 >= MAX_STORE_RETRIES) throw err instanceof StoreConflict ? conflict(rr.strategy.ref, rr.name!) : err;
    }
  }
}
