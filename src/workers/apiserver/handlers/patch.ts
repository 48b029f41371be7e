import type { ApiResponse } from '../../../api/protocol';
import type { ApiContext, ResourceRequest } from '../context';
import { ApiServerError, badRequest, conflict, unsupportedMediaType } from '../errors';
import { failureStatus } from '../../../api/status';
import { withTypeMeta } from '../object-codec';
import { applyJsonPatch, PatchError } from '../patch/json-patch';
import { applyMergePatch } from '../patch/merge-patch';
import { applyStrategicMergePatch } from '../patch/strategic-merge-patch';
import type { KubeObject } from '../registry/strategy';
import { checkName, checkNamespace, decodeBody } from './decode';
import { loadObject } from './get';
import { objectResponse } from './respond';
import { commitUpdate, MAX_STORE_RETRIES, StoreConflict } from './update';
import { checkFields, warningHeaders } from './field-validation';
import { withAdmissionWarnings } from '../admission';
import { applyPatchHandler, patchOptionsInvalid } from '../managed-fields/apply-patch';
import { customResourceInfo } from '../crd/custom-resource-strategy';
import { decodePatchBody, isPatchContentType, JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH, type PatchContentType } from './patch-body';

const ACCEPTED =
  'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json';

const ACCEPTED_CUSTOM = 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml';


function rejected(message: string): ApiServerError {
  const st = failureStatus('Invalid', 'the server rejected our request due to an error in our request', { causes: [{ message }] });
  return new ApiServerError(422, st);
}

/**
 * PATCH …/name[/status]: json-patch, merge-patch and strategic-merge-patch; apply-patch is server-side
 * apply (managed-fields/apply-patch.ts).
 * The patch is re-applied on the latest object when the write races another (MAX_STORE_RETRIES), unless the
 * patch itself pins metadata.resourceVersion, in which case a stale version is 409 Conflict.
 */
export async function patchHandler(ctx: ApiContext, rr: ResourceRequest): Promise<ApiResponse> {
  const ct = (rr.req.contentType ?? '').split(';')[0].trim();
  if (ct === 'application/apply-patch+yaml') return applyPatchHandler(ctx, rr);
  if (rr.query.force !== undefined) throw patchOptionsInvalid('force', 'FieldValueForbidden', 'may not be specified for non-apply patch');
  const apply: Record<PatchContentType, (doc: unknown, patch: unknown) => unknown> = {
    [JSON_PATCH]: applyJsonPatch,
    [MERGE_PATCH]: applyMergePatch,
    [STRATEGIC_PATCH]: applyStrategicMergePatch,
  };
  // custom resources have no patchMergeKey/patchStrategy metadata: kube does not offer strategic merge for them
  if (ct === STRATEGIC_PATCH && customResourceInfo(rr.strategy)) throw unsupportedMediaType(ACCEPTED_CUSTOM);
  if (!isPatchContentType(ct)) throw unsupportedMediaType(ACCEPTED);
  const fn = apply[ct];
  // decoded once the current object is loaded: a missing object is 404 whatever the body, as in kube
  let patch: unknown; // never undefined once decoded
  for (let attempt = 0; ; attempt++) {
    const current = await loadObject(ctx, rr);
    patch ??= decodePatchBody(ct, rr.req.body, rr.query.fieldValidation);
    let patched: unknown;
    try {
      patched = fn(withTypeMeta(rr.strategy, structuredClone(current.obj)), patch);
    } catch (err) {
      if (err instanceof PatchError) throw err.malformed ? badRequest(err.message) : rejected(err.message);
      throw err;
    }
    const next: KubeObject = decodeBody({ ...rr, req: { ...rr.req, body: patched } });
    const headers = warningHeaders(checkFields(rr, next));
    checkNamespace(rr, next);
    checkName(rr, next);
    try {
      const out = await commitUpdate(ctx, rr, current, next);
      return { ...objectResponse(rr, out, 200, ctx.clock.now()), ...withAdmissionWarnings(rr, headers) };
    } catch (err) {
      if (!(err instanceof StoreConflict)) throw err;
      if (attempt + 1 >= MAX_STORE_RETRIES) throw conflict(rr.strategy.ref, rr.name!);
    }
  }
}
