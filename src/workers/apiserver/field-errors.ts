import type { StatusCause } from 'kubernetes-types/meta/v1';

/**
 * field.Error from k8s.io/apimachinery/pkg/util/validation/field: one validation failure at a field path.
 * String forms match kube exactly: `spec.containers[0].image: Required value`,
 * `metadata.name: Invalid value: "Bad_Name": <detail>`, `spec.restartPolicy: Unsupported value: "x": supported values: "Always", ...`.
 */
export type FieldErrorType = 'Required' | 'Invalid' | 'NotSupported' | 'Duplicate' | 'Forbidden' | 'TooLong' | 'NotFound' | 'TooMany' | 'Internal';

export interface FieldError {
  type: FieldErrorType;
  field: string;
  /** Absent for types that print no value (Required, Forbidden, TooLong, Internal). */
  value?: unknown;
  detail?: string;
}

const TYPE_TEXT: Record<FieldErrorType, string> = {
  Required: 'Required value',
  Invalid: 'Invalid value',
  NotSupported: 'Unsupported value',
  Duplicate: 'Duplicate value',
  Forbidden: 'Forbidden',
  TooLong: 'Too long',
  NotFound: 'Not found',
  TooMany: 'Too many',
  Internal: 'Internal error',
};

const CAUSE_TYPE: Record<FieldErrorType, string> = {
  Required: 'FieldValueRequired',
  Invalid: 'FieldValueInvalid',
  NotSupported: 'FieldValueNotSupported',
  Duplicate: 'FieldValueDuplicate',
  Forbidden: 'FieldValueForbidden',
  TooLong: 'FieldValueTooLong',
  NotFound: 'FieldValueNotFound',
  TooMany: 'FieldValueTooMany',
  Internal: 'InternalError',
};

/** A bad value already rendered the way Go's %#v prints it (maps, structs): printed verbatim. */
export class GoValue {
  constructor(readonly repr: string) {}
}

/** %#v of a map[string]string: `map[string]string{"a":"1", "b":"2"}` (keys sorted), nil → `map[string]string(nil)`. */
export function goStringMap(m: Record<string, string> | undefined | null): GoValue {
  if (!m) return new GoValue('map[string]string(nil)');
  const keys = Object.keys(m).sort();
  return new GoValue(`map[string]string{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`).join(', ')}}`);
}

/** %#v of []string. */
export function goStringSlice(a: string[] | undefined | null): GoValue {
  return new GoValue(a ? `[]string{${a.map((x) => JSON.stringify(x)).join(', ')}}` : '[]string(nil)');
}

/** Go's %v/%q-ish rendering of a bad value, as field.Error does. */
function formatValue(v: unknown): string {
  if (v instanceof GoValue) return v.repr;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'null';
  return JSON.stringify(v);
}

export function errorBody(e: FieldError): string {
  let s = TYPE_TEXT[e.type];
  const printsValue = e.type !== 'Required' && e.type !== 'Forbidden' && e.type !== 'TooLong' && e.type !== 'Internal' && 'value' in e;
  if (printsValue) s += `: ${formatValue(e.value)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

export function fieldErrorString(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

/** utilerrors.NewAggregate(...).Error(): one message alone, several as "[a, b]" (duplicates dropped). */
export function aggregate(errs: FieldError[]): string {
  const msgs = [...new Set(errs.map(fieldErrorString))];
  return msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
}

export function causes(errs: FieldError[]): StatusCause[] {
  return errs.map((e) => ({ reason: CAUSE_TYPE[e.type], message: errorBody(e), field: e.field }));
}

export const required = (field: string, detail?: string): FieldError => ({ type: 'Required', field, detail });
export const invalid = (field: string, value: unknown, detail?: string): FieldError => ({ type: 'Invalid', field, value, detail });
export const forbidden = (field: string, detail?: string): FieldError => ({ type: 'Forbidden', field, detail });
export const duplicate = (field: string, value: unknown): FieldError => ({ type: 'Duplicate', field, value });
export const notSupported = (field: string, value: unknown, supported: string[]): FieldError => ({
  type: 'NotSupported',
  field,
  value,
  detail: supported.length ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : undefined,
});
export const tooLong = (field: string, max: number): FieldError => ({ type: 'TooLong', field, detail: `must have at most ${max} bytes` });
