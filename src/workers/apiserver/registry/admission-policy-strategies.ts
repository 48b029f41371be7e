import type { ResourceRef } from '../../../api/resources';
import { compileExpression } from '../crd/cel-env';
import { validateAuditAnnotations } from '../crd/policy-audit';
import { invalid, notSupported, required, type FieldError } from '../field-errors';
import { age, defineStrategy, named } from './define-strategy';
import { ageColumn, column, type KubeObject } from './strategy';

/** admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding (cluster-scoped). */
export const ValidatingAdmissionPolicies: ResourceRef = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicies', kind: 'ValidatingAdmissionPolicy', namespaced: false };
export const ValidatingAdmissionPolicyBindings: ResourceRef = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicybindings', kind: 'ValidatingAdmissionPolicyBinding', namespaced: false };

type Obj = Record<string, any>;
const spec = (o: KubeObject) => (o.spec ?? {}) as Obj;

/** MatchResources defaults: matchPolicy Equivalent, empty selectors, rule scope "*". */
function defaultMatch(m: Obj | undefined): void {
  if (!m) return;
  m.matchPolicy ??= 'Equivalent';
  m.namespaceSelector ??= {};
  m.objectSelector ??= {};
  for (const r of [...(m.resourceRules ?? []), ...(m.excludeResourceRules ?? [])]) r.scope ??= '*';
}

function compileAt(path: string, expr: unknown, want: 'bool' | 'string' | 'dyn', errs: FieldError[], kind?: string): void {
  if (typeof expr !== 'string' || !expr.trim()) {
    errs.push(required(path, 'expression is not specified'));
    return;
  }
  const c = compileExpression(expr, want, kind);
  if (c.error) errs.push(invalid(path, expr, c.error));
}

function validateMatch(m: Obj | undefined, path: string, errs: FieldError[], requireRules: boolean): void {
  if (!m) {
    if (requireRules) errs.push(required(path, ''));
    return;
  }
  if (requireRules && !(m.resourceRules ?? []).length) errs.push(required(`${path}.resourceRules`, ''));
  if (m.matchPolicy !== undefined && !['Equivalent', 'Exact'].includes(m.matchPolicy)) errs.push(notSupported(`${path}.matchPolicy`, m.matchPolicy, ['Equivalent', 'Exact']));
  (m.resourceRules ?? []).forEach((r: Obj, i: number) => {
    const p = `${path}.resourceRules[${i}]`;
    for (const f of ['apiGroups', 'apiVersions', 'resources', 'operations']) if (!(r[f] ?? []).length) errs.push(required(`${p}.${f}`, ''));
    (r.operations ?? []).forEach((op: string, j: number) => {
      if (!['*', 'CREATE', 'UPDATE', 'DELETE', 'CONNECT'].includes(op)) errs.push(notSupported(`${p}.operations[${j}]`, op, ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE']));
    });
    if (r.scope !== undefined && !['*', 'Cluster', 'Namespaced'].includes(r.scope)) errs.push(notSupported(`${p}.scope`, r.scope, ['*', 'Cluster', 'Namespaced']));
  });
}

/**
 * ValidateValidatingAdmissionPolicy (the common cases): validations or auditAnnotations present, every
 * expression compiles (rules must be bool, messageExpression string), failurePolicy and reasons known,
 * matchConstraints.resourceRules given.
 */
function validatePolicy(o: KubeObject): FieldError[] {
  const s = spec(o);
  const errs: FieldError[] = [];
  if (s.failurePolicy !== undefined && !['Fail', 'Ignore'].includes(s.failurePolicy)) errs.push(notSupported('spec.failurePolicy', s.failurePolicy, ['Fail', 'Ignore']));
  if (s.paramKind) {
    if (!s.paramKind.apiVersion) errs.push(required('spec.paramKind.apiVersion', ''));
    if (!s.paramKind.kind) errs.push(required('spec.paramKind.kind', ''));
  }
  validateMatch(s.matchConstraints, 'spec.matchConstraints', errs, true);
  if (!(s.validations ?? []).length && !(s.auditAnnotations ?? []).length) errs.push(required('spec.validations', 'validations or auditAnnotations must contain at least one item'));
  (s.variables ?? []).forEach((v: Obj, i: number) => {
    if (!v.name) errs.push(required(`spec.variables[${i}].name`, ''));
    compileAt(`spec.variables[${i}].expression`, v.expression, 'dyn', errs);
  });
  (s.matchConditions ?? []).forEach((c: Obj, i: number) => compileAt(`spec.matchConditions[${i}].expression`, c.expression, 'bool', errs));
  (s.validations ?? []).forEach((v: Obj, i: number) => {
    const p = `spec.validations[${i}]`;
    compileAt(`${p}.expression`, v.expression, 'bool', errs);
    if (v.messageExpression !== undefined) compileAt(`${p}.messageExpression`, v.messageExpression, 'string', errs, 'messageExpression');
    if (v.reason !== undefined && !['Unauthorized', 'Forbidden', 'Invalid', 'RequestEntityTooLarge'].includes(v.reason)) {
      errs.push(notSupported(`${p}.reason`, v.reason, ['Unauthorized', 'Forbidden', 'Invalid', 'RequestEntityTooLarge']));
    }
  });
  errs.push(...validateAuditAnnotations(o));
  return errs;
}

function validateBinding(o: KubeObject): FieldError[] {
  const s = spec(o);
  const errs: FieldError[] = [];
  if (!s.policyName) errs.push(required('spec.policyName', ''));
  const actions: string[] = s.validationActions ?? [];
  if (!actions.length) errs.push(required('spec.validationActions', 'at least one validation action is required'));
  actions.forEach((a, i) => {
    if (!['Audit', 'Deny', 'Warn'].includes(a)) errs.push(notSupported(`spec.validationActions[${i}]`, a, ['Audit', 'Deny', 'Warn']));
  });
  if (actions.includes('Deny') && actions.includes('Warn')) errs.push(invalid('spec.validationActions', actions, 'must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)'));
  if (s.paramRef) {
    const action = s.paramRef.parameterNotFoundAction;
    if (action === undefined) errs.push(required('spec.paramRef.parameterNotFoundAction', ''));
    else if (!['Allow', 'Deny'].includes(action)) errs.push(notSupported('spec.paramRef.parameterNotFoundAction', action, ['Allow', 'Deny']));
    if (!s.paramRef.name && !s.paramRef.selector) errs.push(required('spec.paramRef', 'one of name or selector must be specified'));
  }
  validateMatch(s.matchResources, 'spec.matchResources', errs, false);
  return errs;
}

export const validatingAdmissionPolicyStrategy = defineStrategy({
  ref: ValidatingAdmissionPolicies,
  singularName: 'validatingadmissionpolicy',
  categories: ['api-extensions'],
  generation: true,
  status: true,
  defaults(o) {
    const s = spec(o);
    s.failurePolicy ??= 'Fail';
    defaultMatch(s.matchConstraints);
  },
  validate: validatePolicy,
  columns: [
    column('Validations', 'integer', 'Validations indicates the number of validation rules defined in this configuration'),
    column('ParamKind', 'string', 'ParamKind specifies the kind of resources used to parameterize this policy'),
    ageColumn,
  ],
  row: (o, now) => {
    const pk = spec(o).paramKind as Obj | undefined;
    return named(o, (spec(o).validations ?? []).length, pk ? `${pk.apiVersion ?? ''}/${pk.kind ?? ''}` : '<unset>', age(o, now));
  },
});

export const validatingAdmissionPolicyBindingStrategy = defineStrategy({
  ref: ValidatingAdmissionPolicyBindings,
  singularName: 'validatingadmissionpolicybinding',
  categories: ['api-extensions'],
  generation: true,
  defaults(o) {
    defaultMatch(spec(o).matchResources);
  },
  validate: validateBinding,
  columns: [
    column('PolicyName', 'string', 'PolicyName indicates the policy definition which the policy binding binded to'),
    column('ParamRef', 'string', 'ParamRef indicates the param resource which sets the configration param'),
    ageColumn,
  ],
  row: (o, now) => {
    const pr = spec(o).paramRef as Obj | undefined;
    const param = pr ? (pr.namespace ? `${pr.namespace}/${pr.name ?? ''}` : pr.name ?? '') : '<unset>';
    return named(o, spec(o).policyName ?? '', param, age(o, now));
  },
});
