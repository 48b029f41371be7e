import type { ApiResponse } from '../../../api/protocol';
import type { KeyValue } from '../../../storage/store';
import { isDryRun, type ApiContext, type ResourceRequest } from '../context';
import { conflict, invalidError, notFound } from '../errors';
import { decodeFor, encodeFor, objectKey } from '../object-codec';
import { keepSystemMeta } from '../registry/object-meta';
import type { KubeObject } from '../registry/strategy';
import { checkName, checkNamespace, decodeBody } from './decode';
import { loadObject } from './get';
import { objectResponse } from './respond';
import { createObject, withTtlLease } from './create';
import { checkFields, warningHeaders } from './field-validation';
import { trackUpdate } from '../managed-fields/track-writes';
import { AdmissionRun, withAdmissionWarnings } from '../admission';
import { answerDecode } from '../shared-decodes';

/** Thrown (internally) when the store's compare-and-swap lost a race; the caller reloads and retries. */
export class StoreConflict extends Error {}

/**
 * How many times a write that pins no resourceVersion is re-run on the latest object after losing a
 * store race. kube's GuaranteedUpdate retries without bound; the bound here only stops a livelock, and
 * controllers writing status in a burst must never exhaust it (a user's apply would see a false 409).
 */
export const MAX_STORE_RETRIES = 100;

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Applies `next` over the stored `current` through the strategy (main resource, status or finalize).
 * Contracts: a stale next.metadata.resourceVersion → 409 Conflict; validation → 422; an unchanged object
 * is not written (same resourceVersion back); a lost CAS race throws StoreConflict. An object with a
 * deletionTimestamp, no finalizers and deletionGracePeriodSeconds 0 is deleted by the update (namespaces
 * also need spec.finalizers empty, as after PUT namespaces/x/finalize). managedFields are updated for the
 * writer (fields.subresource names the subresource written through, e.g. scale), or set to fields.managedFields.
 */
export async function commitUpdate(ctx: ApiContext, rr: ResourceRequest, current: { kv: KeyValue; obj: KubeObject }, next: KubeObject, fields?: { managedFields?: unknown[]; subresource?: string }): Promise<KubeObject> {
  const s = rr.strategy;
  const rv = next.metadata?.resourceVersion;
  if (rv && rv !== String(current.kv.modRevision)) throw conflict(s.ref, rr.name!);
  const old = current.obj;
  next.metadata ??= {};
  keepSystemMeta(next, old);
  s.defaults?.(next);
  const admission = new AdmissionRun(ctx, fields?.subresource ? { ...rr, subresource: fields.subresource } : rr, 'UPDATE', next, old);
  await admission.mutate();
  let errs;
  if (rr.subresource === 'status' && s.prepareForStatusUpdate) {
    s.prepareForStatusUpdate(next, old);
    errs = s.validateStatusUpdate?.(next, old) ?? [];
  } else if (rr.subresource && s.subresourceUpdates?.[rr.subresource]) {
    const sub = s.subresourceUpdates[rr.subresource];
    sub.prepare(next, old);
    errs = sub.validate(next, old);
  } else if (rr.subresource === 'finalize') {
    const finalizers = (next.spec as { finalizers?: string[] } | undefined)?.finalizers;
    next = { ...structuredClone(old), spec: { ...(old.spec as object), finalizers } };
    if (!finalizers) delete (next.spec as { finalizers?: string[] }).finalizers;
    errs = s.validateUpdate(next, old);
  } else {
    s.prepareForUpdate(next, old);
    errs = s.validateUpdate(next, old);
  }
  if (errs.length) throw invalidError(s.ref, rr.name!, errs);
  if (s.hasGeneration && !sameJson(next.spec, old.spec)) next.metadata!.generation = (old.metadata?.generation ?? 0) + 1;
  if (fields?.managedFields) next.metadata!.managedFields = fields.managedFields;
  else trackUpdate(ctx, rr, old, next, fields?.subresource);
  const encoded = encodeFor(s, next);
  if (encoded === encodeFor(s, old)) return old;
  await admission.validate(next);
  const key = objectKey(s, rr.namespace, rr.name!);
  const done = s.admit && rr.subresource !== 'status' ? await s.admit(ctx, next, old) : undefined;
  let res;
  try {
    const value = done ? encodeFor(s, next) : encoded;
    res = isDryRun(rr) ? undefined : await withTtlLease(ctx, rr, (lease) => ctx.store.update(key, value, current.kv.modRevision, lease));
  } finally {
    done?.();
  }
  if (!res) return { ...next, metadata: { ...next.metadata, resourceVersion: old.metadata?.resourceVersion } };
  if (!res.ok) {
    if (!res.kv) throw notFound(s.ref, rr.name!);
    throw new StoreConflict();
  }
  const stored = answerDecode(ctx, s, res.kv!);
  const m = stored.metadata!;
  if (m.deletionTimestamp && !(m.finalizers ?? []).length && m.deletionGracePeriodSeconds === 0 && (s.readyToDelete?.(stored) ?? true)) {
    const del = await ctx.store.delete(key, res.kv!.modRevision);
    if (del.ok) return decodeFor(s, res.kv!, del.revision);
  }
  return stored;
}

/**
 * PUT …/name[/status|/finalize]: 200 with the stored object; 404 if absent (events are created instead, 201).
 * A body with metadata.resourceVersion that lost a race is 409; one without is retried on the latest object.
 */
export async function updateHandler(ctx: ApiContext, rr: ResourceRequest): Promise<ApiResponse> {
  const s = rr.strategy;
  // decodeBody returns a fresh object each time (the body itself is never changed): commitUpdate changes
  // `next`, so a retry decodes the body again instead of every attempt working on a copy.
  const decode = () => {
    const obj = decodeBody(rr);
    const warnings = checkFields(rr, obj);
    checkNamespace(rr, obj);
    checkName(rr, obj);
    return { obj, warnings };
  };
  const first = decode();
  let next = first.obj;
  const headers = warningHeaders(first.warnings);
  const pinned = Boolean(next.metadata?.resourceVersion);
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) next = decode().obj;
    let current;
    try {
      current = await loadObject(ctx, rr);
    } catch (err) {
      if (s.ref.resource === 'events' && !rr.subresource) {
        return { ...objectResponse(rr, await createObject(ctx, rr, next), 201, ctx.clock.now()), ...withAdmissionWarnings(rr, headers) };
      }
      throw err;
    }
    try {
      const out = await commitUpdate(ctx, rr, current, next);
      return { ...objectResponse(rr, out, 200, ctx.clock.now()), ...withAdmissionWarnings(rr, headers) };
    } catch (err) {
      if (!(err instanceof StoreConflict)) throw err;
      // a PUT without resourceVersion is unconditional: re-run on the latest object, as GuaranteedUpdate does
      if (pinned || attempt + 1 >= MAX_STORE_RETRIES) throw conflict(s.ref, rr.name!);
    }
  }
}
