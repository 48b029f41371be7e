import { parse as parseYaml } from 'yaml';
import type { ApiResponse } from '../../../api/protocol';
import { failureStatus } from '../../../api/status';
import type { ApiContext, ResourceRequest } from '../context';
import { ApiServerError, badRequest, conflict } from '../errors';
import type { KubeObject } from '../registry/strategy';
import { checkName, checkNamespace, decodeBody } from '../handlers/decode';
import { loadObject } from '../handlers/get';
import { objectResponse } from '../handlers/respond';
import { commitUpdate, MAX_STORE_RETRIES, StoreConflict } from '../handlers/update';
import { createObject } from '../handlers/create';
import { checkFields, warningHeaders } from '../handlers/field-validation';
import { applyManagedFields, ApplyConflicts } from './managed-fields';
import { writeInfo } from './track-writes';
import { allowedByLastApplied, withUpdatedLastApplied } from './last-applied';
import { withAdmissionWarnings } from '../admission/admission-chain';

type Obj = Record<string, unknown>;

/** 422 for PatchOptions (fieldManager missing on apply, force on another patch type). */
export function patchOptionsInvalid(field: string, reason: 'FieldValueRequired' | 'FieldValueForbidden', detail: string): ApiServerError {
  const word = reason === 'FieldValueRequired' ? 'Required value' : 'Forbidden';
  const st = failureStatus('Invalid', `PatchOptions.meta.k8s.io "" is invalid: ${field}: ${word}: ${detail}`, {
    group: 'meta.k8s.io',
    kind: 'PatchOptions',
    causes: [{ reason, message: `${word}: ${detail}`, field }],
  });
  return new ApiServerError(422, st);
}

function conflictError(err: ApplyConflicts): ApiServerError {
  const st = failureStatus('Conflict', err.message, { causes: err.conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${c.manager}`, field: c.path })) });
  return new ApiServerError(409, st);
}

function decodeConfig(body: unknown): Obj {
  let v = body;
  if (typeof v === 'string') {
    try {
      v = parseYaml(v);
    } catch (err) {
      throw badRequest(`error decoding YAML: ${(err as Error).message}`);
    }
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw badRequest('error decoding YAML: the applied configuration is not an object');
  return v as Obj;
}

/**
 * PATCH with application/apply-patch+yaml (server-side apply): creates the object when absent (201),
 * else merges the configuration by field ownership (200). 422 without fieldManager; 409 with the
 * conflicting managers and paths unless force=true; dryRun=All stores nothing. The manager "kubectl"
 * keeps a last-applied-configuration annotation in step and may take fields its client-side applies set.
 */
export async function applyPatchHandler(ctx: ApiContext, rr: ResourceRequest): Promise<ApiResponse> {
  if (!rr.query.fieldManager) throw patchOptionsInvalid('fieldManager', 'FieldValueRequired', 'is required for apply patch');
  const config = decodeConfig(rr.req.body);
  const typed = decodeBody({ ...rr, req: { ...rr.req, body: config } });
  const headers = warningHeaders(checkFields(rr, typed));
  checkName(rr, typed);
  const force = rr.query.force === 'true';
  const w = writeInfo(ctx, rr);
  for (let attempt = 0; ; attempt++) {
    let current;
    try {
      current = await loadObject(ctx, rr);
    } catch (err) {
      if (!(err instanceof ApiServerError) || err.code !== 404 || rr.subresource) throw err;
    }
    if (!current) {
      const { object, managedFields } = run(undefined, config, w, force);
      const obj = decodeBody({ ...rr, req: { ...rr.req, body: object } });
      checkNamespace(rr, obj);
      const created = await createObject(ctx, rr, obj, managedFields);
      return { ...objectResponse(rr, created, 201, ctx.clock.now()), ...withAdmissionWarnings(rr, headers) };
    }
    const { object, managedFields } = run(current.obj as Obj, config, w, force);
    const next: KubeObject = decodeBody({ ...rr, req: { ...rr.req, body: object } });
    checkNamespace(rr, next);
    try {
      const out = await commitUpdate(ctx, rr, current, next, { managedFields });
      return { ...objectResponse(rr, out, 200, ctx.clock.now()), ...withAdmissionWarnings(rr, headers) };
    } catch (err) {
      if (!(err instanceof StoreConflict)) throw err;
      if (attempt + 1 >= MAX_STORE_RETRIES) throw conflict(rr.strategy.ref, rr.name!);
    }
  }
}

function run(live: Obj | undefined, config: Obj, w: ReturnType<typeof writeInfo>, force: boolean) {
  let result;
  try {
    result = applyManagedFields(live, config, w, force);
  } catch (err) {
    if (!(err instanceof ApplyConflicts)) throw err;
    if (w.manager !== 'kubectl' || !live || !allowedByLastApplied(live, err)) throw conflictError(err);
    result = applyManagedFields(live, config, w, true);
  }
  if (w.manager === 'kubectl' && live) result.object = withUpdatedLastApplied(live, result.object, config);
  return result;
}
