import { parseLabelSelector, type Selector } from '../../api/label-selector';
import { parseFieldSelector, type FieldSelector } from '../../api/field-selector';
import type { KubeObject, ResourceStrategy } from './registry/strategy';
import { badRequest } from './errors';

/** The label + field predicate of a list or watch (storage.SelectionPredicate). */
export interface Predicate {
  label: Selector;
  field: FieldSelector;
  empty: boolean;
  matches(obj: KubeObject): boolean;
}

export function objectFields(s: ResourceStrategy, obj: KubeObject): Record<string, string> {
  const fields: Record<string, string> = { ...s.selectableFields(obj), 'metadata.name': obj.metadata?.name ?? '' };
  if (s.ref.namespaced) fields['metadata.namespace'] = obj.metadata?.namespace ?? '';
  return fields;
}

/** Parses labelSelector and fieldSelector; 400 BadRequest for bad syntax or `field label not supported: x`. */
export function predicateFor(s: ResourceStrategy, query: Record<string, string>, forcedName?: string): Predicate {
  let label: Selector;
  let field: FieldSelector;
  try {
    label = parseLabelSelector(query.labelSelector);
  } catch (err) {
    throw badRequest((err as Error).message);
  }
  try {
    const fs = forcedName !== undefined ? [query.fieldSelector, `metadata.name=${forcedName.replace(/[\\,=!]/g, (c) => `\\${c}`)}`].filter(Boolean).join(',') : query.fieldSelector;
    field = parseFieldSelector(fs);
  } catch (err) {
    throw badRequest((err as Error).message);
  }
  const supported = new Set(['metadata.name', ...(s.ref.namespaced ? ['metadata.namespace'] : []), ...Object.keys(s.selectableFields({ metadata: {} }))]);
  for (const r of field.requirements) if (!supported.has(r.field)) throw badRequest(`field label not supported: ${r.field}`);
  return {
    label,
    field,
    empty: label.empty && field.empty,
    matches: (obj) => label.matches(obj.metadata?.labels) && field.matches(objectFields(s, obj)),
  };
}
