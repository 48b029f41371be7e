import type { ServiceAccount } from 'kubernetes-types/core/v1';
import type { Clock } from '../../../api/clock';
import { rfc3339 } from '../../../api/clock';
import type { ApiRequest, ApiResponse, UserInfo } from '../../../api/protocol';
import type { Store } from '../../../storage/store';
import { badRequest, conflict, invalidError, methodNotAllowed, notFound } from '../errors';
import { GoValue, invalid, type FieldError } from '../field-errors';
import type { PolicyCache } from './policy-cache';
import type { NodeGraph } from './node-authorizer';
import { rulesFor, SYSTEM_MASTERS } from './rbac-authorizer';
import { authorizeNodeAndRbac } from './union-authorizer';
import { nodeIdentity } from './component-identities';
import type { Attributes } from './request-attributes';
import { reviewSelectors, validateSelectorAttributes, type SelectorAttributes } from './review-selectors';
import { API_AUDIENCE, type BoundObjects, type ServiceAccountTokens } from './service-account-tokens';

/** The create-only resources served here instead of by the store-backed handlers. */
const REVIEWS: Record<string, string> = {
  'authorization.k8s.io/selfsubjectaccessreviews': 'SelfSubjectAccessReview',
  'authorization.k8s.io/subjectaccessreviews': 'SubjectAccessReview',
  'authorization.k8s.io/localsubjectaccessreviews': 'LocalSubjectAccessReview',
  'authorization.k8s.io/selfsubjectrulesreviews': 'SelfSubjectRulesReview',
  'authentication.k8s.io/selfsubjectreviews': 'SelfSubjectReview',
  'authentication.k8s.io/tokenreviews': 'TokenReview',
};

export interface ReviewContext {
  store: Store;
  clock: Clock;
  policy: PolicyCache;
  graph: NodeGraph;
  tokens: ServiceAccountTokens;
}

/** True for requests this module answers: the review kinds (any verb, v1) and serviceaccounts/<name>/token. */
export function isReviewRequest(a: Attributes): boolean {
  if (!a.isResourceRequest || a.apiVersion !== 'v1') return false;
  if (a.apiGroup === '' && a.resource === 'serviceaccounts' && a.subresource === 'token') return true;
  return !a.subresource && `${a.apiGroup}/${a.resource}` in REVIEWS;
}

interface ResourceAttributesSpec {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  fieldSelector?: SelectorAttributes | null;
  labelSelector?: SelectorAttributes | null;
}

interface AccessReviewSpec {
  resourceAttributes?: ResourceAttributesSpec;
  nonResourceAttributes?: { path?: string; verb?: string };
  user?: string;
  groups?: string[];
  uid?: string;
  namespace?: string;
  token?: string;
  audiences?: string[];
  expirationSeconds?: number;
}

function specAttributes(spec: AccessReviewSpec, user: UserInfo): Attributes {
  const r = spec.resourceAttributes;
  if (r) {
    return { user, verb: r.verb ?? '', isResourceRequest: true, path: '', namespace: r.namespace ?? '', apiGroup: r.group ?? '', apiVersion: r.version || '*', resource: r.resource ?? '', subresource: r.subresource ?? '', name: r.name ?? '' };
  }
  const n = spec.nonResourceAttributes ?? {};
  return { user, verb: n.verb ?? '', isResourceRequest: false, path: n.path ?? '', namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' };
}

/** %#v of the internal NonResourceAttributes, as field.Invalid prints it. */
const goNonResource = (n: { path?: string; verb?: string }) => new GoValue(`authorization.NonResourceAttributes{Path:${JSON.stringify(n.path ?? '')}, Verb:${JSON.stringify(n.verb ?? '')}}`);

/** ValidateSubjectAccessReviewSpec / ValidateSelfSubjectAccessReviewSpec (selectors last, as validateResourceAttributes). */
function validateAccessSpec(spec: AccessReviewSpec, needsSubject: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.resourceAttributes && spec.nonResourceAttributes) errs.push(invalid('spec.nonResourceAttributes', goNonResource(spec.nonResourceAttributes), 'cannot be specified in combination with resourceAttributes'));
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) errs.push(invalid('spec.resourceAttributes', 'null', 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  if (needsSubject && !spec.user && !spec.groups?.length) errs.push(invalid('spec.user', spec.user ?? '', 'at least one of user or group must be specified'));
  errs.push(...validateSelectorAttributes(spec.resourceAttributes));
  return errs;
}

const created = (group: string, kind: string, body: Record<string, unknown>, extra: Record<string, unknown>): ApiResponse => ({
  status: 201,
  body: { kind, apiVersion: `${group}/v1`, ...body, metadata: { ...((body.metadata as object) ?? {}), creationTimestamp: null }, ...extra },
});

/**
 * The decision of Node,RBAC on the spec's attributes (the resource field selector, when it parses, scoping a
 * node's pod list); evaluationError names selectors ignored for parse errors (BuildEvaluationError).
 */
async function accessReview(ctx: ReviewContext, spec: AccessReviewSpec, subject: UserInfo): Promise<Record<string, unknown>> {
  const selectors = reviewSelectors(spec.resourceAttributes);
  const decision = await authorizeNodeAndRbac(ctx.graph, await ctx.policy.snapshot(), specAttributes(spec, subject), selectors.fieldSelector);
  const evaluationError = selectors.errors.join('; ');
  return { status: { allowed: decision.allowed, ...(decision.reason ? { reason: decision.reason } : {}), ...(evaluationError ? { evaluationError } : {}) } };
}

async function rulesReview(ctx: ReviewContext, user: UserInfo, namespace: string): Promise<Record<string, unknown>> {
  const { rules, errors } = rulesFor(await ctx.policy.snapshot(), user, namespace);
  if (nodeIdentity(user) !== undefined) errors.unshift('node authorizer does not support user rule resolution');
  const masters = (user.groups ?? []).includes(SYSTEM_MASTERS);
  const resourceRules = [...(masters ? [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] : []), ...rules.filter((r) => !r.nonResourceURLs?.length).map((r) => ({ verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources ?? [], ...(r.resourceNames?.length ? { resourceNames: r.resourceNames } : {}) }))];
  const nonResourceRules = [...(masters ? [{ verbs: ['*'], nonResourceURLs: ['*'] }] : []), ...rules.filter((r) => r.nonResourceURLs?.length).map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs }))];
  return { status: { resourceRules, nonResourceRules, incomplete: errors.length > 0, ...(errors.length ? { evaluationError: errors.join(', ') } : {}) } };
}

interface BoundObjectRef {
  kind?: string;
  apiVersion?: string;
  name?: string;
  uid?: string;
}

type Stored = { metadata?: { name?: string; uid?: string }; spec?: { serviceAccountName?: string; nodeName?: string } };

/**
 * TokenREST's boundObjectRef check: a Pod (running as this service account), Secret or Node of core v1 that
 * exists (404 `pods "x" not found`), a uid that matches when given (409 Conflict on "Pod"), any other kind 400.
 * A pod binding also names the pod's node (with its uid while the node exists).
 */
async function boundObjects(ctx: ReviewContext, namespace: string, saName: string, ref: BoundObjectRef): Promise<BoundObjects> {
  const slash = (ref.apiVersion ?? '').indexOf('/');
  const group = slash < 0 ? '' : (ref.apiVersion ?? '').slice(0, slash);
  const version = slash < 0 ? (ref.apiVersion ?? '') : (ref.apiVersion ?? '').slice(slash + 1);
  const kind = ref.kind ?? '';
  const name = ref.name ?? '';
  const resource = group === '' ? { Pod: 'pods', Secret: 'secrets', Node: 'nodes' }[kind] : undefined;
  if (!resource) throw badRequest(`cannot bind token to object of type ${group}/${version}, Kind=${kind}`);
  const get = async (key: string): Promise<Stored | undefined> => {
    const kv = (await ctx.store.get(key)).kv;
    return kv ? (JSON.parse(kv.value) as Stored) : undefined;
  };
  const obj = await get(resource === 'nodes' ? `/registry/nodes/${name}` : `/registry/${resource}/${namespace}/${name}`);
  if (!obj) throw notFound({ group: '', resource }, name);
  if (kind === 'Pod' && obj.spec?.serviceAccountName !== saName) {
    throw badRequest(`cannot bind token for serviceaccount ${JSON.stringify(saName)} to pod running with different serviceaccount name.`);
  }
  const uid = obj.metadata?.uid ?? '';
  if (ref.uid && ref.uid !== uid) {
    throw conflict({ group: '', resource: kind }, name, `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
  }
  const self = { name: obj.metadata?.name ?? name, uid };
  if (kind === 'Secret') return { secret: self };
  if (kind === 'Node') return { node: self };
  const nodeName = obj.spec?.nodeName;
  if (!nodeName) return { pod: self };
  const node = await get(`/registry/nodes/${nodeName}`);
  return { pod: self, node: { name: nodeName, uid: node?.metadata?.uid ?? '' } };
}

async function tokenRequest(ctx: ReviewContext, a: Attributes, body: { metadata?: object; spec?: AccessReviewSpec }): Promise<ApiResponse> {
  const kv = (await ctx.store.get(`/registry/serviceaccounts/${a.namespace}/${a.name}`)).kv;
  if (!kv) throw notFound({ group: '', resource: 'serviceaccounts' }, a.name);
  const sa = JSON.parse(kv.value) as ServiceAccount;
  const expirationSeconds = body.spec?.expirationSeconds ?? 3600;
  const errs: FieldError[] = [];
  if (expirationSeconds < 600) errs.push(invalid('spec.expirationSeconds', expirationSeconds, 'may not specify a duration less than 10 minutes'));
  if (expirationSeconds > 2 ** 32) errs.push(invalid('spec.expirationSeconds', expirationSeconds, 'may not specify a duration larger than 2^32 seconds'));
  if (errs.length) throw invalidError({ group: 'authentication.k8s.io', kind: 'TokenRequest' }, a.name, errs);
  const ref = (body.spec as { boundObjectRef?: BoundObjectRef | null } | undefined)?.boundObjectRef;
  const bound = ref ? await boundObjects(ctx, a.namespace, a.name, ref) : {};
  const audiences = body.spec?.audiences?.length ? body.spec.audiences : [API_AUDIENCE];
  const { token, expiresAt } = await ctx.tokens.issue(sa, audiences, expirationSeconds, bound);
  return {
    status: 201,
    body: {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name: a.name, namespace: a.namespace, creationTimestamp: null },
      spec: { audiences, expirationSeconds, boundObjectRef: (body.spec as { boundObjectRef?: unknown })?.boundObjectRef ?? null },
      status: { token, expirationTimestamp: rfc3339(expiresAt) },
    },
  };
}

/**
 * Answers an (already authorized) review request for `user`: POST only (else 405), the body's spec
 * validated with kube's messages (422), access decisions from the same RBAC authorizer as requests.
 */
export async function serveReview(ctx: ReviewContext, a: Attributes, req: ApiRequest, user: UserInfo): Promise<ApiResponse> {
  if (req.method !== 'POST' || (a.resource !== 'serviceaccounts' && a.name)) throw methodNotAllowed();
  const body = (req.body && typeof req.body === 'object' ? req.body : {}) as { metadata?: object; spec?: AccessReviewSpec };
  if (a.resource === 'serviceaccounts') return tokenRequest(ctx, a, body);
  const spec = body.spec ?? {};
  const kind = REVIEWS[`${a.apiGroup}/${a.resource}`];
  const echo = { ...body, spec };
  switch (kind) {
    case 'SelfSubjectReview':
      return created(a.apiGroup, kind, { ...body }, { status: { userInfo: { username: user.username, ...(user.uid ? { uid: user.uid } : {}), groups: user.groups ?? [] } } });
    case 'TokenReview': {
      const found = spec.token ? await ctx.tokens.verify(spec.token) : undefined;
      return created(a.apiGroup, kind, echo, { status: found ? { authenticated: true, user: found, audiences: [API_AUDIENCE] } : { user: {}, error: 'invalid bearer token' } });
    }
    case 'SelfSubjectRulesReview':
      return created(a.apiGroup, kind, echo, await rulesReview(ctx, user, spec.namespace ?? ''));
    case 'SelfSubjectAccessReview': {
      const errs = validateAccessSpec(spec, false);
      if (errs.length) throw invalidError({ group: a.apiGroup, kind }, '', errs);
      return created(a.apiGroup, kind, echo, await accessReview(ctx, spec, user));
    }
    default: {
      const errs = validateAccessSpec(spec, true);
      if (kind === 'LocalSubjectAccessReview') {
        const ns = (body.metadata as { namespace?: string } | undefined)?.namespace ?? a.namespace;
        if (ns !== a.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
        if (spec.resourceAttributes && (spec.resourceAttributes.namespace ?? '') !== ns) errs.push(invalid('spec.resourceAttributes.namespace', spec.resourceAttributes.namespace ?? '', 'must match metadata.namespace'));
        if (spec.nonResourceAttributes) errs.push(invalid('spec.nonResourceAttributes', goNonResource(spec.nonResourceAttributes), 'disallowed on this kind of request'));
      }
      if (errs.length) throw invalidError({ group: a.apiGroup, kind }, '', errs);
      const subject: UserInfo = { username: spec.user ?? '', ...(spec.uid ? { uid: spec.uid } : {}), groups: spec.groups ?? [] };
      return created(a.apiGroup, kind, echo, await accessReview(ctx, spec, subject));
    }
  }
}
