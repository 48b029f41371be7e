import { goFloat, goSharpV } from '../../../kubectl/printers/go-fmt';
import { GoValue, invalid, notSupported, required, type FieldError } from '../field-errors';

/** apiextensions.k8s.io/v1 JSONSchemaProps, the parts this server interprets. */
export interface JsonSchema {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  not?: JsonSchema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  [k: string]: unknown;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const child = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** The JSON type kube-openapi infers for a decoded value (integers are "integer", other numbers "number"). */
function jsonType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'boolean') return 'boolean';
  return typeof v === 'string' ? 'string' : 'object';
}

/** A bad value as field.Error prints it: strings quoted, numbers %v, composites %#v. */
function goValue(v: unknown): unknown {
  if (typeof v === 'number') return new GoValue(goFloat(v));
  if (v !== null && typeof v === 'object') return new GoValue(goSharpV(v));
  return v;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * kube-openapi's SchemaValidator over a decoded object, converted to field errors the way
 * apiextensions-apiserver does (kubeOpenAPIResultToFieldErrors): paths like `spec.items[0].name`,
 * messages `spec.replicas in body must be of type integer: "string"`. Order per node: type, string,
 * number, array, enum, object (minProperties/maxProperties, required, then properties in schema order).
 */
export function validateValue(schema: JsonSchema | undefined, value: unknown, path = '', errs: FieldError[] = []): FieldError[] {
  if (!schema) return errs;
  const types = schema['x-kubernetes-int-or-string'] ? ['integer', 'string'] : schema.type ? [schema.type] : [];
  const t = jsonType(value);
  if (value === null || value === undefined) {
    if (types.length && !schema.nullable) errs.push(invalid(path, 'null', `${path} in body must be of type ${types.join(',')}: "null"`));
    return errs;
  }
  if (types.length && !types.includes(t) && !(t === 'integer' && types.includes('number'))) {
    errs.push(invalid(path, t, `${path} in body must be of type ${types.join(',')}: "${t}"`));
    return errs;
  }
  for (const sub of schema.allOf ?? []) validateValue(sub, value, path, errs);
  if (typeof value === 'string') {
    const len = [...value].length;
    if (schema.maxLength !== undefined && len > schema.maxLength) errs.push({ type: 'TooLong', field: path, value, detail: `may not be longer than ${schema.maxLength}` });
    if (schema.minLength !== undefined && len < schema.minLength) errs.push(invalid(path, value, `${path} in body should be at least ${schema.minLength} chars long`));
    if (schema.pattern !== undefined && !safeRegExp(schema.pattern)?.test(value)) errs.push(invalid(path, value, `${path} in body should match '${schema.pattern}'`));
  }
  if (typeof value === 'number') {
    if (schema.multipleOf !== undefined && schema.multipleOf > 0 && !Number.isInteger(value / schema.multipleOf)) {
      errs.push(invalid(path, goValue(value), `${path} in body should be a multiple of ${goFloat(schema.multipleOf)}`));
    }
    if (schema.maximum !== undefined && (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum)) {
      errs.push(invalid(path, goValue(value), `${path} in body should be less than ${schema.exclusiveMaximum ? '' : 'or equal to '}${goFloat(schema.maximum)}`));
    }
    if (schema.minimum !== undefined && (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum)) {
      errs.push(invalid(path, goValue(value), `${path} in body should be greater than ${schema.exclusiveMinimum ? '' : 'or equal to '}${goFloat(schema.minimum)}`));
    }
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => validateValue(schema.items, item, `${path}[${i}]`, errs));
    if (schema.minItems !== undefined && value.length < schema.minItems) errs.push(invalid(path, value.length, `${path} in body should have at least ${schema.minItems} items`));
    if (schema.maxItems !== undefined && value.length > schema.maxItems) errs.push({ type: 'TooMany', field: path, value: value.length, detail: `must have at most ${schema.maxItems} items` });
  }
  if (schema.enum && !schema.enum.some((e) => deepEqual(e, value))) {
    errs.push(notSupported(path, goValue(value), schema.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)))));
  }
  if (isObj(value)) {
    const n = Object.keys(value).length;
    if (schema.minProperties !== undefined && n < schema.minProperties) errs.push(invalid(path, n, `${path} in body should have at least ${schema.minProperties} properties`));
    if (schema.maxProperties !== undefined && n > schema.maxProperties) errs.push({ type: 'TooMany', field: path, value: n, detail: `must have at most ${schema.maxProperties} items` });
    for (const r of schema.required ?? []) if (!(r in value)) errs.push(required(child(path, r)));
    for (const [k, sub] of Object.entries(schema.properties ?? {})) if (k in value) validateValue(sub, value[k], child(path, k), errs);
    if (isObj(schema.additionalProperties)) {
      for (const [k, v] of Object.entries(value)) if (!schema.properties?.[k]) validateValue(schema.additionalProperties, v, child(path, k), errs);
    }
  }
  return errs;
}

const regexCache = new Map<string, RegExp | undefined>();

/** ECMA-262 patterns as kube-openapi evaluates them (unanchored); an unparsable pattern matches nothing. */
function safeRegExp(pattern: string): RegExp | undefined {
  if (!regexCache.has(pattern)) {
    let re: RegExp | undefined;
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = undefined;
    }
    regexCache.set(pattern, re);
  }
  return regexCache.get(pattern);
}

/**
 * Structural defaulting: a property with a `default` that is absent (or null and not nullable) gets a
 * copy of the default; recursion follows properties, items and additionalProperties. Mutates value.
 */
export function applyDefaults(schema: JsonSchema | undefined, value: unknown): void {
  if (!schema) return;
  if (Array.isArray(value)) {
    for (const item of value) applyDefaults(schema.items, item);
    return;
  }
  if (!isObj(value)) return;
  for (const [k, sub] of Object.entries(schema.properties ?? {})) {
    if (sub.default !== undefined && (!(k in value) || (value[k] === null && !sub.nullable))) value[k] = structuredClone(sub.default);
    if (k in value) applyDefaults(sub, value[k]);
  }
  if (isObj(schema.additionalProperties)) {
    for (const [k, v] of Object.entries(value)) if (!schema.properties?.[k]) applyDefaults(schema.additionalProperties, v);
  }
}

const EMBEDDED = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * Structural pruning: fields the schema does not specify are removed (when prune) and reported as
 * paths (`spec.foo`, `spec.items[0].bar`), except under x-kubernetes-preserve-unknown-fields or
 * additionalProperties. At the root (and in embedded resources) apiVersion, kind and metadata stay.
 * Null values of non-nullable fields without a default are dropped silently (not reported).
 */
export function pruneUnknown(schema: JsonSchema | undefined, value: unknown, prune: boolean, path = '', root = true, out: string[] = []): string[] {
  if (!schema) return out;
  if (Array.isArray(value)) {
    value.forEach((item, i) => pruneUnknown(schema.items, item, prune, `${path}[${i}]`, false, out));
    return out;
  }
  if (!isObj(value)) return out;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = root || schema['x-kubernetes-embedded-resource'] === true;
  for (const k of Object.keys(value)) {
    const sub = schema.properties?.[k];
    if (sub) {
      if (value[k] === null && !sub.nullable && sub.default === undefined && !root) {
        if (prune) delete value[k];
        continue;
      }
      pruneUnknown(sub, value[k], prune, child(path, k), false, out);
      continue;
    }
    if (embedded && EMBEDDED.has(k)) continue;
    if (isObj(schema.additionalProperties)) {
      pruneUnknown(schema.additionalProperties, value[k], prune, child(path, k), false, out);
      continue;
    }
    if (preserve || schema.additionalProperties === true) continue;
    out.push(child(path, k));
    if (prune) delete value[k];
  }
  return out;
}
