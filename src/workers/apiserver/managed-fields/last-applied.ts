import { difference, type FieldSet } from './field-set';
import type { ApplyConflicts } from './managed-fields';
import { compareObjects, fieldSetOf, stripMeta } from './object-fields';

/**
 * kube-apiserver's bridge between client-side and server-side apply, for the field manager "kubectl":
 * - a conflict is waived when every conflicting field is in the last-applied-configuration annotation
 *   with the value the live object still has (the fields were applied by kubectl before);
 * - an object that has the annotation gets it rewritten to the applied configuration (Go's JSON
 *   encoding of it, keys sorted, plus a newline).
 */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
type Obj = Record<string, unknown>;

function annotationsOf(o: Obj): Record<string, string> | undefined {
  return (o.metadata as { annotations?: Record<string, string> } | undefined)?.annotations;
}

export function allowedByLastApplied(live: Obj, err: ApplyConflicts): boolean {
  const text = annotationsOf(live)?.[LAST_APPLIED];
  if (!text) return false;
  let last: Obj;
  try {
    last = JSON.parse(text) as Obj;
  } catch {
    return false;
  }
  const lastSet = fieldSetOf(stripMeta(last));
  const allowed = difference(lastSet, compareObjects(stripMeta(last), stripMeta(live)).changed);
  return err.conflicts.every((c) => hasMember(allowed, c.elements));
}

function hasMember(s: FieldSet, path: string[]): boolean {
  let n: FieldSet | undefined = s;
  for (const e of path) n = n?.children.get(e);
  return !!n && n.member;
}

export function withUpdatedLastApplied(live: Obj, merged: Obj, config: Obj): Obj {
  if (annotationsOf(live)?.[LAST_APPLIED] === undefined) return merged;
  const meta = { ...((merged.metadata as Obj) ?? {}) };
  meta.annotations = { ...((meta.annotations as Obj) ?? {}), [LAST_APPLIED]: buildLastApplied(config) };
  return { ...merged, metadata: meta };
}

function buildLastApplied(config: Obj): string {
  const c = structuredClone(config);
  const annots = annotationsOf(c);
  if (annots) delete annots[LAST_APPLIED];
  return goJson(c) + '\n';
}

/** encoding/json of an unstructured value: keys sorted, compact, <, >, & escaped. */
export function goJson(v: unknown): string {
  const sort = (x: unknown): unknown =>
    Array.isArray(x) ? x.map(sort) : x && typeof x === 'object' ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort((x as Obj)[k])])) : x;
  return JSON.stringify(sort(v)).replace(/[<>&\u2028\u2029]/g, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'));
}
