import type { ApiResponse } from '../../../api/protocol';
import { rfc3339 } from '../../../api/clock';
import { StoreError } from '../../../storage/store';
import { leaseManagerFor } from '../../../storage/lease-manager';
import { isDryRun, type ApiContext, type ResourceRequest } from '../context';
import { alreadyExists, ApiServerError, invalidError } from '../errors';
import { failureStatus } from '../../../api/status';
import { encodeFor, objectKey } from '../object-codec';
import { answerDecode } from '../shared-decodes';
import type { KubeObject } from '../registry/strategy';
import { checkNamespace, decodeBody } from './decode';
import { objectResponse } from './respond';
import { checkFields, warningHeaders } from './field-validation';
import { AdmissionRun, withAdmissionWarnings } from '../admission';
import { trackCreate } from '../managed-fields/track-writes';

/** kube-apiserver --event-ttl default: Events are stored on a 1 h lease (shared for 60 s, as its lease manager does). */
export const EVENT_TTL_SECONDS = 3600;

/** Runs a store write with the lease the resource's TTL needs (Events), or lease 0. */
export function withTtlLease<T>(ctx: ApiContext, rr: ResourceRequest, write: (lease: number) => Promise<T>): Promise<T> {
  if (rr.strategy.ref.resource !== 'events') return write(0);
  return leaseManagerFor(ctx.store, ctx.clock).withLease(EVENT_TTL_SECONDS, write);
}

/** Fills server-owned metadata for a new object (uid, creationTimestamp, generated name, generation). */
export function prepareNewObject(ctx: ApiContext, rr: ResourceRequest, obj: KubeObject): void {
  const s = rr.strategy;
  const meta = obj.metadata!;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  meta.uid = ctx.ids.uid();
  meta.creationTimestamp = rfc3339(ctx.clock.now());
  if (!meta.name && meta.generateName) meta.name = meta.generateName.slice(0, 58) + ctx.ids.suffix(5);
  s.prepareForCreate(obj, ctx.clock);
  if (s.hasGeneration) meta.generation = 1;
  else delete meta.generation;
}

/**
 * Validates and stores a new object; 422 Invalid, 409 AlreadyExists. Returns the stored object (dry run: unsaved).
 * managedFields: the entries to store (server-side apply), else one Update entry for the writer.
 */
export async function createObject(ctx: ApiContext, rr: ResourceRequest, obj: KubeObject, managedFields?: unknown[]): Promise<KubeObject> {
  const s = rr.strategy;
  s.defaults?.(obj);
  if (managedFields) obj.metadata!.managedFields = managedFields;
  else trackCreate(ctx, rr, obj);
  const admission = new AdmissionRun(ctx, rr, 'CREATE', obj);
  await admission.mutate();
  prepareNewObject(ctx, rr, obj);
  s.defaults?.(obj);
  const errs = s.validate(obj);
  if (errs.length) throw invalidError(s.ref, obj.metadata?.name ?? '', errs);
  if (obj.metadata?.resourceVersion) {
    const st = failureStatus('InternalError', 'resourceVersion should not be set on objects to be created');
    throw new ApiServerError(500, st);
  }
  await admission.validate(obj);
  const key = objectKey(s, obj.metadata!.namespace, obj.metadata!.name!);
  const done = s.admit ? await s.admit(ctx, obj, undefined) : undefined;
  try {
    if (isDryRun(rr)) {
      const { kv } = await ctx.store.get(key);
      if (kv) throw alreadyExists(s.ref, obj.metadata!.name!);
      return obj;
    }
    const { kv } = await withTtlLease(ctx, rr, (lease) => ctx.store.create(key, encodeFor(s, obj), lease));
    return answerDecode(ctx, s, kv);
  } catch (err) {
    if (err instanceof StoreError && err.code === 'KeyExists') throw alreadyExists(s.ref, obj.metadata!.name!);
    throw err;
  } finally {
    done?.();
  }
}

/** POST collection → 201 with the created object. */
export async function createHandler(ctx: ApiContext, rr: ResourceRequest): Promise<ApiResponse> {
  const obj = decodeBody(rr);
  const warnings = checkFields(rr, obj);
  checkNamespace(rr, obj);
  const created = await createObject(ctx, rr, obj);
  return { ...objectResponse(rr, created, 201, ctx.clock.now()), ...withAdmissionWarnings(rr, warningHeaders(warnings)) };
}
