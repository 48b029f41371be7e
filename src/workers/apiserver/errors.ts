import type { Status } from 'kubernetes-types/meta/v1';
import { failureStatus, type StatusReason } from '../../api/status';
import type { ResourceRef } from '../../api/resources';
import { aggregate, causes, type FieldError } from './field-errors';

/**
 * Errors the handlers throw; the server turns an ApiServerError into its Status response, anything
 * else into a 500 InternalError. Messages are kube-apiserver 1.32's, word for word.
 */
export class ApiServerError extends Error {
  constructor(
    readonly code: number,
    readonly status: Status,
  ) {
    super(status.message);
    this.name = 'ApiServerError';
  }
}

function fail(reason: StatusReason, message: string, details?: Parameters<typeof failureStatus>[2]): ApiServerError {
  const s = failureStatus(reason, message, details);
  return new ApiServerError(s.code!, s);
}

/** "pods", or "deployments.apps" for grouped resources (schema.GroupResource.String()). */
export function groupResource(ref: Pick<ResourceRef, 'group' | 'resource'>): string {
  return ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
}

function details(ref: Pick<ResourceRef, 'group' | 'resource'>, name: string) {
  return ref.group ? { name, group: ref.group, kind: ref.resource } : { name, kind: ref.resource };
}

export function notFound(ref: Pick<ResourceRef, 'group' | 'resource'>, name: string): ApiServerError {
  return fail('NotFound', `${groupResource(ref)} "${name}" not found`, details(ref, name));
}

export function alreadyExists(ref: Pick<ResourceRef, 'group' | 'resource'>, name: string): ApiServerError {
  return fail('AlreadyExists', `${groupResource(ref)} "${name}" already exists`, details(ref, name));
}

export function conflict(ref: Pick<ResourceRef, 'group' | 'resource'>, name: string, reason = 'the object has been modified; please apply your changes to the latest version and try again'): ApiServerError {
  return fail('Conflict', `Operation cannot be fulfilled on ${groupResource(ref)} "${name}": ${reason}`, details(ref, name));
}

export function forbiddenError(ref: Pick<ResourceRef, 'group' | 'resource'>, name: string, reason: string): ApiServerError {
  return fail('Forbidden', `${groupResource(ref)} "${name}" is forbidden: ${reason}`, details(ref, name));
}

/** 422 Invalid: `Pod "x" is invalid: <aggregate>` with one cause per field error. */
export function invalidError(ref: Pick<ResourceRef, 'group' | 'kind'>, name: string, errs: FieldError[]): ApiServerError {
  const qualifiedKind = ref.group ? `${ref.kind}.${ref.group}` : ref.kind;
  const d: { name: string; group?: string; kind: string; causes: ReturnType<typeof causes> } = { name, kind: ref.kind, causes: causes(errs) };
  if (ref.group) d.group = ref.group;
  return fail('Invalid', `${qualifiedKind} "${name}" is invalid: ${aggregate(errs)}`, d);
}

export function badRequest(message: string): ApiServerError {
  return fail('BadRequest', message);
}

export function pathNotFound(): ApiServerError {
  return fail('NotFound', 'the server could not find the requested resource', {});
}

export function methodNotAllowed(): ApiServerError {
  return fail('MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}

export function unsupportedMediaType(message: string): ApiServerError {
  return fail('UnsupportedMediaType', message);
}

export function internalError(err: unknown): ApiServerError {
  const msg = err instanceof Error ? err.message : String(err);
  return fail('InternalError', `Internal error occurred: ${msg}`, { causes: [{ message: msg }] });
}

/** 410 Expired (metav1.StatusReasonExpired), e.g. `too old resource version: 5 (10)`. */
export function expired(message: string): ApiServerError {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Expired', code: 410 };
  return new ApiServerError(410, s);
}

/** 504 Timeout for a resourceVersion the store has not reached yet. */
export function tooLargeResourceVersion(requested: number, current: number): ApiServerError {
  return fail('Timeout', `Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    ...({ retryAfterSeconds: 1 } as object),
  });
}
