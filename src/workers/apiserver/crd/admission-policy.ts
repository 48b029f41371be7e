import type { UserInfo } from '../../../api/protocol';
import { failureStatus, type StatusReason } from '../../../api/status';
import { groupVersion, Namespaces } from '../../../api/resources';
import { admissionForbidden, getStored, type AdmissionAttributes, type AdmissionPlugin } from '../admission/admission';
import { authzIndexes } from '../authz/store-indexes';
import { authorizeNodeAndRbac } from '../authz/union-authorizer';
import { ApiServerError } from '../errors';
import { runtimeErrorText, toCel } from './cel-env';
import { CelAuthorizer } from './policy-authorizer';
import { policyIndex, type CompiledPolicy } from './policy-index';
import { admissionRequest, collectParams, namespaceObjectFor } from './policy-request';
import { matches, type PolicyMatch } from './policy-match';
import { AuditAnnotationCollector, evaluateAuditAnnotations, publishValidationFailure } from './policy-audit';
import { builtinTable } from '../registry/registry';
import type { KubeObject, ResourceStrategy } from '../registry/strategy';
import { withTypeMeta } from '../object-codec';
import { customResourceInfo } from './custom-resource-strategy';
import { toScale } from '../handlers/scale';

type Obj = Record<string, any>;

const REASON_CODE: Record<string, number> = { Unauthorized: 401, Forbidden: 403, Invalid: 422, RequestEntityTooLarge: 413 };
/** celconfig.MaxEvaluatedMessageExpressionSizeBytes. */
const MAX_MESSAGE = 5 * 1024;

/** A failed validation (or, under failurePolicy Fail, an evaluation error): kube's PolicyDecision with Action Deny. */
interface Decision {
  message: string;
  reason?: string;
  /** The validation's index in spec.validations (the Audit annotation's expressionIndex). */
  index: number;
}

/**
 * validator.Validate for one param: matchConditions (false: no decisions), then every validation in order.
 * Errors deny under failurePolicy Fail and are ignored under Ignore. Expressions may be async (authorizer).
 */
async function evaluate(cp: CompiledPolicy, vars: Record<string, unknown>): Promise<{ decisions: Decision[]; annotations: Awaited<ReturnType<typeof evaluateAuditAnnotations>> } | undefined> {
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
      if (m.c.program && (await m.c.program(all)) !== true) return undefined;
    } catch (err) {
      return fail ? { decisions: [{ message: `failed to evaluate matchCondition ${m.name}: ${runtimeErrorText(err)}`, index: 0 }], annotations: [] } : undefined;
    }
  }
  const out: Decision[] = [];
  for (const [index, { v, c, message: mc }] of cp.validations.entries()) {
    if (!c.program) {
      if (fail) out.push({ message: `compilation error: ${c.error}`, index });
      continue;
    }
    let ok: unknown;
    try {
      ok = await c.program(all);
    } catch (err) {
      if (fail) out.push({ message: `expression '${v.expression}' resulted in error: ${runtimeErrorText(err)}`, index });
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
    out.push({ message, reason: v.reason ?? 'Invalid', index });
  }
  return { decisions: out, annotations: await evaluateAuditAnnotations(cp, all) };
}

/**
 * admission.NewVersionedAttributes' conversion: the object as the matched version serves it (through the
 * stored form for built-ins sharing storage: events, HorizontalPodAutoscalers; a custom resource only changes
 * apiVersion, as the CRD's None conversion does). The request's own version: the object as it is.
 */
function convertTo(o: KubeObject, from: ResourceStrategy | undefined, to: ResourceStrategy | undefined): KubeObject {
  if (!from || !to || from === to) return o;
  if (customResourceInfo(to)) return { ...o, apiVersion: groupVersion(to.ref) };
  const copy = structuredClone(o);
  const stored = from.storage ? from.storage.encode(copy) : copy;
  return withTypeMeta(to, to.storage ? to.storage.decode(stored) : stored);
}

/**
 * What policies see as object/oldObject: null for a DELETE's object; for a scale subresource write the
 * request's autoscaling/v1 Scale (already the kind any equivalent match names); else converted to the match's version.
 */
function policyObject(a: AdmissionAttributes, o: KubeObject | undefined, match: PolicyMatch): unknown {
  if (!o) return null;
  const from = (a.ctx.resources ?? builtinTable).lookup(a.ref.group, a.ref.version, a.ref.resource);
  if (a.subresource === 'scale') return toCel(toScale(o, from), undefined);
  return toCel(convertTo(o, from, match.strategy ?? from), undefined);
}

/**
 * ValidatingAdmissionPolicy (admission/plugin/policy/validating, 1.32), in the validating phase before
 * ResourceQuota, for CREATE, UPDATE and DELETE (validatingAdmissionPolicyDelete) of resources and their
 * subresources (status, scale — its object a Scale of kind autoscaling/v1 — …; see policy-match for rules),
 * and CONNECT (connect-admission). Under matchPolicy Equivalent a policy matched through an equivalent
 * resource sees the object converted to that version and request.kind/resource naming it.
 * Bindings (name order) whose policy and match rules select the write evaluate the policy once
 * per param (generic.CollectParams: paramRef.name or every object paramRef.selector selects) with object
 * (null on DELETE), oldObject (null on CREATE), params, namespaceObject, request (userInfo, kind, resource,
 * subResource, name, namespace, operation, dryRun, options), variables and authorizer (Node,RBAC as the
 * requesting user). Each failed validation is acted on per validationActions: Warn adds `Validation failed
 * for ValidatingAdmissionPolicy '<p>' with binding '<b>': <message>`, Audit records the
 * `validation.policy.admission.k8s.io/validation_failure` audit annotation, Deny records a denial.
 * auditAnnotations publish `<policy>/<key>` (a policy's distinct values across bindings and params joined by
 * ", "); a valueExpression error denies under failurePolicy Fail. A binding configuration error (no params with
 * parameterNotFoundAction Deny, …) denies under failurePolicy Fail whatever the actions, as `failed to
 * configure binding: <err>`. The first denial refuses: `<resource> "<name>" is forbidden: ValidatingAdmissionPolicy
 * '<p>' with binding '<b>' denied request: <message>`, the validation's reason (default Invalid, 422), one cause.
 * Policies and bindings come from policyIndex (watch-fed), params from the store.
 */
export const validatingAdmissionPolicy: AdmissionPlugin = {
  name: 'ValidatingAdmissionPolicy',
  subresources: true,
  async validate(a) {
    const { bindings } = await policyIndex(a.ctx.store).current();
    if (!bindings.length) return;
    let nsObj: Obj | undefined | null = null;
    const namespaceObject = async () => {
      if (nsObj === null) nsObj = a.namespace ? await getStored<Obj>(a.ctx, Namespaces, undefined, a.namespace) : undefined;
      return nsObj;
    };
    const nsLabels = async () => (await namespaceObject())?.metadata?.labels;
    let authorizer: CelAuthorizer | undefined;
    const denied: Array<{ p: string; b: string; d: Omit<Decision, 'index'> }> = [];
    const collectors = new Map<string, AuditAnnotationCollector>();
    for (const { binding, policy: cp } of bindings) {
      if (!cp) continue;
      const policy = cp.policy;
      const match = await matches(policy.spec?.matchConstraints, a, nsLabels);
      if (!match || !(await matches(binding.spec?.matchResources, a, nsLabels))) continue;
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
        object: a.operation === 'DELETE' ? null : policyObject(a, a.obj, match),
        oldObject: policyObject(a, a.old, match),
        namespaceObject: a.ref.namespaced ? toCel(namespaceObjectFor((await namespaceObject()) ?? undefined), undefined) : null,
        request: toCel(admissionRequest(a, match), undefined),
        authorizer,
      };
      const actions: string[] = binding.spec?.validationActions ?? [];
      let collector = collectors.get(pname);
      if (!collector) collectors.set(pname, (collector = new AuditAnnotationCollector()));
      for (const params of collected.params) {
        const result = await evaluate(cp, { ...base, params: toCel(params, undefined) });
        if (!result) continue;
        for (const d of result.decisions) {
          if (actions.includes('Deny')) denied.push({ p: pname, b: bname, d });
          if (actions.includes('Audit')) publishValidationFailure(a, binding, d.index, d.message);
          if (actions.includes('Warn')) a.warnings.push(`Validation failed for ValidatingAdmissionPolicy '${pname}' with binding '${bname}': ${d.message}`);
        }
        for (const r of result.annotations) {
          if (r.value !== undefined) collector.add(r.key, r.value);
          else if (r.error !== undefined) denied.push({ p: pname, b: bname, d: { message: r.error } });
        }
      }
    }
    for (const [pname, c] of collectors) c.publish(pname, a);
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
