import { isQualifiedName } from '../../../api/label-validation';
import type { AdmissionAttributes } from '../admission/admission';
import { compileExpression, runtimeErrorText } from './cel-env';
import { invalid, duplicate, required, type FieldError } from '../field-errors';
import type { CompiledPolicy } from './policy-index';

type Obj = Record<string, any>;

/** Go's maxAuditAnnotationValueLength: longer values are cut to 10 KiB. */
const MAX_VALUE = 10 * 1024;
const MAX_VALUE_EXPRESSION = 5 * 1024;

/** cel-go's type name of a value a valueExpression returned (for the unsupported-type error). */
function celTypeName(v: unknown): string {
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'double';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Uint8Array) return 'bytes';
  if (v && typeof v === 'object') return 'map';
  return typeof v;
}

/** One evaluated auditAnnotation: published (value), excluded (neither), or an error that denies under Fail. */
export type AuditAnnotationResult = { key: string; value?: string; error?: string };

/**
 * The policy's auditAnnotations for one param (validator.Validate's second half): a trimmed non-empty
 * string publishes, null or "" excludes; another type is always an error; an evaluation error is an error
 * under failurePolicy Fail and excluded under Ignore.
 */
export async function evaluateAuditAnnotations(cp: CompiledPolicy, vars: Record<string, unknown>): Promise<AuditAnnotationResult[]> {
  const fail = cp.policy.spec?.failurePolicy !== 'Ignore';
  const out: AuditAnnotationResult[] = [];
  for (const { key, valueExpression, c } of cp.auditAnnotations) {
    let v: unknown;
    try {
      if (!c.program) throw new Error(c.error);
      v = await c.program(vars);
    } catch (err) {
      if (fail) out.push({ key, error: `expression '${valueExpression}' resulted in error: ${runtimeErrorText(err)}` });
      continue;
    }
    if (v === null || v === undefined) continue;
    if (typeof v !== 'string') {
      out.push({ key, error: `valueExpression '${valueExpression}' resulted in unsupported return type: ${celTypeName(v)}. Return type must be either string or null.` });
      continue;
    }
    const value = v.trim();
    if (value) out.push({ key, value: value.length > MAX_VALUE ? value.slice(0, MAX_VALUE) : value });
  }
  return out;
}

/**
 * auditAnnotationCollector: one policy's published values across its bindings and params, duplicates
 * dropped; publish() adds `<policy>/<key>` = the values joined by ", ".
 */
export class AuditAnnotationCollector {
  private readonly values = new Map<string, string[]>();
  add(key: string, value: string): void {
    const list = this.values.get(key) ?? [];
    if (!list.includes(value)) list.push(value);
    this.values.set(key, list);
  }
  publish(policyName: string, a: AdmissionAttributes): void {
    for (const [key, list] of this.values) a.addAnnotation?.(`${policyName}/${key}`, list.join(', '));
  }
}

/** publishValidationFailureAnnotation: the Audit action's `validation.policy.admission.k8s.io/validation_failure` JSON. */
export function publishValidationFailure(a: AdmissionAttributes, binding: Obj, expressionIndex: number, message: string): void {
  const value = JSON.stringify([{ message, policy: binding.spec?.policyName ?? '', binding: binding.metadata?.name ?? '', expressionIndex, validationActions: binding.spec?.validationActions ?? [] }]);
  a.addAnnotation?.('validation.policy.admission.k8s.io/validation_failure', value);
}

/**
 * ValidateValidatingAdmissionPolicy's auditAnnotations part: at most 20; each `<metadata.name>/<key>` a
 * qualified name (key must be set with a named policy), keys unique, valueExpression given, at most 5 KiB
 * trimmed, compiling to string or null.
 */
export function validateAuditAnnotations(policy: Obj): FieldError[] {
  const list: Obj[] = policy.spec?.auditAnnotations ?? [];
  const path = 'spec.auditAnnotations';
  if (list.length > 20) return [{ type: 'TooMany', field: path, value: list.length, detail: 'must have at most 20 items' }];
  const errs: FieldError[] = [];
  const name = String(policy.metadata?.name ?? '');
  const seen = new Set<string>();
  list.forEach((x, i) => {
    const p = `${path}[${i}]`;
    const key = String(x.key ?? '');
    if (name) for (const msg of isQualifiedName(`${name}/${key}`)) errs.push(invalid(`${p}.key`, `${name}/${key}`, msg));
    else errs.push(invalid(`${p}.key`, key, 'requires metadata.name be non-empty'));
    const expr = String(x.valueExpression ?? '');
    const trimmed = expr.trim();
    if (!trimmed) errs.push(required(`${p}.valueExpression`, 'valueExpression is not specified'));
    else if (trimmed.length > MAX_VALUE_EXPRESSION) errs.push(required(`${p}.valueExpression`, `must not exceed ${MAX_VALUE_EXPRESSION} bytes in length`));
    else {
      const c = compileExpression(trimmed, 'dyn');
      if (c.error) errs.push(invalid(`${p}.valueExpression`, expr, c.error));
      else if (compileExpression(trimmed, 'string').error && !/^null$/.test(trimmed)) {
        // a statically non-string result (a bool, int, list... literal or comparison)
        errs.push(invalid(`${p}.valueExpression`, expr, 'must evaluate to one of [string null_type]'));
      }
    }
    if (seen.has(key)) errs.push(duplicate(`${p}.key`, key));
    seen.add(key);
  });
  return errs;
}
