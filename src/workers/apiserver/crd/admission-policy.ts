import { matchesLabelSelector } from '../../../api/label-selector';
import { failureStatus, type StatusReason } from '../../../api/status';
import { admissionForbidden, getStored, listStored, type AdmissionAttributes, type AdmissionPlugin } from '../admission/admission';
import { ApiServerError } from '../errors';
import { builtinTable } from '../registry/registry';
import { ValidatingAdmissionPolicies, ValidatingAdmissionPolicyBindings } from '../registry/admission-policy-strategies';
import { Namespaces } from '../../../api/resources';
import { compileExpression, runtimeErrorText, toCel } from './cel-env';

type Obj = Record<string, any>;

/** matchConstraints / matchResources against the request (CREATE/UPDATE of a main resource). */
function ruleMatches(r: Obj, a: AdmissionAttributes): boolean {
  const has = (list: string[] | undefined, v: string) => (list ?? []).includes('*') || (list ?? []).includes(v);
  if (!has(r.apiGroups, a.ref.group) || !has(r.apiVersions, a.ref.version) || !has(r.operations, a.operation)) return false;
  if (!has(r.resources, a.ref.resource) && !(r.resources ?? []).includes('*/*')) return false;
  if (r.scope === 'Cluster' && a.ref.namespaced) return false;
  if (r.scope === 'Namespaced' && !a.ref.namespaced) return false;
  return !(r.resourceNames ?? []).length || r.resourceNames.includes(a.name);
}

async function matches(m: Obj | undefined, a: AdmissionAttributes, nsLabels: () => Promise<Record<string, string> | undefined>): Promise<boolean> {
  if (!m) return true;
  if (m.resourceRules && !m.resourceRules.some((r: Obj) => ruleMatches(r, a))) return false;
  if ((m.excludeResourceRules ?? []).some((r: Obj) => ruleMatches(r, a))) return false;
  const labels = (a.obj.metadata?.labels ?? a.old?.metadata?.labels ?? {}) as Record<string, string>;
  if (m.objectSelector && !matchesLabelSelector(m.objectSelector, labels)) return false;
  if (m.namespaceSelector && Object.keys(m.namespaceSelector).length && a.ref.namespaced) {
    if (!matchesLabelSelector(m.namespaceSelector, (await nsLabels()) ?? {})) return false;
  }
  return true;
}

const REASON_CODE: Record<string, number> = { Unauthorized: 401, Forbidden: 403, Invalid: 422, RequestEntityTooLarge: 413 };

/** The params object of a binding (paramRef.name; namespaced kinds in paramRef.namespace or the request's). */
async function loadParams(policy: Obj, binding: Obj, a: AdmissionAttributes): Promise<{ params: unknown; missing: boolean }> {
  const pk = policy.spec?.paramKind;
  const pr = binding.spec?.paramRef;
  if (!pk || !pr) return { params: null, missing: false };
  const [group, version] = String(pk.apiVersion ?? '').includes('/') ? String(pk.apiVersion).split('/') : ['', String(pk.apiVersion ?? '')];
  const s = (a.ctx.resources ?? builtinTable).all().find((x) => x.ref.group === group && x.ref.version === version && x.ref.kind === pk.kind);
  if (!s || !pr.name) return { params: null, missing: true };
  const ns = s.ref.namespaced ? pr.namespace || a.namespace : undefined;
  const p = await getStored<Obj>(a.ctx, s.ref, ns, pr.name);
  return { params: p ?? null, missing: !p };
}

interface Decision {
  message: string;
  reason?: string;
}

/** Evaluates one policy under one binding: the first failing validation, or undefined when all pass. */
function evaluate(policy: Obj, vars: Record<string, unknown>): Decision | undefined {
  const spec = policy.spec ?? {};
  const fail = spec.failurePolicy !== 'Ignore';
  const variables: Record<string, unknown> = {};
  const all = { ...vars, variables };
  for (const v of spec.variables ?? []) {
    try {
      variables[v.name] = compileExpression(v.expression, 'dyn').program?.(all);
    } catch {
      // an erroring variable fails the expressions that use it
    }
  }
  for (const c of spec.matchConditions ?? []) {
    const prog = compileExpression(c.expression, 'bool').program;
    try {
      if (prog && prog(all) !== true) return undefined;
    } catch (err) {
      if (fail) return { message: `failed to evaluate matchCondition ${c.name}: ${runtimeErrorText(err)}` };
      return undefined;
    }
  }
  for (const v of spec.validations ?? []) {
    const c = compileExpression(v.expression, 'bool');
    if (!c.program) {
      if (fail) return { message: `compilation error: ${c.error}` };
      continue;
    }
    let ok: unknown;
    try {
      ok = c.program(all);
    } catch (err) {
      if (fail) return { message: `expression '${v.expression}' resulted in error: ${runtimeErrorText(err)}` };
      continue;
    }
    if (ok === true) continue;
    let message = (v.message ?? '').trim() || `failed expression: ${String(v.expression).trim()}`;
    if (v.messageExpression) {
      try {
        const m = compileExpression(v.messageExpression, 'string').program?.(all);
        if (typeof m === 'string' && m.trim()) message = m.trim();
      } catch {
        // kube keeps the message when messageExpression fails
      }
    }
    return { message, reason: v.reason };
  }
  return undefined;
}

/**
 * ValidatingAdmissionPolicy (admission/plugin/policy/validating), in the validating phase before
 * ResourceQuota: every binding whose policy and match rules select the write evaluates the policy's
 * validations (object, oldObject, params, namespaceObject, request, variables). Deny: the first
 * failure refuses with `<resource> "<name>" is forbidden: ValidatingAdmissionPolicy '<p>' with binding
 * '<b>' denied request: <message>`, reason from the validation (default Invalid, 422) and one cause;
 * Warn: a Warning `Validation failed for ValidatingAdmissionPolicy '<p>' with binding '<b>': <message>`.
 * Policies and bindings are read from the store on each write (one range read when none exist).
 */
export const validatingAdmissionPolicy: AdmissionPlugin = {
  name: 'ValidatingAdmissionPolicy',
  async validate(a) {
    if (a.subresource) return;
    const bindings = await listStored<Obj>(a.ctx, ValidatingAdmissionPolicyBindings);
    if (!bindings.length) return;
    const policies = new Map((await listStored<Obj>(a.ctx, ValidatingAdmissionPolicies)).map((p) => [p.metadata?.name, p]));
    let nsObj: Obj | undefined | null = null;
    const namespaceObject = async () => {
      if (nsObj === null) nsObj = a.namespace ? await getStored<Obj>(a.ctx, Namespaces, undefined, a.namespace) : undefined;
      return nsObj;
    };
    const nsLabels = async () => (await namespaceObject())?.metadata?.labels;
    for (const binding of bindings.sort((x, y) => (x.metadata?.name < y.metadata?.name ? -1 : 1))) {
      const policy = policies.get(binding.spec?.policyName);
      if (!policy) continue;
      if (!(await matches(policy.spec?.matchConstraints, a, nsLabels)) || !(await matches(binding.spec?.matchResources, a, nsLabels))) continue;
      const { params, missing } = await loadParams(policy, binding, a);
      let decision: Decision | undefined;
      if (missing && binding.spec?.paramRef?.parameterNotFoundAction === 'Deny') decision = { message: `no params found for policy binding with \`Deny\` parameterNotFoundAction` };
      else if (missing) continue;
      const vars = {
        object: toCel(a.obj, undefined),
        oldObject: a.old ? toCel(a.old, undefined) : null,
        params: toCel(params, undefined),
        namespaceObject: a.ref.namespaced ? toCel((await namespaceObject()) ?? null, undefined) : null,
        request: toCel({ operation: a.operation, name: a.name, namespace: a.namespace, dryRun: a.dryRun, kind: { group: a.ref.group, version: a.ref.version, kind: a.ref.kind }, resource: { group: a.ref.group, version: a.ref.version, resource: a.ref.resource }, userInfo: {} }, undefined),
      };
      decision ??= evaluate(policy, vars);
      if (!decision) continue;
      const pname = policy.metadata?.name;
      const bname = binding.metadata?.name;
      const actions: string[] = binding.spec?.validationActions ?? [];
      if (actions.includes('Warn')) a.warnings.push(`Validation failed for ValidatingAdmissionPolicy '${pname}' with binding '${bname}': ${decision.message}`);
      if (actions.includes('Deny')) {
        const message = `ValidatingAdmissionPolicy '${pname}' with binding '${bname}' denied request: ${decision.message}`;
        const base = admissionForbidden(a, message).status;
        const reason = (decision.reason && REASON_CODE[decision.reason] ? decision.reason : 'Invalid') as StatusReason;
        throw new ApiServerError(REASON_CODE[reason], failureStatus(reason, base.message ?? '', { ...base.details, causes: [{ message }] }));
      }
    }
  },
};
