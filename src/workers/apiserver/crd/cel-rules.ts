import { GoValue, invalid, notSupported, required, type FieldError } from '../field-errors';
import { compileExpression } from './cel-env';
import type { ValidationRule } from './cel-validator';
import type { JsonSchema } from './json-schema';

/**
 * CRD-time checks of x-kubernetes-validations (apiextensions validation.go): rule/message/
 * messageExpression/reason/fieldPath shape, then compilation of rule and messageExpression. Errors are
 * at `<schema path>.x-kubernetes-validations[i].<field>`; compile errors carry the rule as Go prints
 * the internal apiextensions.ValidationRule (%#v).
 */
const REASONS = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];

const goStr = (s: string | undefined) => JSON.stringify(s ?? '');

function ruleValue(r: ValidationRule): GoValue {
  const reason = r.reason === undefined ? '(*apiextensions.FieldValueErrorReason)(nil)' : '(*apiextensions.FieldValueErrorReason)(0xc000a1c2d0)';
  const oos = r.optionalOldSelf === undefined ? '(*bool)(nil)' : '(*bool)(0xc000a1c2d8)';
  return new GoValue(`apiextensions.ValidationRule{Rule:${goStr(r.rule)}, Message:${goStr(r.message)}, MessageExpression:${goStr(r.messageExpression)}, Reason:${reason}, FieldPath:${goStr(r.fieldPath)}, OptionalOldSelf:${oos}}`);
}

/**
 * ValidFieldPath: a JSONPath of field (`.a`) and key (`['k']`) steps valid under schema → the field.Path
 * text below the node (`a.b`, `m[k]`), or undefined when invalid.
 */
export function normalizeFieldPath(schema: JsonSchema, jsonPath: string): string | undefined {
  let s: JsonSchema | undefined = schema;
  let out = '';
  let rest = jsonPath.trim();
  while (rest.length) {
    let name: string;
    const dot = /^\.([^.[\]]+)/.exec(rest);
    const br = /^\['((?:[^'\\]|\\.)*)'\]/.exec(rest);
    if (dot) {
      name = dot[1];
      rest = rest.slice(dot[0].length);
    } else if (br) {
      name = br[1].replace(/\\(.)/g, '$1');
      rest = rest.slice(br[0].length);
    } else return undefined;
    if (!s) return undefined;
    if (s.properties) {
      const next: JsonSchema | undefined = s.properties[name];
      if (!next) return undefined;
      out = out ? `${out}.${name}` : name;
      s = next;
    } else if (typeof s.additionalProperties === 'object') {
      out = `${out}[${name}]`;
      s = s.additionalProperties;
    } else return undefined;
  }
  return out || undefined;
}

/**
 * Checks and compiles the rules of one schema node. uncorrelatable: the path of the nearest enclosing
 * list items that are not a list-type=map (transition rules are refused there).
 */
export function validateRules(s: JsonSchema, path: string, uncorrelatable: string | undefined, errs: FieldError[]): void {
  const rules = s['x-kubernetes-validations'];
  if (!Array.isArray(rules)) return;
  (rules as ValidationRule[]).forEach((r, i) => {
    const p = `${path}.x-kubernetes-validations[${i}]`;
    const rule = (r.rule ?? '').trim();
    const msg = (r.message ?? '').trim();
    if (!rule) errs.push(required(`${p}.rule`, 'rule is not specified'));
    else if (r.message !== undefined && r.message.length > 0 && !msg) errs.push(invalid(`${p}.message`, r.message, 'message must be non-empty if specified'));
    else if (msg.includes('\n')) errs.push(invalid(`${p}.message`, r.message, 'message must not contain line breaks'));
    else if (rule.includes('\n') && !msg) errs.push(required(`${p}.message`, 'message must be specified if rule contains line breaks'));
    if (r.messageExpression !== undefined && r.messageExpression.length > 0 && !r.messageExpression.trim()) errs.push(required(`${p}.messageExpression`, 'messageExpression must be non-empty if specified'));
    if (r.reason !== undefined && !REASONS.includes(r.reason)) errs.push(notSupported(`${p}.reason`, r.reason, REASONS));
    if (r.fieldPath !== undefined && r.fieldPath.length > 0) {
      if (!r.fieldPath.trim()) errs.push(invalid(`${p}.fieldPath`, r.fieldPath, 'fieldPath must be non-empty if specified'));
      else if (r.fieldPath.includes('\n')) errs.push(invalid(`${p}.fieldPath`, r.fieldPath, 'fieldPath must not contain line breaks'));
      else if (normalizeFieldPath(s, r.fieldPath) === undefined) errs.push(invalid(`${p}.fieldPath`, r.fieldPath, 'fieldPath must be a valid path'));
    }
    if (!rule) return;
    const c = compileExpression(rule, 'bool');
    if (c.error) errs.push(invalid(`${p}.rule`, ruleValue(r), c.error));
    if (r.messageExpression?.trim()) {
      const m = compileExpression(r.messageExpression, 'string', 'messageExpression');
      if (m.error) errs.push(invalid(`${p}.messageExpression`, ruleValue(r), m.error.replace(/^compilation failed: /, 'messageExpression compilation failed: ')));
    }
    if (c.usesOldSelf && uncorrelatable !== undefined) {
      errs.push(invalid(`${p}.rule`, r.rule, `oldSelf cannot be used on the uncorrelatable portion of the schema within ${uncorrelatable}`));
    }
    if (r.optionalOldSelf && !c.usesOldSelf) errs.push(invalid(`${p}.optionalOldSelf`, true, 'may not be set if rule does not use oldSelf'));
  });
}

/** Walks the whole schema (properties sorted as kube reports them) checking every node's rules. */
export function validateSchemaRules(s: JsonSchema, path: string, errs: FieldError[], uncorrelatable?: string): FieldError[] {
  validateRules(s, path, uncorrelatable, errs);
  if (typeof s.additionalProperties === 'object') validateSchemaRules(s.additionalProperties, `${path}.additionalProperties`, errs, s['x-kubernetes-map-type'] === 'atomic' ? uncorrelatable ?? `${path}` : uncorrelatable);
  for (const [k, sub] of Object.entries(s.properties ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    validateSchemaRules(sub, `${path}.properties[${k}]`, errs, s['x-kubernetes-map-type'] === 'atomic' ? uncorrelatable ?? path : uncorrelatable);
  }
  if (s.items) {
    const listMap = s['x-kubernetes-list-type'] === 'map';
    validateSchemaRules(s.items, `${path}.items`, errs, listMap ? uncorrelatable : uncorrelatable ?? `${path}.items`);
  }
  (s.allOf ?? []).forEach((sub, i) => validateSchemaRules(sub, `${path}.allOf[${i}]`, errs, uncorrelatable));
  return errs;
}
