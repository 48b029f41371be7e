import type { Status } from 'kubernetes-types/meta/v1';
import type { Clock } from '../../../api/clock';
import { rfc3339 } from '../../../api/clock';
import type { Disposable } from '../../../api/disposable';
import type { IdSource } from '../../../api/ids';
import type { ApiHandler, ApiRequest, ApiResponse, StreamOpen, UserInfo } from '../../../api/protocol';
import { failureStatus } from '../../../api/status';
import type { Store } from '../../../storage/store';
import { ApiServerError, internalError } from '../errors';
import { AuditRing, auditAnnotationsOf, type AuditEntry } from './audit-ring';
import { authzIndexes } from './store-indexes';
import { SYSTEM_MASTERS } from './rbac-authorizer';
import { authorizeNodeAndRbac } from './union-authorizer';
import { requestAttributes, type Attributes } from './request-attributes';
import { isReviewRequest, serveReview, type ReviewContext } from './reviews';
import { serviceAccountUser, ServiceAccountTokens } from './service-account-tokens';

/** Who in-tab clients (requests without user or token) are: kubeadm's admin, in system:masters. */
export const IN_TAB_ADMIN: UserInfo = { username: 'kubernetes-admin', groups: [SYSTEM_MASTERS, 'system:authenticated'] };

export interface AuthOptions {
  store: Store;
  clock: Clock;
  ids: IdSource;
  /** Requests kept by audit() (default 500). */
  auditSize?: number;
}

export type AuthorizingHandler<H> = H & { audit(): AuditEntry[] };

/** forbiddenMessage + apierrors.NewForbidden, as responsewriters.Forbidden words a denial. */
export function forbidden(a: Attributes, reason: string): ApiServerError {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  let msg: string;
  if (!a.isResourceRequest) msg = `User ${JSON.stringify(a.user.username)} cannot ${a.verb} path ${JSON.stringify(a.path)}`;
  else if (a.namespace) msg = `User ${JSON.stringify(a.user.username)} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.apiGroup)} in the namespace ${JSON.stringify(a.namespace)}`;
  else msg = `User ${JSON.stringify(a.user.username)} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.apiGroup)} at the cluster scope`;
  if (reason) msg += `: ${reason}`;
  const gr = a.isResourceRequest ? (a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource) : '';
  const message = !gr ? `forbidden: ${msg}` : a.name ? `${gr} ${JSON.stringify(a.name)} is forbidden: ${msg}` : `${gr} is forbidden: ${msg}`;
  const details: { name?: string; group?: string; kind?: string } = {};
  if (a.name) details.name = a.name;
  if (a.apiGroup) details.group = a.apiGroup;
  if (a.resource) details.kind = a.resource;
  return new ApiServerError(403, failureStatus('Forbidden', message, details));
}

export function unauthorized(): ApiServerError {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };
  return new ApiServerError(401, s);
}

const SA_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;

/**
 * Wraps an ApiHandler with kube-apiserver's filter chain in order: authentication (a bearer token must be
 * a valid service account token, else 401; no token: req.user, or the in-tab admin), impersonation (the
 * impersonate verb on users/groups/serviceaccounts/uids, else 403), Node then RBAC authorization of the
 * request (403 with kube's message), the review and TokenRequest endpoints, and an audit ring of every answer.
 * The inner handler sees the final identity in req.user and no token or impersonation fields.
 */
export function withAuthorization<H extends ApiHandler & Disposable>(inner: H, opts: AuthOptions): AuthorizingHandler<H> {
  const { policy, graph } = authzIndexes(opts.store);
  const tokens = new ServiceAccountTokens(opts.store, opts.clock, opts.ids);
  const reviews: ReviewContext = { store: opts.store, clock: opts.clock, policy, graph, tokens };
  const ring = new AuditRing(opts.auditSize);

  /**
   * Throws kube's 403 unless a is allowed. With `audit` (the request's own check, not impersonation's) it
   * records WithAuthorization's audit annotations: authorization.k8s.io/decision allow|forbid and /reason the
   * authorizer's reason; an authorizer error records only the reason "internal error".
   */
  const check = async (a: Attributes, fieldSelector?: string, audit?: Partial<AuditEntry>) => {
    let d: { allowed: boolean; reason: string } = { allowed: true, reason: '' };
    try {
      if (!(a.user.groups ?? []).includes(SYSTEM_MASTERS)) d = await authorizeNodeAndRbac(graph, await policy.snapshot(), a, fieldSelector);
    } catch (err) {
      if (audit) audit.annotations = { ...audit.annotations, 'authorization.k8s.io/reason': 'internal error' };
      throw err;
    }
    if (audit) audit.annotations = { ...audit.annotations, 'authorization.k8s.io/decision': d.allowed ? 'allow' : 'forbid', 'authorization.k8s.io/reason': d.reason };
    if (!d.allowed) throw forbidden(a, d.reason);
  };

  async function authenticate(req: ApiRequest): Promise<UserInfo> {
    if (req.bearerToken !== undefined) {
      const user = await tokens.verify(req.bearerToken);
      if (!user) throw unauthorized();
      return user;
    }
    return req.user ?? IN_TAB_ADMIN;
  }

  async function impersonate(requestor: UserInfo, imp: NonNullable<ApiRequest['impersonate']>): Promise<UserInfo> {
    const base = { user: requestor, verb: 'impersonate', isResourceRequest: true, path: '', apiVersion: 'v1', subresource: '', namespace: '' };
    const sa = SA_USER.exec(imp.user);
    const groupsSpecified = !!imp.groups?.length;
    let groups = [...(imp.groups ?? [])];
    if (sa) {
      await check({ ...base, apiGroup: '', resource: 'serviceaccounts', namespace: sa[1], name: sa[2] });
      if (!groupsSpecified) groups = serviceAccountUser(sa[1], sa[2]).groups!.filter((g) => g !== 'system:authenticated');
    } else await check({ ...base, apiGroup: '', resource: 'users', name: imp.user });
    for (const g of imp.groups ?? []) await check({ ...base, apiGroup: '', resource: 'groups', name: g });
    if (imp.uid) await check({ ...base, apiGroup: 'authentication.k8s.io', resource: 'uids', name: imp.uid });
    if (imp.user === 'system:anonymous') {
      if (!groups.includes('system:unauthenticated')) groups.push('system:unauthenticated');
    } else if (!groups.includes('system:authenticated') && !groups.includes('system:unauthenticated')) groups.push('system:authenticated');
    return { username: imp.user, groups, ...(imp.uid ? { uid: imp.uid } : {}) };
  }

  /** Authenticates and authorizes req; answers reviews itself; else returns the request the inner handler serves. */
  async function admit(req: ApiRequest, audit: Partial<AuditEntry>): Promise<{ req: ApiRequest } | { res: ApiResponse }> {
    const requestor = await authenticate(req);
    const user = req.impersonate ? await impersonate(requestor, req.impersonate) : requestor;
    if (req.impersonate) audit.impersonatedBy = requestor.username;
    const a = requestAttributes(req, user);
    Object.assign(audit, { user: user.username, verb: a.verb, resource: a.subresource ? `${a.resource}/${a.subresource}` : a.resource, namespace: a.namespace, name: a.name });
    await check(a, req.query?.fieldSelector, audit);
    if (isReviewRequest(a)) return { res: await serveReview(reviews, a, req, user) };
    const out: ApiRequest = { ...req, user };
    delete out.bearerToken;
    delete out.impersonate;
    return { req: out };
  }

  function record(req: ApiRequest, audit: Partial<AuditEntry>, code: number, received: number): void {
    const q = Object.entries(req.query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    const now = opts.clock.now();
    ring.push({ time: rfc3339(now), user: '', verb: req.method.toLowerCase(), resource: '', namespace: '', name: '', ...audit, uri: q ? `${req.path}?${q}` : req.path, code, latencyMs: now - received });
  }

  async function serve<R extends ApiResponse>(req: ApiRequest, next: (r: ApiRequest) => Promise<R>): Promise<ApiResponse | R> {
    const audit: Partial<AuditEntry> = {};
    const received = opts.clock.now();
    let served: ApiRequest | undefined;
    let res: ApiResponse | R;
    try {
      const admitted = await admit(req, audit);
      if ('req' in admitted) served = admitted.req;
      res = 'res' in admitted ? admitted.res : await next(admitted.req);
    } catch (err) {
      if (!(err instanceof ApiServerError)) console.error('apiserver: internal error', err);
      const e = err instanceof ApiServerError ? err : internalError(err);
      res = { status: e.code, body: e.status };
    }
    const annotations = served && auditAnnotationsOf(served);
    if (annotations) audit.annotations = { ...audit.annotations, ...annotations };
    record(req, audit, res.status, received);
    return res;
  }

  return {
    ...inner,
    request: (req: ApiRequest) => serve(req, (r) => inner.request(r)),
    stream: (req: ApiRequest) => serve<StreamOpen>(req, (r) => inner.stream(r)),
    audit: () => ring.entries(),
  };
}
