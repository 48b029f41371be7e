import type { ResourceRequest } from '../context';
import { badRequest } from '../errors';
import { unknownFields } from '../registry/known-fields';
import type { KubeObject } from '../registry/strategy';

/**
 * Server-side field validation (the fieldValidation query parameter):
 * - Strict → 400 `Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "x"`
 *   (PATCH: the text after the colon only);
 * - Warn (the default) → the warnings for the response's Warning header; Ignore → nothing.
 * Unknown fields are dropped from obj (never stored). Returns the warnings to attach.
 */
export function checkFields(rr: ResourceRequest, obj: KubeObject): string[] {
  const mode = rr.query.fieldValidation || 'Warn';
  if (mode !== 'Strict' && mode !== 'Warn' && mode !== 'Ignore') {
    throw badRequest(`fieldValidation parameter unsupported: ${mode}. Only Strict, Warn, and Ignore are supported`);
  }
  const unknown = rr.strategy.unknownFields ? rr.strategy.unknownFields(obj, mode !== 'Strict') : unknownFields(rr.strategy.ref.kind, obj, mode !== 'Strict', rr.strategy.ref.group);
  if (mode === 'Ignore') return [];
  if (!unknown.length) return [];
  const msgs = unknown.map((f) => `unknown field "${f}"`);
  if (mode === 'Strict') {
    const { kind, version } = rr.strategy.ref;
    const prefix = rr.req.method === 'PATCH' ? '' : `${kind} in version "${version}" cannot be handled as a ${kind}: `;
    throw badRequest(`${prefix}strict decoding error: ${msgs.join(', ')}`);
  }
  return msgs;
}

/** The Warning header kube sends: `299 - "<text>"` per warning, comma-separated. */
export function warningHeaders(warnings: string[]): Record<string, string> | undefined {
  if (!warnings.length) return undefined;
  return { warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ') };
}
