import { duplicate, forbidden, invalid, required, type FieldError } from '../field-errors';
import { compileExpression, optionalOf, runtimeErrorText, toCel, type CompiledExpression } from './cel-env';
import { normalizeFieldPath } from './cel-rules';
import type { JsonSchema } from './json-schema';

/** apiextensions.k8s.io/v1 ValidationRule. */
export interface ValidationRule {
  rule?: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

interface CompiledRule {
  rule: ValidationRule;
  compiled: CompiledExpression;
  message?: CompiledExpression;
  /** The error's path below the node (`replicas`, `m[key]`) from fieldPath. */
  subPath?: string;
}

/** The x-kubernetes-validations of one schema node and of the nodes below it (nil-free: only nodes with rules). */
export interface CelValidator {
  schema: JsonSchema;
  rules: CompiledRule[];
  root: boolean;
  properties: Map<string, CelValidator>;
  items?: CelValidator;
  additional?: CelValidator;
  allOf: CelValidator[];
}

export const rulesOf = (s: JsonSchema): ValidationRule[] => (Array.isArray(s['x-kubernetes-validations']) ? (s['x-kubernetes-validations'] as ValidationRule[]) : []);

/** Compiles every rule under schema; undefined when there are none (the common case costs nothing). */
export function buildCelValidator(schema: JsonSchema | undefined, root = true): CelValidator | undefined {
  if (!schema) return undefined;
  const rules = rulesOf(schema).map((rule) => ({
    rule,
    compiled: compileExpression(rule.rule ?? '', 'bool'),
    message: rule.messageExpression ? compileExpression(rule.messageExpression, 'string') : undefined,
    subPath: rule.fieldPath ? normalizeFieldPath(schema, rule.fieldPath) : undefined,
  }));
  const properties = new Map<string, CelValidator>();
  for (const [k, sub] of Object.entries(schema.properties ?? {})) {
    const v = buildCelValidator(sub, sub['x-kubernetes-embedded-resource'] === true);
    if (v) properties.set(k, v);
  }
  const items = schema.items ? buildCelValidator(schema.items, schema.items['x-kubernetes-embedded-resource'] === true) : undefined;
  const additional = typeof schema.additionalProperties === 'object' ? buildCelValidator(schema.additionalProperties, false) : undefined;
  const allOf = (schema.allOf ?? []).flatMap((s) => {
    const v = buildCelValidator({ ...s, type: schema.type, properties: s.properties }, root);
    return v ? [v] : [];
  });
  if (!rules.length && !properties.size && !items && !additional && !allOf.length) return undefined;
  return { schema, rules, root, properties, items, additional, allOf };
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const child = (path: string | undefined, k: string) => (path === undefined ? k : `${path}.${k}`);
const keyed = (path: string | undefined, k: string) => `${path ?? ''}[${k}]`;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Old item of a list-type=map list with the same key values as item (the only correlatable lists). */
function correlatedItem(schema: JsonSchema, item: unknown, old: unknown[] | undefined): unknown {
  if (!old || schema['x-kubernetes-list-type'] !== 'map' || !isObj(item)) return undefined;
  const keys = (schema['x-kubernetes-list-map-keys'] as string[] | undefined) ?? [];
  return old.find((o) => isObj(o) && keys.every((k) => same(o[k], item[k])));
}

/** The object as CEL sees it at a resource root: apiVersion, kind, metadata.name/generateName only. */
function celValue(v: CelValidator, obj: unknown): unknown {
  if (!v.root || !isObj(obj)) return toCel(obj, v.schema);
  const meta = isObj(obj.metadata) ? obj.metadata : {};
  const slim: Record<string, unknown> = { ...obj, metadata: { ...(meta.name !== undefined ? { name: meta.name } : {}), ...(meta.generateName !== undefined ? { generateName: meta.generateName } : {}) } };
  return toCel(slim, { ...v.schema, properties: { ...v.schema.properties, metadata: { type: 'object' }, apiVersion: { type: 'string' }, kind: { type: 'string' } } });
}

function ruleText(r: ValidationRule): string {
  return (r.message ?? '').trim() || (r.rule ?? '').trim();
}

/**
 * Runs the rules of v against obj (old: the correlated old value on update, undefined on create or where
 * not correlatable). Contracts (apiextensions-apiserver cel/validation.go): null values are not validated;
 * transition rules (using oldSelf) run only with an old value unless optionalOldSelf; a false rule gives
 * field.Invalid(path, <schema type>, message | messageExpression | "failed rule: <rule>") or the error of
 * its reason; runtime errors give "<err> evaluating rule: <rule>"; on update, errors of rules without
 * oldSelf on a value equal to its old value are ratcheted (dropped). Root path prints as "<nil>".
 */
export function validateCel(v: CelValidator | undefined, path: string | undefined, obj: unknown, old: unknown, errs: FieldError[], ratchet = false): FieldError[] {
  if (!v || obj === null || obj === undefined) return errs;
  const type = v.schema.type ?? '';
  const at = path ?? '<nil>';
  if (v.rules.length) {
    const self = celValue(v, obj);
    const oldSelf = old === undefined || old === null ? undefined : celValue(v, old);
    for (const { rule, compiled, message, subPath } of v.rules) {
      if (!compiled.program) {
        if (compiled.error) errs.push(invalid(at, type, `rule compile error: ${compiled.error}`));
        continue;
      }
      if (compiled.usesOldSelf && oldSelf === undefined && !rule.optionalOldSelf) continue;
      const vars = { self, oldSelf: rule.optionalOldSelf ? optionalOf(oldSelf) : oldSelf };
      let result: unknown;
      try {
        result = compiled.program(vars);
      } catch (err) {
        const text = runtimeErrorText(err);
        errs.push(invalid(at, type, text.startsWith('no such overload') ? `'${text}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleText(rule)}` : `${text} evaluating rule: ${ruleText(rule)}`));
        continue;
      }
      if (result === true) continue;
      if (!compiled.usesOldSelf && ratchet) continue;
      const fieldPath = subPath ? (path === undefined ? subPath : subPath.startsWith('[') ? `${path}${subPath}` : `${path}.${subPath}`) : at;
      let detail = (rule.message ?? '').trim() ? rule.message!.trim() : `failed rule: ${ruleText(rule)}`;
      if (message?.program) {
        try {
          const m = message.program({ self, oldSelf });
          if (typeof m === 'string' && m.trim() && !m.includes('\n')) detail = m.trim();
        } catch {
          // kube logs and falls back to the message
        }
      }
      if (rule.reason === 'FieldValueForbidden') errs.push(forbidden(fieldPath, detail));
      else if (rule.reason === 'FieldValueRequired') errs.push(required(fieldPath, detail));
      else if (rule.reason === 'FieldValueDuplicate') errs.push(duplicate(fieldPath, type));
      else errs.push(invalid(fieldPath, type, detail));
    }
  }
  for (const a of v.allOf) validateCel(a, path, obj, old, errs, ratchet);
  if (Array.isArray(obj) && v.items) {
    const oldArr = Array.isArray(old) ? old : undefined;
    obj.forEach((item, i) => {
      const o = correlatedItem(v.schema, item, oldArr);
      validateCel(v.items, `${path ?? ''}[${i}]`, item, o, errs, o === undefined ? ratchet : same(item, o));
    });
  } else if (isObj(obj)) {
    const oldObj = isObj(old) && v.schema['x-kubernetes-map-type'] !== 'atomic' ? old : undefined;
    for (const [k, val] of Object.entries(obj)) {
      const sub = v.properties.get(k) ?? (v.schema.properties?.[k] ? undefined : v.additional);
      if (!sub) continue;
      const o = oldObj?.[k];
      const p = v.properties.has(k) ? child(path, k) : keyed(path, k);
      validateCel(sub, p, val, o, errs, o === undefined ? ratchet : same(val, o));
    }
  }
  return errs;
}
