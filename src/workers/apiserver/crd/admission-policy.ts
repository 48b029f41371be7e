import type { UserInfo } from '../../../api/protocol';
import { matchesLabelSelector } from '../../../api/label-selector';
import { failureStatus, type StatusReason } from '../../../api/status';
import { Namespaces } from '../../../api/resources';
import { admissionForbidden, getStored, type AdmissionAttributes, type AdmissionPlugin } from '../admission/admission';
import { authzIndexes } from '../authz/store-indexes';
import { authorizeNodeAndRbac } from '../authz/union-authorizer';
import { ApiServerError } from '../errors';
import { runtimeErrorText, toCel } from './cel-env';
import { CelAuthorizer } from './policy-authorizer';
import { policyIndex, type CompiledPolicy } from './policy-index';
import { admissionRequest, collectParams, namespaceObjectFor } from './policy-request';

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
/** celconfig.MaxEvaluatedMessageExpressionSizeBytes. */
const MAX_MESSAGE = 5 * 1024;

/** A failed validation (or, under failurePolicy Fail, an evaluation error): kube's PolicyDecision with Action Deny. */
interface Decision {
  message: string;
  reason?: string;
}

/**
 * validator.Validate for one param: matchConditions (false: no decisions), then every validation in order.
 * Errors deny under failurePolicy Fail and are ignored under Ignore. Expressions may be async (authorizer).
 */
async function evaluate(cp: CompiledPolicy, vars: Record<string, unknown>): Promise<Decision[]> {
  const fail = cp.policy.spec?.failurePolicy !== 'Ignore';
  const variables: Record<string, unknown> = {};
  const all = { ...vars, variables };
  for (const v of cp.variables) {
    try {
      variables[v.name] = await v.c.program?.(all);
    } catch {
      // an erroring variable fails the expressions that use it
    }
  }
  for (const m of cp.matchConditions) {
    try {
      if (m.c.program && (await m.c.program(all)) !== true) return [];
    } catch (err) {
      return fail ? [{ message: `failed to evaluate matchCondition ${m.name}: ${runtimeErrorText(err)}` }] : [];
    }
  }
  const out: Decision[] = [];
  for (const { v, c, message: mc } of cp.validations) {
    if (!c.program) {
      if (fail) out.push({ message: `compilation error: ${c.error}` });
      continue;
    }
    let ok: unknown;
    try {
      ok = await c.program(all);
    } catch (err) {
      if (fail) out.push({ message: `expression '${v.expression}' resulted in error: ${runtimeErrorText(err)}` });
      continue;
    }
    if (ok === true) continue;
    let message = '';
    if (mc?.program) {
      try {
        const m = await mc.program(all);
        if (typeof m === 'string') message = m.trim();
        if (message.length > MAX_MESSAGE || message.includes('\n')) message = '';
      } catch {
        // kube falls back to message, then the expression
      }
    }
    message ||= (v.message ?? '').trim() || `failed expression: ${String(v.expression).trim()}`;
    out.push({ message, reason: v.reason ?? 'Invalid' });
  }
  return out;
}

/**
 * ValidatingAdmissionPolicy (admission/plugin/policy/validating, 1.32), in the validating phase before
 * ResourceQuota. Bindings (name order) whose policy and match rules select the write evaluate the policy once
 * per param (generic.CollectParams: paramRef.name or every object paramRef.selector selects) with object,
 * oldObject, params, namespaceObject, request (userInfo, kind, resource, subResource, name, namespace,
 * operation, dryRun, options), variables and authorizer (Node,RBAC as the requesting user). Each failed
 * validation is acted on per validationActions: Warn adds `Validation failed for ValidatingAdmissionPolicy
 * '<p>' with binding '<b>': <message>`, Deny records a denial. A binding configuration error (no params with
 * parameterNotFoundAction Deny, …) denies under failurePolicy Fail whatever the actions, as `failed to
 * configure binding: <err>`. The first denial refuses: `<resource> "<name>" is forbidden: ValidatingAdmissionPolicy
 * '<p>' with binding '<b>' denied request: <message>`, the validation's reason (default Invalid, 422), one cause.
 * Policies and bindings come from policyIndex (watch-fed), params from the store.
 */
export const validatingAdmissionPolicy: AdmissionPlugin = {
  name: 'ValidatingAdmissionPolicy',
  async validate(a) {
    if (a.subresource) return;
    const { bindings } = await policyIndex(a.ctx.store).current();
    if (!bindings.length) return;
    let nsObj: Obj | undefined | null = null;
    const namespaceObject = async () => {
      if (nsObj === null) nsObj = a.namespace ? await getStored<Obj>(a.ctx, Namespaces, undefined, a.namespace) : undefined;
      return nsObj;
    };
    const nsLabels = async () => (await namespaceObject())?.metadata?.labels;
    let authorizer: CelAuthorizer | undefined;
    const denied: Array<{ p: string; b: string; d: Decision }> = [];
    for (const { binding, policy: cp } of bindings) {
      if (!cp) continue;
      const policy = cp.policy;
      if (!(await matches(policy.spec?.matchConstraints, a, nsLabels)) || !(await matches(binding.spec?.matchResources, a, nsLabels))) continue;
      const pname = policy.metadata?.name;
      const bname = binding.metadata?.name;
      const collected = await collectParams(policy, binding, a);
      if ('error' in collected) {
        if (policy.spec?.failurePolicy !== 'Ignore') denied.push({ p: pname, b: bname, d: { message: `failed to configure binding: ${collected.error}` } });
        continue;
      }
      if (!collected.params.length) continue;
      authorizer ??= celAuthorizer(a);
      const base = {
        object: toCel(a.obj, undefined),
        oldObject: a.old ? toCel(a.old, undefined) : null,
        namespaceObject: a.ref.namespaced ? toCel(namespaceObjectFor((await namespaceObject()) ?? undefined), undefined) : null,
        request: toCel(admissionRequest(a), undefined),
        authorizer,
      };
      const actions: string[] = binding.spec?.validationActions ?? [];
      for (const params of collected.params) {
        for (const d of await evaluate(cp, { ...base, params: toCel(params, undefined) })) {
          if (actions.includes('Deny')) denied.push({ p: pname, b: bname, d });
          if (actions.includes('Warn')) a.warnings.push(`Validation failed for ValidatingAdmissionPolicy '${pname}' with binding '${bname}': ${d.message}`);
        }
      }
    }
    if (!denied.length) return;
    const { p, b, d } = denied[0];
    const message = `ValidatingAdmissionPolicy '${p}' with binding '${b}' denied request: ${d.message}`;
    const status = admissionForbidden(a, message).status;
    const reason = (d.reason ?? 'Invalid') as StatusReason;
    throw new ApiServerError(REASON_CODE[reason] ?? 422, failureStatus(reason, status.message ?? '', { ...status.details, causes: [{ message }] }));
  },
};

/** The `authorizer` variable: Node,RBAC decisions for the requesting user, requestResource = this write's resource. */
function celAuthorizer(a: AdmissionAttributes): CelAuthorizer {
  const { policy, graph } = authzIndexes(a.ctx.store);
  const user: UserInfo = a.user ?? { username: '' };
  return new CelAuthorizer(user, async (attrs, fieldSelector) => authorizeNodeAndRbac(graph, await policy.snapshot(), attrs, fieldSelector), {
    group: a.ref.group,
    resource: a.ref.resource,
    subresource: a.subresource ?? '',
    namespace: a.namespace,
    name: a.name,
  });
}
